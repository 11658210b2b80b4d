"""Learn the attribution cue scorer (and a readable cue lexicon) from the PolNeAR train split.

Data: PolNeAR (networkdynamics/PolNeAR, Newell, Margolin & Ruths 2018), read from
``../shared/data/polnear/train`` (never copied into the repo). No licence is stated for PolNeAR:
research use only. Where an article has several annotators' .ann files, the first by file name is used.

What is learned: for every (verb lemma, frame) pair -- the frame being the syntactic shape the rules in
``reportedly.read.attribution_rules.verb_frame`` see around the verb (``ccomp``, ``quote``,
``inverted``, ``as``, ``xcomp``, ``passive``, ``dobj``, ``prep``, ``none``; suffixed ``@q`` when the verb
stands inside a quotation, where PolNeAR rarely marks "I think" and the like) -- how often a token with that
lemma in that frame is (the head of) a gold cue: a smoothed rate (pos + 0.1) / (n + 1), kept when
n >= 2 (with the low ones where a quoted variant exists), in ``src/reportedly/data/attribution_cues.tsv``
(the fallback scorer, and a readable summary); and a logistic regression over richer features of each
verb candidate (lemma, frame, inside a quote or not, subject kind, dependency, neighbours) and over
spaCy's own tok2vec vectors of the verb and its subject (``doc.tensor``, cached beside the DocBin), in
``src/reportedly/models/attribution_cue.json`` (weights only; no scikit-learn at run time). It is deterministic:
the same spaCy model and data give the same file.

    .venv/bin/python scripts/train_attribution.py            # parses train (cached in /tmp)
    .venv/bin/python scripts/train_attribution.py --refine-only   # only models/attribution_refine.json
    .venv/bin/python scripts/train_attribution.py --tagger-sources  # the grid source_from_tagger's thresholds come from
    .venv/bin/python scripts/train_attribution.py --tagged --split-only  # only the cue-content split, added
    .venv/bin/python scripts/train_attribution.py --tagged --restack  # content end, start and split refitted
                                                   # over out-of-fold refinements where that does better

Then the refinements (``reportedly.read.attribution_refine``, ``models/attribution_refine.json``): which
small extensions of a rule cue PolNeAR marks ("referring to", "called on", "later said"), and a logistic
regression over a candidate leading/trailing content piece, both fitted to the rule output on train.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "src"))

from polnear_gold import load_split  # noqa: E402

from reportedly.read import attribution_rules as R  # noqa: E402
from reportedly.read.nlp import fingerprint, load_nlp  # noqa: E402

CACHE = Path("/tmp/reportedly_polnear_cache")
OUT = REPO / "src" / "reportedly" / "data" / "attribution_cues.tsv"
MODEL = REPO / "src" / "reportedly" / "models" / "attribution_cue.json"


def parsed_docs(split: str):
    """(gold doc, spaCy doc) pairs, parses cached in /tmp as a DocBin under the pipeline's fingerprint.
    (A doc's text differs from the article's in case only: the tokenizer recases title-case headlines.)"""
    from spacy.tokens import DocBin

    nlp = load_nlp()
    gold = load_split(split)
    CACHE.mkdir(exist_ok=True)
    fp = fingerprint(nlp)
    path = CACHE / f"{split}.{fp}.spacy"
    tpath = CACHE / f"{split}.{fp}.tensors.npz"  # a DocBin keeps no doc.tensor: the tok2vec vectors go beside it
    if path.exists() and tpath.exists():
        import numpy as np

        docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
        tensors = np.load(tpath)
        if len(docs) == len(gold) and all(d.text.lower() == g.text.lower() for d, g in zip(docs, gold)) and len(tensors.files) == len(docs):
            for k, d in enumerate(docs):
                d.tensor = tensors[f"t{k}"].astype("float32")
            return list(zip(gold, docs))
    docs = list(nlp.pipe([g.text for g in gold], batch_size=16))
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(path)
    import numpy as np

    np.savez_compressed(tpath, **{f"t{k}": d.tensor.astype("float16") for k, d in enumerate(docs)})
    return list(zip(gold, docs))


def _gold_cue_chars(g) -> set[int]:
    """Character offsets covered by the gold cues of one article."""
    return {i for a in g.attrs for s, e in a.cue for i in range(s, e)}


def _cue_examples(pairs):
    """Sparse features, dense vectors (``R.cue_dense``: tok2vec of the verb and its subject) and labels of
    every verb candidate, scored the way ``find`` scores it."""
    X, D, y = [], [], []
    for g, doc in pairs:
        cue_chars = _gold_cue_chars(g)
        ix = R.Index(doc, g.text)
        for tok in doc:
            if tok.pos_ != "VERB":
                continue
            fr = R.verb_frame(ix, tok)
            if fr is None:
                continue
            X.append(R.cue_features(ix, tok, "inverted" if fr[0] == "parenthetical" else fr[0]))
            D.append(R.cue_dense(tok))
            y.append(1 if tok.idx in cue_chars else 0)
    return X, D, y


def _as_model(vec, clf, threshold, scale=None):
    n = len(vec.feature_names_)
    m = {"bias": float(clf.intercept_[0]), "threshold": threshold,
         "w": {name: float(v) for name, v in zip(vec.feature_names_, clf.coef_[0][:n]) if abs(v) >= 0.01}}
    if scale is not None:
        m["dense_w"] = [round(float(v), 5) for v in clf.coef_[0][n:]]
        m["dense_scale"] = [round(float(v), 5) for v in scale]
    return m


def _tune_threshold(model, pairs):
    """The probability threshold that gives the best document-level exact F1 (the mean over source,
    cue and content, as bench/polnear.py measures them) on held-out train articles."""
    from polnear_gold import gold_sets, score_sets

    golds = {r: [gold_sets(g, r) for g, _ in pairs] for r in ("source", "cue", "content")}
    best = (0.0, 0.5)
    for t in [0.30, 0.34, 0.38, 0.42, 0.46, 0.50, 0.55, 0.60]:
        model["threshold"] = t
        P = {"source": [], "cue": [], "content": []}
        for g, doc in pairs:
            raws = R.find(doc, g.text, model=model)
            P["source"].append({(r.source,) for r in raws if r.source})
            P["cue"].append({(r.cue,) for r in raws})
            P["content"].append({tuple(r.content) for r in raws if r.content})
        f = sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3
        print(f"  threshold {t:.2f}: mean exact F1 {f:.3f}")
        if f > best[0]:
            best = (f, t)
    return best


def train_cue_model(pairs, C: float = 0.3) -> dict:
    """Logistic regression over the cue features (scikit-learn, liblinear, fixed seed): the sparse ones
    and spaCy's own tok2vec vectors of the verb and its subject, each dimension scaled by its largest
    absolute value on the training part. C = 0.3 was chosen among 0.1 / 0.3 by held-out token F1 on the
    last 15% of train (0.816 / 0.823; without the vectors 0.814 at 0.1). The decision threshold is chosen
    on that part too (document-level exact F1, as the bench measures it) before refitting on all of it."""
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    cut = int(len(pairs) * 0.85)
    Xa, Da, ya = _cue_examples(pairs[:cut])
    Xb, Db, yb = _cue_examples(pairs[cut:])
    dim = next(len(d) for d in Da + Db if d is not None)

    def dense(D):
        return np.array([d if d is not None else np.zeros(dim, np.float32) for d in D], dtype=np.float32)

    def matrix(vec, X, D, scale):
        M = sp.hstack([vec.transform([{f: 1 for f in x} for x in X]), sp.csr_matrix(dense(D) / scale)]).tocsr()
        M.indices = M.indices.astype(np.int32)
        M.indptr = M.indptr.astype(np.int32)
        return M

    def fit(X, D, y):
        counts = Counter(f for x in X for f in x)
        vec = DictVectorizer()
        vec.fit([{f: 1 for f in x if counts[f] >= 2} for x in X])
        scale = np.abs(dense(D)).max(axis=0) + 1e-6
        clf = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=2000)
        clf.fit(matrix(vec, X, D, scale), y)
        return vec, clf, scale

    vec, clf, scale = fit(Xa, Da, ya)
    part = _as_model(vec, clf, 0.5, scale)
    doc_best = _tune_threshold(part, pairs[cut:])
    pb = clf.predict_proba(matrix(vec, Xb, Db, scale))[:, 1]
    yb = np.array(yb)
    best = (0.0, 0.5)
    for t in np.arange(0.2, 0.8, 0.02):
        pred = pb >= t
        tp = int((pred & (yb == 1)).sum())
        p = tp / max(pred.sum(), 1)
        r = tp / max((yb == 1).sum(), 1)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[0]:
            best = (f, float(t))
    print(f"cue scorer: held-out token F1 {best[0]:.3f} at threshold {best[1]:.2f}")
    print(f"cue scorer: held-out document-level exact F1 (mean of source, cue, content) {doc_best[0]:.3f} "
          f"at threshold {doc_best[1]:.2f}")
    vec, clf, scale = fit(Xa + Xb, Da + Db, list(ya) + list(yb))
    m = _as_model(vec, clf, round(doc_best[1], 3), scale)
    m["w"] = {k: round(v, 4) for k, v in m["w"].items()}
    m["bias"] = round(m["bias"], 4)
    m["about"] = ("attribution cue scorer: logistic regression over spaCy features of verb candidates and the "
                  "tok2vec vectors of the verb and its subject, trained on PolNeAR train (no licence stated: "
                  "research use) by scripts/train_attribution.py")
    return m


def _gold_attr(g, r):
    for a in g.attrs:
        if any(s < r.cue[1] and r.cue[0] < e for s, e in a.cue):
            return a
    return None


def _cue_table(pairs, raws, margin: int = 0) -> dict:
    """Per extension key (cue lemma or '*', kind of extension): +1 when on train the extended cue is
    the gold cue more often than the bare one (by more than ``margin``), -1 otherwise; keys seen < 3 times
    are left out."""
    from reportedly.read import attribution_refine as F

    good, bad = Counter(), Counter()
    for (g, doc), rs in zip(pairs, raws):
        ix = R.Index(doc, g.text)
        gc = {a.cue for a in g.attrs}
        for r in rs:
            for key, span in F.cue_candidates(ix, r):
                if (span,) in gc:
                    good[key] += 1
                elif (r.cue,) in gc:
                    bad[key] += 1
    return {k: (1 if good[k] > bad[k] + margin else -1) for k in sorted(set(good) | set(bad)) if good[k] + bad[k] >= 3}


def _lead_examples(pairs, raws):
    from reportedly.read import attribution_refine as F

    X, y = [], []
    for (g, doc), rs in zip(pairs, raws):
        ix = R.Index(doc, g.text)
        for r in rs:
            c = F.lead_candidate(ix, r)
            if c is None:
                continue
            _, span, f = c
            a = _gold_attr(g, r)
            X.append(f)
            y.append(1 if a is not None and a.content and len(a.content) > 1 and span in a.content else 0)
    return X, y


def _fit_lr(X, y, C):
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    M = vec.fit_transform([{f: 1 for f in x} for x in X]).tocsr()
    M.indices = M.indices.astype(np.int32)
    M.indptr = M.indptr.astype(np.int32)
    clf = LogisticRegression(C=C, solver="liblinear", random_state=0, max_iter=500).fit(M, y)
    return {"bias": round(float(clf.intercept_[0]), 4),
            "w": {n: round(float(v), 4) for n, v in zip(vec.feature_names_, clf.coef_[0]) if abs(v) >= 0.001}}


CRF_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 60, "feature.possible_transitions": True}


def _fit_crf(pairs, raws, path):
    import pycrfsuite

    from reportedly.read import attribution_refine as F

    tr = pycrfsuite.Trainer(verbose=False)
    for (g, doc), rs in zip(pairs, raws):
        tr.append(F.token_features(R.Index(doc, g.text), rs), F.gold_labels(doc, [a.cue for a in g.attrs]))
    tr.set_params(CRF_PARAMS)
    tr.train(str(path))


def train_crf(pairs, raws, cut) -> dict:
    """A BIO cue tagger (python-crfsuite, L-BFGS, fixed iterations: deterministic) over token features
    and the rule cues; fitted on the first 85% of train, its confidence thresholds chosen on the rest
    (document-level exact F1, mean over roles), then refitted on all of train into
    models/attribution_cue_crf.bin."""
    import copy
    import tempfile

    import pycrfsuite

    from polnear_gold import gold_sets, score_sets
    from reportedly.read import attribution_refine as F

    held, hraws = pairs[cut:], raws[cut:]
    golds = {r: [gold_sets(g, r) for g, _ in held] for r in ("source", "cue", "content")}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cue.crf"
        _fit_crf(pairs[:cut], raws[:cut], path)
        tg = pycrfsuite.Tagger()
        tg.open(str(path))
        best = (0.0, None)
        for th in (0.5, 0.7, 0.85):
            for drop in (0.05, 0.1):
                for new in (2.0, 0.9, 0.7, 0.5, 0.3):
                    # keep_quoted: a rule cue whose content is a quotation is never dropped (a voice quoted
                    # as such, "we thought: '...'", is an attribution for the ledger even where PolNeAR skips it)
                    params = {"threshold": th, "drop": drop, "new_threshold": new, "keep_quoted": True}
                    P = {"source": [], "cue": [], "content": []}
                    for (g, doc), rs in zip(held, hraws):
                        rs = F.apply_crf(R.Index(doc, g.text), copy.deepcopy(rs), params, tg)
                        P["source"].append({(r.source,) for r in rs if r.source})
                        P["cue"].append({(r.cue,) for r in rs})
                        P["content"].append({tuple(r.content) for r in rs if r.content})
                    f = sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3
                    print(f"  crf {params}: held-out mean exact F1 {f:.4f}")
                    if f > best[0]:
                        best = (f, params)
        tg.close()
    print(f"crf: {best[1]} (held-out mean exact F1 {best[0]:.4f})")
    _fit_crf(pairs, raws, F.CRF)
    print(f"wrote {F.CRF}")
    return best[1]


def _fit_listwise(groups, C):
    """A linear scorer trained to pick the right candidate of each group (softmax over the group, L2 with
    strength 1/C, L-BFGS): a choice among bounds, learned as one rather than candidate by candidate."""
    import numpy as np
    from scipy import optimize, sparse

    names, rows, cols, y, sizes = {}, [], [], [], []
    for feats, labels in groups:
        for f, lab in zip(feats, labels):
            for x in f:
                rows.append(len(y))
                cols.append(names.setdefault(x, len(names)))
            y.append(float(lab))
        sizes.append(len(labels))
    X = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(y), len(names)))
    y = np.array(y)
    sizes = np.array(sizes)
    starts = np.r_[0, np.cumsum(sizes)[:-1]]

    def loss_grad(w):
        s = X @ w
        top = np.maximum.reduceat(s, starts)
        e = np.exp(s - np.repeat(top, sizes))
        z = np.add.reduceat(e, starts)
        p = e / np.repeat(z, sizes)
        return float(np.sum(np.log(z) + top) - s @ y + w @ w / (2 * C)), X.T @ (p - y) + w / C

    w = optimize.minimize(loss_grad, np.zeros(len(names)), jac=True, method="L-BFGS-B",
                          options={"maxiter": 500}).x
    return {"bias": 0.0, "w": {n: round(float(w[j]), 4) for n, j in names.items() if abs(w[j]) >= 0.001}}


def _fit_bounds(form: str, groups, C: float) -> dict:
    """A bound scorer of the given form: "listwise" (a softmax over each group) or "pointwise" (a logistic
    regression over all candidates alike)."""
    if form == "listwise":
        return _fit_listwise(groups, C)
    return _fit_lr([f for fs, _ in groups for f in fs], [lab for _, ls in groups for lab in ls], C)


def _end_groups(pairs, raws, side="end"):
    """[(candidate features, 0/1 labels)] per attribution whose cue and other content bound match the gold
    one and whose gold bound is among the candidates."""
    from reportedly.read import attribution_refine as F

    out = []
    for (g, doc), rs in zip(pairs, raws):
        ix = R.Index(doc, g.text)
        gm = {a.cue: a for a in g.attrs}
        for r in rs:
            a = gm.get((r.cue,))
            if a is None or not a.content or len(a.content) != len(r.content):
                continue
            if side == "end":
                if a.content[-1][0] != r.content[-1][0]:
                    continue
                c, want = F.end_candidates(ix, r), a.content[-1][1]
            else:
                if a.content[0][1] != r.content[0][1]:
                    continue
                c, want = F.start_candidates(ix, r), a.content[0][0]
            if not any(e == want for e, _ in c):
                continue
            out.append(([f for _, f in c], [int(e == want) for e, _ in c]))
    return out


def train_end(pairs, raws, cut, side="end") -> dict:
    """The content-end (or start) scorer over candidate bounds (attributions whose cue and other content bound
    match the gold one): a logistic regression candidate by candidate, or a softmax over each attribution's
    candidates; the form and C are chosen on the held-out 15% of train (document-level exact F1, mean over
    roles; the earlier stages there were fitted on all of train), then refitted on all of it."""
    import copy

    from polnear_gold import gold_sets, score_sets
    from reportedly.read import attribution_refine as F

    held, hraws = pairs[cut:], raws[cut:]
    golds = {r: [gold_sets(g, r) for g, _ in held] for r in ("source", "cue", "content")}
    ga = _end_groups(pairs[:cut], raws[:cut], side)
    best = (0.0, ("pointwise", 1.0))
    apply = F.refine_end if side == "end" else F.refine_start
    for form, C in [("pointwise", C) for C in (0.1, 0.3, 1.0)] + [("listwise", C) for C in (0.3, 1.0, 3.0)]:
        m = _fit_bounds(form, ga, C)
        m["margin"] = 0.0
        P = {"source": [], "cue": [], "content": []}
        for (g, doc), rs in zip(held, hraws):
            rs = copy.deepcopy(rs)
            ix = R.Index(doc, g.text)
            for r in rs:
                apply(ix, r, m)
            P["source"].append({(r.source,) for r in rs if r.source})
            P["cue"].append({(r.cue,) for r in rs})
            P["content"].append({tuple(r.content) for r in rs if r.content})
        f = sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3
        print(f"  {side} {form} C {C}: held-out mean exact F1 {f:.4f}")
        if f > best[0]:
            best = (f, (form, C))
    form, C = best[1]
    print(f"{side}: {form} C {C} (held-out mean exact F1 {best[0]:.4f})")
    m = _fit_bounds(form, _end_groups(pairs, raws, side), C)
    m["margin"] = 0.0
    m["form"] = form
    return m


def _split_groups(pairs, raws):
    """[(candidate features, 0/1 labels)] per attribution whose cue starts where a gold cue of one piece does,
    with that gold cue's end and its content's start among the candidate splits."""
    from reportedly.read import attribution_refine as F

    out = []
    for (g, doc), rs in zip(pairs, raws):
        ix = R.Index(doc, g.text)
        gm = {a.cue[0][0]: a for a in g.attrs if len(a.cue) == 1 and a.content}
        for r in rs:
            a = gm.get(r.cue[0])
            if a is None:
                continue
            c = F.split_candidates(ix, r)
            want = (a.cue[0][1], a.content[0][0])
            if any(b == want for b, _ in c):
                out.append(([f for _, f in c], [int(b == want) for b, _ in c]))
    return out


SPLIT_FOLDS = 4


def train_split(pairs, raws=None) -> dict:
    """The cue-content split scorer (``attribution_refine.split_candidates``), stacked properly: fitted over
    out-of-fold refinements (``FoldChains``), its form, C and the margin a new split must beat the
    current one by chosen by cross-validation over all of train (document-level exact F1, mean over
    roles, each fold scored by a scorer fitted on the others), then refitted on all of train; nothing
    when no setting raises that F1."""
    from polnear_gold import gold_sets, score_sets
    from reportedly.read import attribution_refine as F

    folds = SPLIT_FOLDS
    raws = FoldChains(pairs, folds).raws({}, ("split",)) if raws is None else raws
    golds = {r: [gold_sets(g, r) for g, _ in pairs] for r in ("source", "cue", "content")}
    cands = []  # per article, per raw: its candidate splits (they do not depend on the scorer)
    for (g, doc), rs in zip(pairs, raws):
        ix = R.Index(doc, g.text)
        cands.append([F.split_candidates(ix, r) for r in rs])
    groups = [_split_groups([p], [rs]) for p, rs in zip(pairs, raws)]

    def predicted(i, m):
        cue, content = set(), set()
        for r, c in zip(raws[i], cands[i]):
            now = (r.cue[1], r.content[0][0]) if r.content else (0, 0)
            got = F.choose_bound(c, now, m) if m else None
            pieces = list(r.content)
            cue_span = r.cue
            if got is not None:
                cue_span = (r.cue[0], got[0])
                pieces[0] = (got[1], pieces[0][1])
            cue.add((cue_span,))
            if pieces:
                content.add(tuple(pieces))
        return {"source": {(r.source,) for r in raws[i] if r.source}, "cue": cue, "content": content}

    def score(per_doc):
        P = {r: [d[r] for d in per_doc] for r in ("source", "cue", "content")}
        return sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3

    base = score([predicted(i, None) for i in range(len(pairs))])
    print(f"split: out-of-fold mean exact F1 without it {base:.4f}")
    best = (base, None)
    for form, C in [("pointwise", C) for C in (0.1, 0.3, 1.0)] + [("listwise", C) for C in (0.1, 0.3, 1.0)]:
        ms = [_fit_bounds(form, [x for i in range(len(pairs)) if i % folds != k for x in groups[i]], C)
              for k in range(folds)]
        for margin in (0.0, 0.05, 0.1, 0.2, 0.3):
            for m in ms:
                m["margin"] = margin
            f = score([predicted(i, ms[i % folds]) for i in range(len(pairs))])
            print(f"  split {form} C {C} margin {margin}: cross-validated mean exact F1 {f:.4f}", flush=True)
            if f > best[0]:
                best = (f, (form, C, margin))
    if best[1] is None:
        print("split: no setting raises the cross-validated F1; left out")
        return {}
    form, C, margin = best[1]
    print(f"split: {form} C {C} margin {margin} (cross-validated mean exact F1 {best[0]:.4f}, without {base:.4f})")
    m = _fit_bounds(form, [x for gs in groups for x in gs], C)
    m["margin"] = margin
    m["form"] = form
    return m


class FoldChains:
    """The refinements fitted without each fold of train (article i in fold i % folds), kept for one run:
    each fold's model and its CRF file, to refine that fold's articles with any stage replaced. The
    refinements the later stages are otherwise fitted over have seen every train article, so there the
    rules' cue and content bounds are right more often than on unseen articles, and a choice fitted or
    tuned over them learns to change nothing."""

    def __init__(self, pairs, folds: int = SPLIT_FOLDS):
        import contextlib
        import io
        import tempfile

        from reportedly.read import attribution_refine as F

        self.pairs, self.folds = pairs, folds
        self._tmp = tempfile.TemporaryDirectory()
        self.parts, self.crfs = [], []
        self.found = [R.find(doc, g.text) for g, doc in pairs]
        saved = F.CRF, F.CRF_TAGGED
        for k in range(folds):
            crf = Path(self._tmp.name) / f"cue{k}.crf"
            with contextlib.redirect_stdout(io.StringIO()):
                F.CRF = F.CRF_TAGGED = crf
                try:
                    self.parts.append(train_refine([p for i, p in enumerate(pairs) if i % folds != k], split=False))
                finally:
                    F.CRF, F.CRF_TAGGED = saved
            self.crfs.append(crf)
            print(f"  refinements without fold {k} fitted", flush=True)

    def raws(self, stages: dict, drop=()) -> list:
        """Every article refined by its fold's chain, with ``stages`` (name -> one model per fold) in place
        of the chain's own and the ``drop``ped stages left out."""
        import copy

        from reportedly.read import attribution_refine as F

        out = []
        saved = F.CRF, F.CRF_TAGGED
        try:
            for i, ((g, doc), found) in enumerate(zip(self.pairs, self.found)):
                k = i % self.folds
                model = {n: m for n, m in self.parts[k].items() if n not in drop}
                model.update({n: ms[k] for n, ms in stages.items()})
                F.CRF = F.CRF_TAGGED = self.crfs[k]
                out.append(F.refine(R.Index(doc, g.text), copy.deepcopy(found), model))
        finally:
            F.CRF, F.CRF_TAGGED = saved
        return out


