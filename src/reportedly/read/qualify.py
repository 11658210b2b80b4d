"""Hedges and the outlet's editorial voice (issue 6).

``read_qualify`` returns
- ``hedges``: where the outlet qualifies what it reports: ``reported`` (on the word of vague
  reports: "media reports that", "according to media reports"), ``conditional`` ("if the
  reports are true"), ``hedge`` ("it appears that", "allegedly", "may have"), ``negated`` (the
  outlet says an event did not happen). ``target`` is the attribution the hedge qualifies when
  it sits on one, else the sentence.
- ``editorial``: framing language, from lexicon rules over the parse (``opinion``,
  ``loaded-label``, ``scare-label``, ``evaluative``) and from a CRF span tagger trained on the
  PTC corpus (SemEval-2020 task 11), each with its persuasion technique where one applies.
  ``voice`` is null for the outlet; language inside an attribution's content is its speaker's
  (voice = that attribution's id); language inside quotation marks that no attribution covers
  is left out (its speaker is not known, and it is not the outlet's).
"""
from __future__ import annotations

import functools
import re
from importlib import resources
from typing import TYPE_CHECKING

from ..model import Editorial, Hedge, Report, Span
from .nlp import Parsed
from .qualify_features import quoted_regions
from .qualify_model import propaganda_spans
from .registry import layer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# ---------------------------------------------------------------- lexicons


@functools.lru_cache(maxsize=None)
def lexicon() -> dict[str, set[str]]:
    """Sections of data/qualify_lexicon.txt: ``[name]`` then one entry a line."""
    out: dict[str, set[str]] = {}
    cur = None
    path = resources.files("reportedly") / "data" / "qualify_lexicon.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            cur = out.setdefault(line[1:-1], set())
        elif cur is not None:
            cur.add(line.lower())
    return out


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern]:
    lx = lexicon()
    report_nouns = r"(?:media|press|news|local|foreign|western|russian|ukrainian|unconfirmed|some|several|other|numerous|earlier|recent|the|these|those|such)"
    reports = r"(?:reports?|publications?|rumou?rs?|sources|insiders|leaks)"
    reported = [
        rf"\baccording\s+to\s+(?:{report_nouns}\s+){{0,3}}{reports}\b",
        r"\b(?:media|press|news)\s+(?:reports?|outlets?|publications?)\s+(?:say\s+|said\s+|claim\s+|claimed\s+|suggest\s+|suggested\s+|indicate\s+|write\s+|wrote\s+)?(?:that\b)?",
        r"\b(?:reports|rumou?rs|sources)\s+(?:say|said|suggest|suggested|claim|claimed|indicate|indicated|have\s+it)\s*(?:that\b)?",
        r"\bit\s+(?:is|was|has\s+been)\s+(?:reported|rumou?red|claimed)\s+(?:that\b)?",
        r"\bas\s+(?:has\s+been\s+|was\s+)?reported\s+(?:by|in)\b",
        r"\breports\s+have\s+(?:emerged|surfaced)\s+(?:that\b)?",
    ]
    cond_subj = r"(?:the\s+|these\s+|those\s+|this\s+|such\s+|that\s+|his\s+|her\s+|their\s+)?(?:reports?|information|claims?|allegations?|data|news|rumou?rs?|accounts?|statements?|it|this|that|so)"
    cond_pred = r"(?:true|correct|accurate|confirmed|right|verified|genuine|authentic|the\s+case)"
    conditional = [
        rf"\b(?:if|should|unless|assuming)\s+{cond_subj}\s+(?:is|are|was|were|be|proves?|turns?\s+out(?:\s+to\s+be)?|gets?|get|prove\s+to\s+be)\s+(?:\w+\s+)?{cond_pred}\b",
        r"\bif\s+(?:confirmed|true|accurate|verified|so)\b",
        rf"\b(?:if|whether)\s+{cond_subj}\s+(?:can|could|will)\s+be\s+(?:confirmed|verified|believed|trusted)\b",
    ]
    hedge = [rf"\b(?:{_alt(lx['hedge'])})\b"]
    return {
        "reported": re.compile("|".join(reported), re.I),
        "conditional": re.compile("|".join(conditional), re.I),
        "hedge": re.compile("|".join(hedge), re.I),
        "scare": re.compile(rf"\b(?:{_alt(lx['scare'])})(?=\W)", re.I),
        "opinion_open": re.compile(rf"\b(?:{_alt(lx['opinion_open'])})\b", re.I),
    }


