"""From a document to its report: language, parse, then the reading layers in order."""
from __future__ import annotations

import gc
import os
import threading
from collections import deque
from contextlib import contextmanager
from concurrent.futures import Future, ThreadPoolExecutor
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


_LAYERS_RUN: set[str] = set()  # layers that have read a document in this process: their libraries are loaded


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_saved: tuple[int, int, int] = (0, 0, 0)
GC_THRESHOLDS = (5000, 20, 20)


@contextmanager
def fewer_collections():
    """Python's cyclic collector less often while a document is parsed and read, the thresholds restored
    after. Why: reading an article makes and drops hundreds of thousands of small objects (spaCy tokens
    above all) and, at the default (700, 10, 10), the collector walked every live object, the loaded
    models' included, several times a run, with the GIL held: PolNeAR dev on 2 cores, 1.47 s of
    collections in a 39 s run, 0.39 s with these thresholds. Nothing is left uncollected, only later;
    a collector the process turned off stays off."""
    global _gc_depth, _gc_saved
    with _gc_lock:
        if _gc_depth == 0:
            _gc_saved = gc.get_threshold()
            if _gc_saved[0] > 0:
                gc.set_threshold(*(max(a, b) for a, b in zip(_gc_saved, GC_THRESHOLDS)))
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0:
                gc.set_threshold(*_gc_saved)


def _read(report: Report, parsed: Parsed, layers: Sequence[str]) -> Report:
    # numpy's BLAS on one thread, set once a document and again around a layer's first run, which may load
    # another BLAS (scipy's); the libraries are looked up anew only when a shared object was loaded since
    with one_blas_thread(), fewer_collections():
        for name in layers:
            if name in _LAYERS_RUN:
                part = get_layer(name)(parsed, report)
            else:
                with one_blas_thread():
                    part = get_layer(name)(parsed, report)
                _LAYERS_RUN.add(name)
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
    with fewer_collections():
        parsed = parse(report.text, report.removed, report.meta)
    return _read(report, parsed, layers)


# batches parsed and handed to the worker beyond the one it tags while the main thread reads: a spare keeps
# it fed when a batch takes it longer than the next parse (PolNeAR dev on 2 cores, three alternating runs:
# float32 24.7 -> 23.7 s, the second reading 29.7 -> 29.1 s, bf16 unchanged, 22.5 / 22.7 s)
SPARE_BATCHES = 1


def analyze_documents(docs: Iterable[Document], layers: Sequence[str] = DEFAULT_LAYERS, batch_size: int = 8):
    """Reports for many documents, parsing them in batches with ``nlp.pipe``; yields in input order.

    The attribution tagger (torch) runs in a worker thread: it tags a batch while this thread parses
    the next ones (``SPARE_BATCHES``) and reads the ones before (torch releases the GIL while it
    computes, spaCy's parse keeps one core), so on two cores the tagger hides behind the parse instead
    of adding to it. With the second reading, a batch's attributions are found one batch ahead of its
    reading, and the worker runs the span reader over them while this thread parses and reads the
    batches around it."""
    nlp = load_nlp()
    worker = _tagging_worker(layers)
    ahead = worker is not None and _reads_ahead()

    def parse_batch(batch: list[Report]):
        readable = [r for r in batch if _readable(r)]
        with fewer_collections():
            parsed = list(parse_many(((r.text, r.removed, r.meta) for r in readable), nlp=nlp,
                                     batch_size=batch_size))
        tagged = [worker.submit(tag_document, p) for p in parsed] if worker is not None else [None] * len(parsed)
        return batch, {id(r): [p, f] for r, p, f in zip(readable, parsed, tagged)}

    def find_batch(item):
        from .read import attribution as A

        with fewer_collections():
            for entry in item[1].values():
                p, tagged = entry
                try:
                    tagged.result()
                    A.find_ahead(p)
                except Exception as exc:  # surfaces at the document's turn, as it would have without read-ahead
                    entry[1] = _failed(exc)
                    continue
                entry[1] = worker.submit(A.read_ahead, p)

    def read_batch(item):
        batch, parsed_by_id = item
        for r in batch:
            if id(r) not in parsed_by_id:
                yield _unsupported(r)
                continue
            p, pending = parsed_by_id[id(r)]
            if pending is not None:
                pending.result()  # the tagger's (or the reader's) work is on the parse; an error in it surfaces here
            yield _read(r, p, layers)

    def batches():
        batch: list[Report] = []
        for doc in docs:
            batch.append(_start(doc))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    queue: deque = deque()  # parsed batches not read yet, oldest first
    try:
        for batch in batches():
            item = parse_batch(batch)  # parsed (and handed to the tagger) before the batches before are read
            if ahead and queue:
                find_batch(queue[-1])  # its tags are done or nearly: the reader can start on it
            while len(queue) >= (2 if ahead else 1) + SPARE_BATCHES:
                yield from read_batch(queue.popleft())
            queue.append(item)
        if ahead and queue:
            find_batch(queue[-1])
        while queue:
            yield from read_batch(queue.popleft())
    finally:
        if worker is not None:
            worker.shutdown(wait=True, cancel_futures=True)


def _reads_ahead() -> bool:
    from .read import attribution_spans as S

    return S.enabled() and S.available() and S.choice_model() is not None


def _failed(exc: BaseException) -> Future:
    f: Future = Future()
    f.set_exception(exc)
    return f


def tag_document(parsed: Parsed) -> None:
    from .read import attribution_tagger as T

    T.annotate(parsed.doc, parsed.masked)


def _tagging_worker(layers: Sequence[str]):
    """A one-thread executor for the attribution tagger, or None when it would not run (no attribution
    layer, no torch, REPORTEDLY_NO_TAGGER set, or a machine with one core, where it gains nothing)."""
    from .read import attribution_tagger as T

    if "attributions" not in layers or (os.cpu_count() or 1) < 2 or not T.available():
        return None
    return ThreadPoolExecutor(1, thread_name_prefix="reportedly-tagger", initializer=T.worker_threads)
