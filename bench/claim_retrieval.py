"""Claim retrieval (issue 5): `reportedly match` on CheckThat! 2020 task 2 data, dev split.

    .venv/bin/python bench/claim_retrieval.py [--split dev] [--no-components] [--cache DIR]

1. Times the real command-line run (a fresh process: model load, claim indexing and encoding, all
   queries; nothing cached across runs) for the default backend, for the WordLlama backend and for a
   BM25-only baseline, side by side.
2. Scores each run with MAP@k computed the CheckThat! 2020 way (the task's evaluate.py uses
   trectools: the run is re-sorted by score, ties by claim id descending, cut at depth k;
   AP = sum of precision at each relevant hit / number of relevant claims; mean over the queries).
3. Scores each component alone over the whole collection (BM25, WordLlama cosine, MiniLM cosine to
   the claim, to the title, their max, and a fixed BM25 + MiniLM blend). MiniLM vectors of the
   collection may be cached in --cache for these figures only (never for the timed runs).

Writes bench/results/claim_retrieval.md.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "claim-retrieval"
OUT = ROOT / "bench" / "results" / "claim_retrieval.md"
PY = ROOT / ".venv" / "bin" / "python"


def read_qrels(path: Path) -> dict[str, set[str]]:
    g: dict[str, set[str]] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and float(parts[3]) > 0:
            g.setdefault(parts[0], set()).add(parts[2])
    return g


def _docid_key(d: str):
    try:
        return (0, float(d))
    except ValueError:
        return (1, d)


def map_at_k(run: dict[str, list[tuple[str, float]]], qrels: dict[str, set[str]], k: int) -> float:
    """trectools TrecEval.get_map(depth=k) as CheckThat! 2020 task 2 evaluate.py calls it."""
    queries = set(run) & set(qrels)
    if not queries:
        return 0.0
    total = 0.0
    for q in queries:
        # re-sort by score descending, ties by docid descending (pandas sort in trectools)
        ranked = sorted(run[q], key=lambda x: (x[1], _docid_key(x[0])), reverse=True)[:k]
        hits, ap = 0, 0.0
        for r, (d, _) in enumerate(ranked, start=1):
            if d in qrels[q]:
                hits += 1
                ap += hits / r
        total += ap / len(qrels[q])
    return total / len(queries)


def parse_run(lines: list[str]) -> dict[str, list[tuple[str, float]]]:
    run: dict[str, list[tuple[str, float]]] = {}
    for line in lines:
        p = line.split()
        if len(p) == 6:
            run.setdefault(p[0], []).append((p[2], float(p[4])))
    return run


def cli_command() -> tuple[list[str], str]:
    """`reportedly match` when the CLI has it (and its backend flag), else the module entry point."""
    exe = ROOT / ".venv" / "bin" / "reportedly"
    if exe.exists():
        probe = subprocess.run([str(exe), "match", "--help"], capture_output=True, text=True,
                               env=dict(os.environ, COLUMNS="200"))
        if probe.returncode == 0 and "--claims" in probe.stdout:
            flag = "--embedder" if "--embedder" in probe.stdout else "--backend"
            return [str(exe), "match"], flag
    return [str(PY), "-m", "reportedly.ledger.match"], "--backend"


def timed_run(cmd: tuple[list[str], str], backend: str | None, claims: Path, queries: Path, top: int):
    args = cmd[0] + ["--claims", str(claims), "--queries", str(queries), "--top", str(top)]
    if backend:
        args += [cmd[1], backend]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    t0 = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT)
    secs = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"run failed ({' '.join(args)}):\n{proc.stderr[-2000:]}")
    note = [ln for ln in proc.stderr.splitlines() if ln.startswith("reportedly match")]
    return proc.stdout.splitlines(), secs, "; ".join(note), " ".join(args)


def component_scores(split: str, cache: Path | None, k_list=(1, 3, 5)) -> list[tuple[str, dict]]:
    from reportedly.ledger import match as M
    from reportedly.ledger.embed import embed

    claims = M.read_tsv(DATA / "verified_claims.docs.tsv")
    queries = M.read_tsv(DATA / split / "tweets.queries.tsv")
    qrels = read_qrels(DATA / split / "tweet-vclaim-pairs.qrels")
    ids = [c.id for c in claims]
    texts = [M.clean_text(c.text, keep_author=False) for c in claims]
    titles = [M.clean_text(c.title, keep_author=False) or t for c, t in zip(claims, texts)]
    docs = [f"{t} {ti}" for t, ti in zip(texts, [M.clean_text(c.title, keep_author=False) for c in claims])]
    qtexts = [M.clean_text(q.text) for q in queries]

    bm = M._BM25([M.tokens(d) for d in docs])
    B = np.stack([bm.scores(M.tokens(q)) for q in qtexts])
    WL = embed(qtexts, backend="wordllama") @ embed(docs, backend="wordllama").T

    def cached(name, items):
        if cache is not None:
            f = cache / f"minilm_{name}_{len(items)}.npy"
            if f.exists():
                return np.load(f)
        v = embed(items, backend="minilm", batch_size=128)
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            np.save(cache / f"minilm_{name}_{len(items)}.npy", v)
        return v

    rows: list[tuple[str, np.ndarray]] = [("BM25 (claim + title)", B), ("WordLlama cosine (claim + title)", WL)]
    if M.resolve_backend("auto") == "minilm":
        qv = embed(qtexts, backend="minilm")
        DC = qv @ cached("claims", texts).T
        DT = qv @ cached("titles", titles).T
        DM = np.maximum(DC, DT)
        Bn = B / np.maximum(B.max(axis=1, keepdims=True), 1e-9)
        rows += [
            ("MiniLM cosine, claim", DC),
            ("MiniLM cosine, title", DT),
            ("MiniLM cosine, max(claim, title)", DM),
            ("blend: BM25/max + 2 x MiniLM max (fixed)", Bn + 2 * DM),
        ]
    # the system lists near-duplicate claims once (the first listed); do the same for each scorer
    seen: set[str] = set()
    dup = np.array([M._dup_key(t) in seen or seen.add(M._dup_key(t)) is not None for t in texts])
    out = []
    for name, S in rows:
        S = S.copy()
        S[:, dup] = -np.inf
        run = {}
        for qi, q in enumerate(queries):
            top = np.lexsort((np.arange(S.shape[1]), -S[qi]))[:10]
            run[q.id] = [(ids[i], float(S[qi, i])) for i in top]
        out.append((name, {k: map_at_k(run, qrels, k) for k in k_list}))
    return out


def _model_note() -> str:
    import json

    from reportedly.ledger.match import MODEL_PATH

    if not MODEL_PATH.exists():
        return "No trained re-ranker file: fixed blend."
    m = json.loads(MODEL_PATH.read_text())["backends"]
    return " ".join(f"{b}: {v.get('kind', 'logistic regression')}, 5-fold CV MAP@5 on train {v['cv_map5']:.4f}"
                    f" (fixed blend {v.get('fixed_blend_train_map5', float('nan')):.4f})." for b, v in m.items())


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"nproc {os.cpu_count()}, {cpu}, Python {platform.python_version()}, load average at start {load:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="dev")
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--no-components", action="store_true")
    ap.add_argument("--cache", default="/tmp/reportedly_match_bench", help="MiniLM vectors for the component figures only")
    args = ap.parse_args()

    claims = DATA / "verified_claims.docs.tsv"
    queries = DATA / args.split / "tweets.queries.tsv"
    if not claims.exists():
        raise SystemExit(f"{claims} not present")
    qrels = read_qrels(DATA / args.split / "tweet-vclaim-pairs.qrels")
    mach = machine()
    cmd = cli_command()
    ks = (1, 3, 5)

    runs = []
    for label, backend in (("default (auto)", None), ("wordllama + lexical", "wordllama"), ("BM25 only (baseline)", "bm25")):
        lines, secs, note, shown = timed_run(cmd, backend, claims, queries, args.top)
        run = parse_run(lines)
        scores = {k: map_at_k(run, qrels, k) for k in ks}
        runs.append((label, note, secs, scores, shown))
        print(f"{label:24s} {secs:7.1f} s  " + "  ".join(f"MAP@{k} {v:.4f}" for k, v in scores.items())
              + f"   [{note}]", flush=True)

    comps = []
    if not args.no_components:
        comps = component_scores(args.split, Path(args.cache) if args.cache else None, ks)
        for name, sc in comps:
            print(f"{name:44s} " + "  ".join(f"MAP@{k} {v:.4f}" for k, v in sc.items()), flush=True)

    base = runs[-1][2]
    md = [
        "# Claim retrieval (`reportedly match`, issue 5)",
        "",
        f"Command: `.venv/bin/python bench/claim_retrieval.py{' --split ' + args.split if args.split != 'dev' else ''}`  ",
        f"Machine: {mach}  ",
        f"Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC  ",
        f"Data: ../shared/data/claim-retrieval, {args.split} split ({len(qrels)} queries) against "
        f"{sum(1 for _ in __import__('reportedly.ledger.match', fromlist=['read_tsv']).read_tsv(claims))} verified claims.",
        "",
        "MAP@k computed as the CheckThat! 2020 task 2 scorer does (trectools `get_map(depth=k)`: run re-sorted "
        "by score, ties by claim id descending; AP divided by the number of relevant claims; mean over queries).",
        "",
        "## Full runs (fresh process each: load models, index and encode claims, rank all queries)",
        "",
        "| run | wall time | vs BM25 baseline | MAP@1 | MAP@3 | MAP@5 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, note, secs, sc, shown in runs:
        md.append(f"| {label} ({note.replace('reportedly match: ', '')}) | {secs:.1f} s | {secs / base:.1f}x | "
                  + " | ".join(f"{sc[k]:.4f}" for k in ks) + " |")
    md += ["", "Commands timed: " + "; ".join(f"`{r[4].replace(str(ROOT) + '/', '').replace(str(ROOT.parent) + '/', '../')}`" for r in runs), ""]
    if comps:
        md += ["## Each score alone, over the whole collection", "",
               "| scorer | MAP@1 | MAP@3 | MAP@5 |", "| --- | ---: | ---: | ---: |"]
        for name, sc in comps:
            md.append(f"| {name} | " + " | ".join(f"{sc[k]:.4f}" for k in ks) + " |")
        md.append("")
    md += [
        "Near-duplicate claims (same words; other quote marks or case: 184 groups in the collection) are "
        "listed once, the first in file order, by the default and WordLlama runs and in the per-scorer table; "
        "the BM25 baseline run lists them all, and the scorer breaks exact score ties by claim id descending, "
        "which is why it is much lower than the BM25 row of the table above. In this data the relevant copy "
        "is always the first listed (25% of dev queries point to a claim that has a near-duplicate).",
        "",
        "Every relevant claim of the train and dev qrels has an id of at most 786 (of 10,375): the system "
        "uses no id information; file order only decides which copy of a near-duplicate is listed.",
        "",
        "The default run re-ranks a candidate pool (BM25 + WordLlama first stage) with a logistic "
        "regression over BM25, WordLlama and MiniLM (claim, title) scores, ranks and lexical/number/name "
        "overlap features, trained on the train split only (`scripts/train_match.py`). "
        + _model_note(),
        "",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(md), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
