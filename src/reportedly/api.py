"""The Python API: ``analyze`` one article, ``iter_reports`` for many (in parallel if asked)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from .engine_ray import run_on_ray
from .errors import InputError
from .intake import Document, expand, from_bytes, is_url, load, read_text
from .model import Report
from .pipeline import analyze_document, analyze_documents


@dataclass
class Failure:
    """An input that could not be read; a batch reports it and goes on."""

    input: str
    error: str

    def to_dict(self) -> dict:
        return {"input": self.input, "error": self.error}


def _with_date(doc: Document, published: str | None, url: str | None) -> Document:
    if published and not doc.meta.published:
        doc.meta.published = published
    if url and not doc.meta.url:
        doc.meta.url = url
        doc.url = doc.url or url
    return doc


def analyze(source: Union[str, Path, bytes], published: str | None = None, url: str | None = None,
            allow_private: bool = False) -> Report:
    """Read one article and return its report.

    ``source``: a path (str or Path), an http(s) URL, raw bytes (text or HTML, sniffed), or, for a
    str that is neither an existing path nor a URL, the article text itself.
    ``published`` (YYYY-MM-DD) anchors relative times when the input carries no date.
    Raises ``InputError`` for unusable input.
    """
    if isinstance(source, bytes):
        doc = from_bytes(source, url=url)
    elif isinstance(source, Path) or (isinstance(source, str) and (is_url(source) or _is_path(source))):
        doc = load(str(source), url=url, allow_private=allow_private)
    elif isinstance(source, str):
        if not source.strip():
            raise InputError("empty: no text in it")
        doc = read_text(source, url=url)
    else:
        raise TypeError(f"analyze() takes a path, URL, bytes or text, not {type(source).__name__}")
    return analyze_document(_with_date(doc, published, url))


def _is_path(s: str) -> bool:
    return "\n" not in s and len(s) < 4096 and os.path.exists(s)


def _load_one(spec: str, published: str | None, url: str | None, allow_private: bool) -> Document | Failure:
    try:
        return _with_date(load(spec, url=url, allow_private=allow_private), published, url)
    except InputError as exc:
        return Failure(input=spec, error=exc.reason)


def _internal(spec: str, exc: Exception) -> Failure:
    # A reading bug must not sink the batch: say which input hit it, and go on.
    return Failure(input=spec, error=f"internal error while reading: {type(exc).__name__}: {exc}")


def _work(args) -> dict:
    """One input, in a worker process: the report (as a dict) or the failure."""
    spec, published, url, allow_private = args
    try:
        got = _load_one(spec, published, url, allow_private)
        if isinstance(got, Failure):
            return {"failure": got.to_dict()}
        return {"report": analyze_document(got).to_dict()}
    except Exception as exc:
        return {"failure": _internal(spec, exc).to_dict()}


def _init_worker(torch_threads: int = 0) -> None:
    from .read.nlp import load_nlp

    load_nlp()  # once per worker process
    if torch_threads:
        # the workers share the cores: torch's own pool in each would oversubscribe them
        from .read.attribution_tagger import limit_threads

        limit_threads(torch_threads)


def iter_reports(inputs: Iterable[str], published: str | None = None, url: str | None = None,
                 jobs: int | None = None, allow_private: bool = False, engine: str = "local",
                 ray_address: str | None = None) -> Iterator[Report | Failure]:
    """Reports for many inputs (files, folders, URLs, `-`), each a Report or a Failure.
    With ``jobs`` > 1 the inputs are read in that many worker processes, and reports arrive in
    the order they finish; with ``jobs=1`` they arrive in input order. ``engine="ray"`` spreads
    them over a Ray cluster (``ray_address``: None starts a local one, "auto" joins a running one)."""
    specs = expand(list(inputs))
    if engine == "ray":
        for out in run_on_ray(specs, (published, url, allow_private), address=ray_address, parallelism=jobs):
            yield Failure(**out["failure"]) if "failure" in out else Report.model_validate(out["report"])
        return
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r}: use 'local' or 'ray'")
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1:
        yield from _serial(specs, published, url, allow_private)
        return
    import multiprocessing as mp

    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ctx.Pool(jobs, initializer=_init_worker, initargs=(max(1, (os.cpu_count() or 1) // jobs),)) as pool:
        for out in pool.imap_unordered(_work, ((s, published, url, allow_private) for s in specs), chunksize=1):
            if "failure" in out:
                yield Failure(**out["failure"])
            else:
                yield Report.model_validate(out["report"])


def _serial(specs: Iterable[str], published, url, allow_private) -> Iterator[Report | Failure]:
    pending: list[tuple[str, Document]] = []

    def flush():
        try:
            reports = list(analyze_documents([d for _, d in pending]))
        except Exception:  # find the input at fault: read the batch one by one
            reports = []
            for spec, doc in pending:
                try:
                    reports.append(analyze_document(doc))
                except Exception as exc:
                    reports.append(_internal(spec, exc))
        pending.clear()
        yield from reports

    for spec in specs:
        try:
            got = _load_one(spec, published, url, allow_private)
        except Exception as exc:
            got = _internal(spec, exc)
        if isinstance(got, Failure):
            yield got
            continue
        pending.append((spec, got))
        if len(pending) >= 8:
            yield from flush()
    if pending:
        yield from flush()
