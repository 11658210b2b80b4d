"""From a document to its report: language, parse, then the reading layers in order."""
from __future__ import annotations

from typing import Iterable, Sequence

from .intake.document import Document
from .model import Report, kept_text
from .read.language import SUPPORTED, detect_language
from .read.nlp import Parsed, load_nlp, parse, parse_many
from .read.registry import DEFAULT_LAYERS, get_layer
from .read.threads import one_blas_thread


def _start(doc: Document) -> Report:
    meta = doc.meta.model_copy()
    if not meta.language:
        meta.language = detect_language(kept_text(doc.text, doc.removed))
    return Report(
        input=doc.input_ref, text=doc.text, removed=doc.removed, meta=meta, warnings=list(doc.warnings)
    )


def _read(report: Report, parsed: Parsed, layers: Sequence[str]) -> Report:
    for name in layers:
        with one_blas_thread():  # per layer: a layer may load another BLAS (scipy's) on first use
            part = get_layer(name)(parsed, report)
        report = report.model_copy(update=part)
    return report


def _readable(report: Report) -> bool:
    return report.meta.language in SUPPORTED or report.meta.language is None


def _unsupported(report: Report) -> Report:
    report.warnings.append(
        f"language {report.meta.language!r} is not read yet: entities, attributions, times and "
        "framing are left empty"
    )
    return report


def analyze_document(doc: Document, layers: Sequence[str] = DEFAULT_LAYERS) -> Report:
    report = _start(doc)
    if not _readable(report):
        return _unsupported(report)
    return _read(report, parse(report.text, report.removed, report.meta), layers)


def analyze_documents(docs: Iterable[Document], layers: Sequence[str] = DEFAULT_LAYERS, batch_size: int = 8):
    """Reports for many documents, parsing them in batches with ``nlp.pipe``; yields in input order."""
    nlp = load_nlp()
    batch: list[Report] = []

    def flush():
        readable = [r for r in batch if _readable(r)]
        parsed = parse_many(((r.text, r.removed, r.meta) for r in readable), nlp=nlp, batch_size=batch_size)
        parsed_by_id = dict(zip(map(id, readable), parsed))
        for r in batch:
            yield _read(r, parsed_by_id[id(r)], layers) if id(r) in parsed_by_id else _unsupported(r)

    for doc in docs:
        batch.append(_start(doc))
        if len(batch) >= batch_size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()
