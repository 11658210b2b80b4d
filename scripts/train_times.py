"""Train the past/future model of weekdays, month-days and months (read/times_direction.py).

    .venv/bin/python scripts/train_times.py [--parses /tmp/timebank_parses.spacy] [--dry]

Data: TimeBank + AQUAINT (../shared/data/timebank), the rule-writing part only (documents
sorted by name, index % 4 != 3; the held-out quarter is never read here). Every weekday,
month-day or month without a year that find_times resolves gives one example: its features
(times_direction.features) and, when the gold TIMEX3 over it has the value of the occurrence
before or after the publication date, that side as its label. A logistic regression
(scikit-learn, L2; C picked by the value F1 of 5-fold cross-fitting grouped by document) is written as plain
weights to src/reportedly/models/times_direction.json; no scikit-learn at run time.
It also prints the rule-writing part's value F1 with out-of-fold weights (each document read
by a model not trained on it): the honest figure for that part, next to the in-sample one.
The model is then kept only for the kinds (weekday, month-day, month) whose out-of-fold value F1
it raises over the tense rules; the weights' "kinds" says which (the tense rules decide the rest).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import timebank  # noqa: E402

from reportedly.read import times_direction as td  # noqa: E402
from reportedly.read.times import find_times  # noqa: E402

OUT = td.WEIGHTS
MIN_COUNT = 2


def parses(docs, path):
    from spacy.tokens import DocBin

    from reportedly.read.nlp import load_nlp

    nlp = load_nlp()
    if path and Path(path).exists():
        out = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        if len(out) == len(docs) and all(o.text == d["text"] for o, d in zip(out, docs)):
            return out
    out = list(nlp.pipe([d["text"] for d in docs], batch_size=16))
    if path:
        db = DocBin(store_user_data=False)
        for o in out:
            db.add(o)
        db.to_disk(path)
    return out


def examples(docs, parsed, idx):
    """(features, label, doc index) for the documents idx; the model switched off while reading."""
    X, y, groups, rules = [], [], [], []
    saved = td.weights()
    td.weights.cache_clear()
    td.WEIGHTS, real = Path("/nonexistent"), td.WEIGHTS
    try:
        for i in idx:
            d = docs[i]
            td.RECORD = []
            found = find_times(d["text"], d["dct"], doc=parsed[i])
            for feats, info in td.RECORD:
                gs = [g for g in d["gold"] if g["start"] < info["end"] and info["start"] < g["end"] and g["value"]]
                if not gs:
                    continue
                v = gs[0]["value"]
                if v.startswith(info["after"]) and not v.startswith(info["before"]):
                    lab = 1
                elif v.startswith(info["before"]) and not v.startswith(info["after"]):
                    lab = 0
                else:
                    continue
                X.append(feats)
                y.append(lab)
                groups.append(i)
                rule = [t.value for t in found if t.start < info["end"] and info["start"] < t.end and t.value]
                rules.append(int(bool(rule) and rule[0].startswith(info["after"])))
    finally:
        td.RECORD = None
        td.WEIGHTS = real
        td.weights.cache_clear()
    del saved
    return X, y, groups, rules


def fit(X, y, C):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    clf = LogisticRegression(C=C, max_iter=2000, fit_intercept=False).fit(vec.fit_transform(X), y)
    return {name: round(float(v), 4) for name, v in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(v) >= 1e-4}


def run_with(w, docs, parsed, idx, kinds=None):
    """find_times on the documents idx with the weights w (None: the tense rules only), used for
    the kinds of expression in ``kinds`` (None: all)."""
    td.weights.cache_clear()
    real = td.weights
    td.weights = lambda: None if w is None else dict(threshold=0.5, w=w, kinds=kinds)
    try:
        return {i: [dict(start=t.start, end=t.end, type=t.type, value=t.value)
                    for t in find_times(docs[i]["text"], docs[i]["dct"], doc=parsed[i])] for i in idx}
    finally:
        td.weights = real


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parses", default="/tmp/timebank_parses.spacy", help="cache of the spaCy parses")
    ap.add_argument("--dry", action="store_true", help="cross-validate only, write nothing")
    ap.add_argument("--C", type=float, help="the L2 strength (default: picked by cross-validation)")
    args = ap.parse_args()
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    docs = timebank.corpus()
    train = [i for i in range(len(docs)) if i % 4 != 3]
    parsed = parses(docs, args.parses)
    X, y, groups, rules = examples(docs, parsed, train)
    counts: dict[str, int] = {}
    for f in X:
        for k in set(f):
            counts[k] = counts.get(k, 0) + 1
    X = [{k: 1.0 for k in f if counts[k] >= MIN_COUNT} for f in X]
    y = np.array(y)
    vec = DictVectorizer()
    M = vec.fit_transform(X)
    kinds = np.array([next(k for k in f if k.startswith("k=")) for f in X])
    print(f"{len(y)} examples ({y.mean():.2f} later), {M.shape[1]} features;", dict(zip(*np.unique(kinds, return_counts=True))))
    r = np.array(rules)
    print(f"tense rules: accuracy {(r == y).mean():.3f}",
          {k: round(float((r[kinds == k] == y[kinds == k]).mean()), 3) for k in np.unique(kinds)})
    g = np.array(groups)
    base = timebank.score([(docs[i]["gold"], p) for i, p in run_with(None, docs, parsed, train).items()])["value_F1"]
    print(f"rule-writing part, tense rules alone: value F1 {base:.4f}")
    best = None
    folds = {}
    for C in ([args.C] if args.C else (0.03, 0.1, 0.3, 1.0, 3.0)):
        clf = LogisticRegression(C=C, max_iter=2000, fit_intercept=False)
        p = cross_val_predict(clf, M, y, groups=groups, cv=GroupKFold(5))
        per = {str(k): round(float((p[kinds == k] == y[kinds == k]).mean()), 3) for k in np.unique(kinds)}
        # the end metric with out-of-fold weights: each document read by a model not trained on it
        oof: dict = {}
        folds[C] = []
        for k in range(5):
            fold = [i for n, i in enumerate(train) if n % 5 == k]
            keep = ~np.isin(g, fold)
            wk = fit([x for x, t in zip(X, keep) if t], y[keep], C)
            folds[C].append((fold, wk))
            oof.update(run_with(wk, docs, parsed, fold))
        f1 = timebank.score([(docs[i]["gold"], oof[i]) for i in train])["value_F1"]
        acc = float((p == y).mean())
        print(f"C={C}: CV accuracy {acc:.3f} {per}; rule-writing part value F1, out-of-fold: {f1:.4f}")
        if best is None or f1 > best[0] + 1e-9:  # ties go to the stronger regularisation (tried first)
            best = (f1, C, acc)
    f1, C, acc = best
    # which kinds the model reads (the others go to the tense rules): the subset with the best
    # out-of-fold value F1; a tie goes to fewer learned kinds
    import itertools

    all_kinds = sorted({k[2:] for k in kinds})
    pick = (f1, tuple(all_kinds))
    for r in range(len(all_kinds)):
        for sub in itertools.combinations(all_kinds, r):
            oof = {}
            for fold, wk in folds[C]:
                oof.update(run_with(wk, docs, parsed, fold, kinds=list(sub)))
            fs = timebank.score([(docs[i]["gold"], oof[i]) for i in train])["value_F1"]
            print(f"  learned kinds {list(sub) or 'none'}: out-of-fold value F1 {fs:.4f}")
            if fs > pick[0] + 1e-9 or (abs(fs - pick[0]) <= 1e-9 and len(sub) < len(pick[1])):
                pick = (fs, sub)
    f1, use_kinds = pick[0], list(pick[1])
    print(f"learned kinds: {use_kinds} (out-of-fold value F1 {f1:.4f})")
    w = fit(X, y, C)
    ins = timebank.score([(docs[i]["gold"], p) for i, p in run_with(w, docs, parsed, train, use_kinds).items()])["value_F1"]
    print(f"C={C}, {len(w)} weights; rule-writing part value F1: tense rules {base:.4f}, "
          f"model out-of-fold {f1:.4f}, in-sample {ins:.4f}")
    if not args.dry:
        OUT.write_text(json.dumps(dict(
            about="past/future of weekdays, month-days, months: logistic weights from scripts/train_times.py "
                  "(TimeBank+AQUAINT rule-writing part; grouped 5-fold CV accuracy "
                  f"{acc:.3f} on {len(y)} examples, C={C}; the model decides for {', '.join(use_kinds) or 'no'} "
                  f"kind(s), the tense rules and the deferral rule for the rest, as picked out of fold; rule-writing "
                  f"part value F1 out-of-fold {f1:.4f}, tense rules without the deferral rule {base:.4f})",
            threshold=0.5, w=w, kinds=use_kinds), indent=0, sort_keys=True) + "\n")
        print("wrote", OUT)


if __name__ == "__main__":
    main()
