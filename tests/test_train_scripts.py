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