def _restack_bound(pairs, chains, raws, side: str):
    """Cross-validate the content-end (or start) scorer over out-of-fold refinements: the fold chains' own
    scorer (fitted over in-sample refinements, as the shipped one was) against scorers fitted over the
    other folds' out-of-fold raws, each form, C and margin. Returns (per-fold models, model for all of
    train) of the best, or None when the chains' own does as well."""
    from polnear_gold import gold_sets, score_sets
    from reportedly.read import attribution_refine as F

    folds = chains.folds
    golds = {r: [gold_sets(g, r) for g, _ in pairs] for r in ("source", "cue", "content")}
    options = F.end_options if side == "end" else F.start_candidates
    cands = [[options(R.Index(doc, g.text), r) for r in rs] for (g, doc), rs in zip(pairs, raws)]
    groups = [_end_groups([p], [rs], side) for p, rs in zip(pairs, raws)]

    def score(models):
        P = {"source": [], "cue": [], "content": []}
        for i, rs in enumerate(raws):
            m = models[i % folds]
            content = set()
            for r, c in zip(rs, cands[i]):
                pieces = list(r.content)
                if pieces:
                    now = pieces[-1][1] if side == "end" else pieces[0][0]
                    got = F.choose_bound(c, now, m)
                    if got is not None:
                        pieces[-1 if side == "end" else 0] = ((pieces[-1][0], got) if side == "end" else (got, pieces[0][1]))
                    content.add(tuple(pieces))
            P["source"].append({(r.source,) for r in rs if r.source})
            P["cue"].append({(r.cue,) for r in rs})
            P["content"].append(content)
        return sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3

    own = [chains.parts[k][side] for k in range(folds)]
    base = score(own)
    print(f"{side}: cross-validated mean exact F1 with the chains' own scorer {base:.4f}", flush=True)
    best = (base, None)
    for form, C in [("pointwise", C) for C in (0.1, 0.3, 1.0)] + [("listwise", C) for C in (0.3, 1.0, 3.0)]:
        ms = [_fit_bounds(form, [x for i in range(len(pairs)) if i % folds != k for x in groups[i]], C)
              for k in range(folds)]
        for margin in (0.0, 0.05, 0.1):
            for m in ms:
                m["margin"] = margin
            f = score(ms)
            print(f"  {side} {form} C {C} margin {margin}: cross-validated mean exact F1 {f:.4f}", flush=True)
            if f > best[0]:
                best = (f, (form, C, margin), [dict(m) for m in ms])
    if best[1] is None:
        print(f"{side}: the shipped scorer stays")
        return None
    form, C, margin = best[1]
    print(f"{side}: {form} C {C} margin {margin} over out-of-fold refinements ({best[0]:.4f}, was {base:.4f})")
    m = _fit_bounds(form, [x for gs in groups for x in gs], C)
    m.update(margin=margin, form=form)
    return best[2], m


