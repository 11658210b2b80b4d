"""The measures' helpers in bench/: PolNeAR's (polnear_gold.py) on brat files and TimeBank's links (timebank.py) on TimeML written here."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from polnear_gold import annotator_agreement, bootstrap_f1  # noqa: E402

TEXT = "Smith said taxes rose. Jones denied it."


def _ann(*attrs) -> str:
    """brat lines for (source, cue, content) offset pairs."""
    lines, k = [], 0
    for n, (src, cue, con) in enumerate(attrs, 1):
        ids = []
        for label, (s, e) in (("Source", src), ("Cue", cue), ("Content", con)):
            k += 1
            lines.append(f"T{k}\t{label} {s} {e}\t{TEXT[s:e]}")
            ids.append(f"{label}:T{k}")
        lines.append(f"E{n}\tAttribution:T{k - 1} " + " ".join(ids))
    return "\n".join(lines) + "\n"


SMITH = ((0, 5), (6, 10), (11, 21))
JONES = ((23, 28), (29, 35), (36, 38))


def _write(root: Path, name: str, files: dict[str, str], text: bool = True) -> None:
    (root / "dev" / "attributions").mkdir(parents=True, exist_ok=True)
    (root / "dev" / "text").mkdir(parents=True, exist_ok=True)
    if text:
        (root / "dev" / "text" / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    for who, body in files.items():
        (root / "dev" / "attributions" / f"{name}_{who}.ann").write_text(body, encoding="utf-8")


def test_a_second_annotator_is_scored_against_the_first_by_file_name(tmp_path):
    # the first annotator (by file name) reads both attributions; the second only Smith's, with a shorter cue
    _write(tmp_path, "a", {"0aaa": _ann(SMITH, JONES), "9zzz": _ann((SMITH[0], (6, 9), SMITH[2]))})
    _write(tmp_path, "single", {"0aaa": _ann(SMITH)})  # one annotator: not an agreement article
    _write(tmp_path, "no-text", {"0aaa": _ann(SMITH), "1bbb": _ann(JONES)}, text=False)
    n, sc = annotator_agreement("dev", root=tmp_path)
    assert n == 1
    assert sc["source"]["exact"] == (1.0, 0.5, 2 / 3)  # Smith matched, Jones missed
    assert sc["content"]["exact"][2] == 2 / 3
    assert sc["cue"]["exact"][2] == 0.0 and sc["cue"]["overlap"][2] == 2 / 3
    assert sc["cue"]["n_gold"] == 2 and sc["cue"]["n_pred"] == 1


def test_bootstrap_interval_brackets_the_f1_and_is_a_point_when_every_document_agrees():
    gold = [{((0, 5),), ((6, 9),)} for _ in range(20)]
    assert bootstrap_f1(gold, gold) == (1.0, 1.0)
    half = [g if i % 2 else set() for i, g in enumerate(gold)]
    lo, hi = bootstrap_f1(half, gold)
    f1 = 2 * 20 / (20 + 40)
    assert lo < f1 < hi and 0.0 < lo and hi < 1.0


TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-03-04" functionInDocument="CREATION_TIME">1998-03-04</TIMEX3></DCT>
<TEXT>
Police <EVENT eid="e1" class="REPORTING">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-03-03">Tuesday</TIMEX3> they <EVENT eid="e2" class="OCCURRENCE">arrested</EVENT> him in <TIMEX3 tid="t2" type="DATE" value="1997">1997</TIMEX3>. The port <EVENT eid="e3" class="OCCURRENCE">closed</EVENT> in <TIMEX3 tid="t3" type="DATE" value="1996">1996</TIMEX3>.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST"/>
<MAKEINSTANCE eventID="e2" eiid="ei2" tense="PAST"/>
<MAKEINSTANCE eventID="e3" eiid="ei3" tense="PAST"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="IS_INCLUDED" timeID="t2" relatedToEventInstance="ei2"/>
<TLINK lid="l3" relType="IS_INCLUDED" eventInstanceID="ei3" relatedToTime="t3"/>
<TLINK lid="l4" relType="BEFORE" eventInstanceID="ei2" relatedToTime="t1"/>
<SLINK lid="l5" relType="EVIDENTIAL" eventInstanceID="ei1" subordinatedEventInstance="ei2"/>
</TimeML>
"""


def test_timebank_roles_come_from_its_links(tmp_path):
    """A time TLINKed onto a reporting event dates the saying; one TLINKed onto what an EVIDENTIAL SLINK
    subordinates to it dates what is reported; a BEFORE link or an unreported event gives no role."""
    import timebank

    path = tmp_path / "doc.tml"
    path.write_text(TIMEML, encoding="utf-8")
    d = timebank.load(str(path))
    roles = timebank.gold_roles(d)
    assert set(roles) == {"t1", "t2"}
    (said, event), (reported, reporter) = roles["t1"], roles["t2"]
    text = d["text"]
    assert said == "said" and text[event["start"]:event["end"]] == "said"
    assert reported == "reported" and text[reporter["start"]:reporter["end"]] == "said"
    assert [text[g["start"]:g["end"]] for g in d["gold"]] == ["Tuesday", "1997", "1996"]


def test_a_discontinuous_span_is_the_same_whatever_order_brat_lists_its_fragments_in(tmp_path):
    from polnear_gold import read_ann, score_sets

    ann = tmp_path / "x.ann"
    ann.write_text("T1\tCue 6 10\tsaid\nT2\tContent 29 38;11 21\tdenied it taxes rose\n"
                   "E1\tAttribution:T1 Cue:T1 Content:T2\n", encoding="utf-8")
    (gold,) = read_ann(ann)
    assert gold.content == ((11, 21), (29, 38))
    predicted = {((11, 21), (29, 38))}
    assert score_sets([predicted], [{gold.content}])["exact"][2] == 1.0


def test_polnear_is_scored_univocally_unless_nesting_is_asked_for():
    import polnear
    from reportedly.model import Attribution, Cue, Report, Span

    text = "Officials said engineers had warned it was unsafe."
    outer = Attribution(id="A1", cue=Cue.of(text, 10, 14, lemma="say"), content=[Span.of(text, 15, 49)], kind="indirect", stance="assert")
    inner = Attribution(id="A2", parent="A1", cue=Cue.of(text, 25, 35, lemma="warn"), content=[Span.of(text, 36, 49)],
                        kind="indirect", stance="assert")
    rep = Report.model_construct(text=text, attributions=[outer, inner])
    flat, nested = polnear._pred_sets([rep]), polnear._pred_sets([rep], nested=True)
    assert flat["cue"] == [{((10, 14),)}]
    assert nested["cue"] == [{((10, 14),), ((25, 35),)}]
    assert flat["content"] == [{((15, 49),)}]
