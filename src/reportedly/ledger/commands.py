"""`reportedly ingest`, `reportedly claims`, `reportedly claim ID`: the claim ledger on the command line.

Plain functions with Typer annotations; ``cli.py`` registers them. ``python -m
reportedly.ledger.commands ingest|claims|claim ...`` runs them without the rest of the CLI.

``ingest`` takes what ``reportedly analyze`` takes, and also reports already made: a ``.json`` file
holding one report, or a ``.jsonl`` file of reports (as ``analyze --format json|jsonl`` writes them),
which are stored without being read again.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Iterator, Optional

import typer

from ..model import SCHEMA, Report

DB_HELP = "SQLAlchemy URL of the ledger (sqlite:///file.db, postgresql+psycopg://user:pw@host/db) or a SQLite file path. Default: $REPORTEDLY_DB, else sqlite:///reportedly.db"
ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".html.gz")


def _fail(msg: str, code: int = 2) -> None:
    typer.echo(f"reportedly: {msg}", err=True)
    raise typer.Exit(code)


def _open(db: Optional[str], embedder: str = "wordllama"):
    from .store import Ledger

    try:
        return Ledger(db, embedder=embedder)
    except Exception as exc:  # a bad URL, a server that is not there, a missing driver
        first = (str(exc).strip().splitlines() or [""])[0]
        _fail(f"cannot open the ledger {_shown(db)}: {type(exc).__name__}: {first}")


def _shown(db: Optional[str]) -> str:
    """The ledger's URL with any password masked."""
    from sqlalchemy.engine import make_url

    from .store import normalise_url

    try:
        return make_url(normalise_url(db)).render_as_string(hide_password=True)
    except Exception:
        return "(the given --db)"


def _report_file(path: Path) -> bool:
    if path.suffix not in (".json", ".jsonl") or not path.is_file():
        return False
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        head = fh.read(4096)
    return f'"schema": "{SCHEMA}"' in head or f'"schema":"{SCHEMA}"' in head


def _split_inputs(inputs: list[str]) -> tuple[list[Path], list[str]]:
    """(report files, inputs to read)."""
    reports, articles = [], []
    for spec in inputs:
        p = Path(spec)
        if spec != "-" and p.is_dir():
            found = sorted(q for q in p.rglob("*") if _report_file(q))
            reports.extend(found)
            if any(q.is_file() and q.name.lower().endswith(ARTICLE_SUFFIXES) for q in p.rglob("*")):
                articles.append(spec)
        elif spec != "-" and _report_file(p):
            reports.append(p)
        else:
            articles.append(spec)
    return reports, articles


def _iter_report_files(paths: list[Path]) -> Iterator[tuple[str, object]]:
    for p in paths:
        try:
            if p.suffix == ".jsonl":
                for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
                    if not line.strip():
                        continue
                    data = json.loads(line)
                    if "error" in data and "text" not in data:
                        continue  # a failure line of a batch
                    yield f"{p}:{n}", Report.model_validate(data)
            else:
                yield str(p), Report.model_validate_json(p.read_text(encoding="utf-8"))
        except Exception as exc:
            yield str(p), exc


def _iter_analysed(inputs: list[str], published: Optional[str], jobs: int) -> Iterator[tuple[str, object]]:
    if not inputs:
        return
    from ..api import iter_reports  # the reading pipeline, only when there is something to read

    for got in iter_reports(inputs, published=published, jobs=jobs):
        if isinstance(got, Report):
            yield (got.input.path or got.input.url or "-"), got
        else:
            yield getattr(got, "input", "?"), RuntimeError(getattr(got, "error", str(got)))


def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Articles (files, folders, URLs, -) or report JSON/JSONL files", show_default=False)],
    db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", min=1, help="Worker processes for reading (default: the machine's cores)")] = None,
    published: Annotated[Optional[str], typer.Option("--published", help="YYYY-MM-DD, for inputs that carry no date")] = None,
    embedder: Annotated[str, typer.Option("--embedder", help="Sentence embeddings for grouping claims: wordllama or minilm")] = "wordllama",
    pause: Annotated[float, typer.Option("--pause", hidden=True, help="Seconds to wait inside each article's transaction (crash tests)")] = 0.0,
) -> None:
    """Read articles and store them with their claims in the claim ledger (each article once)."""
    if embedder not in ("wordllama", "minilm"):
        _fail(f"--embedder {embedder!r}: use wordllama or minilm")
    if published is not None:
        import re

        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", published):
            _fail(f"--published {published!r}: give a date as YYYY-MM-DD")
    report_files, articles = _split_inputs(inputs)
    ledger = _open(db, embedder)
    stored = present = failed = 0
    try:
        sources = [_iter_report_files(report_files), _iter_analysed(articles, published, jobs or (os.cpu_count() or 1))]
        for source in sources:
            for name, got in source:
                if isinstance(got, Exception):
                    failed += 1
                    typer.echo(f"reportedly: {name}: {got}", err=True)
                    continue
                res = ledger.add(got, published=published, hold=pause)
                if res.status == "stored":
                    stored += 1
                    typer.echo(f"stored\t{name}\tarticle {res.article_id}\t{res.statements} statements\t{res.new_claims} new claims")
                else:
                    present += 1
                    typer.echo(f"present\t{name}\tarticle {res.article_id}")
                sys.stdout.flush()
        counts = ledger.counts()
    finally:
        ledger.close()
    typer.echo(
        f"reportedly: {stored} stored, {present} already there, {failed} failed; the ledger holds "
        f"{counts['articles']} articles, {counts['claims']} claims", err=True,
    )
    if failed:  # as `analyze`: the batch went on, and the exit status says something was unusable
        raise typer.Exit(2)


