"""The pipeline around the layers: language gate, masking of removed text, sentence boundaries, progress."""
import os
import pty
import subprocess
import sys
import threading

import pytest

from reportedly.intake.document import Document
from reportedly.model import Meta, Removed
from reportedly.pipeline import analyze_document, analyze_documents
from reportedly.read.nlp import load_nlp, mask

from clitools import ROOT


def test_unsupported_language_is_reported_with_empty_layers_and_one_warning():
    text = ("Der Bürgermeister sagte am Montag, die Brücke werde im Juni wieder geöffnet. "
            "Nach Angaben der Zeitung hatten Ingenieure schon im März vor Rissen gewarnt.")
    report = analyze_document(Document(text=text, format="text"))
    assert report.meta.language == "de"
    assert report.attributions == [] and report.times == [] and report.entities == []
    assert len(report.warnings) == 1 and "'de'" in report.warnings[0]
    assert report.reading is None  # nothing was read, so no reading to tell of


def test_mask_keeps_offsets_and_newlines():
    text = "Keep this.\nCut this line\nKeep that."
    cut = Removed.of(text, 11, 24, reason="promo")
    masked = mask(text, [cut])
    assert len(masked) == len(text)
    assert masked[11:24].strip() == "" and masked.count("\n") == 2
    assert masked[:11] == text[:11] and masked[24:] == text[24:]


def test_headline_and_standfirst_are_sentences_of_their_own():
    doc = load_nlp()("Mayor resigns after audit - Daily Bugle\n\nCity reports that the audit found gaps\n"
                     "The mayor resigned on Monday. She said she had done nothing wrong.")
    sents = [s.text.strip() for s in doc.sents]
    assert sents[0] == "Mayor resigns after audit - Daily Bugle"
    assert sents[1] == "City reports that the audit found gaps"
    assert "The mayor resigned on Monday." in sents


def test_batch_reading_gives_the_same_reports_as_one_by_one():
    texts = [
        "Ministers met on Friday. The minister said the talks had failed.",
        "Le ministre a dit que les négociations avaient échoué vendredi dernier à Paris.",
        "Police said two people were hurt. According to witnesses, the car was speeding.",
    ]
    docs = [Document(text=t, format="text", meta=Meta(published="2024-03-01")) for t in texts]
    batch = list(analyze_documents(docs, batch_size=2))
    single = [analyze_document(d) for d in docs]
    assert [r.to_dict() for r in batch] == [r.to_dict() for r in single]


def test_batches_tag_in_a_worker_thread_beside_the_parse(monkeypatch):
    import pytest

    from reportedly.read import attribution_tagger as T

    if not T.available() or (os.cpu_count() or 1) < 2:
        pytest.skip("the tagger needs torch and two cores to run beside the parse")
    seen = []
    real = T.annotate

    def spy(doc, text=None):
        seen.append(threading.current_thread().name)
        return real(doc, text)

    monkeypatch.setattr(T, "annotate", spy)
    docs = [Document(text=f"Minister {n} said the talks had failed.", format="text") for n in "ABCDE"]
    reports = list(analyze_documents(docs, batch_size=2))
    assert len(reports) == 5 and all(r.attributions for r in reports)
    assert len(seen) == 5 and all(name.startswith("reportedly-tagger") for name in seen)
    assert threading.active_count() == 1 or not any(
        t.name.startswith("reportedly-tagger") for t in threading.enumerate())  # the worker is gone after


def test_progress_bar_on_a_terminal_only(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Report {i}\n\nThe council said on Monday that item {i} passed.\n")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "reportedly.cli", "analyze", str(tmp_path), "--jobs", "1",
                             "--format", "jsonl"], stdout=subprocess.PIPE, stderr=slave, cwd=ROOT,
                            env=dict(os.environ, COLUMNS="100", TERM="xterm"))
    os.close(slave)
    chunks = []

    def drain():  # read the terminal while the run goes on: a full pty buffer would block the bar's writes
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    out, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    assert proc.returncode == 0
    assert len(out.decode().splitlines()) == 3
    assert b"reading" in b"".join(chunks)  # the Rich progress bar went to the terminal


