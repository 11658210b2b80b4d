"""The claim ledger store, on SQLite and (when configured) PostgreSQL: the same suite on both."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIX = Path(__file__).resolve().parent / "fixtures" / "ledger"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
sys.path.insert(0, str(FIX))

from spec import build  # noqa: E402

from reportedly.ledger import commands  # noqa: E402
from reportedly.ledger.store import Ledger, article_key, ledger_dump  # noqa: E402
from reportedly.model import Report  # noqa: E402

NAMES = ["1_original", "2_syndicated", "3_rewrite", "4_confirmation", "5_denial"]


def report(name: str) -> Report:
    return Report.model_validate_json((FIX / "reports" / f"{name}.json").read_text())


def resignation(ledger: Ledger) -> dict:
    rows = [r for r in ledger.claims(query="Quimby resigned Monday scandal")]
    assert len(rows) == 1, rows
    return ledger.claim(rows[0]["id"])


@pytest.mark.parametrize("order", [NAMES, list(reversed(NAMES))], ids=["in-order", "reversed"])
def test_fixture_set_gives_supporters_deniers_and_independent_sources(ledger_url, order):
    with Ledger(ledger_url) as ledger:
        for name in order:
            assert ledger.add(report(name)).status == "stored"
        c = resignation(ledger)
    chains = sorted(" <- ".join(e["chain"]) for e in c["supported_by"])
    assert chains == [
        "City Wire <- a city hall spokesperson",  # the independent confirmation
        "Daily Planet",  # the original
        "Morning Herald <- Daily Planet",  # the rewrite citing the original, twice
        "Morning Herald <- Daily Planet",
        "NewsHub",  # the syndicated copy
    ]
    assert sorted((" <- ".join(e["chain"]), e["stance"]) for e in c["denied_by"]) == [
        ("Evening Post <- Joe Quimby", "assert"),  # "I have not resigned": content that negates the claim
        ("Evening Post <- Joe Quimby", "deny"),
    ]
    # the copy counts as its original, the rewrite as the outlet it cites: 2 independent origins
    assert c["independent_sources"] == 2
    assert c["origins"] == ["City Wire", "Daily Planet"]
    assert c["denying_origins"] == ["Evening Post"]
    assert c["relayed_by"] == ["Morning Herald", "NewsHub"]
    copy = next(e for e in c["supported_by"] if e["outlet"] == "NewsHub")
    assert copy["origin"] == "Daily Planet" and copy["copy_of"] is not None
    assert [t["date"] for t in c["timeline"]] == sorted(t["date"] for t in c["timeline"])


def test_unrelated_claims_stay_apart(ledger_url):
    with Ledger(ledger_url) as ledger:
        for name in NAMES:
            ledger.add(report(name))
        rows = ledger.claims()
    texts = [r["claim"] for r in rows]
    assert sum("resign" in t.lower() and "Monday after" in t for t in texts) == 1
    letter = next(r for r in rows if "resignation letter" in r["claim"])
    assert letter["supporters"] == 2 and letter["independent_sources"] == 1  # the original and its copy
    election = next(r for r in rows if "special election" in r["claim"])
    assert election["articles"] == 3 and election["deniers"] == 0


def test_an_article_is_stored_once_by_url_else_by_text(ledger_url):
    r = report("1_original")
    with Ledger(ledger_url) as ledger:
        assert ledger.add(r).status == "stored"
        assert ledger.add(r).status == "present"
        before = ledger.counts()
        no_url = r.model_copy(update={"meta": r.meta.model_copy(update={"url": None}),
                                      "input": r.input.model_copy(update={"url": None})})
        assert article_key(no_url) != article_key(r)
        assert ledger.add(no_url).status == "stored"  # same text, no URL: known by its text from now on
        assert ledger.add(no_url.model_copy()).status == "present"
        after = ledger.counts()
    assert before["articles"] == 1 and after["articles"] == 2
    # the second is an exact copy: it adds statements, not claims
    assert after["claims"] == before["claims"]


def test_reopening_keeps_everything_and_the_schema_is_at_head(ledger_url):
    with Ledger(ledger_url) as ledger:
        for name in NAMES[:2]:
            ledger.add(report(name))
        first = ledger_dump(ledger)
    with Ledger(ledger_url) as ledger:  # migrations run again: nothing to do
        assert ledger_dump(ledger) == first
        for name in NAMES[2:]:
            ledger.add(report(name))
        from sqlalchemy import text

        with ledger.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM reportedly_ledger_version")).scalar() == migrations_head()
        assert resignation(ledger)["independent_sources"] == 2


def migrations_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from reportedly.ledger.store import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_commands_ingest_claims_and_claim(ledger_url, tmp_path):
    runner = CliRunner()
    app = commands.app()
    files = [str(FIX / "reports" / f"{n}.json") for n in NAMES]
    res = runner.invoke(app, ["ingest", "--db", ledger_url, *files])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("stored\t") == 5
    res = runner.invoke(app, ["ingest", "--db", ledger_url, str(FIX / "reports")])
    assert res.exit_code == 0 and res.stdout.count("present\t") == 5
    res = runner.invoke(app, ["claims", "--db", ledger_url, "--format", "json", "--query", "quimby resigned monday scandal"])
    rows = json.loads(res.stdout)
    assert [r["independent_sources"] for r in rows] == [2]
    res = runner.invoke(app, ["claims", "--db", ledger_url, "--format", "csv"])
    assert res.stdout.splitlines()[0].startswith("id,claim,supporters,deniers")
    res = runner.invoke(app, ["claims", "--db", ledger_url])
    assert "| id | claim |" in res.stdout and "Quimby" in res.stdout
    res = runner.invoke(app, ["claim", str(rows[0]["id"]), "--db", ledger_url])
    assert res.exit_code == 0
    assert "## Deniers" in res.stdout and "Evening Post <- Joe Quimby" in res.stdout
    got = json.loads(runner.invoke(app, ["claim", str(rows[0]["id"]), "--db", ledger_url, "--format", "json"]).stdout)
    assert got["deniers"] == 2 and len(got["timeline"]) == 7
    res = runner.invoke(app, ["claim", "999999", "--db", ledger_url])
    assert res.exit_code == 2


def test_ingest_reports_bad_report_files_and_goes_on(ledger_url, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "reportedly.report/1", "text": 5}')
    res = CliRunner().invoke(commands.app(), ["ingest", "--db", ledger_url, str(bad), str(FIX / "reports" / "1_original.json")])
    assert res.exit_code == 2  # the batch goes on, the status says one input was bad
    assert "stored\t" in res.stdout and "bad.json" in res.stderr


def seed_report() -> Report:
    seed = SHARED / "seeds" / "000_82893141c41038f2.txt"
    if not seed.exists():
        pytest.skip("../shared/seeds/000_82893141c41038f2.txt not present")
    return build(json.loads((FIX / "specs" / "seed.json").read_text()), seed.read_text(encoding="utf-8"))


def test_seed_ledger_matches_the_gold(ledger_url):
    gold_path = SHARED / "gold" / "000_82893141c41038f2.json"
    if not gold_path.exists():
        pytest.skip("../shared/gold not present")
    gold = json.loads(gold_path.read_text())["ledger"]["claims"][0]
    with Ledger(ledger_url) as ledger:
        ledger.add(seed_report())
        rows = ledger.claims(query="Musk Putin")
        top = rows[0]
        c = ledger.claim(top["id"])
    assert "spoke" in c["claim"] and "Putin" in c["claim"]
    # >= 3 supporting attributions: The New Yorker (citing sources), Kahl's account, other sources, media reports
    assert c["supporters"] >= 3
    speakers = {e["chain"][1] for e in c["supported_by"]}
    assert {"The New Yorker", "Colin Kahl", "several other sources"} <= speakers
    assert any(e["chain"][-1] == "Elon Musk" and e["stance"] == "admit" for e in c["supported_by"])
    # Musk's denial of "negotiations" attaches as a denial
    assert [(e["chain"], e["stance"]) for e in c["denied_by"]] == [(["Obozrevatel", "Elon Musk"], "deny")]
    # ... and his own account right after it ("he had spoken to the Russian president before ... invasion")
    assert [(e["speaker"], e["text"][:26]) for e in c["disputed_by"]] == [("Elon Musk", "he had spoken to the Russi")]
    # one independent primary outlet, The New Yorker; Obozrevatel relays it
    assert c["independent_sources"] == gold["independent_primary_outlets"] == 1
    assert c["origins"] == gold["primary_outlets"]
    assert c["relayed_by"] == gold["relayed_by"]
    # the other gold claims stay claims of their own
    others = [r["claim"] for r in ledger_claims_texts(ledger_url) if r["id"] != top["id"]]
    assert any("Lloyd Austin approved a deal" in t for t in others)
    assert any("posted a proposal" in t for t in others)
    assert any("We have to negotiate" in t for t in others)


def ledger_claims_texts(url: str) -> list[dict]:
    with Ledger(url) as ledger:
        return ledger.claims()


def test_migrations_go_down_and_up_again(ledger_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from reportedly.ledger.store import MIGRATIONS

    with Ledger(ledger_url) as ledger:
        ledger.add(report("1_original"))
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with ledger.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert not {"ledger_article", "ledger_claim", "ledger_mention"} & set(inspect(ledger.engine).get_table_names())
    with Ledger(ledger_url) as ledger:  # opening runs them up again
        assert {"ledger_article", "ledger_claim", "ledger_mention"} <= set(inspect(ledger.engine).get_table_names())
        assert ledger.counts() == {"articles": 0, "claims": 0, "statements": 0}


def test_a_plain_path_is_a_sqlite_file(tmp_path, monkeypatch):
    from reportedly.ledger.store import default_url, normalise_url

    assert normalise_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    monkeypatch.setenv("REPORTEDLY_DB", "sqlite:///elsewhere.db")
    assert default_url() == normalise_url(None) == "sqlite:///elsewhere.db"
    monkeypatch.delenv("REPORTEDLY_DB")
    assert normalise_url(None) == "sqlite:///reportedly.db"


def test_articles_of_unknown_outlets_are_each_their_own_origin(ledger_url):
    def anonymous(text: str) -> Report:
        return Report.model_validate({"input": {"path": None, "url": None, "format": "text"}, "text": text})

    with Ledger(ledger_url) as ledger:
        ledger.add(anonymous("The Springfield city council approved the new budget on Tuesday evening."))
        ledger.add(anonymous("On Tuesday evening, the Springfield city council approved the new budget."))
        rows = ledger.claims(query="budget")
        assert len(rows) == 1
        c = ledger.claim(rows[0]["id"])
    assert c["supporters"] == 2 and c["independent_sources"] == 2
    assert {e["outlet"] for e in c["supported_by"]} == {"(unknown outlet)"}


def test_ingest_takes_jsonl_of_reports_and_skips_failure_lines(ledger_url, tmp_path):
    jl = tmp_path / "batch.jsonl"
    lines = [report(n).to_json(indent=None) for n in NAMES[:3]]
    lines.insert(1, json.dumps({"input": "gone.txt", "error": "not found"}))
    jl.write_text("\n".join(lines) + "\n")
    res = CliRunner().invoke(commands.app(), ["ingest", "--db", ledger_url, str(jl)])
    assert res.exit_code == 0, res.output
    assert res.stdout.count("stored\t") == 3
    with Ledger(ledger_url) as ledger:
        assert ledger.counts()["articles"] == 3


def test_merged_claims_keep_answering_under_their_old_id(ledger_url):
    from sqlalchemy import select

    from reportedly.ledger.store import Claim

    with Ledger(ledger_url) as ledger:
        # the denial and the rewrite first: "has resigned" and "stepped down after a scandal" start apart,
        # then the original's sentence shows they are one claim
        for name in reversed(NAMES):
            ledger.add(report(name))
        with ledger.Session() as s:
            gone = s.scalars(select(Claim.id).where(Claim.merged_into.is_not(None))).all()
        assert gone, "expected a merge in this order"
        kept = resignation(ledger)
        for g in gone:
            assert ledger.resolve(g) in {r["id"] for r in ledger.claims()}
        assert any(ledger.claim(g)["id"] == kept["id"] for g in gone)


def test_upgrading_an_older_ledger_keeps_its_rows(ledger_url):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from reportedly.ledger.store import MIGRATIONS, make_engine

    engine = make_engine(ledger_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_ledger")
    now = "2024-03-04 10:00:00"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO ledger_article (id, key, content_hash, minhash, shingles, copy_group, report, ingested_at) "
                          "VALUES (1, 'k', 'h', :mh, 0, 1, '{}', :now)"), {"mh": b"\0" * 8, "now": now})
        conn.execute(text("INSERT INTO ledger_claim (id, text, text_role, created_at) VALUES (1, 'a claim', 'plain', :now)"), {"now": now})
        conn.execute(text(
            "INSERT INTO ledger_mention (id, claim_id, article_id, text, norm, pred, start, \"end\", stance, negated, role, "
            "chain, entities, words, embedder, full_vec, pred_vec) VALUES (1, 1, 1, 'a claim', 'a claim', 'claim', 0, 7, "
            "'assert', false, 'support', '[]', '[]', '[]', 'wordllama', :v, :v)"), {"v": b"\0" * 8})
    engine.dispose()
    with Ledger(ledger_url) as ledger:  # opening upgrades to head
        assert ledger.counts() == {"articles": 1, "claims": 1, "statements": 1}
        with ledger.engine.connect() as conn:
            assert conn.execute(text("SELECT times FROM ledger_mention")).scalar() in ("[]", [])
            assert conn.execute(text("SELECT merged_into FROM ledger_claim")).scalar() is None
