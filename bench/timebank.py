"""Time expressions on TimeBank + AQUAINT (TempEval-3 training data, TimeML), TempEval-3 style.

    .venv/bin/python bench/timebank.py [--quick] [--no-baseline]

Every document's DCT timex is its publication date and is not evaluated. Every 4th document
(sorted by name, index % 4 == 3) is held out: no rule was written looking at it; figures are
given on it and on all. Metrics (TempEval-3): a predicted expression matches a gold one when
their spans overlap (relaxed) or are equal (strict); value F1 counts a match whose TIMEX3 value
equals the gold one (P over predicted, R over gold); type accuracy over relaxed matches.
Baseline: dateparser.search.search_dates with the DCT as RELATIVE_BASE, compared the same way
(its value is the day, or the day and time when the phrase has a clock time).
Speed: find_times per document against spaCy en_core_web_sm parse of the same texts.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "data" / "timebank"
OUT = ROOT / "bench" / "results" / "timebank.md"


def load(path: str) -> dict:
    tree = ET.parse(path).getroot()
    dct = tree.find("DCT/TIMEX3").get("value")[:10]
    parts: list[str] = []
    gold = []

    def walk(el):
        s = sum(map(len, parts))
        if el.text:
            parts.append(el.text)
        for ch in el:
            walk(ch)
            if ch.tail:
                parts.append(ch.tail)
        if el.tag == "TIMEX3":
            gold.append(dict(start=s, end=sum(map(len, parts)), type=el.get("type"), value=el.get("value")))

    walk(tree.find("TEXT"))
    return dict(name=os.path.basename(path), dct=dt.date.fromisoformat(dct), text="".join(parts), gold=gold)


def corpus() -> list[dict]:
    return [load(p) for p in sorted(glob.glob(str(DATA / "*" / "*.tml")))]


def score(pairs) -> dict:
    """pairs: list of (gold list, predicted list), each item a dict with start, end, type, value."""
    n_g = n_p = 0
    rel_p = rel_g = strict_p = strict_g = 0
    val_ok = type_ok = matched = 0
    for gold, pred in pairs:
        n_g += len(gold)
        n_p += len(pred)
        rel_p += sum(any(p["start"] < g["end"] and g["start"] < p["end"] for g in gold) for p in pred)
        rel_g += sum(any(p["start"] < g["end"] and g["start"] < p["end"] for p in pred) for g in gold)
        spans = {(g["start"], g["end"]) for g in gold}
        strict = sum((p["start"], p["end"]) in spans for p in pred)
        strict_p += strict
        strict_g += strict
        # one-to-one matching by largest overlap for the attributes
        used = set()
        for g in gold:
            best, bo = None, 0
            for i, p in enumerate(pred):
                if i in used:
                    continue
                o = min(p["end"], g["end"]) - max(p["start"], g["start"])
                if o > bo:
                    best, bo = i, o
            if best is None:
                continue
            used.add(best)
            matched += 1
            p = pred[best]
            val_ok += p["value"] is not None and p["value"] == g["value"]
            type_ok += p["type"] == g["type"]

    def f(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    rp, rr = rel_p / max(n_p, 1), rel_g / max(n_g, 1)
    sp, sr = strict_p / max(n_p, 1), strict_g / max(n_g, 1)
    vp, vr = val_ok / max(n_p, 1), val_ok / max(n_g, 1)
    return dict(gold=n_g, pred=n_p, relaxed_P=rp, relaxed_R=rr, relaxed_F1=f(rp, rr), strict_P=sp, strict_R=sr,
                strict_F1=f(sp, sr), value_P=vp, value_R=vr, value_F1=f(vp, vr),
                type_acc=type_ok / max(matched, 1))


def run_ours(docs, parsed=None):
    from reportedly.read.times import find_times

    out, secs = [], []
    for i, d in enumerate(docs):
        t0 = time.perf_counter()
        ts = find_times(d["text"], d["dct"], doc=None if parsed is None else parsed[i])
        secs.append(time.perf_counter() - t0)
        out.append([dict(start=t.start, end=t.end, type=t.type, value=t.value) for t in ts])
    return out, secs


def run_dateparser(docs):
    from dateparser.search import search_dates

    out, secs = [], []
    for d in docs:
        base = dt.datetime.combine(d["dct"], dt.time(12, 0))
        t0 = time.perf_counter()
        try:
            found = search_dates(d["text"], languages=["en"], settings={"RELATIVE_BASE": base}) or []
        except Exception:
            found = []
        secs.append(time.perf_counter() - t0)
        preds, pos = [], 0
        for sub, when in found:
            i = d["text"].find(sub, pos)
            if i < 0:
                i = d["text"].find(sub)
                if i < 0:
                    continue
            else:
                pos = i + len(sub)
            has_clock = bool(re.search(r"\d:\d\d|\b(?:a\.?m\.?|p\.?m\.?|noon|midnight)\b", sub, re.I))
            value = when.strftime("%Y-%m-%dT%H:%M") if has_clock else when.date().isoformat()
            preds.append(dict(start=i, end=i + len(sub), type="TIME" if has_clock else "DATE", value=value))
        out.append(preds)
    return out, secs


def table(rows) -> str:
    keys = ["gold", "pred", "value_P", "value_R", "value_F1", "relaxed_F1", "strict_F1", "type_acc"]
    lines = ["| system | split | " + " | ".join(keys) + " |", "|" + "---|" * (len(keys) + 2)]
    for name, split, s in rows:
        cells = [str(s[k]) if isinstance(s[k], int) else f"{s[k]:.3f}" for k in keys]
        lines.append(f"| {name} | {split} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _model_weights() -> dict:
    import json

    try:
        return json.loads((ROOT / "src" / "reportedly" / "models" / "times_direction.json").read_text())
    except (OSError, ValueError):
        return {}


def _model_note() -> str:
    return _model_weights().get("about", "(no weights)")


def _direction_text() -> str:
    names = {"wd": "weekdays", "md": "month-days", "mon": "months"}
    kinds = _model_weights().get("kinds")
    if kinds is None:
        learned = "all three kinds"
    else:
        learned = ", ".join(names.get(k, k) for k in kinds) or "none of them"
    return (
        "With the spaCy doc, whether a weekday, month-day or month without a year is the occurrence before or "
        "after the publication date is read from the parse (the governing verb's tense, aspect and auxiliaries; "
        "the end of a deferral, \"postponed until Tuesday\", lies ahead); a logistic model "
        "(src/reportedly/models/times_direction.json, trained by scripts/train_times.py on the rule-writing part "
        "only) decides for the kinds where it beat those rules out of fold on that part: " + learned + ". "
        "Without a doc, the tense is read from the words around. The weights' note: " + _model_note() + "\n"
    )


def bootstrap_ci(pairs, n: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% interval of value F1 when the documents are resampled with replacement: how much a figure on
    this many documents moves with the choice of documents."""
    import random

    rng = random.Random(seed)
    vals = sorted(score([pairs[rng.randrange(len(pairs))] for _ in pairs])["value_F1"] for _ in range(n))
    return vals[int(0.025 * n)], vals[int(0.975 * n) - 1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="no spaCy (tense from words only), no baseline")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--errors", help="write the errors on the training part (never the held-out part) here")
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} not present")
    docs = corpus()
    held = [i for i in range(len(docs)) if i % 4 == 3]
    train = [i for i in range(len(docs)) if i % 4 != 3]
    rows = []

    def add(name, preds):
        for split, idx in (("all", range(len(docs))), ("held-out (every 4th)", held), ("rules written on", train)):
            rows.append((name, split, score([(docs[i]["gold"], preds[i]) for i in idx])))

    ours_words, secs_words = run_ours(docs)
    add("reportedly find_times (doc=None)", ours_words)
    speed = ""
    if not args.quick:
        from reportedly.read.nlp import load_nlp

        nlp = load_nlp()
        nlp("warm up")
        t0 = time.perf_counter()
        parsed = list(nlp.pipe([d["text"] for d in docs], batch_size=16))
        spacy_secs = time.perf_counter() - t0
        ours_doc, secs_doc = run_ours(docs, parsed)
        add("reportedly find_times (with spaCy doc)", ours_doc)
        lo, hi = bootstrap_ci([(docs[i]["gold"], ours_doc[i]) for i in held])
        lo_t, hi_t = bootstrap_ci([(docs[i]["gold"], ours_doc[i]) for i in train])
        ci = (f"- value F1 with the doc, 95% interval over documents resampled with replacement (1000 draws): "
              f"held-out {lo:.3f}-{hi:.3f} ({len(held)} documents), rule-writing part {lo_t:.3f}-{hi_t:.3f}\n")
        n = len(docs)
        speed = (
            f"- spaCy en_core_web_sm parse (nlp.pipe): {spacy_secs:.2f} s for {n} documents "
            f"({1000 * spacy_secs / n:.1f} ms/doc)\n"
            f"- find_times with the doc: {sum(secs_doc):.2f} s ({1000 * sum(secs_doc) / n:.2f} ms/doc); "
            f"**ratio to the parse: {sum(secs_doc) / spacy_secs:.3f}** (bar: <= 0.10)\n"
            f"- find_times without a doc: {sum(secs_words):.2f} s ({1000 * sum(secs_words) / n:.2f} ms/doc); "
            f"ratio {sum(secs_words) / spacy_secs:.3f}\n"
        ) + ci
        if not args.no_baseline:
            dp, dp_secs = run_dateparser(docs)
            add("dateparser search_dates (baseline)", dp)
            speed += f"- dateparser search_dates: {sum(dp_secs):.2f} s; ratio to the parse {sum(dp_secs) / spacy_secs:.3f}\n"
    if args.errors:
        with open(args.errors, "w") as fh:
            for i in train:
                d, pred = docs[i], ours_words[i]
                for g in d["gold"]:
                    ps = [p for p in pred if p["start"] < g["end"] and g["start"] < p["end"]]
                    gt = d["text"][g["start"]:g["end"]]
                    ctx = d["text"][max(0, g["start"] - 60):g["end"] + 40].replace("\n", " ")
                    if not ps:
                        fh.write(f"MISS\t{d['dct']}\t{gt!r}\t{g['type']}\t{g['value']}\t|{ctx}\n")
                    elif ps[0]["value"] != g["value"]:
                        p = ps[0]
                        fh.write(f"VAL\t{d['dct']}\t{gt!r}\t{g['type']}\t{g['value']}\t{d['text'][p['start']:p['end']]!r}\t{p['type']}\t{p['value']}\t|{ctx}\n")
                for p in pred:
                    if not any(p["start"] < g["end"] and g["start"] < p["end"] for g in d["gold"]):
                        ctx = d["text"][max(0, p["start"] - 60):p["end"] + 40].replace("\n", " ")
                        fh.write(f"FP\t{d['dct']}\t{d['text'][p['start']:p['end']]!r}\t{p['type']}\t{p['value']}\t|{ctx}\n")
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    cmd = ".venv/bin/python bench/timebank.py" + (" " + " ".join(sys.argv[1:]) if sys.argv[1:] else "")
    md = (
        "## Time expressions: TimeBank + AQUAINT (TempEval-3 training data)\n\n"
        f"- command: `{cmd}`\n- machine: nproc={nproc}, {cpu}\n- date: {dt.datetime.utcnow():%Y-%m-%d %H:%M} UTC\n"
        f"- data: {len(docs)} documents, {sum(len(d['gold']) for d in docs)} gold TIMEX3 (DCT excluded); "
        f"held-out part: {len(held)} documents never looked at while writing the rules\n\n"
        + table(rows) + "\n\n" + (speed or "- speed: not measured (--quick)\n")
        + "\n" + _direction_text()
        + "\nHeidelTime's published value F1 on TempEval-3 test (a different, unseen split): 0.776.\n"
    )
    print(md)
    if not args.quick:
        OUT.write_text(md)


if __name__ == "__main__":
    main()
