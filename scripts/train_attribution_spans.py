"""Train the cue-conditioned span reader (``reportedly.read.attribution_spans``) on PolNeAR train.

    .venv/bin/python scripts/train_attribution_spans.py --bf16                # the shipped reader (about 20 min)
    .venv/bin/python scripts/train_attribution_spans.py --bf16 --seed 1       # the second (and --seed 2 the third)
    .venv/bin/python scripts/train_attribution_spans.py --bf16 --layers 6 --seed 3   # the fourth, six layers (about 30 min)
    .venv/bin/python scripts/train_attribution_spans.py --bf16 --layers 6 --seed 4   # the fifth (about 35 min)
    .venv/bin/python scripts/train_attribution_spans.py --held-out --bf16 --choice   # the choice between it and the rules
    .venv/bin/python scripts/train_attribution_spans.py --held-out --bf16 --choice --load A --load B --load C --load D --load E
        # the shipped choice: refitted on the five held-out readers (each trained with --held-out and its
        # options), read with attribution_spans.CASCADE as at run time

Examples: one per gold attribution of the first annotator's .ann of each article (the window around its
cue, ``attribution_spans.window``, the cue's wordpieces as token type 1, labelled O/B/I for that
attribution's source and content), and one per cue the rules find that is not a gold cue (``--negatives``,
the default: labelled with the spans of the gold attribution whose cue it overlaps, or all O). The
rules' cues are read as at run time, on the tagger's out-of-fold probabilities. The encoder and the
training loop are the tagger's (``train_attribution_tagger.train``: MiniLM-L6's first layers, frozen,
with low-rank adapters, and here the token type embeddings; fixed seed and order, CPU).

``--held-out`` trains on all but the held-out 15% of train (``train_attribution.held_out_last``), writes
that model beside the parse cache, and prints the exact-match rates of sources and contents read from
the gold cues of the held-out part. With ``--choice`` it then fits, on the held-out articles, the
choices between the reader and the rules (``models/attribution_spans_choice.json``): the reader never saw
them. Without ``--held-out``, the model trained on all of train goes to
src/reportedly/models/attribution_spans.npz.
Data: ../shared/data/polnear (no licence stated: research use only).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "scripts"))

from train_attribution import CACHE, held_out_last, parsed_docs, with_oof  # noqa: E402
from train_attribution_tagger import labels, train  # noqa: E402

from reportedly.read import attribution_spans as S  # noqa: E402

HELD_OUT_MODEL = CACHE / "attribution_spans.held_out.npz"


def rows_of(pairs, size: int, negatives: bool = False) -> list:
    """One example per gold attribution. With ``negatives``, also one per cue the rules find (as at run
    time: the tagger's out-of-fold probabilities, the refinements) that is not a gold cue: where it
    overlaps a gold cue, labelled with that attribution's spans (the reader learns the rules' cue forms);
    where it overlaps none, labelled all O (the reader learns to see no report where there is none)."""
    rows = []
    for di, (g, doc) in enumerate(pairs):
        cues = [list(a.cue) for a in g.attrs]
        spans = [(a.source or (), a.content or ()) for a in g.attrs]
        if negatives:
            have = {tuple(c) for c in cues}
            for r in _rule_raws(g, doc):
                if (r.cue,) in have:
                    continue
                hit = next((k for k, a in enumerate(g.attrs)
                            if any(s < r.cue[1] and r.cue[0] < e for s, e in a.cue)), None)
                have.add((r.cue,))
                cues.append([r.cue])
                spans.append(spans[hit] if hit is not None else ((), ()))
        for cue, (src, con) in zip(cues, spans):
            ids, offs, types = S.window(doc, g.text, cue, size)
            rows.append((di, ids, offs, [labels(offs, src), labels(offs, con)], types))
    return rows


def _rule_raws(g, doc) -> list:
    from reportedly.read import attribution_refine as F
    from reportedly.read import attribution_rules as R

    ix = R.Index(doc, g.text)
    return [r for r in F.refine(ix, R.find(doc, g.text)) if r.content or r.source]


def read_gold_cues(pairs, size: int) -> dict:
    """Exact-match rates of the source and the content read from each gold cue."""
    rows = [(g, doc, a, S.window(doc, g.text, list(a.cue), size)) for g, doc in pairs for a in g.attrs]
    ps = S.probs([w for *_, w in rows])
    n = src_ok = con_ok = 0
    for (g, doc, a, (ids, offs, types)), p in zip(rows, ps):
        n += 1
        src = [S._snap(doc, *x[:2]) for x in S.decode(p, offs, 0)]
        con = [S._snap(doc, *x[:2]) for x in S.decode(p, offs, 1)]
        src_ok += sorted(src) == sorted(a.source or ())
        con_ok += sorted(con) == sorted(a.content or ())
    return {"attributions": n, "source exact": src_ok / max(n, 1), "content exact": con_ok / max(n, 1)}


def choice_rows(held):
    """Per raw where the reader and the rules disagree: (article, raw, role, features, label, reader's
    spans); the label is 1 when only the reader is right, 0 when only the rules are, None otherwise.
    And per raw that may be dropped, a "keep" row: 1 when its cue overlaps a gold cue."""
    from reportedly.read import attribution_rules as R

    rows, raws_of = [], []
    for di, (g, doc) in enumerate(held):
        ix = R.Index(doc, g.text)
        raws = _rule_raws(g, doc)
        raws_of.append(raws)
        gold = {a.cue: a for a in g.attrs}
        looked = [r for r in raws if S.second_look(r)]
        for r, reading in zip(looked, S.readings(ix, looked) or []):
            src, con = reading.source, reading.content
            if not S._never_dropped(r):
                real = any(s < r.cue[1] and r.cue[0] < e for a in g.attrs for s, e in a.cue)
                rows.append((di, id(r), "keep", S.keep_features(g.text, r, src, con), int(real), None))
            a = gold.get((r.cue,))
            mine = sorted((s, e) for s, e, _ in con)
            if mine and mine != sorted(r.content):
                y = None
                if a is not None:
                    ok_rule, ok_mine = sorted(r.content) == sorted(a.content or ()), mine == sorted(a.content or ())
                    y = int(ok_mine) if ok_rule != ok_mine else None
                rows.append((di, id(r), "content", S.content_features(g.text, r.content, reading), y, mine))
            best = reading.best_source
            if best and best != r.source:
                y = None
                if a is not None:
                    gs = a.source[0] if a.source and len(a.source) == 1 else None
                    y = int(best == gs) if (r.source == gs) != (best == gs) else None
                rows.append((di, id(r), "source", S.source_features(g.text, r.source, reading), y, best))
    return rows, raws_of


def _f1(held, raws_of, role, chosen) -> float:
    """Document-level exact F1 of one role with the chosen raws' spans replaced by the reader's; role
    "keep": the mean over source, cue and content with the chosen raws dropped."""
    from polnear_gold import gold_sets, score_sets

    if role == "keep":
        kept = [[r for r in raws if id(r) not in chosen] for raws in raws_of]
        return sum(_f1(held, kept, x, {}) for x in ("source", "cue", "content")) / 3
    P = []
    for di, raws in enumerate(raws_of):
        out = set()
        for r in raws:
            x = chosen.get(id(r), {"content": r.content, "source": r.source, "cue": r.cue}[role])
            if x:
                out.add(tuple(x) if role == "content" else (x,))  # as bench/polnear.py: pieces, or a span
        P.append(out)
    return score_sets(P, [gold_sets(g, role) for g, _ in held])["exact"][2]


def fit_choice(held) -> dict:
    """The logistic choices between reader and rules, role by role: C and threshold chosen by five-fold
    cross-validation over the held-out articles (document-level exact F1), then fitted on all of them.
    The reader never saw these articles; the rules' learned stages did (they are fitted on all of train),
    so the choice leans, if anything, towards the rules."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, raws_of = choice_rows(held)
    out = {}
    for role in ("content", "source", "keep"):
        rr = [r for r in rows if r[2] == role]
        base = _f1(held, raws_of, role, {})
        best = (base, None)
        for C in (0.1, 1.0, 10.0):
            probs = {}
            for k in range(5):
                fit = [r for r in rr if r[0] % 5 != k and r[4] is not None]
                vec = DictVectorizer()
                clf = LogisticRegression(C=C, max_iter=5000).fit(vec.fit_transform([r[3] for r in fit]), [r[4] for r in fit])
                test = [r for r in rr if r[0] % 5 == k]
                if test:
                    for r, p in zip(test, clf.predict_proba(vec.transform([r[3] for r in test]))[:, 1]):
                        probs[r[1]] = (p, r[5])
            for th in ((0.2, 0.3, 0.4, 0.5, 0.6) if role == "keep" else (0.5, 0.6, 0.7, 0.8)):
                # keep: a raw goes when P(report) < th; content, source: the reader's span when P(right) >= th
                f = _f1(held, raws_of, role, {i: x for i, (p, x) in probs.items() if (p < th if role == "keep" else p >= th)})
                print(f"  {role}: C {C} threshold {th}: cross-validated exact F1 {f:.4f} (rules alone {base:.4f})")
                if f > best[0]:
                    best = (f, (C, th))
        if best[1] is None:
            print(f"{role}: the reader never helps; no choice")
            continue
        C, th = best[1]
        fit = [r for r in rr if r[4] is not None]
        vec = DictVectorizer()
        clf = LogisticRegression(C=C, max_iter=5000).fit(vec.fit_transform([r[3] for r in fit]), [r[4] for r in fit])
        out[role] = {"bias": float(clf.intercept_[0]), "threshold": th, "C": C, "cv_f1": round(best[0], 4),
                     "rules_f1": round(base, 4),
                     "w": {k: round(float(v), 5) for k, v in zip(vec.feature_names_, clf.coef_[0]) if abs(v) >= 1e-4}}
        print(f"{role}: C {C} threshold {th}: {base:.4f} -> {best[0]:.4f}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--rank", type=int, default=32)
    ap.add_argument("--epochs", type=float, default=5.0)  # held-out gold-cue source / content 0.841 / 0.603 at rank 16, 4 epochs; 0.844 / 0.615 at rank 32, 5
    ap.add_argument("--window", type=int, default=S.WINDOW, help="wordpieces a window")
    ap.add_argument("--negatives", action=argparse.BooleanOptionalAction, default=True,
                    help="train also on the rules' cues that are not gold cues (the shipped reader does)")
    ap.add_argument("--bf16", action="store_true", help="train under bfloat16 autocast (about twice as fast "
                    "where the CPU has native bf16; slower where it does not)")
    ap.add_argument("--held-out", action="store_true")
    ap.add_argument("--choice", action="store_true", help="with --held-out: fit the choice between the reader "
                    "and the rules on the held-out articles and write it to models/attribution_spans_choice.json")
    ap.add_argument("--load", action="append", help="with --held-out: read with this held-out model instead "
                    "of training one; given twice or more, with the mean of their probabilities, as the shipped "
                    "readers do")
    ap.add_argument("--seed", type=int, default=0, help="the adapters' initial weights and the order of the examples")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
    pairs = with_oof(parsed_docs("train"), required=False)
    if args.held_out:
        ordered = held_out_last(pairs)
        cut = int(len(ordered) * 0.85)
        fit, held = ordered[:cut], ordered[cut:]
    else:
        fit, held = pairs, []
    if args.load:
        dest = [Path(x) for x in args.load]
        z = np.load(dest[0])
        args.window = int(z["window"]) if "window" in z.files else S.WINDOW
    else:
        rows = rows_of(fit, args.window, args.negatives)
        print(f"{len(rows)} attributions in {len(fit)} articles, "
              f"{np.mean([len(r[1]) for r in rows]):.0f} wordpieces a window", flush=True)
        weights = train(rows, args.layers, args.rank, args.epochs, roles=2, typed=True, bf16=args.bf16, seed=args.seed)
        weights["window"] = np.array(args.window)
        seed = f"s{args.seed}" if args.seed else ""
        dest = (HELD_OUT_MODEL.with_suffix(f".l{args.layers}r{args.rank}e{args.epochs:g}w{args.window}{'n' if args.negatives else ''}{seed}.npz")
                if args.held_out else S.MODEL.with_name(f"attribution_spans.{seed}.npz") if seed else S.MODEL)
        np.savez_compressed(dest, **weights)
        print(f"wrote {dest} ({dest.stat().st_size // 1024} kB)", flush=True)
        dest = [dest]
    if held:
        S.MODELS = dest  # never the shipped readers: they have read the held-out articles
        S.load.cache_clear()
        S.window_size.cache_clear()
        print(f"held-out, from the gold cues: {read_gold_cues(held, args.window)}", flush=True)
        if args.choice:
            import json

            S.CHOICE.write_text(json.dumps(fit_choice(held), indent=1, sort_keys=True) + "\n", encoding="utf-8")
            print(f"wrote {S.CHOICE}")


if __name__ == "__main__":
    main()
