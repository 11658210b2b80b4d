"""What a rule switch of ``reportedly.read.attribution_rules`` does to the rules' own reading of PolNeAR.

    .venv/bin/python scripts/ablate_attribution_rules.py [--split train] FLAG [FLAG ...]

For every gold attribution whose cue the rules find (same first character), whether the rules' content
is exactly the gold content (all pieces), and for every gold cue whether the rules find exactly it, with
the named module switches off and then on; prints the counts gained and lost. The rules alone, before
any model: a construct's effect before the models that follow are refitted to it
(scripts/train_attribution.py). Data: ../shared/data/polnear (research use).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "src"))

from train_attribution import parsed_docs  # noqa: E402

from reportedly.read import attribution_rules as R  # noqa: E402


def exact_contents(pairs, flags: list[str], on: bool) -> tuple[set, int]:
    """(the (article, attribution) pairs read exactly, the gold attributions whose cue was found)."""
    for f in flags:
        setattr(R, f, on)
    exact, found = set(), 0
    for di, (g, doc) in enumerate(pairs):
        by_cue = {r.cue[0]: r for r in R.find(doc, g.text)}
        for k, a in enumerate(g.attrs):
            r = by_cue.get(a.cue[0][0])
            if r is None or not a.content:
                continue
            found += 1
            if [tuple(p) for p in r.content] == [tuple(p) for p in a.content]:
                exact.add((di, k))
    return exact, found


def exact_cues(pairs, flags: list[str], on: bool) -> set:
    """The (article, attribution) pairs whose gold cue the rules find exactly (a switch that moves a cue's
    start, which ``exact_contents`` keys on, shows here)."""
    for f in flags:
        setattr(R, f, on)
    exact = set()
    for di, (g, doc) in enumerate(pairs):
        found = {r.cue for r in R.find(doc, g.text)}
        exact.update((di, k) for k, a in enumerate(g.attrs) if len(a.cue) == 1 and tuple(a.cue[0]) in found)
    return exact


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("flags", nargs="+", help="module switches of attribution_rules, e.g. SANDWICH")
    args = ap.parse_args()
    for f in args.flags:
        if not isinstance(getattr(R, f, None), bool):
            sys.exit(f"{f}: not a switch of reportedly.read.attribution_rules")
    pairs = parsed_docs(args.split)
    off, n_off = exact_contents(pairs, args.flags, False)
    on, n_on = exact_contents(pairs, args.flags, True)
    print(f"{args.split}, {' '.join(args.flags)}: exact contents {len(off)} off, {len(on)} on "
          f"(gained {len(on - off)}, lost {len(off - on)}); gold cues found {n_off} off, {n_on} on")
    cues_off, cues_on = exact_cues(pairs, args.flags, False), exact_cues(pairs, args.flags, True)
    print(f"{args.split}, {' '.join(args.flags)}: exact cues {len(cues_off)} off, {len(cues_on)} on "
          f"(gained {len(cues_on - cues_off)}, lost {len(cues_off - cues_on)})")


if __name__ == "__main__":
    main()