# ---------------------------------------------------------------- voice


NEAR = 300  # how far from a quotation its speaker's cue may be (characters)


class _Voices:
    """Who speaks at a stretch of the text: the outlet, an attribution, or an unknown quoted speaker."""

    def __init__(self, text: str, report: Report):
        self.quotes = quoted_regions(text)
        self.contents = []  # (start, end, attribution id), smallest first so nested ones win
        attributions = [a for a in report.attributions if not _impersonal(a)]
        for a in attributions:
            for c in a.content:
                self.contents.append((c.start, c.end, a.id))
            # a direct quote's marks belong to the attribution even when the content is given without them
        self.contents.sort(key=lambda x: x[1] - x[0])
        self.cues = [(a.cue.start, a.cue.end, a.id) for a in attributions if a.cue]
        self.sources = [(a.source.start, a.source.end, a.id) for a in attributions if a.source]

    def attribution_at(self, s: int, e: int) -> str | None:
        """The (innermost) attribution whose content holds most of s..e."""
        for cs, ce, aid in self.contents:
            ov = min(e, ce) - max(s, cs)
            if ov > 0 and ov * 2 >= (e - s):
                return aid
        return None

    def quote_speaker(self, s: int, e: int) -> str | None:
        """The attribution a quotation overlapping s..e belongs to: one whose content overlaps the
        quotation, else the one whose cue is nearest to it (within ``NEAR`` characters, not inside
        another quotation)."""
        for qs, qe in self.quoted(s, e):
            for cs, ce, aid in self.contents:
                if cs < qe and qs < ce:
                    return aid
            best = None
            for cs, ce, aid in self.cues:
                d = qs - ce if ce <= qs else cs - qe if cs >= qe else 0
                if d <= NEAR and not any(a <= cs < b for a, b in self.quotes) and (best is None or d < best[0]):
                    best = (d, aid)
            if best is not None:
                return best[1]
        return None

    def quoted(self, s: int, e: int) -> list[tuple[int, int]]:
        return [(qs, qe) for qs, qe in self.quotes if qs < e and s < qe]

    def outside_quotes(self, s: int, e: int) -> tuple[int, int] | None:
        """The longest piece of s..e outside quotation marks (None if there is none worth keeping)."""
        qs = self.quoted(s, e)
        if not qs:
            return (s, e)
        pieces, pos = [], s
        for a, b in qs:
            if a > pos:
                pieces.append((pos, min(a, e)))
            pos = max(pos, b)
        if pos < e:
            pieces.append((pos, e))
        pieces = [p for p in pieces if p[1] - p[0] >= 3]
        if not pieces:
            return None
        return max(pieces, key=lambda p: p[1] - p[0])

    def cue_attribution(self, s: int, e: int) -> str | None:
        for cs, ce, aid in self.cues + self.sources:
            if cs < e and s < ce:
                return aid
        return None


def _impersonal(a) -> bool:
    """"it appears that ...", "it seems ...": no speaker but the outlet itself."""
    src = (a.source.text.lower() if a.source else "")
    return src in ("", "it", "there") and a.cue.lemma.lower() in (
        "appear", "seem", "look", "emerge", "transpire", "turn out")


def _trim(text: str, s: int, e: int, chars: str = " \n\t.,:;\"'\u201c\u201d\u2018\u2019") -> tuple[int, int]:
    while s < e and text[s] in chars:
        s += 1
    while e > s and text[e - 1] in chars:
        e -= 1
    return s, e


def _sentence_span(doc: "Doc", text: str, pos: int) -> Span | None:
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if toks and toks[0].idx <= pos < toks[-1].idx + len(toks[-1].text) + 1:
            s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            return Span.of(text, s, e)
    return None


def _token_at(doc: "Doc", pos: int) -> "Token | None":
    # binary search would be faster; documents are short enough
    lo, hi = 0, len(doc) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        t = doc[mid]
        if t.idx + len(t.text) <= pos:
            lo = mid + 1
        elif t.idx > pos:
            hi = mid - 1
        else:
            return t
    return None


