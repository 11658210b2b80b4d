"""Attributions: who said what, on whose word, nested, with the source resolved and the stance.

The finding is in ``attribution_rules`` (rules over the dependency parse with a cue lexicon learned on
PolNeAR train by ``scripts/train_attribution.py``), refined by ``attribution_refine``; where torch is
installed, ``attribution_tagger`` (a small contextual tagger) reads the document first and both read its
probabilities as features. This module turns what it finds into
``model.Attribution``: ids, nesting (``parent``: the attribution whose content holds this one's cue),
the source's entity (by overlap with ``report.entities[*].mentions``; null when there is none) and
kind, the kind of quotation and the stance. ``univocal`` flattens the nesting the way PolNeAR annotates.
"""
from __future__ import annotations

import re
import weakref

from ..model import Attribution, Cue, Reading, Report, Source, Span
from . import attribution_refine as F
from . import attribution_rules as R
from . import attribution_spans as S
from . import attribution_tagger as T
from .nlp import Parsed
from .registry import layer

# a headline credit: "CLAIM - The New Yorker" on the title line
_CREDIT = re.compile(r"^(?P<claim>\S.{8,}?\S)\s+(?P<dash>[-–—|])\s+(?P<src>[A-Z][\w.&'’]*(?:\s+[A-Z&][\w.&'’]*){0,4})\s*$")


def _norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()


def _headline_credit(parsed: Parsed) -> R.Raw | None:
    text = parsed.masked
    end = text.find("\n")
    end = len(text) if end < 0 else end
    line = text[:end]
    m = _CREDIT.match(line)
    if not m:
        return None
    src = m.group("src")
    outlet = parsed.meta.outlet
    if outlet and _norm(outlet) == _norm(src):
        return None  # the site's own name after its headline: furniture, not a credit
    claim_toks = [t for t in parsed.doc if t.idx < m.end("claim") and t.idx >= m.start("claim")]
    if not any(t.pos_ in ("VERB", "AUX") for t in claim_toks):
        return None
    return R.Raw(cue=(m.start("dash"), m.end("dash")), cue_lemma="-", cue_head=-1,
                 source=(m.start("src"), m.end("src")), content=[(m.start("claim"), m.end("claim"))],
                 frame="credit", source_kind="outlet")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _entity_for(span: tuple[int, int], report: Report, doc=None):
    """The entity a source names: the one with a mention over the source's head word ("Former governor Ed
    Rendell, a Clinton supporter," is Rendell's), else, for a head the owner speaks through (``_SPEAKS_FOR``),
    its owner ("his campaign", "a survey conducted by WBUR"); a source that only holds a mention in passing
    ("an analysis of her calendar", "Gore's friends") is nobody's. Without a parse, the mention overlapping
    the span most."""
    if doc is None:
        return _entity_over(span, report, None)
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or not len(sp):
        return _entity_over(span, report, None)
    root = sp.root
    if root.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"):  # "he’s": the parse's root is the verb
        words = [t for t in sp if t.pos_ in ("NOUN", "PROPN", "PRON")]
        root = words[-1] if words else root
    got = _entity_over(span, report, (root.idx, root.idx + len(root.text)))
    if got is None and root.lemma_.lower() in _SPEAKS_FOR:
        # "Clinton's campaign", "a CNN tally", "Trump's tweet": the owner speaks through it; not so for
        # people around someone ("Gore's friends", "Trump supporters")
        for t in sp:
            if t.i >= root.i:
                break
            up = t
            while up.i != root.i and up.dep_ in ("poss", "compound", "nmod") and up.head.i <= root.i:
                up = up.head
            if up.i == root.i:  # "a Reuters/Ipsos poll", "A USA Today/Suffolk University poll"
                got = _entity_over((t.idx, t.idx + len(t.text)), report, None)
                if got is not None:
                    break
        if got is None:  # "a survey conducted by WBUR", "spokesmen at the FBI", "a lawyer for Mr. Trump"
            people = root.lemma_.lower() in _SPEAKS_FOR_PEOPLE
            for t in sp:
                if t.i <= root.i or t.dep_ != "pobj":
                    continue
                prep, owner = t.head, t.head.head
                by = prep.lower_ == "by" and (owner.i == root.i or (owner.dep_ == "acl" and owner.head.i == root.i))
                of = people and prep.lower_ in ("at", "for", "of", "with", "from") and owner.i == root.i
                if by or of:  # the object's own words ("WBUR radio"), not what hangs after it
                    got = _entity_over((t.left_edge.idx, t.idx + len(t.text)), report, None)
                    if got is not None:
                        break
    return got


