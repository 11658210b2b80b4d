"""A real `ingest` process killed half-way (SIGKILL), then run again: every article stored exactly once,
the claims consistent, and the ledger the same as one uninterrupted run gives."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from reportedly.ledger.store import Article, Claim, Ledger, Mention, ledger_dump
from reportedly.model import Report

FIX = Path(__file__).resolve().parent / "fixtures" / "ledger" / "reports"
N_VARIANTS = 3


def write_inputs(folder: Path) -> list[str]:
    """15 report files: each fixture article in 3 versions (own URL, a line of its own at the end)."""
    files = []
    for k in range(N_VARIANTS):
        for p in sorted(FIX.glob("*.json")):
            r = Report.model_validate_json(p.read_text())
            meta = r.meta.model_copy(update={"url": f"{r.meta.url}?edition={k}"})
            r = r.model_copy(update={"meta": meta, "text": r.text + f"\n\nEdition {k} of this story was updated at {k + 7} o'clock."})
            out = folder / f"{k}_{p.name}"
            out.write_text(r.to_json())
            files.append(str(out))
    return files


def ingest_cmd(url: str, files: list[str], *extra: str) -> list[str]:
    return [sys.executable, "-m", "reportedly.ledger.commands", "ingest", "--db", url, *extra, *files]


def check_consistent(url: str) -> int:
    """Claims and statements agree; returns the number of articles."""
    with Ledger(url) as ledger, ledger.Session() as s:
        keys = s.scalars(select(Article.key)).all()
        assert len(keys) == len(set(keys))
        live = set(s.scalars(select(Claim.id).where(Claim.merged_into.is_(None))))
        used = set(s.scalars(select(Mention.claim_id).distinct()))
        assert used <= live  # no statement points at a missing or merged-away claim
        assert live <= used  # no claim without statements
        per_article = s.execute(select(Mention.article_id, Mention.start, Mention.end, Mention.attribution,
                                       func.count()).group_by(Mention.article_id, Mention.start, Mention.end,
                                                             Mention.attribution)).all()
        assert all(n == 1 for *_, n in per_article)  # no statement stored twice
        return len(keys)


def test_killed_ingest_resumes_without_loss_or_duplicates(ledger_url, tmp_path):
    files = write_inputs(tmp_path)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(ingest_cmd(ledger_url, files, "--pause", "0.3"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    stored = 0
    deadline = time.monotonic() + 60
    try:
        while stored < 3 and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            stored += line.startswith("stored\t")
        assert stored == 3, proc.stderr.read()
        # the 4th article is now inside its transaction (--pause holds it open): kill it there
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert check_consistent(ledger_url) == 3  # the 4th, uncommitted, left nothing behind

    again = subprocess.run(ingest_cmd(ledger_url, files), capture_output=True, text=True, env=env, timeout=120)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert sum(x.startswith("present\t") for x in lines) == 3
    assert sum(x.startswith("stored\t") for x in lines) == len(files) - 3
    assert check_consistent(ledger_url) == len(files)

    # the same ledger as one uninterrupted run over the same inputs
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    with Ledger(clean_url) as clean:
        for f in files:
            clean.add(Report.model_validate_json(Path(f).read_text()))
        want = ledger_dump(clean)
    with Ledger(ledger_url) as resumed:
        assert ledger_dump(resumed) == want