# ---------------------------------------------------------------- hedges


def _hedges(doc: "Doc", parsed: Parsed, voices: _Voices) -> list[Hedge]:
    text, masked = parsed.text, parsed.masked
    pats = _patterns()
    found: list[tuple[int, int, str]] = []
    for kind in ("conditional", "reported", "hedge"):
        for m in pats[kind].finditer(masked):
            s, e = _trim(text, m.start(), m.end())
            if e <= s or any(s < fe and fs < e for fs, fe, _ in found):
                continue
            found.append((s, e, kind))
    found.extend(_negations(doc, text, voices))
    out = []
    for s, e, kind in sorted(found):
        if voices.quoted(s, e) and voices.attribution_at(s, e) is None:
            continue  # a quoted speaker's hedge, speaker unknown
        target: Span | str | None = voices.cue_attribution(s, e)
        if target is None and kind == "reported":
            target = _attribution_after(voices, e)
        if target is None:
            target = voices.attribution_at(s, e)
        if target is None:
            target = _sentence_span(doc, text, s)
        out.append(Hedge(start=s, end=e, text=text[s:e], kind=kind, target=target))
    return out


def _attribution_after(voices: _Voices, pos: int) -> str | None:
    """An attribution whose content starts right after a 'reported' cue ("Media reports that X")."""
    for cs, ce, aid in voices.contents:
        if 0 <= cs - pos <= 3:
            return aid
    return None


_EVENT_AUX = {"do", "have", "be"}
_MODALS = {"can", "could", "would", "should", "must", "will", "shall", "may", "might"}


def _negations(doc: "Doc", text: str, voices: _Voices) -> list[tuple[int, int, str]]:
    """Main-clause events the outlet says did not happen ("did not respond", "has never visited")."""
    out = []
    for t in doc:
        if t.dep_ != "neg" or t.head.pos_ not in ("VERB", "AUX"):
            continue
        v = t.head
        if v.dep_ not in ("ROOT", "conj") or (v.dep_ == "conj" and v.head.dep_ != "ROOT"):
            continue
        aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lemma_.lower() in _MODALS for a in aux):
            continue
        if not aux and t.lower_ != "never":
            continue
        # past events only: "did not", "was not", "had not", "has not" + participle, "never" + past
        past = any(a.tag_ == "VBD" for a in aux) or v.tag_ == "VBD" or (
            v.tag_ == "VBN" and any(a.lemma_ == "have" for a in aux))
        if not past:
            continue
        if any(x.text == "?" for x in v.sent):
            continue
        first = min([t] + aux, key=lambda x: x.i)
        s, e = first.idx, v.idx + len(v.text)
        # the particle / passive participle that completes the verb ("was not found", "did not show up")
        for c in v.children:
            if c.dep_ == "prt" and c.i == v.i + 1:
                e = c.idx + len(c.text)
        if voices.attribution_at(s, e) is not None or voices.quoted(s, e):
            continue
        out.append((s, e, "negated"))
    return out


# ---------------------------------------------------------------- editorial rules


def _np_left(t: "Token") -> "Token":
    """Leftmost modifier of a noun (adjectives, compounds, nationality words), not determiners."""
    left = t
    for c in t.lefts:
        if c.dep_ in ("amod", "compound", "nmod", "npadvmod") or (c.dep_ == "poss" and c.pos_ == "PROPN"):
            left = min(left, c.left_edge if c.dep_ != "poss" else c, key=lambda x: x.i)
    return left