# what an owner speaks through: its campaign, office, spokesman, documents and statements
_SPEAKS_FOR = R.DOCUMENT_HEADS | R.STATEMENT_NOUNS | frozenset(
    "campaign office team administration account spokesman spokeswoman spokesperson spokesmen spokeswomen "
    "official aide staff lawyer attorney representative tally comment remark average newspaper magazine paper "
    "network channel station outlet show program blog editorial column".split())
# the people among them, who speak for whom a preposition names ("spokesmen at the FBI", "a lawyer for him")
_SPEAKS_FOR_PEOPLE = frozenset(
    "spokesman spokeswoman spokesperson official aide staff lawyer attorney representative team office".split())


def _entity_over(span: tuple[int, int], report: Report, word: tuple[int, int] | None):
    """The entity with the mention overlapping ``span`` most, among those over ``word`` when given."""
    best, best_len = None, 0
    for ent in report.entities:
        for m in ent.mentions:
            if word is not None and not (m.start <= word[0] and word[1] <= m.end):
                continue
            ov = min(span[1], m.end) - max(span[0], m.start)
            if ov > best_len:
                best, best_len = ent, ov
    return best


_ENT_KIND = {"PERSON": "person", "ORG": "organization", "OUTLET": "outlet", "GPE": "organization",
             "NORP": "unnamed"}


_ENTITY_LABELS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _entity_labels(doc) -> list[tuple[int, int, str]]:
    """The parse's named entities as (start char, end char, label), built once per document:
    ``doc.ents`` makes every span anew on each read, and sources are many."""
    got = _ENTITY_LABELS.get(doc)
    if got is None:
        got = _ENTITY_LABELS[doc] = [(en.start_char, en.end_char, en.label_) for en in doc.ents]
    return got


def source_kind(parsed: Parsed, raw: R.Raw, report: Report, entity) -> str:
    s, e = raw.source
    text = report.text[s:e]
    outlet = parsed.meta.outlet
    if outlet and (_norm(outlet) == _norm(text) or re.search(rf"\b{re.escape(_norm(outlet))}\b", _norm(text))):
        return "self"
    if raw.source_kind:
        return raw.source_kind
    doc = parsed.doc
    span = doc.char_span(s, e, alignment_mode="expand")
    low = _norm(text)
    words = set(low.split())
    if span is None or len(span) == 0:
        return _ENT_KIND.get(entity.type, "unnamed") if entity is not None else "unnamed"
    head = span.root
    hl = head.lemma_.lower()
    has_propn = any(t.pos_ == "PROPN" for t in span)
    ents = [(label, a, b) for a, b, label in _entity_labels(doc) if a < e and s < b]
    if (_generic(words) or (not has_propn and hl in R.UNNAMED_HEADS)) and head.pos_ != "PRON":
        return "unnamed"
    if has_propn and (words & R.OUTLET_WORDS) and not any(label == "PERSON" for label, _, _ in ents):
        return "outlet"
    if entity is not None and entity.type in _ENT_KIND:
        return _ENT_KIND[entity.type]
    if head.pos_ == "PRON":
        if head.lower_ in R.PERSON_PRONOUNS or head.lower_ in ("who", "whom"):
            return "person"
        return "unnamed"
    if _generic(words):
        return "unnamed"
    if ents or has_propn:
        labels = {label for label, _, _ in ents}
        if (words & R.OUTLET_WORDS) and ("ORG" in labels or has_propn) and "PERSON" not in labels:
            return "outlet"
        on_head = {label for label, a, b in ents if a <= head.idx < b}
        if "PERSON" in on_head or ("PERSON" in labels and head.ent_type_ == "" and head.tag_ != "NNS"):
            return "person"  # "Gore's close friends" are not one person
        if on_head & {"ORG", "GPE", "FAC", "NORP"} or (labels & {"ORG", "GPE", "FAC"} and hl in R.ORG_HEADS):
            return "organization"  # a name before another noun ("the Democratic nominee", "a Stanford graduate") is not
        if head.pos_ == "PROPN":
            return "person"
        if hl in R.DOCUMENT_HEADS:
            return "document"
        return "unnamed" if head.tag_ == "NNS" else "person"
    if hl in ("report", "media") or hl in R.UNNAMED_HEADS:
        return "unnamed"
    if hl in R.DOCUMENT_HEADS:
        return "document"
    if hl in R.ORG_HEADS:
        return "organization"
    return "unnamed" if head.tag_ in ("NNS",) else "person"


