"""The qualify layer (issue 6): hedges, the outlet's editorial voice, whose voice it is."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from reportedly.intake.document import Document
from reportedly.model import Attribution, Cue, Meta, Report, Span
from reportedly.pipeline import analyze_document
from reportedly.read.nlp import parse
from reportedly.read.qualify import read_qualify
from reportedly.read.qualify_features import quoted_regions

HERE = Path(__file__).resolve().parent
FIX = HERE / "fixtures" / "qualify"
SHARED = HERE.parents[0].parent / "shared"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
GOLD = SHARED / "gold" / "000_82893141c41038f2.json"


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start < b_end and b_start < a_end


def _find(text: str, needle: str, occurrence: int = 1) -> int:
    pos = -1
    for _ in range(occurrence):
        pos = text.find(needle, pos + 1)
        assert pos >= 0, f"{needle!r} not in text"
    return pos


def _found(items, text, needle, kind) -> bool:
    s = _find(text, needle)
    e = s + len(needle)
    return any(i.kind == kind and _overlaps(i.start, i.end, s, e) for i in items)


def _check_offsets(report):
    for item in [*report.hedges, *report.editorial]:
        assert report.text[item.start:item.end] == item.text
        assert item.text.strip() == item.text and item.text


# ------------------------------------------------------------------ the seed


@pytest.fixture(scope="module")
def seed_report(seed_analyzed):
    return seed_analyzed


def test_seed_every_gold_hedge_found(seed_report):
    report, gold = seed_report
    for h in gold["hedges"]:
        assert _found(report.hedges, report.text, h["text"], h["kind"]), h


def test_seed_every_gold_editorial_found(seed_report):
    report, gold = seed_report
    for e in gold["editorial"]:
        assert _found(report.editorial, report.text, e["text"], e["kind"]), e


def test_seed_quoted_idiom_not_outlet_voice(seed_report):
    report, _ = seed_report
    s = _find(report.text, "hook, line and sinker")
    e = s + len("hook, line and sinker")
    assert not [x for x in report.editorial if x.voice is None and _overlaps(x.start, x.end, s, e)]
    _check_offsets(report)


def test_seed_nothing_in_removed_text(seed_report):
    report, _ = seed_report
    for item in [*report.hedges, *report.editorial]:
        for r in report.removed:
            assert not _overlaps(item.start, item.end, r.start, r.end), (item, r)


# ------------------------------------------------------------------ own fixtures


def _analyze(name: str):
    text = (FIX / name).read_text(encoding="utf-8")
    return analyze_document(Document(text=text, format="text", path=name, meta=Meta(published="2024-03-01")))


@pytest.mark.parametrize("name", ["hedges.txt", "editorial.txt"])
def test_fixture_expected_items(name):
    expected = json.loads((FIX / "expected.json").read_text(encoding="utf-8"))[name]
    report = _analyze(name)
    _check_offsets(report)
    for h in expected["hedges"]:
        assert _found(report.hedges, report.text, h["text"], h["kind"]), (h, report.hedges)
    for e in expected["editorial"]:
        assert _found(report.editorial, report.text, e["text"], e["kind"]), (e, report.editorial)
    for q in expected.get("not_outlet", []):
        s = _find(report.text, q)
        assert not [x for x in report.editorial if x.voice is None and _overlaps(x.start, x.end, s, s + len(q))]


def test_hedge_targets_are_sentences_or_attribution_ids():
    report = _analyze("hedges.txt")
    ids = {a.id for a in report.attributions}
    assert report.hedges
    for h in report.hedges:
        if isinstance(h.target, str):
            assert h.target in ids
        else:
            assert h.target is not None
            assert report.text[h.target.start:h.target.end] == h.target.text
            assert h.target.start <= h.start and h.end <= h.target.end


def test_plain_neutral_text_has_no_verdicts():
    text = ("The city council met on Tuesday to discuss the budget. The council approved a plan to repair "
            "two bridges. Work will start in May and should take four months.")
    report = analyze_document(Document(text=text, format="text", meta=Meta()))
    assert not [e for e in report.editorial if e.kind in ("opinion", "loaded-label", "scare-label")]
    assert not [h for h in report.hedges if h.kind in ("reported", "conditional", "negated")]


def test_attribution_content_gets_the_speaker_voice():
    text = ("The minister said the protesters were a mob of thugs paid by foreign agents. "
            "The so-called reform was adopted anyway.")
    s = text.index("the protesters")
    e = text.index(" The so-called") - 1
    c = text.index("said")
    att = Attribution(id="A1", source=None, cue=Cue(start=c, end=c + 4, text="said", lemma="say"),
                      content=[Span.of(text, s, e)], kind="indirect", stance="assert")
    parsed = parse(text, [], Meta())
    report = Report(input={"format": "text"}, text=text, attributions=[att])
    out = read_qualify(parsed, report)
    thugs = text.index("thugs")
    inside = [x for x in out["editorial"] if _overlaps(x.start, x.end, thugs, thugs + 5)]
    assert inside and all(x.voice == "A1" for x in inside)
    scare = [x for x in out["editorial"] if x.kind == "scare-label"]
    assert scare and scare[0].voice is None and scare[0].text.startswith("so-called")


def test_quoted_without_attribution_is_left_out():
    text = 'Officials were blunt. "The regime is run by a brutal dictator and his thugs," one of them wrote.'
    parsed = parse(text, [], Meta())
    report = Report(input={"format": "text"}, text=text)
    out = read_qualify(parsed, report)
    q0, q1 = text.index('"'), text.rindex('"')
    assert not [x for x in out["editorial"] if _overlaps(x.start, x.end, q0, q1 + 1)]


def test_quoted_regions_ignore_apostrophes():
    text = "Russia's leader said 'we will win' and the \u201cpeace plan\u201d failed. It's \"over\", he said."
    regions = [text[s:e] for s, e in quoted_regions(text)]
    assert "'we will win'" in regions
    assert "\u201cpeace plan\u201d" in regions
    assert '"over"' in regions
    assert not any("Russia's" in r or "It's" in r for r in regions)


# ------------------------------------------------------------------ the SI scorer used by bench/ptc.py


def _scorer():
    spec = importlib.util.spec_from_file_location("ptc_data", HERE.parent / "bench" / "ptc_data.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.si_score


def test_si_score_partial_credit():
    si = _scorer()
    gold = {"a": [(0, 10), (5, 20), (30, 40)]}  # the first two merge into 0..20
    pred = {"a": [(10, 20), (35, 45), (50, 60)]}
    sc = si(pred, gold)
    # precision: 10/10 + 5/10 + 0 over 3 predictions; recall: 10/20 + 5/10 over 2 gold spans
    assert sc["P"] == pytest.approx(1.5 / 3)
    assert sc["R"] == pytest.approx(1.0 / 2)
    assert sc["F1"] == pytest.approx(0.5)
    assert si({"a": []}, gold)["F1"] == 0.0


def test_shipped_tagger_marks_loaded_language():
    from reportedly.read.qualify_model import load_tagger, propaganda_spans

    if load_tagger() is None:
        pytest.fail("the shipped propaganda tagger (models/propaganda_crf.bin) does not load")
    loaded = "The corrupt, treasonous thugs and their disgusting lies are destroying our great nation!"
    plain = "The committee will meet on Tuesday at ten o'clock in the town hall."
    text = plain + "\n\n" + loaded
    parsed = parse(text, [], Meta())
    spans = propaganda_spans(parsed.doc, text)
    start = len(plain) + 2
    assert any(s >= start for s, _, _ in spans)
    assert not any(e <= len(plain) for _, e, _ in spans)


def test_negation_is_past_events_in_the_outlet_voice_only():
    text = ("The company did not publish its accounts last year. The plan does not cover rural areas. "
            "The mayor said the police had not been informed.")
    report = analyze_document(Document(text=text, format="text", meta=Meta()))
    negated = [h.text for h in report.hedges if h.kind == "negated"]
    assert any("did not publish" in n for n in negated)
    assert not any("does not cover" in n for n in negated)  # a present state, not an event
    # inside what the mayor said: the mayor's negation, not the outlet's
    s = text.index("the police had")
    c = text.index("said")
    att = Attribution(id="A1", source=None, cue=Cue(start=c, end=c + 4, text="said", lemma="say"),
                      content=[Span.of(text, s, len(text) - 1)], kind="indirect", stance="assert")
    out = read_qualify(parse(text, [], Meta()), Report(input={"format": "text"}, text=text, attributions=[att]))
    assert not any("had not been" in h.text for h in out["hedges"] if h.kind == "negated")