def _rule_editorial(doc: "Doc", parsed: Parsed) -> list[Editorial]:
    text, masked = parsed.text, parsed.masked
    lx = lexicon()
    pats = _patterns()
    out: list[Editorial] = []

    def add(s, e, kind, technique):
        s, e = _trim(text, s, e)
        if e > s:
            out.append(Editorial(start=s, end=e, text=text[s:e], kind=kind, technique=technique))

    # scare-label: "so-called X", "self-proclaimed X": the cue and the noun phrase it labels
    for m in pats["scare"].finditer(masked):
        e = m.end()
        t = _token_at(doc, e) or _token_at(doc, e + 1)
        if t is not None:
            head = t
            while head.dep_ in ("amod", "compound") and head.head.i > head.i and head.head.i - t.i < 5:
                head = head.head
            if head.pos_ in ("NOUN", "PROPN", "ADJ"):
                e = head.idx + len(head.text)
        add(m.start(), e, "scare-label", "Name_Calling,Labeling")

    for t in doc:
        lem, low = t.lemma_.lower(), t.lower_
        if t.is_space or not t.is_alpha:
            continue
        # loaded-label: pejorative labels for people, groups, governments ("Russian dictator")
        if t.pos_ in ("NOUN", "PROPN") and (lem in lx["label"] or low in lx["label"]):
            left = _np_left(t)
            add(left.idx, t.idx + len(t.text), "loaded-label", "Name_Calling,Labeling")
            continue
        if t.pos_ == "ADJ" and (lem in lx["label_adj"] or low in lx["label_adj"]) and t.dep_ == "amod":
            add(t.idx, t.head.idx + len(t.head.text), "loaded-label", "Name_Calling,Labeling")
            continue
        # evaluative: verdict nouns and the verb that brings them ("caused a major scandal")
        if t.pos_ == "NOUN" and lem in lx["evaluative_noun"]:
            v = t.head
            if t.dep_ in ("dobj", "attr", "nsubj") and v.pos_ in ("VERB", "AUX") and t.dep_ == "dobj":
                s = min(v.idx, _np_left(t).idx)
            else:
                s = _np_left(t).idx
            add(s, t.idx + len(t.text), "evaluative", "Loaded_Language")
            continue
        # evaluative phrasal verbs ("plays along with Russia", "kowtows to Beijing")
        if t.pos_ == "VERB":
            n = _phrase_len(doc, t, lx["evaluative_verb"])
            if n:
                end = doc[t.i + n - 1]
                # take the object the phrase governs ("with Russia", "to Beijing")
                for _ in range(2):
                    nxt = [c for c in end.children if c.dep_ in ("pobj", "dobj", "prep") and c.i > end.i and c.i - t.i <= 6]
                    if not nxt:
                        if end.i + 1 < len(doc) and doc[end.i + 1].dep_ == "prep" and doc[end.i + 1].head.i in (t.i, end.i):
                            nxt = [doc[end.i + 1]]
                        else:
                            break
                    end = nxt[0]
                    if end.dep_ in ("pobj", "dobj"):
                        break
                add(t.idx, end.idx + len(end.text), "evaluative", "Loaded_Language")
    out.extend(_opinions(doc, parsed))
    return out


def _phrase_len(doc: "Doc", t: "Token", entries: set[str]) -> int:
    """How many tokens from ``t`` on form an entry (the verb as lemma or word form, then the words)."""
    heads = {t.lemma_.lower(), t.lower_}
    best = 0
    for n in (1, 2, 3):
        if t.i + n > len(doc):
            break
        rest = " ".join(x.lower_ for x in doc[t.i + 1:t.i + n])
        if any((h + " " + rest).strip() in entries for h in heads):
            best = n
    return best


def _opinions(doc: "Doc", parsed: Parsed) -> list[Editorial]:
    """The outlet's verdicts: clauses whose verb accuses ("simply lied") or that the outlet opens
    with a judgement ("it is clear that", "it appears that")."""
    text = parsed.text
    lx = lexicon()
    out = []
    for t in doc:
        if t.pos_ != "VERB" or t.lemma_.lower() not in lx["verdict_verb"]:
            continue
        if t.dep_ not in ("ROOT", "ccomp", "conj", "xcomp") or any(c.dep_ == "neg" for c in t.children):
            continue
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subj or subj[0].lower_ in ("i", "we", "you"):
            continue
        s = min(x.left_edge.idx for x in subj)
        e = t.right_edge.idx + len(t.right_edge.text)
        # widen to a judgement opener governing this clause ("it appears that ...")
        gov = t.head if t.dep_ == "ccomp" else None
        if gov is not None and gov.lemma_.lower() in ("appear", "seem", "be", "turn"):
            opener = [c for c in gov.children if c.dep_ in ("nsubj", "expl") and c.lower_ == "it"]
            if opener:
                s = opener[0].idx
        if e - s > 300:
            continue
        out.append(Editorial(start=s, end=e, text=text[s:e], kind="opinion", technique=None))
    return out