def restack(pairs, ref: dict) -> dict:
    """Refit the content end, the content start and the split over out-of-fold refinements, in the order
    ``refine`` runs them, each kept only where cross-validation over all of train says it beats the
    scorer fitted the old way."""
    chains = FoldChains(pairs)
    stages = {}
    for side in ("end", "start"):
        drop = ("end", "start", "split") if side == "end" else ("start", "split")
        got = _restack_bound(pairs, chains, chains.raws(stages, drop), side)
        if got is not None:
            stages[side], ref[side] = got
    split = train_split(pairs, chains.raws(stages, ("split",)))
    ref.pop("split", None)
    if split:
        ref["split"] = split
    return ref


def _source_examples(pairs, raws, side):
    from reportedly.read import attribution_refine as F

    X, y = [], []
    for (g, doc), rs in zip(pairs, raws):
        ix = R.Index(doc, g.text)
        gm = {a.cue: a for a in g.attrs}
        for r in rs:
            a = gm.get((r.cue,))
            if a is None or not a.source or not r.source or len(a.source) != 1:
                continue
            gs, ge = a.source[0]
            if (side == "end" and gs != r.source[0]) or (side == "start" and ge != r.source[1]):
                continue
            want = ge if side == "end" else gs
            c = F.source_candidates(ix, r, side)
            if not any(o == want for o, _ in c):
                continue
            for o, f in c:
                X.append(f)
                y.append(int(o == want))
    return X, y


