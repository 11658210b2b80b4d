"""The shipped propaganda-span tagger: a linear-chain CRF (python-crfsuite) over
``qualify_features``, trained by scripts/train_propaganda.py on the PTC corpus (SemEval-2020
task 11, training articles less a fixed held-out fifth).

``propaganda_spans(doc, text)`` gives character spans with the tagger's confidence; the qualify
layer decides what they are and whose voice they are in.
"""
from __future__ import annotations

import functools
import json
import math
from importlib import resources
from typing import TYPE_CHECKING

from .qualify_features import WordClusters, add_sentence_scores, crf_item, sentence_features, sequences

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODEL_FILE = "propaganda_crf.bin"
CONFIG_FILE = "propaganda_crf.json"
SENT_FILE = "propaganda_sent.json"
CLUSTER_FILE = "propaganda_clusters.npz"
# Decoding defaults; the training script writes the tuned ones into CONFIG_FILE.
DEFAULTS = {"threshold": 0.3, "bridge": 1, "min_chars": 3}

_EDGE_TRIM = " \n.,:;"


def _model_dir():
    return resources.files("reportedly") / "models"


@functools.lru_cache(maxsize=None)
def load_tagger(path: str | None = None):
    """A pycrfsuite.Tagger for the shipped model (or ``path``); None when it cannot be had."""
    try:
        import pycrfsuite
    except ImportError:  # pragma: no cover - dependency missing
        return None
    p = path or str(_model_dir() / MODEL_FILE)
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(p)
    except (OSError, ValueError):
        return None
    return tagger


@functools.lru_cache(maxsize=None)
def decoding() -> dict:
    cfg = dict(DEFAULTS)
    try:
        cfg.update(json.loads((_model_dir() / CONFIG_FILE).read_text(encoding="utf-8")).get("decoding", {}))
    except (OSError, ValueError):
        pass
    return cfg


class SentenceScorer:
    """A logistic regression over ``sentence_features``: P(the sentence holds a propaganda span)."""

    def __init__(self, bias: float, weights: dict[str, float]):
        self.bias, self.weights = bias, weights

    @classmethod
    def from_json(cls, obj: dict) -> "SentenceScorer":
        return cls(obj["bias"], obj["weights"])

    def score(self, toks) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in sentence_features(toks))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@functools.lru_cache(maxsize=None)
def load_sentence_scorer() -> SentenceScorer | None:
    try:
        return SentenceScorer.from_json(json.loads((_model_dir() / SENT_FILE).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError):
        return None


@functools.lru_cache(maxsize=None)
def load_clusters() -> WordClusters | None:
    """The word clusters the tagger was trained with (None if not shipped or wordllama is missing)."""
    try:
        import numpy as np

        with (_model_dir() / CLUSTER_FILE).open("rb") as fh:
            z = np.load(fh)
            proj = z["proj"].astype(np.float32) if "proj" in z.files else None
            wc = WordClusters(z["fine"].astype(np.float32), z["coarse"].astype(np.float32), proj)
        wc._model()
        return wc
    except Exception:  # noqa: BLE001 - no clusters: the tagger runs without those features
        return None


@functools.lru_cache(maxsize=None)
def load_marginals(path: str | None = None):
    """The numpy reader of the shipped model's weights (``read.crf``), or None (then crfsuite reads)."""
    from .crf import load

    return load(path or str(_model_dir() / MODEL_FILE))


def token_probs(tagger, seqs, marginals=None) -> list[list[float]]:
    """P(token is inside a propaganda span) for every token of every sequence; from ``marginals``
    (a ``crf.ChainCRF`` of the same model) when given, else from crfsuite itself."""
    if marginals is not None and "O" in marginals.labels:
        o = marginals.labels.index("O")
        try:
            return [(1.0 - m[:, o]).tolist() for m in marginals.marginals([feats for _, feats in seqs])] if seqs else []
        except TypeError:  # dense features in plain dicts, not ``DenseFeatures``: crfsuite reads them
            pass
    out = []
    labels = set(tagger.labels())
    for _, feats in seqs:
        tagger.set([crf_item(f) for f in feats])
        probs = []
        for i in range(len(feats)):
            p_o = tagger.marginal("O", i) if "O" in labels else 0.0
            probs.append(1.0 - p_o)
        out.append(probs)
    return out


def decode(text: str, seqs, probs, threshold: float, bridge: int = 1, min_chars: int = 3):
    """Runs of tokens over ``threshold`` (gaps of up to ``bridge`` tokens bridged) as
    (start, end, mean prob) character spans, trimmed of edge spaces and punctuation."""
    spans = []
    for (toks, _), ps in zip(seqs, probs):
        on = [p >= threshold for p in ps]
        # bridge short gaps between two positive runs
        if bridge:
            n = len(on)
            i = 0
            while i < n:
                if not on[i]:
                    j = i
                    while j < n and not on[j]:
                        j += 1
                    if 0 < i and j < n and j - i <= bridge:
                        for k in range(i, j):
                            on[k] = True
                    i = j
                else:
                    i += 1
        i = 0
        while i < len(on):
            if on[i]:
                j = i
                while j + 1 < len(on) and on[j + 1]:
                    j += 1
                s, e = toks[i].idx, toks[j].idx + len(toks[j].text)
                while s < e and text[s] in _EDGE_TRIM:
                    s += 1
                while e > s and text[e - 1] in _EDGE_TRIM:
                    e -= 1
                if e - s >= min_chars:
                    spans.append((s, e, sum(ps[i:j + 1]) / (j + 1 - i)))
                i = j + 1
            else:
                i += 1
    return spans


def propaganda_spans(doc: "Doc", text: str) -> list[tuple[int, int, float]]:
    tagger = load_tagger()
    if tagger is None:
        return []
    cfg = decoding()
    seqs = sequences(doc, text, load_clusters())
    scorer = load_sentence_scorer()
    if scorer is not None:
        add_sentence_scores(seqs, [scorer.score(toks) for toks, _ in seqs])
    probs = token_probs(tagger, seqs, load_marginals())
    return decode(text, seqs, probs, cfg["threshold"], cfg["bridge"], cfg["min_chars"])