# ---------------------------------------------------------------- model spans


def _technique(doc: "Doc", s: int, e: int) -> tuple[str, str]:
    """(kind, technique) for a tagger span, from its shape and words."""
    from .qualify_features import valence

    toks = [t for t in doc.char_span(s, e, alignment_mode="expand") or [] if not t.is_space]
    lex = lexicon()
    val = valence()
    words = {t.lower_ for t in toks}
    if "?" in words:
        return "opinion", "Doubt"
    if any(t.tag_ in ("JJS", "RBS") for t in toks) or (len(toks) <= 8 and words & lex["exaggeration"]):
        return "evaluative", "Exaggeration,Minimisation"
    content = [t for t in toks if not t.is_punct and not t.is_stop]
    charged = any(abs(val.get(t.lower_, val.get(t.lemma_.lower(), 0.0))) >= 1.0 or t.lemma_.lower() in lex["label"]
                  for t in content)
    if content and len(toks) <= 5 and content[-1].pos_ in ("NOUN", "PROPN") and charged:
        return "loaded-label", "Name_Calling,Labeling"
    if len(toks) > 12:
        return "opinion", "Loaded_Language"
    return "evaluative", "Loaded_Language"


# ---------------------------------------------------------------- the layer


@layer("qualify")
def read_qualify(parsed: Parsed, report: Report) -> dict:
    doc, text = parsed.doc, parsed.text
    voices = _Voices(parsed.masked, report)
    hedges = _hedges(doc, parsed, voices)

    candidates = _rule_editorial(doc, parsed)
    rules = [(c.start, c.end) for c in candidates] + [(h.start, h.end) for h in hedges]
    pieces = []
    for s, e, _p in propaganda_spans(doc, text):
        # what the rules already name stays theirs; the rest of the tagger's span is kept
        cur = [(s, e)]
        for rs, re_ in rules:
            cur = [q for a, b in cur for q in ((a, min(b, rs)), (max(a, re_), b)) if q[1] > q[0]] \
                if any(rs < b and a < re_ for a, b in cur) else cur
        for a, b in cur:
            a, b = _trim(text, a, b)
            span = doc.char_span(a, b, alignment_mode="expand") if b - a >= 3 else None
            if span is not None and any(t.is_alpha and not t.is_stop for t in span):
                pieces.append((a, b))
    for s, e in pieces:
        words = [t for t in doc.char_span(s, e, alignment_mode="expand") or [] if t.is_alpha]
        if not words or all(t.pos_ == "PROPN" for t in words):
            continue  # a bare name is not framing
        kind, technique = _technique(doc, s, e)
        candidates.append(Editorial(start=s, end=e, text=text[s:e], kind=kind, technique=technique))

    editorial: list[Editorial] = []
    for c in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if not parsed.masked[c.start:c.end].strip():
            continue
        aid = voices.attribution_at(c.start, c.end)
        if aid is None:
            inside = sum(min(c.end, qe) - max(c.start, qs) for qs, qe in voices.quoted(c.start, c.end))
            if inside * 2 >= c.end - c.start:
                aid = voices.quote_speaker(c.start, c.end)
        if aid is not None:
            editorial.append(c.model_copy(update={"voice": aid}))
            continue
        piece = voices.outside_quotes(c.start, c.end)
        if piece is None:
            continue  # all inside quotation marks no attribution accounts for: not the outlet's
        s, e = _trim(text, *piece)
        if e - s < 3 or not any(ch.isalpha() for ch in text[s:e]):
            continue
        if (s, e) != (c.start, c.end):
            c = c.model_copy(update={"start": s, "end": e, "text": text[s:e]})
        editorial.append(c)
    # one item per stretch: drop exact duplicates and items inside an earlier item of the same kind
    dedup: list[Editorial] = []
    for c in editorial:
        if any(d.start <= c.start and c.end <= d.end and d.kind == c.kind and d.voice == c.voice for d in dedup):
            continue
        dedup.append(c)
    return {"hedges": hedges, "editorial": dedup}
