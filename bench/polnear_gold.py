"""PolNeAR gold attributions (brat standoff) and the document-level span measure.

PolNeAR (networkdynamics/PolNeAR; no licence stated: research use). Read from ../shared, never copied.
"""
from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear"
ROLES = ("source", "cue", "content")


@dataclass
class GoldAttr:
    source: tuple | None  # ((start, end),) pieces
    cue: tuple
    content: tuple | None


@dataclass
class GoldDoc:
    name: str
    text: str
    attrs: list[GoldAttr] = field(default_factory=list)
    meta: dict = field(default_factory=dict)


def _pieces(spec: str) -> tuple:
    """A brat span's fragments in text order: brat lists a discontinuous span's fragments in the order they
    were marked ("209 236;91 186"), which says nothing about the span (91 of 3,101 multi-piece spans in
    train, 9 of 298 in dev, are listed out of order)."""
    out = []
    for part in spec.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return tuple(sorted(out))


def read_ann(path: Path) -> list[GoldAttr]:
    spans: dict[str, tuple] = {}
    rels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            m = re.match(r"(\S+) (.*)$", parts[1])
            if not m:
                continue
            try:
                spans[parts[0]] = _pieces(m.group(2))
            except ValueError:
                continue
        elif line.startswith("E"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            roles = {}
            for item in parts[1].split():
                if ":" in item:
                    r, t = item.split(":", 1)
                    roles.setdefault(r, t)
            rels.append(roles)
    out = []
    for roles in rels:
        cue = spans.get(roles.get("Cue", ""))
        if cue is None:
            continue
        out.append(GoldAttr(source=spans.get(roles.get("Source", "")), cue=cue, content=spans.get(roles.get("Content", ""))))
    return out


def annotation_files(split: str, root: Path = ROOT) -> dict[str, list[Path]]:
    """Article name -> its .ann files, sorted by file name (the first is the bench's gold)."""
    anns = defaultdict(list)
    for p in sorted((root / split / "attributions").glob("*.ann")):
        anns[p.stem.rsplit("_", 1)[0]].append(p)
    return anns


def load_split(split: str) -> list[GoldDoc]:
    base = ROOT / split
    meta = {}
    with open(ROOT / "metadata.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    anns = annotation_files(split)
    docs = []
    for t in sorted((base / "text").glob("*.txt")):
        name = t.stem
        text = t.read_text(encoding="utf-8")
        attrs = read_ann(sorted(anns[name])[0]) if anns.get(name) else []
        docs.append(GoldDoc(name=name, text=text, attrs=attrs, meta=meta.get(name, {})))
    return docs


# ---------------------------------------------------------------- the measure
def _overlap(a: tuple, b: tuple) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def score_sets(pred: list[set], gold: list[set]) -> dict:
    """Per document: the set of predicted spans vs the set of gold spans (a span is a tuple of
    (start, end) pieces; duplicates collapse). Exact: identical pieces. Overlap: one-to-one greedy
    matching of spans sharing at least one character. Micro-averaged over documents."""
    tp_e = tp_o = np_ = ng = 0
    for P, G in zip(pred, gold):
        np_ += len(P)
        ng += len(G)
        tp_e += len(P & G)
        used = set()
        for p in sorted(P):
            for g in sorted(G):
                if g not in used and _overlap(p, g):
                    used.add(g)
                    tp_o += 1
                    break
    def prf(tp):
        p = tp / np_ if np_ else 0.0
        r = tp / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f
    return {"exact": prf(tp_e), "overlap": prf(tp_o), "n_pred": np_, "n_gold": ng}


def gold_sets(doc: GoldDoc, role: str) -> set:
    out = set()
    for a in doc.attrs:
        v = getattr(a, role)
        if v:
            out.add(v)
    return out


def annotator_agreement(split: str, root: Path = ROOT) -> tuple[int, dict]:
    """How well a second human does our task: on the articles with several annotators (and a text), every
    other annotator's spans scored as predictions against the first annotator's (the bench's gold), with
    ``score_sets``, pooled. Returns (articles, {role: score_sets result plus "interval": the exact F1's
    95% interval, the articles resampled})."""
    per_doc = {r: [] for r in ROLES}  # per article: (exact matches, predicted, gold) over its other annotators
    pred = {r: [] for r in ROLES}
    gold = {r: [] for r in ROLES}
    for name, paths in sorted(annotation_files(split, root).items()):
        if len(paths) < 2 or not (root / split / "text" / f"{name}.txt").exists():
            continue
        first = GoldDoc(name, "", read_ann(paths[0]))
        others = [GoldDoc(name, "", read_ann(p)) for p in paths[1:]]
        for r in ROLES:
            G = gold_sets(first, r)
            Ps = [gold_sets(o, r) for o in others]
            gold[r] += [G] * len(Ps)
            pred[r] += Ps
            per_doc[r].append(tuple(map(sum, zip(*[(len(P & G), len(P), len(G)) for P in Ps]))))
    out = {}
    for r in ROLES:
        out[r] = score_sets(pred[r], gold[r])
        out[r]["interval"] = _bootstrap(per_doc[r])
    return len(per_doc["cue"]), out


def bootstrap_f1(pred: list[set], gold: list[set], draws: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% interval of the exact F1 over documents resampled with replacement."""
    return _bootstrap([(len(P & G), len(P), len(G)) for P, G in zip(pred, gold)], draws, seed)


def _bootstrap(per: list[tuple[int, int, int]], draws: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% interval of F1 = 2 tp / (predicted + gold), the (tp, predicted, gold) rows resampled."""
    import random

    if not per:
        return 0.0, 0.0
    rng = random.Random(seed)
    fs = []
    for _ in range(draws):
        tp = np_ = ng = 0
        for _ in per:
            a, b, c = per[rng.randrange(len(per))]
            tp, np_, ng = tp + a, np_ + b, ng + c
        fs.append(2 * tp / (np_ + ng) if np_ + ng else 0.0)
    fs.sort()
    return fs[int(0.025 * draws)], fs[min(draws - 1, int(0.975 * draws))]
