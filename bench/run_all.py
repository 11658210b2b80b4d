"""`make bench`: run every evaluation in bench/ and gather their results into BENCHMARKS.md.

Each bench/<name>.py measures one layer on a dev split of ../shared/data (side by side with its
baseline) and writes bench/results/<name>.md; this script runs them one after another (they share
two cores, so never in parallel) and writes the assembled BENCHMARKS.md.
"""
from __future__ import annotations

import datetime as dt
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHES = ["wcxb", "polnear", "entities", "timebank", "ptc", "claim_retrieval", "ledger"]  # in BENCHMARKS.md order


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), platform.processor())
    import os

    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def main(argv: list[str]) -> int:
    assemble_only = "--assemble-only" in argv  # gather the results already written, run nothing
    only = {a for a in argv if not a.startswith("--")} or None
    failed = []
    for name in BENCHES if not assemble_only else []:
        script = ROOT / "bench" / f"{name}.py"
        if not script.exists() or (only and name not in only):
            continue
        print(f"== bench/{name}.py", flush=True)
        t = time.time()
        res = subprocess.run([sys.executable, str(script)], cwd=ROOT)
        print(f"== bench/{name}.py: exit {res.returncode} in {time.time() - t:.0f} s", flush=True)
        if res.returncode:
            failed.append(name)
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`.venv/bin/python bench/run_all.py [NAME...] [--assemble-only]`), which runs each",
        "`bench/<name>.py` on the dev splits in `../shared/data` and gathers `bench/results/<name>.md`.",
        "Every speed figure is a ratio against a baseline run side by side in the same command.",
        "",
        f"Last assembled: {dt.date.today().isoformat()} on {machine()}.",
    ]
    for name in BENCHES:
        frag = ROOT / "bench" / "results" / f"{name}.md"
        if frag.exists():
            parts += ["", frag.read_text(encoding="utf-8").strip()]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts) + "\n", encoding="utf-8")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
