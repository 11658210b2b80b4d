"""Shared helpers for CLI tests: run the real command, validate reports with ../shared/tools/check-report."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CHECK_REPORT = SHARED / "tools" / "check-report"
REPORTEDLY = [sys.executable, "-m", "reportedly.cli"]


def run_cli(*args: str, input: bytes | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([*REPORTEDLY, *args], input=input, capture_output=True, timeout=timeout, env=env, cwd=ROOT)


def check_report(path_or_json: str | Path) -> str:
    """Run the contract's checker on a report file; fail the test with its output if it objects."""
    if not CHECK_REPORT.exists():
        pytest.skip("../shared/tools/check-report is not present")
    res = subprocess.run([sys.executable, str(CHECK_REPORT), str(path_or_json)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout
