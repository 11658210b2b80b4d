"""PTC (SemEval-2020 task 11) data, the fixed held-out split, and the task SI scorer.

Shared by bench/ptc.py and scripts/train_propaganda.py.

Split: articles sorted by id; every fifth one (index % 5 == 4) is HELD OUT and is never used
for training or tuning. Of the rest, index % 5 == 3 is the tuning part used by the training
script to choose decoding settings; the shipped model is then trained on all non-held-out
articles.

The scorer re-implements the official task-SI scorer (Da San Martino et al., tools/task-SI_scorer.py,
`compute_score_pr` with prop_vs_non_propaganda=True): overlapping gold spans of an article are
merged into one; predicted spans of an article must not overlap (we merge them, as the scorer's
-m option does); spans are sets of character indices; for every (predicted s, gold t) pair of an
article, precision gains |s∩t|/|s| and recall gains |s∩t|/|t|; P = sum / number of predicted
spans, R = sum / number of gold spans (all articles), F1 = 2PR/(P+R).
"""
from __future__ import annotations

from pathlib import Path

PTC = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptc"


def article_ids() -> list[str]:
    return sorted(p.name[len("article"):-len(".txt")] for p in (PTC / "train-articles").glob("article*.txt"))


def split() -> dict[str, list[str]]:
    ids = article_ids()
    return {
        "heldout": [a for i, a in enumerate(ids) if i % 5 == 4],
        "tune": [a for i, a in enumerate(ids) if i % 5 == 3],
        "fit": [a for i, a in enumerate(ids) if i % 5 in (0, 1, 2)],
        "train": [a for i, a in enumerate(ids) if i % 5 != 4],
    }


def article_text(aid: str) -> str:
    return (PTC / "train-articles" / f"article{aid}.txt").read_text(encoding="utf-8")


def gold_spans(aid: str) -> list[tuple[int, int]]:
    out = []
    path = PTC / "train-labels-task1-span-identification" / f"article{aid}.task1-SI.labels"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, s, e = line.split("\t")
            out.append((int(s), int(e)))
    return out


def gold_techniques(aid: str) -> list[tuple[str, int, int]]:
    out = []
    path = PTC / "train-labels-task2-technique-classification" / f"article{aid}.task2-TC.labels"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            _, t, s, e = line.split("\t")
            out.append((t, int(s), int(e)))
    return out


def _merge_sets(spans: list[tuple[int, int]]) -> list[set[int]]:
    """The official scorer's merge: any two spans sharing a character become their union."""
    sets: list[set[int]] = []
    for s, e in spans:
        cur = set(range(s, e))
        if not cur:
            continue
        keep = []
        for other in sets:
            if other & cur:
                cur |= other
            else:
                keep.append(other)
        sets = keep + [cur]
    return sets


def si_score(pred: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]) -> dict:
    """Task SI precision, recall and F1 (official definition; see the module docstring)."""
    gsets = {a: _merge_sets(g) for a, g in gold.items()}
    psets = {a: _merge_sets(p) for a, p in pred.items()}
    n_pred = sum(len(v) for v in psets.values())
    n_gold = sum(len(v) for v in gsets.values())
    cp = cr = 0.0
    for a, ps in psets.items():
        for s in ps:
            for t in gsets.get(a, []):
                inter = len(s & t)
                if inter:
                    cp += inter / len(s)
                    cr += inter / len(t)
    p = cp / n_pred if n_pred else 0.0
    r = cr / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p > 0 and r > 0 else (1.0 if not n_pred and not n_gold else 0.0)
    return {"P": p, "R": r, "F1": f1, "n_pred": n_pred, "n_gold": n_gold}
