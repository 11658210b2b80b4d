"""The reports a bench made, through the contract's own checker (../shared/tools/check-report)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHECKER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check-report"


def check(reports) -> str:
    """The checker's last line over these reports ("84 report(s), 0 problem(s)"), or why it did not run."""
    if not CHECKER.exists():
        return "../shared/tools/check-report is not present"
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump([json.loads(r.model_dump_json(by_alias=True)) for r in reports], fh)
    try:
        res = subprocess.run([sys.executable, str(CHECKER), fh.name], capture_output=True, text=True)
    finally:
        os.unlink(fh.name)
    return (res.stdout.strip().splitlines() or ["(no output)"])[-1]
