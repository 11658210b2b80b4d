"""Token features for the propaganda-span tagger (shared by training and the qualify layer).

One sequence per spaCy sentence; whitespace tokens are skipped. Features are strings for
python-crfsuite (``name=value`` with weight 1), built from the parse only: words, lemmas, tags,
neighbours, a valence lexicon (derived from VADER, MIT), quotation marks, and repetition in the
article.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_OPEN_CLOSE = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c"}


NEIGHBOUR_DIMS = 16  # leading embedding dimensions also given for the previous and next word


def quoted_regions(text: str) -> list[tuple[int, int]]:
    return list(_quoted_regions(text))


@functools.lru_cache(maxsize=8)
def _quoted_regions(text: str) -> tuple[tuple[int, int], ...]:
    """Stretches of ``text`` inside quotation marks (the marks included), paragraph by paragraph.

    Straight double quotes pair up in order within a paragraph; curly and guillemet quotes pair
    open with close. Single quotes count only as ‘...’ or as a ' that opens after a space or
    colon and closes before a space or punctuation (so apostrophes are not quotes)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in re.split(r"(\n\s*\n)", text):
        if not para.strip() or para.startswith("\n"):
            pos += len(para)
            continue
        out.extend((pos + s, pos + e) for s, e in _quotes_in(para))
        pos += len(para)
    return tuple(_merge(out))


