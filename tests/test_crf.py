"""The numpy reader of crfsuite models (``read/crf.py``) against crfsuite itself."""
from __future__ import annotations

import random

import numpy as np
import pytest

pycrfsuite = pytest.importorskip("pycrfsuite")

from reportedly.model import Meta  # noqa: E402
from reportedly.read import crf  # noqa: E402
from reportedly.read.nlp import parse  # noqa: E402
from reportedly.read.qualify_features import DenseFeatures, crf_item  # noqa: E402


def _crfsuite_marginals(tagger, items, labels):
    tagger.set([crf_item(x) for x in items])
    return np.array([[tagger.marginal(lab, i) for lab in labels] for i in range(len(items))])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A small model trained here on random sequences of names and shared dense dicts, with names
    that the dump format cannot carry (a line break, a colon, non-ASCII)."""
    rng = random.Random(7)
    words = [f"w={w}" for w in ("a", "b", "c", "d", "line\nbreak", "x:y", "été", "z")]
    dense = [DenseFeatures({"x0": rng.uniform(-1, 1), "x1": rng.uniform(-1, 1)}) for _ in range(5)]
    labels = ["O", "B", "I"]

    def item():
        return [rng.choice(words), "b", rng.choice(dense)] if rng.random() < 0.7 else [rng.choice(words)]

    trainer = pycrfsuite.Trainer(verbose=False)
    for _ in range(60):
        n = rng.randint(1, 12)
        trainer.append([crf_item(item()) for _ in range(n)], [rng.choice(labels) for _ in range(n)])
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 60})
    path = tmp_path_factory.mktemp("crf") / "model.bin"
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    seqs = [[item() for _ in range(rng.randint(0, 15))] for _ in range(30)]
    return path, tagger, seqs


def test_marginals_agree_with_crfsuite(trained):
    path, tagger, seqs = trained
    model = crf.load(path)
    assert model is not None and sorted(model.labels) == ["B", "I", "O"]
    assert "w=line\nbreak" in model.rows and "w=été" in model.rows
    ours = model.marginals(seqs)
    assert [len(m) for m in ours] == [len(s) for s in seqs]
    for s, m in zip(seqs, ours):
        if s:
            np.testing.assert_allclose(m, _crfsuite_marginals(tagger, s, model.labels), atol=1e-9)
            np.testing.assert_allclose(m.sum(axis=1), 1.0)
    # a second pass reads the dense rows it made the first time and gives the same
    again = model.marginals(seqs)
    for a, b in zip(ours, again):
        np.testing.assert_array_equal(a, b)


def test_an_empty_batch_and_empty_sequences():
    model = crf.load(crf_model_path())
    assert model.marginals([]) == []
    out = model.marginals([[], []])
    assert [m.shape for m in out] == [(0, len(model.labels))] * 2


def test_a_file_that_is_no_model_gives_none(tmp_path):
    bad = tmp_path / "x.bin"
    bad.write_bytes(b"not a model at all")
    assert crf.load(bad) is None
    assert crf.load(tmp_path / "missing.bin") is None


def crf_model_path():
    from reportedly.read.qualify_model import MODEL_FILE, _model_dir

    return str(_model_dir() / MODEL_FILE)


def test_the_shipped_propaganda_model_reads_as_crfsuite_reads_it():
    from reportedly.read import qualify_model as qm

    tagger = qm.load_tagger()
    if tagger is None:
        pytest.fail("the shipped propaganda tagger (models/propaganda_crf.bin) does not load")
    text = ("The corrupt, treasonous thugs and their disgusting lies are destroying our great nation!\n\n"
            "The committee will meet on Tuesday at ten o'clock in the town hall, officials said.")
    parsed = parse(text, [], Meta())
    seqs = qm.sequences(parsed.doc, parsed.text, qm.load_clusters())
    slow = qm.token_probs(tagger, seqs)
    fast = qm.token_probs(tagger, seqs, qm.load_marginals())
    assert [len(s) for s in fast] == [len(s) for s in slow] and sum(map(len, fast)) > 20
    for a, b in zip(slow, fast):
        np.testing.assert_allclose(b, a, atol=1e-9)


def test_plain_dicts_are_refused_and_crfsuite_reads_them_instead(trained):
    """Dense features must be hashed by identity to be weighed once; a plain dict is refused, and the
    propaganda tagger then asks crfsuite."""
    from reportedly.read import qualify_model as qm

    path, tagger, seqs = trained
    model = crf.load(path)
    plain = [[[dict(f) if isinstance(f, dict) else f for f in item] for item in s] for s in seqs if s]
    assert any(type(f) is dict for s in plain for item in s for f in item)
    with pytest.raises(TypeError):
        model.marginals(plain)
    got = qm.token_probs(tagger, [(None, s) for s in plain], model)
    o = model.labels.index("O")
    want = [(1.0 - _crfsuite_marginals(tagger, s, model.labels)[:, o]) for s in plain]
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, atol=1e-9)


def test_threads_reading_at_once_get_what_one_thread_gets(trained):
    from concurrent.futures import ThreadPoolExecutor

    path, _, seqs = trained
    alone = crf.load(path).marginals(seqs)
    shared = crf.load(path)
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda _: shared.marginals(seqs), range(8)))
    for run in runs:
        for a, b in zip(run, alone):
            np.testing.assert_allclose(a, b, atol=1e-12)
