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
    events = {}

    def walk(el):
        s = sum(map(len, parts))
        if el.text:
            parts.append(el.text)
        for ch in el:
            walk(ch)
            if ch.tail:
                parts.append(ch.tail)
        if el.tag == "TIMEX3":
            gold.append(dict(start=s, end=sum(map(len, parts)), type=el.get("type"), value=el.get("value"),
                             tid=el.get("tid")))
        elif el.tag == "EVENT":
            events[el.get("eid")] = dict(start=s, end=sum(map(len, parts)), cls=el.get("class"))

    walk(tree.find("TEXT"))
    instance = {m.get("eiid"): m.get("eventID") for m in tree.iter("MAKEINSTANCE")}
    links = []  # (event id, time id) of every TLINK between an event and a time, either way round
    for t in tree.iter("TLINK"):
        ei, tid = t.get("eventInstanceID"), t.get("relatedToTime")
        if ei is None or tid is None:
            ei, tid = t.get("relatedToEventInstance"), t.get("timeID")
        if ei is not None and tid is not None and instance.get(ei) in events:
            links.append((instance[ei], tid, t.get("relType")))
    evidential = [(instance.get(s.get("eventInstanceID")), instance.get(s.get("subordinatedEventInstance")))
                  for s in tree.iter("SLINK") if s.get("relType") == "EVIDENTIAL"]
    return dict(name=os.path.basename(path), dct=dt.date.fromisoformat(dct), text="".join(parts), gold=gold,
                events=events, links=links, evidential=evidential)


# a time that holds or overlaps the event (not one before or after it)
_AT = {"IS_INCLUDED", "INCLUDES", "DURING", "DURING_INV", "SIMULTANEOUS", "BEGINS", "ENDS", "BEGUN_BY",
       "ENDED_BY", "IDENTITY"}


def gold_roles(d: dict) -> dict:
    """time id -> ("said", reporting event) when a TLINK puts a REPORTING event at that time ("said
    Tuesday"), or ("reported", reporting event) when it puts an event that an EVIDENTIAL SLINK subordinates
    to a REPORTING event there ("said the port had lost money in 1998"). Times with neither are left out:
    TimeBank does not link every time to its events."""
    ev = d["events"]
    reported_by = {sub: rep for rep, sub in d["evidential"] if rep in ev and ev[rep]["cls"] == "REPORTING"}
    roles = {}
    for eid, tid, rel in d["links"]:
        if rel not in _AT:
            continue
        if ev[eid]["cls"] == "REPORTING":
            roles[tid] = ("said", ev[eid])
        elif eid in reported_by and roles.get(tid, ("",))[0] != "said":
            roles[tid] = ("reported", ev[reported_by[eid]])
    return roles


_ROLES = ("said", "reported", "narrated", "none")


def run_roles(docs) -> list[dict]:
    """Per document, the timeline's roles against TimeBank's links, over the times that TimeBank links to a
    reporting event or to what one reports and that our times match (spans overlap): how often the timeline
    places them as said / reported / narrated (or leaves them out), and how often the attribution it names
    has its cue on TimeBank's reporting event. The whole pipeline reads each document (DCT as publication
    date)."""
    from reportedly.intake.document import Document
    from reportedly.model import Meta
    from reportedly.pipeline import analyze_documents

    reps = analyze_documents(Document(text=d["text"], format="text", path=d["name"],
                                      meta=Meta(published=d["dct"].isoformat(), language="en")) for d in docs)
    out = []
    reps = list(reps)
    for d, rep in zip(docs, reps):
        table = {(w, r): 0 for w in ("said", "reported") for r in _ROLES}
        cue_ok = {"said": 0, "reported": 0}
        roles = gold_roles(d)
        atts = {a.id: a for a in rep.attributions}
        entry_of = {e.time: e for e in rep.timeline}
        for g in d["gold"]:
            if g["tid"] not in roles:
                continue
            want, event = roles[g["tid"]]
            ours = next((t for t in rep.times if t.start < g["end"] and g["start"] < t.end), None)
            if ours is None:
                continue
            e = entry_of.get(ours.id)
            got = e.role if e is not None else "none"
            table[(want, got)] += 1
            if got == want and e.attribution in atts:
                cue = atts[e.attribution].cue
                cue_ok[want] += cue.start < event["end"] and event["start"] < cue.end
        cues = [(a.cue.start, a.cue.end) for a in rep.attributions]
        reporting = [ev for ev in d["events"].values() if ev["cls"] == "REPORTING"]
        covered = sum(any(s < ev["end"] and ev["start"] < e for s, e in cues) for ev in reporting)
        out.append(dict(table=table, cue_ok=cue_ok, reporting=len(reporting), covered=covered))
    from contract import check

    out[0]["contract"] = check(reps) if out else ""
    return out


