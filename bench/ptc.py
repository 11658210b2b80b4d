"""Issue 6 bench: propaganda span identification on the held-out PTC fifth, and the qualify
layer's cost beside the spaCy parse, in one command:

    .venv/bin/python bench/ptc.py

Runs the real pipeline (reportedly.pipeline: language, parse, every default layer) on each
held-out article's text (bench/ptc_data.py: sorted ids, index % 5 == 4; never trained or tuned
on), takes the report's ``editorial`` spans of any kind and voice as the submission, and scores
them with the SemEval-2020 task 11 SI measure (official definition, bench/ptc_data.si_score).
Timing: wall time of the parse and of each layer, article by article, side by side.
Writes bench/results/ptc.md.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from ptc_data import PTC, article_text, gold_spans, si_score, split  # noqa: E402

from reportedly.intake.document import Document  # noqa: E402
from reportedly.model import Meta  # noqa: E402
from reportedly.pipeline import _start  # noqa: E402
from reportedly.read.nlp import load_nlp, parse  # noqa: E402
from reportedly.read.registry import DEFAULT_LAYERS, get_layer  # noqa: E402


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def run(aid: str, times: Counter, errors: Counter):
    text = article_text(aid)
    doc = Document(text=text, format="text", path=f"article{aid}.txt", meta=Meta())
    t0 = time.perf_counter()
    report = _start(doc)
    t1 = time.perf_counter()
    parsed = parse(report.text, report.removed, report.meta)
    t2 = time.perf_counter()
    times["start"] += t1 - t0
    times["parse"] += t2 - t1
    for name in DEFAULT_LAYERS:
        t = time.perf_counter()
        try:
            part = get_layer(name)(parsed, report)
            report = report.model_copy(update=part)
        except Exception as exc:  # another layer's failure must not stop the bench
            errors[f"{name}: {type(exc).__name__}: {exc}"[:160]] += 1
        times[name] += time.perf_counter() - t
    return report


def main() -> None:
    if not PTC.exists():
        sys.exit(f"{PTC} not present")
    ids = split()["heldout"]
    load_nlp()
    times: Counter = Counter()
    errors: Counter = Counter()
    run(ids[0], Counter(), Counter())  # warm-up: model loading is not reading time

    preds, outlet, tagger_kinds, gold = {}, {}, Counter(), {}
    n_hedges = Counter()
    for aid in ids:
        rep = run(aid, times, errors)
        preds[aid] = [(e.start, e.end) for e in rep.editorial]
        outlet[aid] = [(e.start, e.end) for e in rep.editorial if e.voice is None]
        for e in rep.editorial:
            tagger_kinds[e.kind] += 1
        for h in rep.hedges:
            n_hedges[h.kind] += 1
        gold[aid] = gold_spans(aid)
    sc = si_score(preds, gold)
    sc_outlet = si_score(outlet, gold)

    analyze = sum(times.values())
    ratio_parse = times["qualify"] / times["parse"]
    ratio_analyze = times["qualify"] / analyze
    lines = [
        "# PTC span identification and qualify cost (issue 6)",
        "",
        "Command: `.venv/bin/python bench/ptc.py`",
        f"Machine: nproc={os.cpu_count()}, {cpu_model()}; Python {platform.python_version()}",
        f"Date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        "",
        f"Data: PTC (SemEval-2020 task 11) training articles, held-out fifth ({len(ids)} articles: sorted ids, "
        "index % 5 == 4), never used for training or tuning. Submission: every `editorial` span of the real "
        "pipeline's report (all kinds, all voices); measure: the official task SI scorer's P/R/F1 "
        "(partial credit for character overlap; overlapping gold spans merged).",
        "",
        "| measure | P | R | F1 | predicted | gold |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| SI, all editorial spans | {sc['P']:.4f} | {sc['R']:.4f} | **{sc['F1']:.4f}** | {sc['n_pred']} | {sc['n_gold']} |",
        f"| SI, outlet-voice spans only (voice = null) | {sc_outlet['P']:.4f} | {sc_outlet['R']:.4f} | {sc_outlet['F1']:.4f} | {sc_outlet['n_pred']} | {sc_outlet['n_gold']} |",
        "",
        "Bar: F1 >= 0.40 (best published on the official test set ~0.52, transformer ensembles).",
        "",
        "Model: `src/reportedly/models/propaganda_crf.bin` (+ `propaganda_clusters.npz`, `propaganda_crf.json`), a CRF "
        "trained by `scripts/train_propaganda.py` on the other 240 PTC training articles (SemEval-2020 task 11 data, "
        "research use; Da San Martino et al. 2019), decoding chosen on 60 of those; features use the VADER lexicon "
        "words (MIT) and WordLlama embeddings from the wordllama package (MIT). Editorial spans also come from the "
        "layer's lexicon rules; spans in quotations are kept with the speaker's attribution id as voice, or dropped "
        "when no attribution accounts for them.",
        "",
        f"Editorial items by kind: {dict(tagger_kinds)}; hedges by kind: {dict(n_hedges)}",
        "",
        "## Cost (same texts, side by side, wall seconds summed over the articles)",
        "",
        "| step | seconds |",
        "| --- | --- |",
    ]
    for k in ["start", "parse", *DEFAULT_LAYERS]:
        lines.append(f"| {k} | {times[k]:.2f} |")
    lines += [
        f"| analyze (all of the above) | {analyze:.2f} |",
        "",
        f"qualify / spaCy parse = **{ratio_parse:.1%}**; qualify / analyze = **{ratio_analyze:.1%}** (bar: at most 20%).",
    ]
    if errors:
        lines += ["", "Layer errors during the run (other layers; their parts left as they were):"]
        lines += [f"- {k} (x{v})" for k, v in errors.items()]
    md = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / "ptc.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(md, encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