def _generic(words: set) -> bool:
    return bool(words) and words <= _GENERIC


_GENERIC = {"media", "medium", "reports", "report", "sources", "source", "the", "some", "several", "other",
            "many", "local", "foreign", "western", "russian", "ukrainian", "american", "news", "according"}


_NEG_CUES = {"deny"}


def stance_of(raw: R.Raw) -> str:
    lemma = raw.cue_lemma.split()[0] if raw.cue_lemma else ""
    base = R.STANCE.get(lemma, "assert")
    if raw.frame in ("credit", "according", "citing", "statement"):
        base = "assert"
    if base == "hedge" and raw.frame == "quote":
        base = "assert"  # 'we thought: "this is not good"' quotes the thought itself, it does not hedge it
    if raw.negated:
        # "did not deny" is not a denial, "did not say" not an assertion
        return "other"
    return base


def quote_kind(parsed: Parsed, content: list[tuple[int, int]], ix: R.Index) -> str:
    t = parsed.text
    inside = outside = 0
    for s, e in content:
        i = s
        while i < e:
            q = ix.quote_at(i)
            if q:
                inside += min(q[1], e) - i
                i = max(min(q[1], e), i + 1)
            else:
                if not t[i].isspace() and t[i] not in ".,;:!?":
                    outside += 1
                i += 1
    if inside and not outside:
        return "direct"
    if inside:
        return "mixed"
    return "indirect"


_FOUND, _READ = "attribution.found", "attribution.read"


def found(parsed: Parsed) -> tuple[R.Index, list[R.Raw]]:
    """The rules' attributions, refined: everything before the second reading."""
    if T.probs(parsed.doc) is None:
        T.annotate(parsed.doc, parsed.masked)  # a no-op without torch
    ix = R.Index(parsed.doc, parsed.masked)
    raws = R.find(parsed.doc, parsed.masked)
    return ix, F.refine(ix, raws)  # learned: cue extensions and CRF cue boundaries, a leading/trailing piece


def find_ahead(parsed: Parsed) -> None:
    """The rules' attributions found before the layer's turn, kept for it on ``parsed.ahead``."""
    parsed.ahead[_FOUND] = found(parsed)


def read_ahead(parsed: Parsed) -> None:
    """The reader's pass over the attributions ``find_ahead`` kept (torch, which lets go of the GIL: the
    pipeline runs it in its worker thread while the main thread parses)."""
    ix, raws = parsed.ahead[_FOUND]
    parsed.ahead[_READ] = S.readings_for(ix, raws)