def reporting_text(per_doc: list[dict], splits) -> str:
    """How many of TimeBank's REPORTING events ("said", "told", "announced", "report") the attribution layer
    takes as a cue: its cue recall on news it was never trained or tuned on (TimeBank does not mark every
    attribution, "according to" is no event, so there is no precision to give)."""
    parts = []
    for split, idx in splits:
        n = sum(per_doc[i]["reporting"] for i in idx)
        c = sum(per_doc[i]["covered"] for i in idx)
        parts.append(f"{split} {c}/{n} ({c / max(n, 1):.1%})")
    return "- TimeBank's REPORTING events that are an attribution's cue: " + "; ".join(parts) + "\n"


def roles_text(per_doc: list[dict], splits) -> str:
    lines = ["| split | TimeBank links the time to | timeline: said | reported | narrated | not on the timeline | "
             "right role | right role, attribution's cue on TimeBank's reporting event |",
             "|---|---|---|---|---|---|---|---|"]
    for split, idx in splits:
        t = {k: sum(per_doc[i]["table"][k] for i in idx) for k in per_doc[0]["table"]}
        ok = {w: sum(per_doc[i]["cue_ok"][w] for i in idx) for w in ("said", "reported")}
        for want in ("said", "reported"):
            n = sum(t[(want, r)] for r in _ROLES)
            on = n - t[(want, "none")]
            right = t[(want, want)]
            what = "a reporting event (said then)" if want == "said" else "what a reporting event reports"
            lines.append(f"| {split} | {what} ({n}) | {t[(want, 'said')]} | {t[(want, 'reported')]} | "
                         f"{t[(want, 'narrated')]} | {t[(want, 'none')]} | {right}/{on} ({right / max(on, 1):.0%}) | "
                         f"{ok[want]}/{on} ({ok[want] / max(on, 1):.0%}) |")
    return "\n".join(lines) + "\n"


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
    roles = ""
    if not args.quick:
        t0 = time.perf_counter()
        per_doc = run_roles(docs)
        roles = (
            "\n### Timeline roles against TimeBank's links\n\n"
            "Where TimeBank links a time to a REPORTING event (a TLINK that puts the event at that time: \"said "
            "Tuesday\"), the timeline should place the time as `said`, naming the attribution whose cue is that "
            "event; where it links the time to an event that an EVIDENTIAL SLINK subordinates to a REPORTING "
            "event (\"said the port lost money in 1998\"), as `reported`. The whole pipeline reads each document "
            f"(`analyze_documents`, {time.perf_counter() - t0:.0f} s for all). TimeBank does not link every time "
            "to its events, so this counts only the linked times our times match; the roles were written "
            "looking at the rule-writing part only.\n\n"
            + roles_text(per_doc, (("all", range(len(docs))), ("held-out", held), ("rules written on", train)))
            + "\n### Attribution cues on TimeBank (issue 3, out of domain)\n\n"
            + reporting_text(per_doc, (("all", range(len(docs))),))
            + f"- these reports through `../shared/tools/check-report`: {per_doc[0]['contract']}\n"
        )
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
        + roles
    )
    print(md)
    if not args.quick:
        OUT.write_text(md)


if __name__ == "__main__":
    main()