# --- output -------------------------------------------------------------------------------------

def _md_cell(s: object) -> str:
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def claims_markdown(rows: list[dict]) -> str:
    if not rows:
        return "No claims in the ledger." if rows is not None else ""
    out = ["| id | claim | support | deny | independent sources | articles | first seen |",
           "| ---: | --- | ---: | ---: | --- | ---: | --- |"]
    for r in rows:
        origins = f"{r['independent_sources']} ({', '.join(r['origins'])})" if r["origins"] else "0"
        out.append(f"| {r['id']} | {_md_cell(r['claim'])} | {r['supporters']} | {r['deniers']} | {_md_cell(origins)} | "
                   f"{r['articles']} | {r['first_seen'] or ''} |")
    return "\n".join(out)


def claims_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    cols = ["id", "claim", "supporters", "deniers", "others", "independent_sources", "origins", "denying_origins",
            "articles", "first_seen", "last_seen"]
    w.writerow(cols)
    for r in rows:
        w.writerow(["; ".join(r[c]) if isinstance(r[c], list) else ("" if r[c] is None else r[c]) for c in cols])
    return buf.getvalue()


def _chain(e: dict) -> str:
    return " <- ".join(e["chain"])


def claim_markdown(c: dict) -> str:
    lines = [f"# Claim {c['id']}", "", f"> {c['claim']}", ""]
    lines.append(f"- supported by {c['supporters']} statement(s) from {c['independent_sources']} independent "
                 f"source(s): {', '.join(c['origins']) or 'none'}")
    if c["relayed_by"]:
        lines.append(f"- relayed by: {', '.join(c['relayed_by'])}")
    lines.append(f"- denied by {c['deniers']} statement(s)" + (f" from {', '.join(c['denying_origins'])}" if c["denying_origins"] else ""))
    lines.append(f"- in {c['articles']} article(s), {c['first_seen'] or '?'} to {c['last_seen'] or '?'}")
    if c["about"]:
        lines.append(f"- about: {', '.join(c['about'])}")
    if c["disputed_by"]:
        lines.append("- the deniers' own account: " + "; ".join(
            f"{e['speaker']}: \"{e['text']}\" (claim {e['claim']})" for e in c["disputed_by"]))
    for title, key in (("Supporters", "supported_by"), ("Deniers", "denied_by"), ("Other statements", "other_statements")):
        if not c[key]:
            continue
        lines += ["", f"## {title}", "", "| date | said on | chain (outermost first) | stance | says | about | origin |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]
        for e in c[key]:
            lines.append(f"| {e['date'] or ''} | {e.get('said_on') or ''} | {_md_cell(_chain(e))} | {e['stance']} | "
                         f"{_md_cell(e['text'])} | {', '.join(e['about'])} | {_md_cell(e['origin'])} |")
    if c["timeline"]:
        lines += ["", "## Timeline", ""]
        for t in c["timeline"]:
            about = f" (about {', '.join(t['about'])})" if t["about"] else ""
            when = f"said {t['said_on']}, published {t['date'] or '?'}" if t.get("said_on") else (t["date"] or "undated")
            lines.append(f"- {when}: {t['outlet']}: {t['role']}: {' <- '.join(t['chain'])}: \"{t['text']}\"{about}")
    return "\n".join(lines)


def _print_md(text: str) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        typer.echo(text)


def claims(
    db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    query: Annotated[Optional[str], typer.Option("--query", help="Only claims whose text has every word of this")] = None,
    format: Annotated[str, typer.Option("--format", help="md, json or csv")] = "md",
) -> None:
    """List the claims in the ledger: supporters, deniers, independent sources."""
    if format not in ("md", "json", "csv"):
        _fail(f"--format {format!r}: use md, json or csv")
    ledger = _open(db)
    try:
        rows = ledger.claims(query=query)
    finally:
        ledger.close()
    if format == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif format == "csv":
        typer.echo(claims_csv(rows), nl=False)
    else:
        _print_md(claims_markdown(rows) if rows else ("No claims match." if query else "No claims in the ledger."))


def claim(
    claim_id: Annotated[int, typer.Argument(metavar="ID", help="A claim id from `reportedly claims`", show_default=False)],
    db: Annotated[Optional[str], typer.Option("--db", help=DB_HELP, show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", help="md or json")] = "md",
) -> None:
    """One claim: who supports it and who denies it, through whom (the chain), and when."""
    if format not in ("md", "json"):
        _fail(f"--format {format!r}: use md or json")
    ledger = _open(db)
    try:
        row = ledger.claim(claim_id)
    finally:
        ledger.close()
    if row is None:
        _fail(f"no claim {claim_id} in the ledger")
    if format == "json":
        typer.echo(json.dumps(row, ensure_ascii=False, indent=2))
    else:
        _print_md(claim_markdown(row))


def app() -> typer.Typer:
    a = typer.Typer(add_completion=False, no_args_is_help=True, help="The claim ledger.")
    a.command("ingest")(ingest)
    a.command("claims")(claims)
    a.command("claim")(claim)
    return a


def main() -> None:
    app()()


if __name__ == "__main__":
    main()
