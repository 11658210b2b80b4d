"""Shared fixtures: ledger databases.

``ledger_url`` runs a test on SQLite always, and on PostgreSQL too when REPORTEDLY_TEST_PG_URL is
set (``eval "$(.ci/postgres.sh)"``): each PostgreSQL test gets a schema of its own, dropped after.
"""
from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

PG_ENV = "REPORTEDLY_TEST_PG_URL"


def _pg_url(schema: str) -> str:
    base = os.environ[PG_ENV]
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_url(request, tmp_path):
    """A fresh, empty ledger database URL (SQLite file, or a PostgreSQL schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    if not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} (see .ci/postgres.sh)")
    from sqlalchemy import create_engine, text

    schema = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(os.environ[PG_ENV])
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_url(schema)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


# ------------------------------------------------------------------ the seed, read by the real intake

SHARED = __import__("pathlib").Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
GOLD = SHARED / "gold" / "000_82893141c41038f2.json"


@pytest.fixture(scope="session")
def seed_analyzed():
    """(report, gold) for the canonical example, read as `reportedly analyze SEED --published 2023-08-22` does."""
    if not (SEED.exists() and GOLD.exists()):
        pytest.skip("../shared seed and gold are not present")
    import json

    import reportedly

    report = reportedly.analyze(SEED, published="2023-08-22")
    return report, json.loads(GOLD.read_text(encoding="utf-8"))