def build(parsed: Parsed, report: Report) -> list[Attribution]:
    text = report.text
    ix, raws = parsed.ahead.pop(_FOUND, None) or found(parsed)
    # the cue-conditioned reader, where it and the rules disagree
    raws = S.second_reading(ix, raws, read=parsed.ahead.pop(_READ, None))
    credit = _headline_credit(parsed)
    if credit is not None:
        raws.insert(0, credit)
        for r in raws[1:]:
            if r.parent_hint is not None:
                r.parent_hint += 1
    # drop duplicates (same cue) and anything touching removed text (or crossing a headline credit)
    removed = [(r.start, r.end) for r in parsed.removed]
    if credit is not None:
        removed.append(credit.cue)
    seen, kept = set(), []
    index_map = {}
    for i, r in enumerate(raws):
        spans = [r.cue] + ([r.source] if r.source else []) + list(r.content)
        if r is not credit and any(_overlaps(s, x) for s in spans for x in removed):
            continue
        if r.cue in seen or (not r.content and not r.source):
            continue
        if not r.content:
            # the contract wants every attribution to say something: the best guess at what the cue
            # reports, or no attribution
            r.content = fallback_content(ix, r, parsed.masked)
            if not r.content:
                continue
        seen.add(r.cue)
        index_map[i] = len(kept)
        kept.append(r)
    # two attributions never share a cue's words: where cues overlap ("issued a statement saying" and
    # "issued"), the longer cue's attribution stands (PolNeAR train read by the shipped models, which saw
    # it: the longer cue is the gold one in 65 of 85 such pairs, the shorter in 8)
    stands = longest_cues([r.cue for r in kept])
    if len(stands) < len(kept):
        moved = {old: new for new, old in enumerate(stands)}
        kept = [kept[k] for k in stands]
        index_map = {i: moved[k] for i, k in index_map.items() if k in moved}
    for r in kept:
        short_of_cues(parsed.doc, r, [o.cue for o in kept if o is not r])
    # order by position of the cue in the text (the credit stays first)
    order = sorted(range(len(kept)), key=lambda k: (kept[k].frame != "credit", kept[k].cue[0]))
    pos_of = {k: n for n, k in enumerate(order)}
    parents: dict[int, int | None] = {}
    for k in order:
        r = kept[k]
        par = None
        if r.parent_hint is not None and r.parent_hint in index_map:
            par = index_map[r.parent_hint]
        else:
            best = None
            for j in order:
                if j == k:
                    continue
                o = kept[j]
                if o.frame == "credit" or r.frame == "credit":
                    continue
                for cs, ce in o.content:
                    if cs <= r.cue[0] and r.cue[1] <= ce:
                        size = ce - cs
                        if best is None or size < best[0]:
                            best = (size, j)
            par = best[1] if best else None
        parents[k] = par
    # break cycles
    for k in order:
        seen_chain, p = {k}, parents[k]
        while p is not None:
            if p in seen_chain:
                parents[k] = None
                break
            seen_chain.add(p)
            p = parents[p]
    out = []
    for n, k in enumerate(order):
        r = kept[k]
        src = None
        if r.source:
            ent = _entity_for(r.source, report, parsed.doc)
            src = Source.of(text, r.source[0], r.source[1], entity=ent.id if ent else None,
                            kind=source_kind(parsed, r, report, ent))
        p = parents[k]
        out.append(Attribution(
            id=f"A{n + 1}",
            parent=f"A{pos_of[p] + 1}" if p is not None else None,
            source=src,
            cue=Cue.of(text, r.cue[0], r.cue[1], lemma=r.cue_lemma),
            content=[Span.of(text, s, e) for s, e in r.content],
            kind=quote_kind(parsed, r.content, ix),
            stance=stance_of(r),
        ))
    reported_admissions(parsed, report, out)
    return out


SOURCE_SHORT_OF_CUES = True
_CLAUSES = ("relcl", "acl", "advcl")


def short_of_cues(doc, r, cues: list[tuple[int, int]]) -> None:
    """A source ends before a clause of its own that holds another attribution's cue ("Bernie Sanders, who
    on Tuesday endorsed Clinton, | said": the source is Sanders; "endorsed" reports on its own). PolNeAR
    never puts a cue inside a source; on train read by the shipped models (which saw it) such a source was
    PolNeAR's 11 times in 91, and this cut gains 41 exact sources there and loses 10."""
    if not SOURCE_SHORT_OF_CUES or not r.source or r.source_head < 0:
        return
    s, e = r.source
    head = doc[r.source_head]
    for cs, ce in cues:
        if not (s <= cs and ce <= e):
            continue
        span = doc.char_span(cs, ce, alignment_mode="expand")
        if span is None:
            continue
        cut, tok = None, span.root
        while s <= tok.idx < e and tok.i != head.i:
            if tok.dep_ in _CLAUSES:
                cut = tok
            if tok.head.i == tok.i:
                break
            tok = tok.head
        if cut is None:
            continue
        start = min(w.idx for w in cut.subtree)
        if start <= head.idx:
            continue
        ne = start
        while ne > s and doc.text[ne - 1] in " \t\n,;:—–-":  # a stop stays: "Joseph R. Biden Jr., who"
            ne -= 1
        if ne > head.idx:
            r.source = (s, ne)
            e = ne


