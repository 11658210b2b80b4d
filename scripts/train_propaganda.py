"""Train the propaganda-span tagger shipped in src/reportedly/models/propaganda_crf.bin.

Data: ../shared/data/ptc (PTC, SemEval-2020 task 11 training articles, task 1 span labels;
research use, see the PTC README and Da San Martino et al., EMNLP 2019). The fixed held-out
fifth (bench/ptc_data.py: sorted ids, index % 5 == 4) is never read here.

    .venv/bin/python scripts/train_propaganda.py            # tune on 'tune', then fit on all 'train'
    .venv/bin/python scripts/train_propaganda.py --no-final # tuning figures only

Model: a linear-chain CRF (python-crfsuite, BIO labels, L1+L2) over word, lemma, tag, dependency,
neighbour, valence-lexicon (VADER words, MIT), quotation and repetition features, plus word
clusters (k-means, 256 and 64) and a PCA projection of WordLlama word embeddings (the wordllama
package's bundled l2_supercat_256 weights) as real-valued features. Shipped files, all in
src/reportedly/models/: propaganda_crf.bin (the CRF), propaganda_clusters.npz (centroids and
projection), propaganda_crf.json (decoding settings chosen on the tuning part, and provenance).

Deterministic: crfsuite L-BFGS from zero weights, k-means/PCA with a fixed seed, fixed feature
order. Parses are cached in /tmp/reportedly_ptc_parses (a DocBin) to save re-parsing on re-runs.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ptc_data import article_text, gold_spans, si_score, split  # noqa: E402

from reportedly.read.nlp import load_nlp  # noqa: E402
from reportedly.read.qualify_features import (  # noqa: E402
    WordClusters, add_sentence_scores, crf_item, sentence_features, sequences, valence)
from reportedly.read.qualify_model import (  # noqa: E402
    CLUSTER_FILE, CONFIG_FILE, MODEL_FILE, SENT_FILE, SentenceScorer, decode, token_probs)

CACHE = Path("/tmp/reportedly_ptc_parses")
PARAMS = {"c1": 0.5, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def write_valence(path: Path) -> None:
    """Rebuild data/qualify_valence.tsv from the vaderSentiment package's lexicon (word entries)."""
    import os

    import vaderSentiment

    rows = []
    src = os.path.join(os.path.dirname(vaderSentiment.__file__), "vader_lexicon.txt")
    for line in open(src, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if parts[0].replace("-", "").replace("'", "").isalpha():
            rows.append((parts[0].lower(), float(parts[1])))
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Word valence (-4..4): the word entries of VADER's vader_lexicon.txt (vaderSentiment 3.3.2),\n")
        f.write("# Copyright (c) 2016 C.J. Hutto, MIT licence. Used as a feature by the qualify layer.\n")
        for w, v in sorted(rows):
            f.write(f"{w}\t{v}\n")


def parses(ids: list[str]):
    """spaCy docs of the articles (cached per id set)."""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    CACHE.mkdir(exist_ok=True)
    out = {}
    todo = []
    for a in ids:
        f = CACHE / f"{a}.spacy"
        if f.exists():
            out[a] = list(DocBin().from_disk(f).get_docs(nlp.vocab))[0]
        else:
            todo.append(a)
    for a, doc in zip(todo, nlp.pipe((article_text(a) for a in todo), batch_size=8)):
        db = DocBin()
        db.add(doc)
        db.to_disk(CACHE / f"{a}.spacy")
        out[a] = doc
    return out


def bio(toks, spans):
    labels = []
    prev_in = None
    for t in toks:
        s, e = t.idx, t.idx + len(t.text)
        hit = None
        for k, (gs, ge) in enumerate(spans):
            if gs < e and s < ge:
                hit = k
                break
        if hit is None:
            labels.append("O")
        else:
            labels.append("I" if prev_in == hit else "B")
        prev_in = hit
    return labels


def merged(spans):
    out = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [tuple(x) for x in out]


def fit_clusters(ids, docs, k_fine=256, k_coarse=64, seed=0) -> WordClusters:
    """k-means over WordLlama embeddings of the training words (frequency >= 2) and the valence lexicon."""
    import numpy as np
    from collections import Counter

    from sklearn.cluster import KMeans

    freq = Counter(t.lower_ for a in ids for t in docs[a] if t.is_alpha)
    vocab = sorted({w for w, n in freq.items() if n >= 2} | set(valence()))
    wc = WordClusters(None, None)
    E = wc.embed(vocab)
    cents = []
    for k in (k_fine, k_coarse):
        km = KMeans(n_clusters=k, n_init=1, random_state=seed, max_iter=100).fit(E)
        C = km.cluster_centers_.astype(np.float32)
        cents.append(C / np.linalg.norm(C, axis=1, keepdims=True))
    wc.fine, wc.coarse = cents
    if DENSE:
        from sklearn.decomposition import PCA

        pca = PCA(n_components=DENSE, random_state=seed).fit(E)
        # scaled so a word's coordinates are about unit size
        wc.proj = (pca.components_.T / np.sqrt(pca.explained_variance_)[None, :]).astype(np.float32) * 0.3
    print(f"clusters: {len(vocab)} words -> {k_fine}/{k_coarse}", flush=True)
    return wc


def featurize(ids, docs, clusters=None):
    data = {}
    for a in ids:
        text = article_text(a)
        seqs = sequences(docs[a], text, clusters)
        gold = merged(gold_spans(a))
        data[a] = (text, seqs, [bio(toks, gold) for toks, _ in seqs])
    return data


SENT_C = 0.5
DENSE = 32  # dimensions of the word embedding given to the CRF as real-valued features (0: none)
FOLDS = 5


def fit_sentences(data, ids) -> SentenceScorer:
    """Logistic regression: does a sentence hold (part of) a propaganda span?"""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X, y = [], []
    for a in ids:
        _, seqs, labels = data[a]
        for (toks, _), lab in zip(seqs, labels):
            X.append(dict.fromkeys(sentence_features(toks), 1))
            y.append(int(any(x != "O" for x in lab)))
    vec = DictVectorizer()
    M = vec.fit_transform(X).tocsr()
    M.indices = M.indices.astype("int32")
    M.indptr = M.indptr.astype("int32")
    lr = LogisticRegression(C=SENT_C, solver="liblinear", max_iter=1000)
    lr.fit(M, y)
    w = {f: round(float(c), 5) for f, c in zip(vec.get_feature_names_out(), lr.coef_[0]) if abs(c) >= 1e-3}
    return SentenceScorer(float(lr.intercept_[0]), w)


def set_sentence_scores(data, ids, scorer: SentenceScorer | None = None):
    """Give the articles' tokens their sentence score: from ``scorer``, or (for training data)
    from cross-fitted scorers, so the CRF learns from scores like those it will see."""
    for a in ids:
        for _, feats in data[a][1]:
            for f in feats:
                if isinstance(f, dict):
                    for k in [k for k in f if k.startswith("sp=")]:
                        del f[k]
                else:
                    f[:] = [x for x in f if not (isinstance(x, str) and x.startswith("sp="))]
    if scorer is not None:
        for a in ids:
            seqs = data[a][1]
            add_sentence_scores(seqs, [scorer.score(toks) for toks, _ in seqs])
        return
    for k in range(FOLDS):
        held = ids[k::FOLDS]
        rest = [a for a in ids if a not in set(held)]
        set_sentence_scores(data, held, fit_sentences(data, rest))


def fit(data, ids, path: Path):
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for a in ids:
        _, seqs, labels = data[a]
        for (_, feats), lab in zip(seqs, labels):
            tr.append([crf_item(f) for f in feats], lab)
    tr.set_params(PARAMS)
    tr.train(str(path))


def evaluate(data, ids, tagger, grid):
    probs = {a: token_probs(tagger, data[a][1]) for a in ids}
    gold = {a: gold_spans(a) for a in ids}
    results = []
    for cfg in grid:
        pred = {a: [(s, e) for s, e, _ in decode(data[a][0], data[a][1], probs[a], **cfg)] for a in ids}
        results.append((si_score(pred, gold), cfg))
    return results


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-final", action="store_true")
    ap.add_argument("--no-clusters", action="store_true")
    ap.add_argument("--sentences", action="store_true",
                    help="stack a sentence-level scorer (did not help on the tuning part; off by default)")
    ap.add_argument("--out", default=str(ROOT / "src" / "reportedly" / "models"))
    ap.add_argument("--valence", action="store_true",
                    help="first rebuild data/qualify_valence.tsv from vaderSentiment (pip install vaderSentiment==3.3.2)")
    args = ap.parse_args(argv)
    import pycrfsuite

    if args.valence:
        write_valence(ROOT / "src" / "reportedly" / "data" / "qualify_valence.tsv")

    sp = split()
    ids = sp["train"]  # never the held-out part
    t0 = time.time()
    docs = parses(ids)
    clusters = None if args.no_clusters else fit_clusters(ids, docs)
    data = featurize(ids, docs, clusters)
    print(f"parsed+featurized {len(ids)} articles in {time.time() - t0:.0f}s", flush=True)

    tmp = Path("/tmp/reportedly_ptc_tune.crf")
    t0 = time.time()
    if args.sentences:
        set_sentence_scores(data, sp["fit"])
        set_sentence_scores(data, sp["tune"], fit_sentences(data, sp["fit"]))
    fit(data, sp["fit"], tmp)
    print(f"fit on {len(sp['fit'])} articles in {time.time() - t0:.0f}s", flush=True)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp))
    grid = [{"threshold": th, "bridge": br, "min_chars": mc}
            for th in (0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4) for br in (0, 1, 2) for mc in (3, 8)]
    res = evaluate(data, sp["tune"], tagger, grid)
    res.sort(key=lambda r: -r[0]["F1"])
    for sc, cfg in res[:8]:
        print(f"tune F1={sc['F1']:.4f} P={sc['P']:.4f} R={sc['R']:.4f} n={sc['n_pred']} {cfg}")
    best = res[0][1]
    if args.no_final:
        return
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    for f in (SENT_FILE, CLUSTER_FILE):
        (out / f).unlink(missing_ok=True)
    if clusters is not None:
        import numpy as np

        extra = {"proj": clusters.proj.astype(np.float16)} if clusters.proj is not None else {}
        np.savez(out / CLUSTER_FILE, fine=clusters.fine.astype(np.float16), coarse=clusters.coarse.astype(np.float16),
                 **extra)
    if args.sentences:
        scorer = fit_sentences(data, ids)
        (out / SENT_FILE).write_text(json.dumps({"bias": scorer.bias, "weights": scorer.weights}, sort_keys=True)
                                     + "\n", encoding="utf-8")
        set_sentence_scores(data, ids)
    fit(data, ids, out / MODEL_FILE)
    print(f"final fit on {len(ids)} articles in {time.time() - t0:.0f}s -> {out / MODEL_FILE}", flush=True)
    (out / CONFIG_FILE).write_text(json.dumps({
        "decoding": best,
        "tune": {k: round(v, 4) if isinstance(v, float) else v for k, v in res[0][0].items()},
        "params": PARAMS,
        "trained_on": "PTC train articles (SemEval-2020 task 11) less the held-out fifth: "
                      f"{len(ids)} articles; decoding tuned on {len(sp['tune'])} of them after fitting on the other {len(sp['fit'])}",
    }, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