def train_source(pairs, raws, cut) -> dict:
    """The source-bound scorers (end, then start): logistic regressions over candidate token bounds, C = 1;
    kept only when they raise the held-out (last 15% of train) document-level exact F1, then refitted on
    all of train."""
    import copy

    from polnear_gold import gold_sets, score_sets
    from reportedly.read import attribution_refine as F

    held, hraws = pairs[cut:], raws[cut:]
    golds = {r: [gold_sets(g, r) for g, _ in held] for r in ("source", "cue", "content")}

    def evaluate(ms):
        P = {"source": [], "cue": [], "content": []}
        for (g, doc), rs in zip(held, hraws):
            rs = copy.deepcopy(rs)
            ix = R.Index(doc, g.text)
            for r in rs:
                for side, m in ms.items():
                    F.refine_source(ix, r, m, side)
            P["source"].append({(r.source,) for r in rs if r.source})
            P["cue"].append({(r.cue,) for r in rs})
            P["content"].append({tuple(r.content) for r in rs if r.content})
        return sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3

    ms = {}
    for side in ("end", "start"):
        m = _fit_lr(*_source_examples(pairs[:cut], raws[:cut], side), 1.0)
        m["margin"] = 0.0
        ms[side] = m
    f0, f1 = evaluate({}), evaluate(ms)
    print(f"source bounds: held-out mean exact F1 {f0:.4f} -> {f1:.4f}")
    if f1 <= f0:
        return {}
    out = {}
    for side in ("end", "start"):
        m = _fit_lr(*_source_examples(pairs, raws, side), 1.0)
        m["margin"] = 0.0
        out["source_" + side] = m
    return out


