"""Train the propaganda-span tagger shipped in src/reportedly/models/propaganda_crf.bin.

Data: ../shared/data/ptc (PTC, SemEval-2020 task 11 training articles, task 1 span labels;
research use, see the PTC README and Da San Martino et al., EMNLP 2019). The fixed held-out
fifth (bench/ptc_data.py: sorted ids, index % 5 == 4) is never read here.

    .venv/bin/python scripts/train_propaganda.py            # tune on 'tune', then fit on all 'train'
    .venv/bin/python scripts/train_propaganda.py --no-final # tuning figures only

Deterministic: crfsuite L-BFGS from zero weights, fixed feature order. Parses are cached in
/tmp/reportedly_ptc_parses (a DocBin) to save re-parsing on re-runs.
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
from reportedly.read.qualify_features import sequences  # noqa: E402
from reportedly.read.qualify_model import CONFIG_FILE, MODEL_FILE, decode, token_probs  # noqa: E402

CACHE = Path("/tmp/reportedly_ptc_parses")
PARAMS = {"c1": 0.15, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


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


def featurize(ids, docs):
    data = {}
    for a in ids:
        text = article_text(a)
        seqs = sequences(docs[a], text)
        gold = merged(gold_spans(a))
        data[a] = (text, seqs, [bio(toks, gold) for toks, _ in seqs])
    return data


def fit(data, ids, path: Path):
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for a in ids:
        _, seqs, labels = data[a]
        for (_, feats), lab in zip(seqs, labels):
            tr.append(feats, lab)
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
    ap.add_argument("--out", default=str(ROOT / "src" / "reportedly" / "models"))
    args = ap.parse_args(argv)
    import pycrfsuite

    sp = split()
    ids = sp["train"]  # never the held-out part
    t0 = time.time()
    docs = parses(ids)
    data = featurize(ids, docs)
    print(f"parsed+featurized {len(ids)} articles in {time.time() - t0:.0f}s", flush=True)

    tmp = Path("/tmp/reportedly_ptc_tune.crf")
    t0 = time.time()
    fit(data, sp["fit"], tmp)
    print(f"fit on {len(sp['fit'])} articles in {time.time() - t0:.0f}s", flush=True)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp))
    grid = [{"threshold": th, "bridge": br, "min_chars": mc}
            for th in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5) for br in (0, 1, 2) for mc in (3, 8)]
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