def longest_cues(cues: list[tuple[int, int]]) -> list[int]:
    """The indexes, in order, of the cues that stand where cues overlap: the longer one (the first of
    equals)."""
    taken: list[tuple[int, int]] = []
    stands = []
    for k in sorted(range(len(cues)), key=lambda k: (cues[k][0] - cues[k][1], k)):
        if not any(_overlaps(cues[k], t) for t in taken):
            taken.append(cues[k])
            stands.append(k)
    return sorted(stands)


def univocal(attributions: list[Attribution]) -> list[Attribution]:
    """The attributions as a univocal annotation holds them: none reported inside another's content (an
    attribution whose cue lies in another's content is left out; the one holding it keeps its whole
    content). PolNeAR is such an annotation: none of its 19,830 train cues lies inside a content, so its
    measure reads a report through this (``bench/polnear.py``). The report itself keeps the nesting
    (``parent``), which is what a chain of reports needs."""
    def inside(a: Attribution, b: Attribution) -> bool:
        return b is not a and any(p.start <= a.cue.start and a.cue.end <= p.end for p in b.content)

    return [a for a in attributions if not any(inside(a, b) for b in attributions)]


_TRIM = " \t\n,;:.—–-"
_COLON_BREAK = re.compile(r"[ \t]*:[ \t]*\n\s*")  # a cue ending its line with a colon


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def fallback_content(ix, r, masked: str) -> list[tuple[int, int]]:
    """A content for a cue whose content was not found, so that every attribution says something (the
    contract wants one), in this order: the tagger's content beside the cue; the paragraph below, when the
    cue ends its line with a colon ("The governor added:"); the sentence before, when the sentence ends with
    the cue and its source ("..., the mayor explained."). [] otherwise: the attribution is dropped.
    On PolNeAR train (3.4% of the attributions), the tagger's content is exact 30% of the time and such
    cues are right 67%; the sentence before a closing cue 11% and 80%; what follows a cue (the rest of its
    sentence, or what the cue verb governs) 6% and 50%, too weak to keep."""
    doc = ix.doc
    a, b = ix.tok_at(r.cue[0]).i, ix.tok_at(r.cue[1] - 1).i
    taken = [r.cue] + ([r.source] if r.source else [])
    free = lambda s, e: s < e and not any(x < e and s < y for x, y in taken)  # noqa: E731

    content, _ = F._tagger_roles_beside(doc, a, b)
    if content is not None:
        s, e = _trim(masked, *F._char_span(doc, content))
        if free(s, e):
            return [(s, e)]
    last = max(y for _, y in taken)
    colon = _COLON_BREAK.match(masked, last)
    if colon:  # "The governor added:" and what he said in the paragraph below
        nl = masked.find("\n", colon.end())
        s, e = _trim(masked, colon.end(), len(masked) if nl < 0 else nl)
        if free(s, e) and any(ch.isalnum() for ch in masked[s:e]):
            return [(s, e)]
    sent = doc[a].sent
    if any(ch.isalnum() for ch in masked[last:sent.end_char]):
        return []
    s, e = _trim(masked, sent.start_char, min(x for x, _ in taken))
    if free(s, e) and any(ch.isalnum() for ch in masked[s:e]):
        return [(s, e)]
    return []


def _entities_in(report: Report, start: int, end: int) -> set[str]:
    return {e.id for e in report.entities for m in e.mentions if start <= m.start and m.end <= end}


