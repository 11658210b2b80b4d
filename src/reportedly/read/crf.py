"""A python-crfsuite linear-chain model's marginals, computed with numpy.

python-crfsuite stays the trainer and the reference. At reading time it is slow for wide items: each
attribute name of each token is looked up in the model's string tree. The propaganda tagger gives a
token about 77 attributes, most of them the dense dimensions of its word: on PolNeAR dev crfsuite
took about 1.3 s to read them, this reader about 0.4 s. Here a name maps to its weight row through a
dict, and a word's dense features, one object shared by the word's tokens, are summed into one row
the first time they are seen. Forward-backward then runs over all the sentences of a document at once.
(The cue CRF, about 40 names a token, no dense features and one long sequence a document, gained
nothing this way: it stays on crfsuite.)

The weights come from the model file itself (float64, its header, feature chunk and string
databases), so the scores agree with crfsuite's to rounding. Tests compare both on real documents.
"""
from __future__ import annotations

import struct
import threading
from itertools import repeat
from pathlib import Path
from typing import Sequence

import numpy as np

_FEATURE = struct.Struct("<IIId")  # type (0 state, 1 transition), source id, destination label id, weight


def _strings(raw: bytes, off: int) -> list[str]:
    """The strings of a CQDB database at ``off``, by id (its backward array)."""
    if raw[off:off + 4] != b"CQDB":
        raise ValueError("no string database where the header points")
    n, back = struct.unpack_from("<II", raw, off + 16)
    out = []
    for i in range(n):
        at = off + struct.unpack_from("<I", raw, off + back + 4 * i)[0]
        key_id, size = struct.unpack_from("<II", raw, at)
        if key_id != i:
            raise ValueError("string database out of order")
        out.append(raw[at + 8:at + 8 + size - 1].decode("utf-8"))
    return out


class ChainCRF:
    """The weights of the crfsuite model at ``path``."""

    def __init__(self, path: str | Path):
        raw = Path(path).read_bytes()
        if raw[:4] != b"lCRF":
            raise ValueError(f"{path}: not a crfsuite model")
        off_features, off_labels, off_attrs = struct.unpack_from("<III", raw, 28)
        self.labels = _strings(raw, off_labels)
        attrs = _strings(raw, off_attrs)
        n_labels = len(self.labels)
        # row 0 stays zero: the row of every name the model does not know
        self.rows = {name: i + 1 for i, name in enumerate(attrs)}
        state = np.zeros((len(attrs) + 1, n_labels))
        trans = np.zeros((n_labels, n_labels))
        if raw[off_features:off_features + 4] != b"FEAT":
            raise ValueError(f"{path}: no feature chunk where the header points")
        count = struct.unpack_from("<I", raw, off_features + 8)[0]
        for kind, src, dst, w in _FEATURE.iter_unpack(raw[off_features + 12:off_features + 12 + _FEATURE.size * count]):
            if kind == 0:
                state[src + 1, dst] = w
            else:
                trans[src, dst] = w
        self.state = state
        self.trans = trans
        self._lock = threading.Lock()  # the rows of what is new are added under it (a web server reads in threads)
        self._reset()

    def _reset(self) -> None:
        self._known: dict = dict(self.rows)
        self._table = self.state

    def _rows_of(self, flat: list) -> np.ndarray:
        """The weight row of each feature: a name's own row (0 when the model does not know it), or
        for a dict of name -> value hashed by identity (a word's dense features) a row of its summed
        weights, made the first time it is seen. What is new is remembered, so a word's features cost
        one dict lookup each after the first document."""
        if len(self._known) > 1_000_000:  # a long run's vocabulary: start over rather than grow
            self._reset()
        known = self._known
        got = np.fromiter(map(known.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
        missing = np.flatnonzero(got < 0).tolist()
        if missing:
            added = []
            for k in missing:
                f = flat[k]
                r = known.get(f)
                if r is None:
                    if type(f) is str:
                        r = 0
                    else:
                        idx = [self.rows.get(name, 0) for name in f]
                        added.append(np.asarray(list(f.values()), dtype=float) @ self.state[idx])
                        r = len(self._table) + len(added) - 1
                    known[f] = r
                got[k] = r
            if added:
                self._table = np.vstack([self._table, np.stack(added)])
        return got

    def emissions(self, items: Sequence[Sequence]) -> np.ndarray:
        """(tokens, labels) state scores. An item is a token's features: names (value 1), and dicts
        of name -> value hashed by identity (``qualify_features.DenseFeatures``; a plain dict, which
        cannot be hashed, raises TypeError)."""
        n_labels = len(self.labels)
        lengths = [len(x) for x in items]
        flat = [f for x in items for f in x]
        if not flat:
            return np.zeros((len(items), n_labels))
        with self._lock:
            rows = self._rows_of(flat)
            table = self._table  # after: the call may have added rows
        starts = np.minimum(np.cumsum([0] + lengths[:-1]), len(flat) - 1)
        em = np.add.reduceat(table[rows], starts, axis=0)
        em[np.asarray(lengths) == 0] = 0.0  # reduceat gives an empty group the next row
        return em

    def _padded(self, sequences: Sequence[Sequence[Sequence]]):
        """Emissions as (sequences, longest, labels), zero past each end, the mask of real positions."""
        lengths = [len(s) for s in sequences]
        flat = self.emissions([item for s in sequences for item in s])
        width = max(lengths)
        em = np.zeros((len(sequences), width, len(self.labels)))
        mask = np.zeros((len(sequences), width), dtype=bool)
        at = 0
        for row, n in enumerate(lengths):
            em[row, :n] = flat[at:at + n]
            mask[row, :n] = True
            at += n
        return em, mask, lengths

    def marginals(self, sequences: Sequence[Sequence[Sequence]]) -> list[np.ndarray]:
        """For each sequence of items, its (tokens, labels) marginal probabilities. Forward-backward
        runs over all the sequences at once (sentences: a step per position of the longest)."""
        n_labels = len(self.labels)
        if not any(len(s) for s in sequences):
            return [np.zeros((0, n_labels)) for _ in sequences]
        em, mask, lengths = self._padded(sequences)
        # in exp space, each position scaled by its own maximum and each step's sum normalised to 1:
        # the marginals do not change
        psi = np.exp(em - em.max(axis=2, keepdims=True))
        step = np.exp(self.trans - self.trans.max())
        width = em.shape[1]
        alpha = np.empty_like(psi)
        beta = np.ones_like(psi)
        a = psi[:, 0] / psi[:, 0].sum(axis=1, keepdims=True)
        alpha[:, 0] = a
        for t in range(1, width):
            nxt = (a @ step) * psi[:, t]
            a = np.where(mask[:, t, None], nxt / nxt.sum(axis=1, keepdims=True), a)
            alpha[:, t] = a
        for t in range(width - 2, -1, -1):
            b = (psi[:, t + 1] * beta[:, t + 1]) @ step.T
            beta[:, t] = np.where(mask[:, t + 1, None], b / b.sum(axis=1, keepdims=True), 1.0)
        p = alpha * beta
        p /= p.sum(axis=2, keepdims=True)
        return [p[row, :n] for row, n in enumerate(lengths)]


def load(path: str | Path) -> ChainCRF | None:
    """The numpy reader of the crfsuite model at ``path``, or None when its file cannot be read
    that way (the caller then asks crfsuite itself)."""
    try:
        return ChainCRF(path)
    except (OSError, ValueError, struct.error):
        return None
