"""The command line: `reportedly analyze`, `schema`, `match`, and the ledger commands."""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    add_completion=False, no_args_is_help=True,
    help="Reads news the way a fact-checker does: who said what, on whose word, when, and how the outlet frames it.",
)


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    md = "md"
    html = "html"


def _say_error(input_name: str, reason: str) -> None:
    """One line on stderr naming the input and the reason."""
    print(f"reportedly: {input_name}: {reason}", file=sys.stderr)


def _check_date(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date: use YYYY-MM-DD") from None


@app.command()
def analyze(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help="files (.txt .html .htm .html.gz), folders, http(s) URLs, or - for standard input"),
    format: Optional[Format] = typer.Option(None, "--format", "-f", help="json | jsonl | md | html (default: md on a terminal, json otherwise)"),
    published: Optional[str] = typer.Option(None, "--published", help="publication date YYYY-MM-DD, when the input carries none", callback=_check_date),
    url: Optional[str] = typer.Option(None, "--url", help="the address the input came from"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="write here instead of standard output"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="worker processes for many inputs (default: the machine's cores)"),
    allow_private: bool = typer.Option(False, "--allow-private", help="let URLs reach private, loopback and link-local addresses"),
    engine: str = typer.Option("local", "--engine", help="local (worker processes) | ray (a Ray cluster)"),
    ray_address: Optional[str] = typer.Option(None, "--ray-address", help="Ray cluster to join ('auto', 'ray://host:10001'); default: start a local one"),
    second_reading: Optional[bool] = typer.Option(None, "--second-reading/--no-second-reading", help="read again with the cue-conditioned span reader the attributions whose content the tagger disputes (needs torch), or none; by default it does where the CPU has native bf16 (there it costs little) and not elsewhere; REPORTEDLY_SECOND_READING=all reads every one; the report's reading says which ran"),
) -> None:
    """Read articles and print their reports."""
    if engine not in ("local", "ray"):
        raise typer.BadParameter(f"unknown engine {engine!r}: use local or ray", param_hint="--engine")
    if second_reading is not None:
        from .read.attribution_spans import SWITCH

        os.environ[SWITCH] = "1" if second_reading else "0"  # worker processes and Ray tasks inherit it
    from .api import Failure, iter_reports

    out_stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    to_terminal = output is None and sys.stdout.isatty()
    fmt = format or (Format.md if to_terminal else Format.json)
    if inputs.count("-") > 1:
        raise typer.BadParameter("standard input (-) can be given once")
    from .intake import expand

    specs = list(expand(inputs))
    if not specs:
        _say_error(" ".join(inputs), "no .txt, .html, .htm or .html.gz files found")
        raise typer.Exit(2)
    single = len(specs) == 1
    njobs = 1 if single and engine == "local" else (jobs or os.cpu_count() or 1)
    failures = 0
    writer = Writer(out_stream, fmt.value, single)
    progress = _progress() if (sys.stderr.isatty() and not single) else None
    try:
        if progress:
            progress.start()
            task = progress.add_task("reading", total=len(specs))
        for item in iter_reports(specs, published=published, url=url, jobs=njobs, allow_private=allow_private,
                                 engine=engine, ray_address=ray_address):
            if isinstance(item, Failure):
                failures += 1
                _say_error(item.input, item.error)
            writer.write(item)
            if progress:
                progress.advance(task)
    finally:
        if progress:
            progress.stop()
        writer.close()
        if output:
            out_stream.close()
    if failures:
        raise typer.Exit(2)


class Writer:
    """Streams reports out as they come (bounded memory for big batches); HTML alone is one page at the end."""

    def __init__(self, stream, fmt: str, single: bool):
        self.stream, self.fmt, self.single = stream, fmt, single
        self.count = 0
        self.pages: list = []

    def write(self, item) -> None:
        from .api import Failure
        from .render import render_one

        failed = isinstance(item, Failure)
        if self.fmt == "jsonl":
            self.stream.write((json.dumps(item.to_dict(), ensure_ascii=False) if failed else item.to_json(indent=None)) + "\n")
        elif self.fmt == "json":
            if self.single:
                if not failed:
                    self.stream.write(item.to_json() + "\n")
                return
            body = json.dumps(item.to_dict(), ensure_ascii=False, indent=2)
            self.stream.write(("[\n" if self.count == 0 else ",\n") + body)
        elif self.fmt == "md" and not failed:
            self.stream.write(("\n\n---\n\n" if self.count else "") + render_one(item, "md"))
        elif self.fmt == "html" and not failed:
            self.pages.append(item)
        self.count += 1
        self.stream.flush()

    def close(self) -> None:
        from .render import render_html_page

        if self.fmt == "json" and not self.single:
            self.stream.write("\n]\n" if self.count else "[]\n")
        elif self.fmt == "md" and self.count:
            self.stream.write("\n")
        elif self.fmt == "html" and self.pages:
            self.stream.write(render_html_page(self.pages))


def _progress():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=Console(stderr=True), transient=True)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the report."""
    from .model import json_schema

    print(json.dumps(json_schema(), indent=2))


@app.command()
def match(
    claims: Path = typer.Option(..., "--claims", help="TSV of checked claims: header, id, text[, more columns]"),
    queries: Path = typer.Option(..., "--queries", help="TSV of queries: header, id, text"),
    top: int = typer.Option(5, "--top", min=1, help="claims to rank for each query"),
    backend: str = typer.Option("auto", "--embedder", help="auto | minilm | wordllama | bm25 (auto: MiniLM when torch is installed, else wordllama)"),
) -> None:
    """Rank already-checked claims for each query (TREC run format)."""
    from .ledger.match import run_match

    for path in (claims, queries):
        if not path.is_file():
            _say_error(str(path), "no such file")
            raise typer.Exit(2)
    try:
        for line in run_match(str(claims), str(queries), top=top, backend=backend):
            sys.stdout.write(line + "\n")
    except ValueError as exc:
        _say_error(f"{claims} / {queries}", str(exc))
        raise typer.Exit(2)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", help="port to listen on"),
    db: Optional[str] = typer.Option(None, "--db", help="ledger database URL (default: $REPORTEDLY_DB or sqlite:///reportedly.db)"),
) -> None:
    """Serve the web UI: annotated articles, provenance graph, timeline, and the ledger."""
    import uvicorn

    from .web.app import create_app

    uvicorn.run(create_app(db), host=host, port=port, log_level="info")


def _register_ledger() -> None:
    try:
        from .ledger import commands
    except ImportError:
        return
    for name in ("ingest", "claims", "claim"):
        fn = getattr(commands, name, None)
        if fn is not None:
            app.command(name)(fn)


_register_ledger()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