def reported_admissions(parsed: Parsed, report: Report, attributions: list[Attribution]) -> None:
    """``X admitted this in a conversation with K`` ... ``K recalls: "X said: ..."``: what K reports X
    saying is that admission, so its stance is ``admit`` too. The audience is every entity named in
    the sentence of the explicit admission, other than X."""
    by_id = {a.id: a for a in attributions}
    for a in attributions:
        if a.stance != "admit" or a.source is None or a.source.entity is None:
            continue
        sp = parsed.doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
        if sp is None:
            continue
        sent = sp.sent
        audience = _entities_in(report, sent.start_char, sent.end_char) - {a.source.entity}
        for b in attributions:
            if b is a or b.stance != "assert" or b.source is None or b.source.entity != a.source.entity:
                continue
            parent = by_id.get(b.parent) if b.parent else None
            if parent is not None and parent.source is not None and parent.source.entity in audience:
                b.stance = "admit"


@layer("attributions")
def read_attributions(parsed: Parsed, report: Report) -> dict:
    return {"attributions": build(parsed, report), "reading": reading(parsed)}


def reading(parsed: Parsed) -> Reading:
    """Which models read this document's attributions (they differ with the install and the CPU)."""
    tagger = T.precision() if T.probs(parsed.doc) is not None else None
    second = S.mode()
    if second != "off" and not (S.available() and S.choice_model()):
        second = "off"
    if second == "disputed" and tagger is None:
        second = "off"  # without the tagger's probabilities nothing is disputed, so nothing was read
    return Reading(tagger=tagger, second_reading=second, reader=None if second == "off" else S.reader_precision())


def _label(report: Report, a: Attribution) -> str:
    if a.source is None:
        return "unattributed"
    if a.source.kind == "self":
        return report.meta.outlet or a.source.text
    if a.source.entity:
        for e in report.entities:
            if e.id == a.source.entity:
                bare = a.source.text.rstrip(_TRIM + "\"'”’")
                words = bare.split()
                last = words[-1].lower() if words else ""
                end = a.source.start + len(bare)
                named = any(m.start <= end - len(last) and end <= m.end for m in e.mentions)
                if not named and (last in _SPEAKS_FOR or last.rstrip("s") in _SPEAKS_FOR):
                    # its campaign, its poll, its officials: say so, and whose
                    return a.source.text if e.name in a.source.text else f"{a.source.text} ({e.name})"
                return e.name
    if a.source.text.lower() in ("who", "which", "that", "whom"):
        antecedent = _antecedent(report.text, a.source.start)
        if antecedent:
            return antecedent
    if a.source.kind == "unnamed":
        words = a.source.text.split()
        if len(words) == 1 and words[0].lower() not in R.GROUP_PRONOUNS and words[0].lower() not in R.PERSON_PRONOUNS:
            return "unnamed " + a.source.text.lower()
        return a.source.text
    return a.source.text


def _antecedent(text: str, start: int) -> str | None:
    """What a relative pronoun no entity owns stands for, for a chain's label: the words before it back to
    the last comma, dash or sentence start ("Jared Diamond's 2005 best seller, which explored" -> "Jared
    Diamond's 2005 best seller"); None when that is not a short noun phrase."""
    before = text[max(0, start - 200):start].rstrip(" ,")
    cut = max(before.rfind(x) for x in (",", ";", ":", " -", "—", "–", ". ", "\n", "(", "“", "\""))
    phrase = before[cut + 1:].strip(" -—–\"“")
    phrase = re.sub(r"^(?:and|or|but|including|as well as)\s+", "", phrase)
    words = phrase.split()
    if not words or len(words) > 8 or not any(w[:1].isalpha() for w in words):
        return None
    return phrase


def chain(report: Report, attribution_id: str) -> list[str]:
    """The readable chain of voices, outermost first, for one attribution: the outlet (unless the
    outermost voice is the outlet itself), then each enclosing attribution's source, then this one's.
    E.g. ["Obozrevatel", "The New Yorker", "unnamed sources"]."""
    by_id = {a.id: a for a in report.attributions}
    if attribution_id not in by_id:
        raise KeyError(attribution_id)
    path = []
    a = by_id[attribution_id]
    guard = 0
    while a is not None and guard < 50:
        path.append(a)
        a = by_id.get(a.parent) if a.parent else None
        guard += 1
    labels = [_label(report, a) for a in reversed(path)]
    outlet = report.meta.outlet
    if outlet and (not labels or labels[0] != outlet):
        labels.insert(0, outlet)
    return labels