def held_out_last(pairs: list) -> list:
    """The articles reordered so that the last 15% -- where every threshold, C and configuration here is
    chosen -- is three in every twenty, spread over the whole split. PolNeAR's files sort by outlet, so a
    plain last 15% would be one outlet's articles (West Journal's title-case clickbait), and the choices
    made on it would not carry to the others."""
    held = [i for i in range(len(pairs)) if i % 20 in (6, 13, 19)]
    rest = [i for i in range(len(pairs)) if i % 20 not in (6, 13, 19)]
    return [pairs[i] for i in rest + held]


def train_refine(pairs, split: bool = True) -> dict:
    """The learned refinements (``reportedly.read.attribution_refine``) over the rule output on train:
    the cue-extension table and the leading/trailing content piece classifier (logistic regression).
    Margin, C and threshold are chosen on the held-out 15% of train (``held_out_last``; document-level
    exact F1, mean over roles), then the table and the classifier are refitted on all of train."""
    import copy

    from polnear_gold import gold_sets, score_sets
    from reportedly.read import attribution_refine as F

    raws = [R.find(doc, g.text) for g, doc in pairs]
    cut = int(len(pairs) * 0.85)
    held, hraws = pairs[cut:], raws[cut:]
    golds = {r: [gold_sets(g, r) for g, _ in held] for r in ("source", "cue", "content")}

    def evaluate(model):
        P = {"source": [], "cue": [], "content": []}
        for (g, doc), rs in zip(held, hraws):
            rs = copy.deepcopy(rs)
            F.refine(R.Index(doc, g.text), rs, model)
            P["source"].append({(r.source,) for r in rs if r.source})
            P["cue"].append({(r.cue,) for r in rs})
            P["content"].append({tuple(r.content) for r in rs if r.content})
        return sum(score_sets(P[r], golds[r])["exact"][2] for r in P) / 3

    print(f"refine: held-out mean exact F1 without refinement {evaluate({'none': 1}):.4f}")
    best_m = max((evaluate({"cue_ext": _cue_table(pairs[:cut], raws[:cut], m)}), -m) for m in (0, 1, 2, 4))
    margin = -best_m[1]
    print(f"refine: cue table margin {margin} (held-out mean exact F1 {best_m[0]:.4f})")
    table = _cue_table(pairs[:cut], raws[:cut], margin)
    Xa, ya = _lead_examples(pairs[:cut], raws[:cut])
    best = (0.0, 1.0, 0.5)
    for C in (0.1, 0.3, 1.0):
        lead = _fit_lr(Xa, ya, C)
        for t in (0.3, 0.4, 0.5, 0.6, 0.7):
            lead["threshold"] = t
            f = evaluate({"cue_ext": table, "lead": lead})
            print(f"  lead C {C} threshold {t}: held-out mean exact F1 {f:.4f}")
            if f > best[0]:
                best = (f, C, t)
    print(f"refine: lead piece C {best[1]} threshold {best[2]} (held-out mean exact F1 {best[0]:.4f})")
    X, y = _lead_examples(pairs, raws)
    lead = _fit_lr(X, y, best[1])
    lead["threshold"] = best[2]
    table = _cue_table(pairs, raws, margin)
    # the CRF cue tagger, over the rule output refined by the table and the lead classifier
    base = {"cue_ext": table, "lead": lead}
    rraws = []
    for (g, doc), rs in zip(pairs, raws):
        rs = copy.deepcopy(rs)
        rraws.append(F.refine(R.Index(doc, g.text), rs, base))
    crf = train_crf(pairs, rraws, cut)
    base["crf"] = crf
    rraws = [F.refine(R.Index(doc, g.text), copy.deepcopy(rs), base) for (g, doc), rs in zip(pairs, raws)]
    end = train_end(pairs, rraws, cut)
    base["end"] = end
    rraws = [F.refine(R.Index(doc, g.text), copy.deepcopy(rs), base) for (g, doc), rs in zip(pairs, raws)]
    start = train_end(pairs, rraws, cut, side="start")
    base["start"] = start
    rraws = [F.refine(R.Index(doc, g.text), copy.deepcopy(rs), base) for (g, doc), rs in zip(pairs, raws)]
    split = train_split(pairs) if split else {}
    if split:
        base["split"] = split
        rraws = [F.refine(R.Index(doc, g.text), copy.deepcopy(rs), base) for (g, doc), rs in zip(pairs, raws)]
    src = train_source(pairs, rraws, cut)
    return {"cue_ext": table, "lead": lead, "crf": crf, "end": end, "start": start, **src,
            **({"split": split} if split else {}),
            "about": "attribution refinements: cue-extension table and leading/trailing content piece "
                     "logistic regression over the rule output, trained on PolNeAR train (no licence stated: "
                     "research use) by scripts/train_attribution.py"}