def _quotes_in(p: str) -> list[tuple[int, int]]:
    out = []
    # straight double quotes, in pairs
    idx = [m.start() for m in re.finditer('"', p)]
    for a, b in zip(idx[0::2], idx[1::2]):
        out.append((a, b + 1))
    # an unpaired opening straight quote runs to the end of the paragraph (multi-paragraph quote)
    if len(idx) % 2 == 1:
        out.append((idx[-1], len(p.rstrip())))
    for o, c in _OPEN_CLOSE.items():
        start = None
        for i, ch in enumerate(p):
            if ch == o and start is None:
                start = i
            elif ch == c and start is not None and ch != o:
                out.append((start, i + 1))
                start = None
        if start is not None:
            out.append((start, len(p.rstrip())))
    for m in re.finditer(r"\u2018[^\u2018\u2019]{1,400}?\u2019(?![a-z])", p):
        out.append((m.start(), m.end()))
    for m in re.finditer(r"(?:(?<=^)|(?<=[\s:(\[\"\u201c]))'(?=\w)[^'\n]{1,400}?(?<=[\w.,!?])'(?=[\s.,;:!?)\]\"\u201d]|$)", p):
        out.append((m.start(), m.end()))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans = sorted(spans)
    out: list[list[int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


@functools.lru_cache(maxsize=None)
def valence() -> dict[str, float]:
    """word -> mean valence (VADER lexicon, words only)."""
    out = {}
    path = resources.files("reportedly") / "data" / "qualify_valence.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        w, v = line.split("\t")
        out[w] = float(v)
    return out


def _vb(v: float | None) -> str:
    if v is None:
        return "0"
    if v <= -2.0:
        return "N2"
    if v < 0:
        return "N1"
    if v >= 2.0:
        return "P2"
    return "P1"


def _shape(t: "Token") -> str:
    return _squeeze(t.shape_)


@functools.lru_cache(maxsize=4096)
def _squeeze(shape: str) -> str:
    return re.sub(r"(.)\1+", r"\1", shape)[:4]


def _bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3" if n <= 4 else "5"


class DenseFeatures(dict):
    """A word's real-valued features (name -> value), one object shared by every token of the word.
    Hashed by identity, so that a reader of the model (``crf.ChainCRF``) can weigh it once."""

    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other


class WordClusters:
    """Word -> (fine, coarse) cluster ids: the nearest of k-means centroids (fitted by the training
    script) to the word's WordLlama embedding (the wordllama package's bundled weights)."""

    def __init__(self, fine, coarse, proj=None):
        self.fine, self.coarse = fine, coarse  # numpy arrays (k, dim), rows unit length
        self.proj = proj  # optional (dim, d) projection: the word's embedding as d real-valued features
        self._wl = None
        self._memo: dict[str, tuple] = {}  # word -> assignment, kept across documents

    def _model(self):
        if self._wl is None:
            import os

            import wordllama
            from wordllama import WordLlama

            self._wl = WordLlama.load(cache_dir=os.path.dirname(wordllama.__file__), disable_download=True)
        return self._wl

    def embed(self, words: list[str]):
        import numpy as np

        return np.asarray(self._model().embed(list(words), norm=True), dtype=np.float32)

    def assign(self, words) -> dict[str, tuple]:
        """word -> (fine id, coarse id, its own dense features, as previous word, as next word)."""
        words = set(words)
        memo = self._memo
        new = sorted(w for w in words if w not in memo)
        if new:
            if len(memo) > 200_000:
                memo.clear()
            memo.update(self._assign(new))
        return {w: memo[w] for w in words}

    def _assign(self, words: list[str]) -> dict[str, tuple]:
        import numpy as np

        E = self.embed(words)
        f = (E @ self.fine.T).argmax(axis=1).tolist()
        c = (E @ self.coarse.T).argmax(axis=1).tolist()
        if self.proj is None:
            return {w: (a, b, None, None, None) for w, a, b in zip(words, f, c)}
        V = np.round(E @ self.proj, 3).tolist()
        own = [f"x{k}" for k in range(self.proj.shape[1])]
        prev = [f"-1x{k}" for k in range(NEIGHBOUR_DIMS)]
        nxt = [f"1x{k}" for k in range(NEIGHBOUR_DIMS)]
        return {w: (a, b, DenseFeatures(zip(own, v)), DenseFeatures(zip(prev, v)), DenseFeatures(zip(nxt, v)))
                for w, a, b, v in zip(words, f, c, V)}


def sequences(doc: "Doc", text: str, clusters: "WordClusters | None" = None
              ) -> list[tuple[list["Token"], list[list["str | DenseFeatures"]]]]:
    """[(tokens, features per token)] one per sentence of ``doc`` (``text`` is the report text). A token's
    features are names, then its word's ``DenseFeatures`` (``crf_item`` makes crfsuite's item of them).
    Each token attribute is read once into a per-document column: this runs over every token of every
    article, and a spaCy attribute costs a call each time it is read."""
    val = valence()
    all_toks = list(doc)
    LOW = [t.lower_ for t in all_toks]
    LEM = [t.lemma_.lower() for t in all_toks]
    POS = [t.pos_ for t in all_toks]
    TXT = [t.text for t in all_toks]
    IDX = [t.idx for t in all_toks]
    ALPHA = [t.is_alpha for t in all_toks]
    STOP = [t.is_stop for t in all_toks]
    PUNCT = [t.is_punct for t in all_toks]
    SPACE = [t.is_space for t in all_toks]
    cl = clusters.assign(LOW[i] for i in range(len(all_toks)) if ALPHA[i]) if clusters is not None else {}
    quotes = quoted_regions(text)
    qi = 0
    # repetition: content lemmas and word trigrams counted over the article
    lem = Counter(LEM[i] for i in range(len(all_toks)) if ALPHA[i] and not STOP[i])
    words = [LOW[i] for i in range(len(all_toks)) if not SPACE[i] and not PUNCT[i]]
    tri = Counter(zip(words, words[1:], words[2:]))

    heads = doc.to_array(["HEAD"]).astype("int64").tolist() if len(doc) else []  # head offsets
    out = []
    for sent in doc.sents:
        ks = [i for i in range(sent.start, sent.end) if not SPACE[i]]
        if not ks:
            continue
        toks = [all_toks[i] for i in ks]
        sflags = []
        if any("!" in TXT[k] for k in ks):
            sflags.append("s!")
        if any("?" in TXT[k] for k in ks):
            sflags.append("s?")
        n = len(ks)
        sflags.append("slen=" + ("s" if n < 8 else "m" if n < 25 else "l"))
        lowers = [LOW[k] for k in ks]
        pos = [POS[k] for k in ks]
        vals = [val.get(LOW[k], val.get(LEM[k])) for k in ks]
        vbs = [_vb(v) for v in vals]
        inq = []
        for k in ks:
            while qi < len(quotes) and quotes[qi][1] <= IDX[k]:
                qi += 1
            inq.append(qi < len(quotes) and quotes[qi][0] <= IDX[k] < quotes[qi][1])
        # trigram repetition per position (token starts a repeated trigram somewhere around it)
        wl = [LOW[k] for k in ks if not PUNCT[k]]
        rep3 = set()
        for j in range(len(wl) - 2):
            if tri[(wl[j], wl[j + 1], wl[j + 2])] > 1:
                rep3.update((wl[j], wl[j + 1], wl[j + 2]))
        feats = []
        for i, t in enumerate(toks):
            ti = ks[i]
            lw = lowers[i]
            hi = ti + heads[ti]
            dense: list[dict] = []
            dep = t.dep_
            f = ["b", "w=" + lw, "l=" + LEM[ti], "p=" + pos[i], "t=" + t.tag_, "sh=" + _shape(t),
                 "s3=" + lw[-3:], "d=" + dep, "hp=" + POS[hi], "v=" + vbs[i]]
            ent = t.ent_type_
            if ent:
                f.append("e=" + ent)
            if lw in cl:
                a, b, vec, _, _ = cl[lw]
                f.append(f"cf={a}")
                f.append(f"cc={b}")
                if vec is not None:
                    dense.append(vec)
            for k in (-1, 1):
                j = i + k
                if 0 <= j < n and lowers[j] in cl:
                    nb = cl[lowers[j]]
                    f.append(f"{k}cc={nb[1]}")
                    if nb[2] is not None:
                        dense.append(nb[3] if k < 0 else nb[4])
            if i > 0 and t.is_title:
                f.append("ti")
            if t.is_upper and len(TXT[ti]) > 1:
                f.append("up")
            if inq[i]:
                f.append("q")
            if ALPHA[ti] and not STOP[ti]:
                f.append("rep=" + _bucket(lem[LEM[ti]]))
            if lw in rep3 and not STOP[ti]:
                f.append("r3")
            if dep in ("amod", "advmod", "acomp") and vals[i] is not None:
                f.append("mv=" + vbs[i])
            if hi != ti and LOW[hi] in val:
                f.append("hv=" + _vb(val[LOW[hi]]))
            for k in (-2, -1, 1, 2):
                j = i + k
                if 0 <= j < n:
                    if k == -1 or k == 1:
                        f.append(f"{k}w=" + lowers[j])
                        f.append(f"{k}v=" + vbs[j])
                    f.append(f"{k}p=" + pos[j])
                else:
                    f.append(f"{k}BOS" if k < 0 else f"{k}EOS")
            if 0 < i < n - 1:
                f.append("pp=" + pos[i - 1] + "_" + pos[i + 1])
            f.extend(sflags)
            f.extend(dense)  # the word's own dicts, shared by its tokens (``crf_item`` merges them)
            feats.append(f)
        out.append((toks, feats))
    return out


def crf_item(feats: list | dict) -> list | dict:
    """A token's features as python-crfsuite takes them: names (weight 1), or one dict
    name -> value when real-valued features are among them."""
    if isinstance(feats, dict):
        return feats
    if all(type(x) is str for x in feats):
        return feats
    d: dict = {}
    for x in feats:  # in the list's order, as the model's attributes were first seen in training
        if type(x) is str:
            d.setdefault(x, 1.0)
        else:
            d.update(x)
    return d


def sentence_features(toks: list["Token"]) -> list[str]:
    """Bag of words, word pairs and a few flags of one sentence (for the sentence scorer)."""
    val = valence()
    words = [t.lower_ for t in toks if not t.is_space]
    f = ["u=" + w for w in set(words)]
    f += ["bg=" + a + "_" + b for a, b in set(zip(words, words[1:]))]
    f += ["lp=" + t.lemma_.lower() + "_" + t.pos_ for t in toks if t.pos_ in ("ADJ", "ADV", "VERB", "NOUN")]
    neg = sum(1 for w in words if val.get(w, 0) <= -1.5)
    pos = sum(1 for w in words if val.get(w, 0) >= 1.5)
    f += ["neg=" + _bucket(neg), "pos=" + _bucket(pos), "len=" + str(min(len(words) // 8, 6))]
    if "!" in words:
        f.append("excl")
    if "?" in words:
        f.append("quest")
    if any(t.is_upper and len(t) > 2 for t in toks):
        f.append("caps")
    return f


def add_sentence_scores(seqs, scores: list[float]) -> None:
    """Give every token of a sequence its sentence's propaganda score (quantised) as a feature."""
    for (_, feats), sc in zip(seqs, scores):
        b = "sp=" + str(min(int(sc * 5), 4))
        for f in feats:
            if isinstance(f, dict):
                f[b] = 1.0
            else:
                f.append(b)
