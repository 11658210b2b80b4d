"""End to end: the seed read by the real pipeline, stored in the ledger, gives the gold ledger's main claim."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportedly.ledger.store import Ledger

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "seeds" / "000_82893141c41038f2.txt"
GOLD = SHARED / "gold" / "000_82893141c41038f2.json"


@pytest.fixture(scope="module")
def seed_report(seed_analyzed):
    return seed_analyzed[0]


def test_seed_through_the_pipeline_gives_the_gold_ledger(seed_report, tmp_path):
    gold = json.loads(GOLD.read_text())["ledger"]["claims"][0]
    with Ledger(f"sqlite:///{tmp_path / 'seed.db'}") as ledger:
        assert ledger.add(seed_report).status == "stored"
        assert ledger.add(seed_report).status == "present"
        rows = ledger.claims(query="Musk Putin spoke")
        assert rows, "no claim that Musk spoke with Putin"
        c = ledger.claim(rows[0]["id"])
    assert c["supporters"] >= 3
    # what names the plan ("presenting his 'peace plan'") states nothing: it supports no claim about the call
    assert not any(e["text"].lower().lstrip("\"'“ ").startswith(("his", "a proposal")) for e in c["supported_by"])
    assert any(e["chain"][1] == "The New Yorker" for e in c["supported_by"])
    assert any(e["stance"] == "deny" and e["chain"][-1] == "Elon Musk" for e in c["denied_by"])
    assert any("before Russia's full-scale invasion" in e["text"] for e in c["disputed_by"])
    assert c["independent_sources"] == gold["independent_primary_outlets"]
    assert c["origins"] == gold["primary_outlets"]


def test_ingest_command_reads_articles_through_the_pipeline(seed_report, tmp_path):
    from typer.testing import CliRunner

    from reportedly.ledger import commands

    art = tmp_path / "quimby.txt"
    art.write_text("Springfield mayor Joe Quimby resigned on Monday, a city hall spokesperson confirmed.\n\n"
                   "Quimby had led the city for eleven years.\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    res = runner.invoke(commands.app(), ["ingest", "--db", db, "--jobs", "1", "--published", "2024-03-04", str(art)])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("stored\t")
    res = runner.invoke(commands.app(), ["ingest", "--db", db, "--jobs", "1", str(art), str(tmp_path / "missing.txt")])
    assert res.exit_code == 2 and res.stdout.startswith("present\t") and "missing.txt" in res.stderr
    rows = [r for r in __import__("json").loads(runner.invoke(commands.app(), ["claims", "--db", db, "--format", "json"]).stdout)]
    assert any("resigned" in r["claim"] and r["first_seen"] == "2024-03-04" for r in rows)


def test_a_claim_keeps_when_each_source_said_it_and_runs_in_that_order(tmp_path):
    """Two articles, published the other way round from when their sources spoke: the claim's timeline
    follows the sayings the articles date ("said on Tuesday", "said in March"), each with its publication
    date beside it."""
    from reportedly.intake.text import read_text
    from reportedly.pipeline import analyze_document

    def report(text: str, published: str, outlet: str):
        doc = read_text(text)
        doc.meta.published, doc.meta.outlet = published, outlet
        return analyze_document(doc)

    later = report("Port deal\n\nThe harbour master said on Tuesday that the port of Dunmore will close its "
                   "northern quay in June.\n", "2024-05-16", "Harbour Times")
    earlier = report("Quay news\n\nThe port of Dunmore will close its northern quay in June, the mayor of "
                     "Dunmore said in March.\n", "2024-05-20", "Coast Herald")
    with Ledger(f"sqlite:///{tmp_path / 'said.db'}") as ledger:
        ledger.add(later)
        ledger.add(earlier)
        rows = ledger.claims(query="northern quay")
        assert len(rows) == 1, rows
        c = ledger.claim(rows[0]["id"])
    said = {e["outlet"]: e["said_on"] for e in c["supported_by"]}
    assert said == {"Harbour Times": "2024-05-14", "Coast Herald": "2024-03"}
    # said in March, published on the 20th, comes before said on the 14th, published on the 16th
    assert [t["outlet"] for t in c["timeline"]] == ["Coast Herald", "Harbour Times"]
    assert [t["date"] for t in c["timeline"]] == ["2024-05-20", "2024-05-16"]
    from reportedly.ledger.commands import claim_markdown

    md = claim_markdown(c)
    assert "| date | said on |" in md and "| 2024-05-16 | 2024-05-14 |" in md
    assert "- said 2024-03, published 2024-05-20: Coast Herald" in md