def with_oof(pairs, required: bool = True):
    """The pairs, each doc carrying the tagger's out-of-fold probabilities for it (what the tagger would
    say of an article it was not trained on; scripts/train_attribution_tagger.py writes them). Without
    them: an exit, or (``required=False``) the pairs untagged, with a line saying so."""
    import numpy as np

    from reportedly.read import attribution_tagger as T
    from train_attribution_tagger import oof_path

    if not oof_path().exists():
        if not required:
            print(f"no tagger out-of-fold probabilities at {oof_path()}: the raws are read untagged")
            return pairs
        sys.exit(f"{oof_path()} is missing: run scripts/train_attribution_tagger.py first")
    oof = np.load(oof_path())
    for k, (g, doc) in enumerate(pairs):
        doc.user_data[T.KEY] = oof[f"t{k}"].astype(np.float32)
        if len(doc.user_data[T.KEY]) != len(doc):
            sys.exit(f"{oof_path()} does not fit these parses: run scripts/train_attribution_tagger.py again")
    return pairs


def choose_tagger_sources(pairs) -> None:
    """``--tagger-sources``: document-level exact source F1 on all of train, with the tagger's out-of-fold
    probabilities, for the floor and doubt of ``attribution_refine.source_from_tagger`` (constants in that
    module; this prints the grid they were picked from, and the figure without the step)."""
    import copy

    from polnear_gold import gold_sets, score_sets

    from reportedly.read import attribution_refine as F

    gold = [gold_sets(g, "source") for g, _ in pairs]
    found = [R.find(doc, g.text) for g, doc in pairs]

    def source_f1() -> float:
        pred = []
        for (g, doc), raws in zip(pairs, found):
            out = F.refine(R.Index(doc, g.text), copy.deepcopy(raws))
            pred.append({(r.source,) for r in out if r.source})
        return score_sets(pred, gold)["exact"][2]

    kept = F.TAGGER_SOURCES, F.SOURCE_FLOOR, F.SOURCE_DOUBT
    try:
        F.TAGGER_SOURCES = False
        print(f"without the tagger's sources: source exact F1 {source_f1():.4f}", flush=True)
        F.TAGGER_SOURCES = True
        for floor in (0.7, 0.8, 0.9):
            for doubt in (0.0, 0.3, 0.5):
                F.SOURCE_FLOOR, F.SOURCE_DOUBT = floor, doubt
                print(f"floor {floor} doubt {doubt}: source exact F1 {source_f1():.4f}", flush=True)
    finally:
        F.TAGGER_SOURCES, F.SOURCE_FLOOR, F.SOURCE_DOUBT = kept


