"""Train the `reportedly match` re-ranker on the CheckThat! 2020 task 2 train split only.

    .venv/bin/python scripts/train_match.py [--cache /tmp/reportedly_match_train]

For each backend available (MiniLM needs torch; WordLlama always), builds the candidate pools and
features of every train query exactly as `Matcher` does at run time, fits a standardised logistic
regression (C picked by 5-fold cross-validation over train queries, MAP@5), and writes
src/reportedly/models/match_reranker.json. Deterministic: same data and libraries, same file.
--cache keeps MiniLM vectors of claim texts between runs (a pure function of the text), to save time.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from reportedly.ledger import match as M  # noqa: E402
from reportedly.ledger.embed import embed  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "claim-retrieval"
CS = (0.01, 0.1, 1.0, 10.0)


class CachedEmbed:
    def __init__(self, cache: Path | None):
        self.cache = cache
        self.vecs: dict[str, np.ndarray] = {}
        self.file = cache / "minilm_texts.npz" if cache else None
        if self.file and self.file.exists():
            z = np.load(self.file, allow_pickle=False)
            self.vecs = dict(zip(z["texts"].tolist(), z["vecs"]))

    def __call__(self, texts, backend="wordllama", batch_size=128):
        if backend != "minilm":
            return embed(texts, backend=backend)
        miss = list(dict.fromkeys(t for t in texts if t not in self.vecs))
        if miss:
            for t, v in zip(miss, embed(miss, backend="minilm", batch_size=batch_size)):
                self.vecs[t] = v
        return np.stack([self.vecs[t] for t in texts])

    def save(self):
        if self.file:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            texts = list(self.vecs)
            np.savez(self.file, texts=np.array(texts), vecs=np.stack([self.vecs[t] for t in texts]))


def read_qrels(path: Path) -> dict[str, set[str]]:
    g: dict[str, set[str]] = {}
    for line in path.read_text().splitlines():
        p = line.split()
        if len(p) >= 4 and float(p[3]) > 0:
            g.setdefault(p[0], set()).add(p[2])
    return g


def map5(groups, score) -> float:
    aps = []
    for X, y, nrel in groups:
        s = score(X)
        order = np.lexsort((np.arange(len(s)), -s))[:5]
        hits, ap = 0, 0.0
        for r, j in enumerate(order, start=1):
            if y[j]:
                hits += 1
                ap += hits / r
        aps.append(ap / nrel)
    return float(np.mean(aps))


def fit(groups, C: float):
    from sklearn.linear_model import LogisticRegression

    X = np.concatenate([g[0] for g in groups])
    y = np.concatenate([g[1] for g in groups])
    mu, sd = X.mean(axis=0), X.std(axis=0)
    sd[sd < 1e-9] = 1.0
    lr = LogisticRegression(C=C, max_iter=5000).fit((X - mu) / sd, y)
    return mu, sd, lr.coef_[0], float(lr.intercept_[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default=None)
    ap.add_argument("--out", default=str(M.MODEL_PATH))
    args = ap.parse_args()

    claims = M.read_tsv(DATA / "verified_claims.docs.tsv")
    queries = M.read_tsv(DATA / "train" / "tweets.queries.tsv")
    qrels = read_qrels(DATA / "train" / "tweet-vclaim-pairs.qrels")
    queries = [q for q in queries if q.id in qrels]
    emb = CachedEmbed(Path(args.cache) if args.cache else None)

    backends = ["minilm", "wordllama"] if M.resolve_backend("auto") == "minilm" else ["wordllama"]
    out = {
        "about": "reportedly match re-ranker: logistic regression over FEATURES, standardised; "
                 "trained on CheckThat! 2020 task 2 train split by scripts/train_match.py",
        "data_sha1": hashlib.sha1((DATA / "train" / "tweet-vclaim-pairs.qrels").read_bytes()).hexdigest(),
        "backends": {},
    }
    old = {}
    p_out = Path(args.out)
    if p_out.exists():  # keep a backend this machine cannot retrain (e.g. MiniLM without torch)
        old = json.loads(p_out.read_text()).get("backends", {})
    for backend in backends:
        m = M.Matcher(claims, backend=backend, reranker=None, embed_fn=emb)
        feats = m.features([q.text for q in queries])
        emb.save()
        groups = []
        for q, (c, X) in zip(queries, feats):
            y = np.array([m.ids[i] in qrels[q.id] for i in c], dtype=bool)
            groups.append((X, y, len(qrels[q.id])))
        recall = float(np.mean([g[1].any() for g in groups]))
        # choose C by 5-fold CV over queries (fixed folds)
        folds = np.arange(len(groups)) % 5
        cv = {}
        for C in CS:
            scores = []
            for f in range(5):
                tr = [g for g, k in zip(groups, folds) if k != f]
                te = [g for g, k in zip(groups, folds) if k == f]
                mu, sd, w, b = fit(tr, C)
                scores.append(map5(te, lambda X: ((X - mu) / sd) @ w + b))
            cv[C] = float(np.mean(scores))
        best = max(CS, key=lambda C: (round(cv[C], 4), -C))
        mu, sd, w, b = fit(groups, best)
        train_map = map5(groups, lambda X: ((X - mu) / sd) @ w + b)
        # the fixed blend has no fitted weights: its train MAP@5 is a fair match for the CV figure
        fixed = np.array([M._FALLBACK.get(f, 0.0) for f in M.FEATURES])
        blend_map = map5(groups, lambda X: X @ fixed)
        print(f"{backend}: pool recall {recall:.4f}; CV MAP@5 " + ", ".join(f"C={C}: {v:.4f}" for C, v in cv.items())
              + f"; C={best}, train MAP@5 {train_map:.4f}; fixed blend train MAP@5 {blend_map:.4f}", flush=True)
        if blend_map > cv[best]:
            mu, sd, w, b = np.zeros(len(fixed)), np.ones(len(fixed)), fixed, 0.0
            kind = "fixed blend (beat the logistic regression in CV on train)"
        else:
            kind = f"logistic regression, C={best}"
        out["backends"][backend] = {
            "kind": kind,
            "features": list(M.FEATURES),
            "pool": m.pool,
            "cv_map5": round(cv[best], 4),
            "fixed_blend_train_map5": round(blend_map, 4),
            "mean": [round(float(v), 6) for v in mu],
            "scale": [round(float(v), 6) for v in sd],
            "coef": [round(float(v), 6) for v in w],
            "intercept": round(b, 6),
        }
    for k, v in old.items():
        out["backends"].setdefault(k, v)
    p_out.parent.mkdir(parents=True, exist_ok=True)
    p_out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {p_out}")


if __name__ == "__main__":
    main()
