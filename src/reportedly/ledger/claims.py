"""Claims of one report, and whether two claims state the same thing.

A claim is what an article puts forward as true:

- the content of each attribution (who said it, through whom: the chain of ``parent`` links), and
- each asserted main-clause statement in the outlet's own voice (outside ``removed``, outside any
  attribution, not a question, not a conditional or hedged sentence).

An attribution whose content holds another attribution (``Kahl said Musk told him ...``) is a
frame: the inner attribution carries the claim, with the longer chain. Anaphoric content
(``the statement``, ``this``) is resolved to the parent's content or to the nearest claim before it.

Grouping uses an embedding of the claim with entity mentions replaced by the entity's name (so
"the Russian president" and "Putin" read alike) and negation taken out (negation decides whether a
mention supports or denies, not what it is about), plus lexical and entity evidence, because light
sentence embeddings are dominated by the names in a sentence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from ..model import Attribution, Report

SUPPORT_STANCES = {"assert", "confirm", "admit"}
DENY_STANCES = {"deny"}

# Anaphoric content: points at a claim made elsewhere in the article.
_ANAPHORA = re.compile(
    r"^(?:(?:to|of|about|on)\s+)?(?:this|that|it|these|those|so|"
    r"(?:the|this|that|these|those|such)\s+(?:statement|statements|claim|claims|information|report|reports|"
    r"allegation|allegations|account|story|news|fact|facts|conversation|assertion|version|details?))[.,]?$",
    re.I,
)


def is_anaphoric(content: str) -> bool:
    """Content that only points at a claim made elsewhere ("the statement", "this")."""
    return bool(_ANAPHORA.match(content.strip()))


_FINITE = {"VBD", "VBZ", "VBP", "MD"}


def nominal(texts: Sequence[str]) -> list[bool]:
    """Per text, whether it only names what was said ("presenting his 'peace plan' that plays along with
    Russia", "approved a deal to buy ..."): a noun phrase, whatever clauses hang on the noun. It states
    nothing that could be checked, and must not join a claim about the same people. A finite verb other
    than a relative clause's makes it a statement, however it was parsed."""
    if not texts:
        return []
    from ..read.nlp import load_nlp

    nlp = load_nlp()
    out = []
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        for d in nlp.pipe(texts):
            roots = [s.root for s in d.sents]
            out.append(bool(roots) and all(r.tag_.startswith("NN") for r in roots)
                       and not any(w.tag_ in _FINITE and not _relative(w) for w in d))
    return out


def _relative(verb) -> bool:
    """A relative clause on a noun ("plan that plays along"), not the clause a noun states ("the
    information that Musk spoke with ...", which the parser also calls relcl): its subject is the
    relative word itself, or it has none."""
    if verb.dep_ != "relcl":
        return False
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subj is None or subj.tag_ in ("WDT", "WP", "WP$") or subj.lower_ == "that"


_NEGATORS = {"not", "n't", "never", "no", "nobody", "nothing", "none", "neither", "nor", "nowhere", "cannot"}
_NEG_RE = re.compile(r"\b(?:not|never|no|nobody|nothing|none|neither|nor|nowhere)\b|n't\b|\bcannot\b", re.I)
_FIRST_PERSON = {"i": "", "me": "", "my": "'s", "mine": "'s", "myself": ""}
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")
_STOP = set(
    """a an the and or but if then so of to in on at by for with from into onto about as than that this these
    those it its it's is are was were be been being has have had having do does did will would shall should can
    could may might must he she they we i you me him her them us my your his their our who whom which what when
    where why how there here also just very more most some any all each every other such only own same too
    said says say told tell according while after before over under up down out off again further once well
    yes oh dear now s""".split()
)
_PRONOUNS = set(
    """he him his himself she her hers herself it its itself they them their theirs themselves we us our ours
    ourselves i me my mine myself you your yours who whom whose""".split()
)
_POSSESSIVE = {"his", "her", "hers", "its", "their", "theirs", "whose"}
_LEADING = re.compile(
    r"^\s*(?:(?:the\s+)?(?:information|news|reports?|claims?|fact|allegations?|suggestion|assertion)\s+)?"
    r"(?:that|whether|if)\s+",
    re.I,
)
_QUOTES = "\"'“”‘’«»"
_GENERIC_SOURCE = set(
    """the a an some several other many various local western foreign russian american media press report reports
    reporting newspaper newspapers outlet outlets journalist journalists reporter reporters publication
    publications news sources source""".split()
)
_CALENDAR = set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december the this that these those""".split()
)
_CONDITIONAL = re.compile(r"^\W*(?:if|unless|whether)\b", re.I)
_SENT_END = re.compile(r"[.!?][\"'”’»)\]]*$")


@dataclass
class Statement:
    """One claim as one article makes it."""

    text: str  # what the article says (content spans joined)
    norm: str  # entity-normalised text, used for grouping and shown in listings
    start: int
    end: int
    stance: str  # the attribution's stance, or "assert" for the outlet's own voice
    negated: bool  # the content itself is negative ("did not resign")
    attribution: Optional[str]  # the innermost attribution id, or None (own voice)
    chain: list[dict]  # outermost first: the publisher, then each source ({name, kind, entity})
    entities: list[str] = field(default_factory=list)  # canonical names mentioned
    words: list[str] = field(default_factory=list)  # content-word stems outside entity names
    pred: str = ""  # norm less entity names and negation: what is said about them
    times: list[str] = field(default_factory=list)  # TIMEX3 values of the time expressions inside it
    said_on: Optional[str] = None  # TIMEX3 value of when it was said, where the article dates the saying

    @property
    def stance_role(self) -> str:
        """support, deny or other, from the stance alone."""
        if self.stance in SUPPORT_STANCES:
            return "support"
        if self.stance in DENY_STANCES:
            return "deny"
        return "other"

    def role_for(self, claim_negated: bool) -> str:
        """Its role for a claim of the given polarity: content that negates the claim denies it."""
        return role_of(self.stance, self.negated, claim_negated)

    @property
    def role(self) -> str:
        """Its role for the claim as it states it (positive)."""
        return self.role_for(False)

    @property
    def speaker(self) -> str:
        return self.chain[-1]["name"] if self.chain else ""


def role_of(stance: str, negated: bool, claim_negated: bool = False) -> str:
    """support, deny or other: the stance, turned round when the content's polarity is not the claim's."""
    role = "support" if stance in SUPPORT_STANCES else "deny" if stance in DENY_STANCES else "other"
    if role != "other" and negated != claim_negated:
        return "deny" if role == "support" else "support"
    return role


def _stem(w: str) -> str:
    w = w.lower().replace("'s", "")
    for suf in ("ations", "ation", "ings", "ing", "edly", "ed", "es", "s", "ly"):
        if len(w) - len(suf) >= 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def content_words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP and w.lower() not in _NEGATORS]


def is_negated(text: str) -> bool:
    return bool(_NEG_RE.search(text))


def strip_negation(text: str) -> str:
    text = re.sub(r"\b(ca|wo|do|does|did|is|are|was|were|has|have|had|could|would|should)n't\b", r"\1", text, flags=re.I)
    text = re.sub(r"\bcannot\b", "can", text, flags=re.I)
    text = re.sub(r"\b(?:not|never)\s+", "", text, flags=re.I)
    return re.sub(r"\s{2,}", " ", text).strip()


def generic_source(name: str) -> bool:
    """'media reports', 'several newspapers': no particular outlet."""
    words = re.findall(r"\w+", name.casefold())
    return not words or all(w in _GENERIC_SOURCE for w in words)


def outlet_key(name: Optional[str]) -> str:
    """A comparable form of an outlet's name: 'The New Yorker' == 'the new yorker' == 'NEW YORKER'."""
    if not name:
        return ""
    s = re.sub(r"[^\w\s]", " ", name.casefold())
    s = re.sub(r"^\s*the\s+", "", s)
    return re.sub(r"\s+", " ", s).strip()


UNKNOWN_OUTLET = "(unknown outlet)"


def outlet_of(report: Report) -> Optional[str]:
    """The publishing outlet: the report's, else the URL's host; None when neither is known."""
    if report.meta.outlet:
        return report.meta.outlet
    url = report.meta.url or report.input.url
    if url:
        host = re.sub(r"^[a-z]+://", "", url).split("/")[0].lower()
        return re.sub(r"^www\.", "", host) or None
    return None


def publisher_name(report: Report) -> str:
    return outlet_of(report) or UNKNOWN_OUTLET


class _Reader:
    """Claims of one report."""

    def __init__(self, report: Report):
        self.r = report
        self.text = report.text
        self.removed = sorted((x.start, x.end) for x in report.removed)
        self.by_id = {a.id: a for a in report.attributions}
        self.entity_name = {e.id: e.name for e in report.entities}
        self.entity_type = {e.id: e.type for e in report.entities}
        # when each attribution was made, where the timeline dates the saying (the first such time)
        self.said_on: dict[str, str] = {}
        for e in sorted(report.timeline, key=lambda e: e.what.start):
            if e.role == "said" and e.attribution and e.relation is None:
                self.said_on.setdefault(e.attribution, e.value)
        # mention spans -> entity name, longest first so "Kremlin leader Vladimir Putin" wins over "Putin"
        self.mentions = sorted(
            ((m.start, m.end, e.name) for e in report.entities for m in e.mentions),
            key=lambda t: (t[0], -(t[1] - t[0])),
        )
        self.publisher = publisher_name(report)

    # --- positions ---------------------------------------------------------------------------
    def in_removed(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.removed)

    def _content_range(self, a: Attribution) -> tuple[int, int]:
        if not a.content:
            return (a.cue.start, a.cue.end)
        return (min(c.start for c in a.content), max(c.end for c in a.content))

    def _children(self, a: Attribution) -> list[Attribution]:
        return [b for b in self.r.attributions if b.parent == a.id]

    def _is_frame(self, a: Attribution) -> bool:
        """Its content reports another attribution: the inner one carries the claim."""
        spans = [(c.start, c.end) for c in a.content]
        return any(any(s <= b.cue.start and b.cue.end <= e for s, e in spans) for b in self._children(a))

    # --- chain -------------------------------------------------------------------------------
    def chain(self, a: Optional[Attribution]) -> list[dict]:
        links: list[dict] = []
        seen = set()
        while a is not None and a.id not in seen:
            seen.add(a.id)
            links.append(self._link(a))
            a = self.by_id.get(a.parent) if a.parent else None
        links.reverse()
        head = {"name": self.publisher, "kind": "publisher", "entity": None}
        out = [head]
        for link in links:
            if link["kind"] == "self" or (link["kind"] == "outlet" and outlet_key(link["name"]) == outlet_key(self.publisher)):
                continue  # the outlet citing itself ("as OBOZREVATEL previously reported")
            out.append(link)
        return out

    def _link(self, a: Attribution) -> dict:
        src = a.source
        if src is None:
            return {"name": "(unstated source)", "kind": "unnamed", "entity": None}
        name = self.entity_name.get(src.entity) if src.entity else None
        kind = src.kind
        if src.entity and self.entity_type.get(src.entity) == "OUTLET":
            kind = "outlet"
        return {"name": name or src.text, "kind": kind, "entity": src.entity}

    # --- text --------------------------------------------------------------------------------
    def normalise(self, spans: Sequence[tuple[int, int]], speaker: Optional[str], direct: bool) -> tuple[str, list[str], str]:
        """Text of the spans with entity mentions replaced by entity names; also the names, and
        the text with names removed."""
        parts, names, bare = [], [], []
        for s, e in spans:
            pos, out, out_bare = s, [], []
            for ms, me, name in self.mentions:
                if ms < pos or ms >= e or me > e:
                    continue
                out.append(self.text[pos:ms])
                out_bare.append(self.text[pos:ms])
                said = self.text[ms:me]
                if said.lower() in _PRONOUNS and name in names:
                    out.append(said)  # "Trump is sure of himself": the name once is enough
                else:
                    out.append(name + ("'s" if said.lower() in _POSSESSIVE else ""))
                names.append(name)
                pos = me
                if "," in self.text[ms:me] and self.text[me:me + 1] == ",":
                    pos = me + 1  # "The mayor of Springfield, Joe Quimby, resigned": the appositive's comma
            out.append(self.text[pos:e])
            out_bare.append(self.text[pos:e])
            parts.append("".join(out))
            bare.append("".join(out_bare))
        norm = " ".join(p.strip() for p in parts)
        pred = " ".join(p.strip() for p in bare)
        if speaker and direct and speaker not in names:
            def first_person(m: re.Match) -> str:
                return speaker + _FIRST_PERSON[m.group(0).lower()]

            norm = re.sub(r"\b(?:I|me|my|mine|myself)\b", first_person, norm, count=1)
            names.append(speaker)
        return re.sub(r"\s+", " ", norm).strip(), sorted(set(names)), re.sub(r"\s+", " ", pred).strip()

    def make(self, spans, stance, attribution: Optional[Attribution], chain) -> Optional[Statement]:
        spans = [(s, e) for s, e in spans if e > s]
        if spans and attribution is not None:  # "said that X": the claim is X
            spans = _trim(self.text, spans)
        if not spans:
            return None
        text = " ".join(self.text[s:e].strip() for s, e in spans)
        speaker = None
        if attribution is not None and attribution.source is not None and attribution.source.entity:
            speaker = self.entity_name.get(attribution.source.entity)
        direct = attribution is not None and attribution.kind in ("direct", "mixed")
        norm, names, bare = self.normalise(spans, speaker, direct)
        # proper nouns the entity layer did not catch still count as names
        extra = {w for w in re.findall(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b", bare) if w.lower() not in _CALENDAR}
        words = content_words(bare)
        if len(_WORD.findall(text)) < 3 or not any(len(w) >= 3 and w.isalpha() for w in words):
            return None  # a name, a time, a fragment: nothing to check
        if not names and not extra and len(words) < 3 and not re.search(r"\d", text):
            return None  # too little to check ("Oh, dear, this is not good")
        if text.rstrip(_QUOTES + " ").endswith("?"):
            return None  # a question asserts nothing
        return Statement(
            text=text,
            norm=norm,
            start=spans[0][0],
            end=spans[-1][1],
            stance=stance,
            negated=is_negated(text),
            attribution=attribution.id if attribution is not None else None,
            chain=chain,
            entities=sorted(set(names) | extra),
            words=sorted(set(words)),
            pred=" ".join(w for w in _WORD.findall(bare) if w.lower() not in _STOP and w.lower() not in _NEGATORS),
            times=[t.value for t in self.r.times if t.value and any(s <= t.start and t.end <= e for s, e in spans)],
            said_on=self.said_on.get(attribution.id) if attribution is not None else None,
        )

    # --- claims ------------------------------------------------------------------------------
    def attributed(self) -> list[Statement]:
        atts = [a for a in self.r.attributions if a.content and not self.in_removed(*self._content_range(a))]
        atts.sort(key=lambda a: self._content_range(a))
        resolved: dict[str, list[tuple[int, int]]] = {}
        order: list[tuple[Attribution, list[tuple[int, int]]]] = []
        plain = []  # (start, end, spans, id) of non-anaphoric contents, for resolving "this"
        for a in atts:
            spans = [(c.start, c.end) for c in a.content]
            if not _ANAPHORA.match(" ".join(c.text.strip() for c in a.content)):
                resolved[a.id] = spans
                plain.append((spans[0][0], spans[-1][1], spans, a.id))
        for a in atts:
            if a.id in resolved:
                order.append((a, resolved[a.id]))
                continue
            target = self._antecedent(a, resolved, plain)
            if target is not None:
                resolved[a.id] = target
                order.append((a, target))
        out = []
        superseded = set()
        for a, spans in order:
            parent = self.by_id.get(a.parent) if a.parent else None
            if parent is not None and resolved.get(parent.id) == spans:
                superseded.add(parent.id)  # "X made the statement, citing sources": the sources carry it
        order = [(a, spans) for a, spans in order if a.id not in superseded and not self._is_frame(a)]
        named = nominal([" ".join(self.text[s:e] for s, e in spans) for _, spans in order])
        for (a, spans), is_name in zip(order, named):
            if is_name:
                continue
            st = self.make(spans, a.stance, a, self.chain(a))
            if st is not None:
                out.append(st)
        return out

    def _antecedent(self, a: Attribution, resolved, plain):
        parent = self.by_id.get(a.parent) if a.parent else None
        start = self._content_range(a)[0]
        if parent is not None and parent.id in resolved:
            ps, pe = resolved[parent.id][0][0], resolved[parent.id][-1][1]
            if not (ps <= start < pe):  # the parent's content is elsewhere: "this" is it
                return resolved[parent.id]
        ancestors = set()
        p = parent
        while p is not None and p.id not in ancestors:
            ancestors.add(p.id)
            p = self.by_id.get(p.parent) if p.parent else None
        best = None
        for s, e, spans, aid in plain:
            if e <= start and aid not in ancestors and aid != a.id:
                if best is None or e > best[0]:
                    best = (e, spans)
        return best[1] if best else None

    def own_voice(self) -> list[Statement]:
        covered = []
        for a in self.r.attributions:
            for sp in [a.cue, *(a.content or [])] + ([a.source] if a.source else []):
                covered.append((sp.start, sp.end))
        hedged = []
        for h in self.r.hedges:
            if h.kind in ("conditional", "hedge"):
                hedged.append((h.start, h.end))
                if h.target is not None and not isinstance(h.target, str):
                    hedged.append((h.target.start, h.target.end))
        chain = self.chain(None)
        out = []
        for s, e in sentences(self.text):
            if self.in_removed(s, e):
                continue
            if any(cs < e and s < ce for cs, ce in covered) or any(hs < e and s < he for hs, he in hedged):
                continue
            sent = self.text[s:e]
            if sent.rstrip(_QUOTES + " ").endswith("?") or _CONDITIONAL.match(sent):
                continue
            if not _SENT_END.search(sent.rstrip()) and len(sent.split()) < 6:
                continue  # a byline, a label, a menu item
            st = self.make([(s, e)], "assert", None, chain)
            if st is not None:
                out.append(st)
        return out


def _trim(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Content as the claim: without "that ..." or "the information that ...", enclosing quotes,
    trailing commas."""
    (s0, e0), (s1, e1) = spans[0], spans[-1]
    m = _LEADING.match(text[s0:e0])
    if m and s0 + m.end() < e0:
        s0 += m.end()
    if len(spans) == 1:
        e1 = e0
    while e1 > s1 and text[e1 - 1] in " ,;:":
        e1 -= 1
    if text[s0:s0 + 1] in _QUOTES and text[s0:s0 + 1] and e1 - 1 > s0 and text[e1 - 1] in _QUOTES:
        s0, e1 = s0 + 1, e1 - 1  # 'Well, I had a great conversation with Putin'
        while e1 > s0 and text[e1 - 1] in " ,;:":
            e1 -= 1
    if len(spans) == 1:
        return [(s0, e1)] if e1 > s0 else spans
    return [(s0, e0)] + spans[1:-1] + [(s1, e1)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: lines, split after . ! ? followed by a capital or a quote."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line_start = m.start()
        line = m.group(0)
        pos = 0
        for b in re.finditer(r"(?<=[.!?])([\"'”’»)]*)\s+(?=[\"“‘'«(]?[A-Z0-9])", line):
            prev = line[:b.start()]
            if re.search(r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Sen|Rep|Gov|Jr|Sr|U\.S|No|vs|Inc|Ltd|Co)\.$", prev):
                continue
            _push(out, line, line_start, pos, b.start() + len(b.group(1)))
            pos = b.end()
        _push(out, line, line_start, pos, len(line))
    return out


def _push(out, line, line_start, s, e):
    seg = line[s:e]
    bullet = re.match(r"\s*(?:[-–—•*·▪]+|\d{1,2}[.)])\s+", seg)  # list markers are not part of a sentence
    if bullet and bullet.end() < len(seg):
        s, seg = s + bullet.end(), seg[bullet.end():]
    lead = len(seg) - len(seg.lstrip())
    trail = len(seg) - len(seg.rstrip())
    if seg.strip():
        out.append((line_start + s + lead, line_start + e - trail))


def statements(report: Report) -> list[Statement]:
    """Every claim the report makes, in text order."""
    reader = _Reader(report)
    out = reader.attributed() + reader.own_voice()
    out.sort(key=lambda s: (s.start, s.end))
    return out


# --- sameness -------------------------------------------------------------------------------

@dataclass
class Features:
    full: np.ndarray  # embedding of the normalised claim, negation out
    pred: np.ndarray  # embedding of what is said: its content words, names and negation out
    entities: frozenset
    words: frozenset
    deny: bool = False  # a denial or a negated content: it answers a claim made elsewhere


def featurise(items: Sequence[tuple], backend: str = "wordllama") -> list[Features]:
    """items: (norm, pred, entities, words[, deny]) per claim."""
    from .embed import embed

    if not items:
        return []
    full = embed([" ".join((strip_negation(it[0]) or it[0]).split()) for it in items], backend=backend)
    preds = [" ".join(it[1].split()) for it in items]
    pe = embed([p or "-" for p in preds], backend=backend)
    for i, p in enumerate(preds):
        if not p.strip():
            pe[i] = 0.0
    return [
        Features(full[i], pe[i], frozenset(e.casefold() for e in it[2]), frozenset(it[3]), bool(it[4]) if len(it) > 4 else False)
        for i, it in enumerate(items)
    ]


def _jaccard(a: frozenset, b: frozenset) -> Optional[float]:
    if not a or not b:
        return None
    return len(a & b) / len(a | b)


def _overlap(a: frozenset, b: frozenset) -> float:
    """Shared content words over the smaller set (over the larger when one is a single word)."""
    if not a or not b:
        return 0.0
    small = min(len(a), len(b))
    return len(a & b) / (small if small > 1 else max(len(a), len(b)))


# Thresholds, set on the hand-made fixtures, the seed (see tests/test_ledger_claims.py) and a look at
# 30 PolNeAR articles. Light sentence embeddings are dominated by names: two claims about the same
# people read alike whatever they say, so a high whole-claim similarity also needs some agreement on
# what is said; less of it for a denial, which answers a claim made elsewhere, often in other words
# ("denied 'negotiations' with Putin" against "spoke with Putin").
FULL_ALONE = 0.93  # the whole claim reads the same
FULL_HIGH = 0.80  # ... or very close, saying something related
EVIDENCE_HIGH = 0.25
EVIDENCE_HIGH_DENIAL = 0.12
FULL_WITH_EVIDENCE = 0.68  # ... or close, with the same names and the same predicate
ENTITY_ALONE = 0.34
ENTITY_WITH_EVIDENCE = 0.5
PREDICATE = 0.3


def same_score(a: Features, b: Features) -> Optional[float]:
    """A score if the two claims state the same thing, else None."""
    full = float(a.full @ b.full)
    if full < FULL_WITH_EVIDENCE:
        return None
    ent = _jaccard(a.entities, b.entities)
    evidence = max(float(a.pred @ b.pred), _overlap(a.words, b.words))
    score = full + 0.3 * evidence
    if full >= FULL_ALONE and (ent is None or ent >= ENTITY_ALONE):
        return score
    need = EVIDENCE_HIGH_DENIAL if (a.deny or b.deny) else EVIDENCE_HIGH
    if full >= FULL_HIGH and evidence >= need and (ent is None or ent >= ENTITY_ALONE):
        return score
    if (ent is None or ent >= ENTITY_WITH_EVIDENCE) and evidence >= PREDICATE:
        return score
    return None