def main() -> None:
    import json

    from reportedly.read import attribution_refine as F

    global MODEL
    pairs = parsed_docs("train")
    if "--tagger-sources" in sys.argv:
        choose_tagger_sources(with_oof(pairs))
        return
    tagged = "--tagged" in sys.argv
    if tagged:
        # the stages that read the contextual tagger, trained on its out-of-fold probabilities
        # (scripts/train_attribution_tagger.py writes them) into the *.tagged.* model files
        with_oof(pairs)
        MODEL = MODEL.with_name("attribution_cue.tagged.json")
        F.MODEL, F.CRF = F.MODEL_TAGGED, F.CRF_TAGGED
    pairs = held_out_last(pairs)
    if "--restack" in sys.argv:
        ref = restack(pairs, json.loads(F.MODEL.read_text(encoding="utf-8")))
        F.MODEL.write_text(json.dumps(ref, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        print(f"wrote {F.MODEL}")
        return
    if "--split-only" in sys.argv:
        # the cue-content split alone, fitted over out-of-fold refinements and added to their file
        ref = json.loads(F.MODEL.read_text(encoding="utf-8"))
        ref.pop("split", None)
        split = train_split(pairs)
        if split:
            ref["split"] = split
        F.MODEL.write_text(json.dumps(ref, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        print(f"wrote {F.MODEL} (split: {len(split.get('w', {}))} weights)")
        return
    if "--refine-only" not in sys.argv:
        model = train_cue_model(pairs)
        MODEL.parent.mkdir(parents=True, exist_ok=True)
        MODEL.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")), encoding="utf-8")
        print(f"wrote {MODEL} ({len(model['w'])} weights)")
        R.cue_model.cache_clear() if hasattr(R.cue_model, "cache_clear") else None
    ref = train_refine(pairs)
    F.MODEL.write_text(json.dumps(ref, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {F.MODEL} ({len(ref['cue_ext'])} cue keys, {len(ref['lead']['w'])} lead weights)")
    if "--refine-only" in sys.argv or tagged:
        return
    n, pos = Counter(), Counter()
    for g, doc in pairs:
        cue_chars = _gold_cue_chars(g)
        ix = R.Index(doc, g.text)
        for tok in doc:
            if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
                key = ("according to", "according")
            elif tok.pos_ == "VERB":
                fr = R.verb_frame(ix, tok)
                if fr is None:
                    continue
                key = (tok.lemma_.lower(), fr[0] + ("@q" if ix.quote_at(tok.idx) else ""))
            else:
                continue
            n[key] += 1
            if tok.idx in cue_chars:
                pos[key] += 1
    rows = []
    for key, k in n.items():
        if k < 2:
            continue
        rate = (pos[key] + 0.1) / (k + 1)
        if rate >= 0.2 or key[1].endswith("@q") or (key[0], key[1] + "@q") in n:
            rows.append((key[0], key[1], rate, pos[key], k))
    rows.sort()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write("# lemma\tframe\tscore\tgold_cues\toccurrences  (scripts/train_attribution.py, PolNeAR train)\n")
        for lemma, frame, rate, p, k in rows:
            fh.write(f"{lemma}\t{frame}\t{rate:.3f}\t{p}\t{k}\n")
    print(f"wrote {OUT} ({len(rows)} rows from {len(pairs)} articles)")


if __name__ == "__main__":
    main()
