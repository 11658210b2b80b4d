"""Which articles are copies of one another, and whose reporting a claim rests on.

Near-duplicates and syndicated copies are found with MinHash over word shingles of the article's
kept text (``removed`` stretches out, so different site furniture does not hide a copy). Two
articles are copies when their estimated Jaccard similarity is high, or when the shorter one is
almost wholly contained in the longer (a copy with an extra paragraph or a new headline).

A claim's origin in an article is the outlet that did the reporting: the outlet the article cites
for it (``..., The New Yorker reported``) if it cites one, else the article itself, where a copy
counts as its original (the earliest published of its copies).
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

import numpy as np
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"  # stored signatures depend on it: changing it needs a migration that recomputes them
SHINGLE = 5
JACCARD = 0.7  # estimated Jaccard at or above: copies
CONTAINMENT = 0.8  # share of the shorter article's shingles found in the longer: a copy
LSH_THRESHOLD = 0.4  # candidates for the exact checks above

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = [w.casefold() for w in _TOKEN.findall(text)]
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def signature(text: str) -> tuple[np.ndarray, int]:
    """The MinHash values (uint64) of the text's shingles, and how many shingles there are."""
    sh = shingles(text)
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    m.update_batch([s.encode("utf-8") for s in sh])
    return m.hashvalues.astype(np.uint64), len(sh)


def to_bytes(values: np.ndarray) -> bytes:
    return np.asarray(values, dtype="<u8").tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)


def _minhash(values: np.ndarray) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


def is_copy(a: np.ndarray, na: int, b: np.ndarray, nb: int) -> bool:
    j = jaccard(a, b)
    if j >= JACCARD:
        return True
    if na == 0 or nb == 0:
        return False
    inter = j / (1.0 + j) * (na + nb)  # |A & B| from J = |A & B| / |A | B|
    return inter / min(na, nb) >= CONTAINMENT and min(na, nb) >= 20


class CopyIndex:
    """An in-memory LSH index over stored articles' signatures."""

    def __init__(self):
        self.lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self.sigs: dict[int, tuple[np.ndarray, int]] = {}

    def add(self, article_id: int, values: np.ndarray, n: int) -> None:
        if article_id in self.sigs:
            return
        self.sigs[article_id] = (values, n)
        self.lsh.insert(str(article_id), _minhash(values))

    def copies_of(self, values: np.ndarray, n: int) -> list[int]:
        """Stored articles the text is a copy of, most similar first."""
        found = []
        for key in self.lsh.query(_minhash(values)):
            aid = int(key)
            v, m = self.sigs[aid]
            if is_copy(values, n, v, m):
                found.append((jaccard(values, v), aid))
        return [aid for _, aid in sorted(found, key=lambda t: (-t[0], t[1]))]


def original(articles: Iterable[dict]) -> Optional[dict]:
    """The original among copies: the earliest published, then the first stored."""
    arts = list(articles)
    if not arts:
        return None
    return min(arts, key=lambda a: (a.get("published") or "9999", a["id"]))