def test_reading_runs_numpy_blas_on_one_thread_and_restores_it(monkeypatch):
    """numpy's BLAS threads spin after each product and starve torch and spaCy on small machines."""
    threadpoolctl = __import__("pytest").importorskip("threadpoolctl")
    import numpy  # noqa: F401  (loads numpy's BLAS, so that "restored" has something to compare)

    from reportedly import pipeline

    def blas_threads():
        return {i["num_threads"] for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"}

    before = blas_threads()
    seen = []
    real = pipeline.get_layer

    def spy(name):
        layer = real(name)

        def wrapped(parsed, report):
            seen.append(blas_threads())
            return layer(parsed, report)
        return wrapped

    monkeypatch.setattr(pipeline, "get_layer", spy)
    monkeypatch.setattr(pipeline, "_LAYERS_RUN", set())
    # the first document looks the libraries up around each layer, the next ones once a document
    for _ in range(2):
        analyze_document(Document(text="The mayor said on Monday that the bridge would reopen in June.", format="text"))
    assert len(seen) == 2 * len(pipeline.DEFAULT_LAYERS) and all(s <= {1} for s in seen)
    assert pipeline._LAYERS_RUN == set(pipeline.DEFAULT_LAYERS)
    assert blas_threads() == before


def test_parse_cache_fingerprint_follows_the_tokenizer():
    """Training caches of parses are keyed by it: a new tokenizer exception must give a new key."""
    import spacy
    from spacy.symbols import ORTH

    from reportedly.read.nlp import fingerprint

    nlp = spacy.blank("en")
    before = fingerprint(nlp)
    assert fingerprint(spacy.blank("en")) == before
    nlp.tokenizer.add_special_case("Capt.", [{ORTH: "Capt."}])
    assert fingerprint(nlp) != before


def test_markdown_says_when_an_attribution_has_no_content():
    """The pipeline gives every attribution content (the contract wants it), but a report from elsewhere
    may hold one without: a source and cue without words of theirs read as a line of its own, not as a
    blank after the colon."""
    from reportedly.render.markdown import render_markdown

    rep = analyze_document(Document(text="The mayor said the bridge would reopen.", format="text"))
    assert rep.attributions and all(a.content for a in rep.attributions)
    bare = rep.attributions[0].model_copy(update={"content": []})
    rep = rep.model_copy(update={"attributions": [bare]})
    line = next(x for x in render_markdown(rep).splitlines() if x.startswith(f"- {bare.id} "))
    assert line.endswith("(no content found)")


def test_the_blas_lookup_is_kept_until_the_process_loads_a_shared_object(monkeypatch):
    """Finding the BLAS libraries costs milliseconds a document; it is redone only when the count of
    loaded shared objects moves (a library loaded without a Python import is still found)."""
    __import__("pytest").importorskip("threadpoolctl")
    from reportedly.read import threads

    counts = iter([100, 100, 101, 101, None, None])
    made = []
    import threadpoolctl

    class Counting(threadpoolctl.ThreadpoolController):
        def __init__(self):
            made.append(1)
            super().__init__()

    monkeypatch.setattr(threadpoolctl, "ThreadpoolController", Counting)
    monkeypatch.setattr(threads, "_loaded_objects", lambda: next(counts))
    monkeypatch.setattr(threads, "_cached", None)
    for expected in (1, 1, 2, 2, 3, 4):  # same count: kept; a new count: made again; no count: each time
        with threads.one_blas_thread():
            pass
        assert len(made) == expected


def test_loading_a_shared_object_moves_the_count():
    import subprocess
    import sys

    code = ("from reportedly.read.threads import _loaded_objects as n; a = n(); import _decimal, _sqlite3, _ssl; "
            "b = n(); print(a, b)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    if sys.platform.startswith("linux"):
        a, b = map(int, out.stdout.split())
        assert 0 < a < b
    else:
        assert out.stdout.split() == ["None", "None"]


@pytest.mark.parametrize("preset,expected", [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_torch_threads_sleep_between_products_unless_told_otherwise(preset, expected):
    """Importing reportedly tells OpenMP (torch's threads) to sleep rather than spin between products, so
    the tagger's worker does not take the parse's core; a value the caller set is kept."""
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if preset is not None:
        env["OMP_WAIT_POLICY"] = preset
    out = subprocess.run([sys.executable, "-c", "import os, reportedly; print(os.environ['OMP_WAIT_POLICY'])"],
                         env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == expected


def test_the_collector_runs_less_often_while_reading_and_is_restored_after():
    import gc

    from reportedly.pipeline import GC_THRESHOLDS, fewer_collections

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with fewer_collections():
            assert gc.get_threshold() == GC_THRESHOLDS
            with fewer_collections():  # nested (the worker and the main thread): restored by the outermost
                pass
            assert gc.get_threshold() == GC_THRESHOLDS
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0, 10, 10)  # a process that turned the collector off keeps it off
        with fewer_collections():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("tagger,second,reader,expected", [
    ("bf16", "disputed", "bf16", "the contextual tagger (bf16), a second reading (disputed, bf16)"),
    ("fp32", "disputed", "int8", "the contextual tagger (fp32), a second reading (disputed, int8)"),
    ("fp32", "off", None, "the contextual tagger (fp32)"),
    (None, "all", "int8", "the rules alone"),
])
def test_markdown_and_html_say_how_the_attributions_were_read(tagger, second, reader, expected):
    from reportedly.model import Reading
    from reportedly.render.html import render_html
    from reportedly.render.markdown import render_markdown

    rep = analyze_document(Document(text="The mayor said the bridge would reopen.", format="text"))
    rep = rep.model_copy(update={"reading": Reading(tagger=tagger, second_reading=second, reader=reader)})
    line = next(x for x in render_markdown(rep).splitlines() if x.startswith("- **Read with**"))
    assert line.startswith("- **Read with**: " + expected)
    assert ("second reading" in line) == (second != "off")
    assert "Read with: " + expected.split(",")[0] in render_html([rep])
