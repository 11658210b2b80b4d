"""Entities: named mentions clustered into real-world entities, with their descriptions and pronouns.

What it does, in order (all over ``parsed.doc``, the parse of the masked text, so nothing in
``removed`` is read):

1. Names: spaCy's entities, repaired with small lexicons (``data/entities_*``: a gazetteer of
   common places and organisations, news outlets, first names) and cheap syntax cues (a one-word
   "person" that premodifies a role noun is an organisation, one that premodifies a product noun
   a product; "told X", "X reported", "X newspaper" make X an outlet; the document's own outlet,
   ``meta.outlet``, is an outlet whatever its case; a capitalised name before a role in apposition,
   "Reince Priebus, the GOP chairman", is a person even where spaCy missed it or called it an
   organisation). A surname seen in a full name is a mention wherever it stands, even where spaCy
   missed it.
2. Names are clustered: same name; surname or first name to the full name; honorific + surname.
3. Titles and epithets: premodifiers ("American billionaire Elon Musk") extend the name's mention;
   appositions ("the former deputy chief of staff of the Pentagon, Colin Kahl") are their own
   mention. Both teach the entity role words, affiliations and nationality.
4. A left-to-right pass keeps a salience score per entity (Lappin & Leass factors, halved each
   sentence) and resolves definite descriptions ("the billionaire", "the former Pentagon
   official", "the company") and third-person pronouns to the best compatible entity: learnt
   role words and affiliations first, then a role lexicon with salience; co-arguments of the same
   verb are excluded (binding), and so are entities of the wrong gender, number or nationality.
   A subject pronoun prefers the subject of the clause above its own, decisively in a coordinated
   clause ("Rendell praised Sanders ..., but he said"), then the last narrative subject (a subject
   inside a quotation does not count), then the speaker of a quotation just before; a speaker is
   never the person his own quotation names ('He said, "Donald Trump will build the wall"').
5. A relative pronoun is a mention of the entity its clause hangs on ("Mr. Ban, who said").

Hand-checked on PolNeAR sources that are pronouns: ``bench/entities.py``, ``bench/data/pronoun_sources.tsv``.

Nested names inside a description ("Pentagon" in "the former Pentagon official") stay mentions of
their own entity; use :func:`entity_at` to pick the entity a span is about.
"""
from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import Entity, Report, Span
from . import entities_lexicon as lex
from .nlp import Parsed
from .registry import layer

LABELS = {
    "PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC", "NORP": "NORP",
    "PRODUCT": "PRODUCT", "EVENT": "EVENT", "WORK_OF_ART": "OTHER", "LAW": "OTHER",
}

PRONOUNS = {
    "he": ("m", "subj"), "him": ("m", "obj"), "his": ("m", "poss"), "himself": ("m", "refl"),
    "she": ("f", "subj"), "her": ("f", "obj"), "hers": ("f", "poss"), "herself": ("f", "refl"),
    "they": ("pl", "subj"), "them": ("pl", "obj"), "their": ("pl", "poss"), "theirs": ("pl", "poss"),
    "themselves": ("pl", "refl"), "its": ("n", "poss"), "itself": ("n", "refl"), "it": ("n", "subj"),
}
PRONOUN_TYPES = {
    "m": ("PERSON",), "f": ("PERSON",), "pl": ("ORG", "OUTLET", "NORP"), "n": ("ORG", "OUTLET", "GPE", "PRODUCT"),
}
HEADLINE_VERBS = frozenset(
    "says said tells told claims warns urges slams blasts rips asks calls vows wins loses backs defends "
    "denies admits hits attacks accuses praises endorses responds reacts".split()
)
SAY_VERBS = frozenset("say tell announce state add claim insist argue warn report confirm deny write note".split())
ARG_DEPS = ("nsubj", "nsubjpass", "dobj", "dative", "attr", "oprd")
MOD_DEPS = ("compound", "amod", "nmod", "npadvmod", "nummod", "advmod")
DETS = ("the", "this", "that")
# Nouns that relate a person to another ("his wife", "her rival"): never learnt as a role word.
RELATIONAL = frozenset(
    "wife husband daughter son father mother brother sister child children parent friend ally partner "
    "rival opponent challenger supporter fan member runner winner frontrunner front-runner delegate mate "
    "colleague boss employee client successor predecessor widow girlfriend boyfriend family relative".split()
)
PERSON_SUFFIX = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman|person|eon|ee|ive|ic|at|ary|ier|yst)$")


def _personish(lemma: str) -> bool:
    """A noun that can name a person's role: a role-lexicon word or a person-like suffix
    (strategist, pollster, neurosurgeon), not a relational noun (wife, rival)."""
    return lemma in lex.roles() or (bool(PERSON_SUFFIX.search(lemma)) and lemma not in RELATIONAL)


TITLE_POS = frozenset(("NOUN", "PROPN", "ADJ", "ADV", "NUM", "ADP", "DET", "PART", "PUNCT"))
# Nouns for people that a description can introduce ("the woman ... she"): never a named
# entity's mention unless the entity was described so before; otherwise a discourse entity.
PEOPLE_NOUNS = {
    "woman": "f", "man": "m", "girl": "f", "boy": "m", "lady": "f", "gentleman": "m", "mother": "f",
    "father": "m", "wife": "f", "husband": "m", "daughter": "f", "son": "m", "sister": "f",
    "brother": "m", "widow": "f", "grandmother": "f", "grandfather": "m", "person": "-",
    "driver": "-", "student": "-", "teenager": "-", "resident": "-", "patient": "-", "worker": "-",
    "gunman": "m", "shooter": "-", "soldier": "-", "child": "-", "baby": "-",
}
GENERIC_MODS = frozenset("next future new first winning ideal right perfect eventual likely possible "
                         "potential average typical only same other".split())
# Common nouns spaCy sometimes calls names; never an entity on their own.
GENERIC = frozenset("media sources source reports report government police officials authorities news "
                    "breaking update updated world opinion analysis".split())


@dataclass
class Mention:
    start: int
    end: int
    i0: int
    i1: int
    head: int
    kind: str  # name | desc | pron
    label: str
    n0: int = -1  # the bare name's tokens (before a premodifier title extends the mention)
    n1: int = -1
    src: str = "spacy"  # spacy | gaz | outlet | meta | surname | cue
    ent: int = -1
    key: str = ""
    gender: str | None = None
    roles: set = field(default_factory=set)
    affs: set = field(default_factory=set)
    nats: set = field(default_factory=set)


@dataclass
class Ent:
    label: str
    mentions: list = field(default_factory=list)
    gender: str | None = None  # hard: from an honorific or a gendered role noun
    gvotes: dict = field(default_factory=lambda: {"m": 0.0, "f": 0.0})  # soft: first name, pronouns
    roles: set = field(default_factory=set)
    affs: set = field(default_factory=set)
    nats: set = field(default_factory=set)
    sal: dict = field(default_factory=lambda: defaultdict(dict))  # sentence -> factor -> weight
    last: dict = field(default_factory=dict)  # sentence -> head token of the last mention in it
    subj_of: dict = field(default_factory=lambda: defaultdict(set))  # sentence -> verbs it is subject of
    args: dict = field(default_factory=lambda: defaultdict(set))  # sentence -> arg verbs


# ----------------------------------------------------------------------------- helpers

def _norm(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip()).lower()
    t = re.sub(r"^the ", "", t)
    t = re.sub(r"['’]s$", "", t)
    return t


@functools.lru_cache(maxsize=None)
def _lexicon_regex() -> tuple[re.Pattern, re.Pattern]:
    gaz_re = re.compile(r"(?<![\w.])" + trie_pattern(lex.gazetteer()) + r"(?![\w])")
    outs = (o for o in lex.outlets() if o not in lex.AMBIGUOUS_OUTLETS)
    out_re = re.compile(r"(?<![\w])(?:the\s+)?" + trie_pattern(outs, fold=True) + r"(?![\w])", re.I)
    return gaz_re, out_re


def _name_goes_on(doc, i1: int, key: str) -> bool:
    """Whether an outlet's name that is also a word ("Time", "Fortune", "Slate") runs on into a longer name
    the parser cut ("Time Out", "Fortune Brands"): then it is not that outlet."""
    return key in lex.AMBIGUOUS_OUTLETS and i1 < len(doc) and doc[i1].is_title and not doc[i1].is_sent_start


def trie_pattern(words, fold: bool = False) -> str:
    """One regex group matching any of ``words`` (``fold``: compared in lower case, for re.I), with
    shared prefixes merged. An alternation of a few hundred names is tried name by name at every
    position of the text; the trie reads each character once. A longer name is tried before the
    name it extends, so the match is the longest that fits, as with an alternation sorted by length."""
    root: dict = {}
    for w in words:
        node = root
        for ch in (w.lower() if fold else w):
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer ones first, then the end
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return "(?:" + walk(root) + ")"


def _arg_verb(tok):
    """The verb a token is a direct argument of (subject, object, or a verb's prepositional object)."""
    if tok.dep_ in ARG_DEPS:
        return tok.head.i
    if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent", "dative") and tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head.i
    return None


def _factors(tok) -> dict:
    f = {"rec": 100}
    dep = tok.dep_
    if dep in ("nsubj", "nsubjpass"):
        f["subj"] = 80
    elif dep == "expl":
        f["exist"] = 70
    elif dep in ("dobj", "attr"):
        f["obj"] = 50
    elif dep in ("dative", "pobj"):
        f["ind"] = 40
    if dep not in ("poss", "compound", "nmod", "amod") and not (dep == "pobj" and tok.head.head.pos_ in ("NOUN", "PROPN")):
        f["head"] = 80
    if not (dep == "pobj" and tok.head.head.pos_ in ("VERB", "AUX")):
        f["nonadv"] = 50
    return f


def _glued_hyphen(doc, i) -> bool:
    """A hyphen inside a word ("full-scale", "Pro-Kremlin"), not a dash ("WASHINGTON - President")."""
    return doc[i].text == "-" and not doc[i].whitespace_ and i > 0 and not doc[i - 1].whitespace_


def _is_cap(tok) -> bool:
    return tok.text[:1].isupper()


# ----------------------------------------------------------------------------- 1. names

def _name_mentions(doc, meta) -> list[Mention]:
    text = doc.text
    out: list[Mention] = []
    taken = [False] * len(doc)
    outlet_key = _norm(meta.outlet) if meta and meta.outlet else None
    outlets = lex.outlets()
    gaz = lex.gazetteer()

    def add(i0, i1, label, src):
        if i1 <= i0:
            return None
        # no names across lines
        for j in range(i0, i1):
            if "\n" in doc[j].text or doc[j].is_space:
                i1 = j
                break
        if i1 <= i0:
            return None
        span = doc[i0:i1]
        heads = [t for t in span if t.head.i < i0 or t.head.i >= i1 or t.head.i == t.i]
        m = Mention(span.start_char, span.end_char, i0, i1, (heads[-1] if heads else span[-1]).i, "name", label, src=src)
        out.append(m)
        for j in range(i0, i1):
            taken[j] = True
        return m

    for e in doc.ents:
        label = LABELS.get(e.label_)
        if label is None:
            continue
        i0, i1 = e.start, e.end
        while i0 < i1 and (doc[i0].is_space or doc[i0].is_punct):
            i0 += 1
        while i1 > i0 and (doc[i1 - 1].tag_ == "POS" or doc[i1 - 1].is_punct or doc[i1 - 1].is_space):
            i1 -= 1
        if i0 >= i1:
            continue
        if doc[i0].lower_ == "the":
            rest = _norm(doc[i0 + 1:i1].text)
            keep = doc[i0].text == "The" and (rest in outlets or not doc[i0].is_sent_start)
            if not keep:
                i0 += 1
        if i0 >= i1:
            continue
        if doc[i0].lower_ in ("pro", "anti", "non", "post", "pre") and i1 - i0 > 1 and _glued_hyphen(doc, i0 + 1):
            continue  # "Pro-Kremlin", "Anti-Trump": an adjective, not a name
        if label != "PERSON" and i1 - i0 >= 3 and any(doc[j].lower_ in HEADLINE_VERBS for j in range(i0 + 1, i1)):
            continue  # a title-case headline taken for a name: "Obama Says Museum Tells Story"
        if label == "PERSON":  # headline verbs glued to a name: "Obama Says", "Trump Slams"
            while i1 - i0 > 1 and (doc[i1 - 1].pos_ in ("VERB", "AUX") or doc[i1 - 1].lower_ in HEADLINE_VERBS):
                i1 -= 1
        key = _norm(doc[i0:i1].text)
        # a person inside a longer non-person name ("Defence Lloyd Austin")
        if label != "PERSON" and i1 - i0 >= 2 and key not in outlets and doc[i0:i1].text not in gaz:
            for j in range(i0 + 1, i1 - 1):
                if lex.is_first_name(doc[j].text) and all(_is_cap(t) and t.pos_ == "PROPN" for t in doc[j + 1:i1]):
                    i0, label = j, "PERSON"
                    break
        txt = doc[i0:i1].text
        key = _norm(txt)
        src = "spacy"
        if outlet_key and key == outlet_key:
            label, src = "OUTLET", "meta"
        elif (key in outlets and label != "PERSON" or (key in outlets and i1 - i0 == 1 and label == "PERSON")) \
                and not _name_goes_on(doc, i1, key):
            label, src = "OUTLET", "outlet"
        elif txt in gaz and not (label == "PERSON" and i1 - i0 > 1):
            label, src = gaz[txt], "gaz"
        add(i0, i1, label, src)

    def overlapping(i0, i1) -> list[Mention]:
        return [m for m in out if m.i0 < i1 and i0 < m.i1]

    def char_tokens(s, e):
        sp = doc.char_span(s, e, alignment_mode="expand")
        return (sp.start, sp.end) if sp is not None else (None, None)

    def free_for_outlet(i0, i1) -> bool:
        """Whether an outlet's name can go at tokens i0:i1: nothing there yet, or only shorter names wholly
        inside it, which give way ("USA" in "A USA TODAY analysis", "Washington" in "the Washington Post")."""
        if not any(taken[i0:i1]):
            return True
        inner = overlapping(i0, i1)
        if not all(i0 <= m.i0 and m.i1 <= i1 and m.i1 - m.i0 < i1 - i0 and m.label != "OUTLET" for m in inner):
            return False
        for m in inner:
            out.remove(m)
            for j in range(m.i0, m.i1):
                taken[j] = False
        return True

    # the document's own outlet, whatever its case ("OBOZREVATEL")
    if outlet_key:
        pat = re.compile(r"(?<!\w)(?:the\s+)?" + r"\s+".join(map(re.escape, outlet_key.split())) + r"(?!\w)", re.I)
        for m in pat.finditer(text):
            s = m.start()
            if text[s:s + 4].lower() == "the " and text[s] == "t":
                s += 4
            if not text[s].isupper():
                continue
            i0, i1 = char_tokens(s, m.end())
            if i0 is not None and free_for_outlet(i0, i1):
                add(i0, i1, "OUTLET", "meta")
    gaz_re, out_re = _lexicon_regex()
    for m in out_re.finditer(text):
        s = m.start()
        if text[s:s + 4] == "the ":
            s += 4
        if not text[s].isupper():
            continue
        i0, i1 = char_tokens(s, m.end())
        if i0 is not None and free_for_outlet(i0, i1):
            add(i0, i1, "OUTLET", "outlet")
    for m in gaz_re.finditer(text):
        i0, i1 = char_tokens(m.start(), m.end())
        if i0 is not None and not any(taken[i0:i1]) and doc[i0].pos_ in ("PROPN", "NOUN", "ADJ"):
            add(i0, i1, gaz[m.group(0)], "gaz")

    # names spaCy missed next to an outlet noun: "the Daily Planet newspaper", "the magazine Vox Populi"
    for t in doc:
        if t.lemma_.lower() not in lex.OUTLET_NOUNS or t.pos_ != "NOUN" or t.lower_ in ("agency", "network", "station"):
            continue
        j = t.i
        while j - 1 >= 0 and doc[j - 1].pos_ == "PROPN" and _is_cap(doc[j - 1]) and not taken[j - 1]:
            j -= 1
        if j < t.i:
            add(j, t.i, "OUTLET", "cue")
            continue
        k = t.i + 1
        while k < len(doc) and doc[k].pos_ == "PROPN" and _is_cap(doc[k]) and not taken[k]:
            k += 1
        if k > t.i + 1 and t.i > 0 and doc[t.i - 1].lower_ == "the":
            add(t.i + 1, k, "OUTLET", "cue")

    # surnames with an apostrophe, which the small model rarely knows ("Dinesh D’Souza", "O'Neill said"):
    # a person, with a capitalised first name before it
    for m in _APOSTROPHE_NAME.finditer(text):
        i0, i1 = char_tokens(m.start(), m.end())
        if i0 is None or any(doc[j].pos_ not in ("PROPN", "NOUN", "X") for j in range(i0, i1)):
            continue
        m0 = next(iter(overlapping(i0, i1)), None)
        if m0 is None and not any(taken[i0:i1]):
            add(i0, i1, "PERSON", "apostrophe")
        elif m0 is not None and m0.label == "ORG" and m0.src == "spacy" and m0.i1 - m0.i0 <= 2:
            m0.label = "PERSON"

    # names spaCy missed or mislabelled before a role in apposition: "Reince Priebus, the GOP chairman, ..."
    roles = lex.roles()
    by_tok0 = {j: m for m in out for j in range(m.i0, m.i1)}
    for t in doc:
        if t.dep_ != "appos" or t.pos_ != "NOUN" or t.lemma_.lower() not in roles or t.i < 2:
            continue
        h = t.head
        if h.pos_ != "PROPN" or not _is_cap(h) or h.i > t.i:
            continue
        m = by_tok0.get(h.i)
        if m is not None and not (m.label in ("ORG", "GPE") and m.src == "spacy" and m.i1 - m.i0 <= 3):
            continue
        j = h.i if m is None else m.i0
        while j - 1 >= 0 and doc[j - 1].pos_ == "PROPN" and doc[j - 1].dep_ == "compound" and _is_cap(doc[j - 1]) \
                and not taken[j - 1]:
            j -= 1
        if m is not None:  # "Priebus, the party chairman": a person, with the first name spaCy left out
            m.label, m.i0, m.start = "PERSON", j, doc[j].idx
            taken[j:m.i1] = [True] * (m.i1 - j)
        elif h.i - j <= 2:
            add(j, h.i + 1, "PERSON", "appos")

    # honorifics ("Mr. Smith") join the name and give its gender
    for m in out:
        if m.label == "PERSON" and m.i0 > 0:
            prev = doc[m.i0 - 1]
            if prev.lower_ in lex.HONORIFICS:
                m.gender = lex.HONORIFICS[prev.lower_]
                m.i0, m.start = prev.i, prev.idx
                taken[prev.i] = True

    # surnames (and first names) of full person names, wherever they stand
    surnames: dict[str, str] = {}
    single: dict[str, str] = {}
    for m in out:
        toks = [t for t in doc[m.i0:m.i1] if t.lower_ not in lex.HONORIFICS]
        if m.label == "PERSON" and len(toks) >= 2:
            surnames[toks[-1].text] = "PERSON"
        elif m.label == "PERSON" and len(toks) == 1 and m.src == "spacy" and toks[0].text.isalpha() and toks[0].text[0].isupper():
            if toks[0].text not in gaz and toks[0].lower_ not in outlets:
                single[toks[0].text] = "PERSON"  # a one-word name spaCy saw once: wherever it stands
    by_tok = {}
    for m in out:
        for j in range(m.i0, m.i1):
            by_tok[j] = m
    for tok in doc:
        if (tok.text in surnames or tok.text in single) and tok.pos_ in ("PROPN", "NOUN", "VERB", "ADJ", "X"):
            m = by_tok.get(tok.i)
            if m is None:
                add(tok.i, tok.i + 1, "PERSON", "surname")
            elif m.label != "PERSON" and m.i1 - m.i0 == 1 and m.src == "spacy":
                m.label, m.src = "PERSON", "surname"
    out.sort(key=lambda m: (m.start, -m.end))
    # drop nested duplicates produced by overlapping scans (keep the first, longest)
    kept, last_end = [], -1
    for m in out:
        if m.start < last_end and any(k.start <= m.start and m.end <= k.end and k.label == m.label for k in kept[-3:]):
            continue
        kept.append(m)
        last_end = max(last_end, m.end)
    _fix_types(doc, kept, surnames)
    kept = [m for m in kept if _norm(doc[m.i0:m.i1].text) not in GENERIC]
    for m in kept:
        m.n0, m.n1 = m.i0, m.i1
    return kept


def _compound_chain(tok):
    """Nouns a compound premodifier leads to ("Starlink" -> satellite, terminals)."""
    chain = []
    t = tok
    while t.dep_ == "compound" and t.head.i != t.i:
        t = t.head
        chain.append(t)
    return chain


def _fix_types(doc, mentions, surnames):
    roles = lex.roles()
    for m in mentions:
        one = m.i1 - m.i0 == 1
        tok = doc[m.head]
        chain = _compound_chain(tok)
        lemmas = [t.lemma_.lower() for t in chain]
        if one and m.src == "spacy" and m.label in ("PERSON", "ORG", "GPE") and chain:
            if any(l in lex.PRODUCT_NOUNS for l in lemmas):
                m.label = "PRODUCT"
            elif m.label == "PERSON" and tok.text not in surnames and not lex.is_first_name(tok.text) and (
                any(l in roles or l in lex.ORG_NOUNS for l in lemmas)
            ):
                m.label = "ORG"
        # "the carmaker Veltro", "Veltro, a carmaker"
        if m.label == "PERSON" and m.src == "spacy" and tok.text not in surnames and not lex.is_first_name(doc[m.i0].text):
            near = [tok.head] if tok.dep_ == "appos" else []
            if m.i0 > 0 and doc[m.i0 - 1].pos_ == "NOUN" and doc[m.i0 - 1].is_lower:
                near.append(doc[m.i0 - 1])  # "the carmaker Veltro"
            near += [c for c in tok.children if c.dep_ == "appos"]
            if any(lex.ORG_NOUNS.get(t.lemma_.lower()) for t in near):
                m.label = "OUTLET" if any(lex.ORG_NOUNS.get(t.lemma_.lower()) == "OUTLET" for t in near) else "ORG"
        if m.label in ("ORG", "PERSON") and m.src in ("spacy",) and _outlet_cue(doc, m, tok, lemmas):
            if m.label == "ORG" or one:
                m.label, m.src = "OUTLET", "cue"


def _outlet_cue(doc, m, tok, chain_lemmas) -> bool:
    if any(l in lex.OUTLET_NOUNS for l in chain_lemmas):
        return True
    if "news" in chain_lemmas and "agency" in chain_lemmas:
        return True
    head = tok.head
    # "told X", "in an interview with X"
    if tok.dep_ in ("dobj", "dative") and head.lemma_ == "tell":
        return True
    if tok.dep_ == "pobj" and head.lower_ == "to" and head.head.lemma_ == "tell":
        return True
    if tok.dep_ == "pobj" and head.lower_ == "with" and head.head.lemma_ == "interview":
        return True
    # "X reported"
    if tok.dep_ == "nsubj" and head.lemma_ in lex.OUTLET_REPORT_VERBS and m.label == "ORG":
        return True
    # "X, a newspaper", "the newspaper X"
    if tok.dep_ == "appos" and head.lemma_.lower() in lex.OUTLET_NOUNS:
        return True
    for c in tok.children:
        if c.dep_ == "appos" and c.lemma_.lower() in lex.OUTLET_NOUNS:
            return True
    return False


# ----------------------------------------------------------------------------- 2. clustering

def _cluster(doc, names: list[Mention], meta) -> list[Ent]:
    ents: list[Ent] = []
    by_key: dict[tuple, int] = {}
    persons_full: list[tuple[list[str], int]] = []

    def new(label):
        ents.append(Ent(label=label))
        return len(ents) - 1

    def person_tokens(m):
        return [t.text for t in doc[m.i0:m.i1] if t.lower_ not in lex.HONORIFICS]

    def full_name(m) -> bool:
        # two words or more: a hyphenated surname is one word of several tokens ("Mr. Holtz-Eakin" is
        # Douglas Holtz-Eakin's surname, not a full name of its own)
        return sum(w.lower() not in lex.HONORIFICS for w in doc[m.i0:m.i1].text.split()) >= 2

    # full person names first, so that a bare surname before the full name still joins it
    for m in names:
        if m.label != "PERSON":
            continue
        toks = person_tokens(m)
        if len(toks) >= 2 and full_name(m):
            k = ("P", " ".join(toks).lower())
            if k not in by_key:
                by_key[k] = new("PERSON")
                persons_full.append((toks, by_key[k]))
            m.ent = by_key[k]
    for m in names:
        if m.ent >= 0:
            continue
        if m.label == "PERSON":
            toks = person_tokens(m)
            w = toks[-1] if toks else doc[m.head].text
            cands = [e for ft, e in persons_full if ft[-1] == w]
            if not cands:
                cands = [e for ft, e in persons_full if ft[0] == w]
            if cands:
                m.ent = cands[0]
                if len(set(cands)) > 1:
                    # several people share it (Jeb Bush, George W. Bush): the one named in full more
                    # often, then the one named last before here
                    def rank(e):
                        full = [x.start for x in names if x.ent == e]
                        return (len(full), max([x for x in full if x < m.start], default=-1))
                    m.ent = max(set(cands), key=rank)
                continue
            k = ("P", " ".join(toks).lower())
        else:
            k = ("O", _norm(doc[m.i0:m.i1].text))
        if k not in by_key:
            by_key[k] = new(m.label)
        m.ent = by_key[k]
    _aliases(doc, names, ents, by_key)
    for m in names:
        ents[m.ent].mentions.append(m)
    for e in ents:
        if not e.mentions:
            continue
        labels = Counter(m.label for m in e.mentions)
        if "OUTLET" in labels:
            e.label = "OUTLET"
        else:
            strong = Counter(m.label for m in e.mentions if m.src != "spacy")
            e.label = (strong or labels).most_common(1)[0][0]
        if e.label == "PERSON":
            for m in e.mentions:
                if m.gender:
                    e.gender = m.gender
            full = max(e.mentions, key=lambda m: m.i1 - m.i0)
            toks = person_tokens(full)
            if len(toks) >= 2:
                g, w = lex.first_name_gender(toks[0])
                if g:
                    e.gvotes[g] += w
    return ents


STOP_INITIALS = frozenset("of the and for on in at to de".split())


def _aliases(doc, names, ents, by_key):
    """Short forms of organisation names: "the Post" for "The New York Post" (outlets), "FBI" for
    "Federal Bureau of Investigation" (acronyms). Only when one longer name fits."""
    labels = defaultdict(set)
    texts = {}
    for m in names:
        for k, v in by_key.items():
            if v == m.ent:
                labels[k].add(m.label)
                texts.setdefault(k, doc[m.n0:m.n1].text)
    org = [k for k in by_key if k[0] == "O" and labels[k] & {"ORG", "OUTLET"}]
    remap = {}
    for k in org:
        words = k[1].split()
        fits = []
        for K in org:
            if K == k:
                continue
            W = K[1].split()
            if len(W) > len(words) and W[-len(words):] == words and "OUTLET" in labels[K]:
                fits.append(K)
            elif len(words) == 1 and texts[k].isupper() and len(texts[k]) >= 2:
                initials = "".join(w[0] for w in texts[K].split() if w.lower() not in STOP_INITIALS and w[:1].isalpha())
                if initials.upper() == texts[k] and len(W) >= 2:
                    fits.append(K)
        if len(fits) == 1:
            remap[by_key[k]] = by_key[fits[0]]
    for m in names:
        while m.ent in remap:
            m.ent = remap[m.ent]


# ----------------------------------------------------------------------------- 3. titles

def _learn(doc, i0, i1, skip: range | None = None):
    """Role words, affiliations and nationalities from the tokens of a title or description."""
    roles, affs, nats = set(), set(), set()
    for t in doc[i0:i1]:
        if skip is not None and t.i in skip:
            continue
        if t.ent_type_ in ("NORP", "GPE") or t.text in ("US", "U.S."):
            nats.add(lex.nationality_key(t.text))
            affs.add(t.lower_)
        elif t.ent_type_ in ("ORG", "FAC", "LOC") or (t.pos_ == "PROPN" and t.lower_ not in lex.roles()):
            affs.add(t.lower_)
        if t.pos_ in ("NOUN", "PROPN") and t.ent_type_ not in ("NORP", "GPE", "ORG", "FAC", "LOC"):
            lem = t.lemma_.lower()
            # the head of the title ("real estate magnate") or a known role word, not every noun
            if lem in lex.roles() or (
                (not (i0 <= t.head.i < i1) or t.head.i == t.i)
                and t.pos_ == "NOUN" and t.text.isalpha() and t.text.islower() and _personish(lem)
            ):
                roles.add(lem)
    return roles, affs, nats


def _titles(doc, ents: list[Ent]) -> list[Mention]:
    """Extend person names over premodifier titles; appositions become their own mentions."""
    extra = []
    for ei, e in enumerate(ents):
        if e.label != "PERSON":
            continue
        for m in list(e.mentions):
            if m.kind != "name":
                continue
            head = doc[m.head]
            # premodifiers: "American billionaire Elon Musk", "US Secretary of Defence Lloyd Austin"
            left = [c for t in doc[m.i0:m.i1] for c in t.lefts if c.i < m.i0 and c.dep_ in MOD_DEPS]
            if left:
                lo = min(c.left_edge.i for c in left)
                s = m.i0
                while s - 1 >= lo and doc[s - 1].pos_ in TITLE_POS and "\n" not in doc[s - 1].text and not (
                    doc[s - 1].is_punct and not _glued_hyphen(doc, s - 1)
                ):
                    s -= 1
                while s < m.i0 and (doc[s].is_punct or doc[s].pos_ in ("ADP", "DET", "CCONJ", "PART") or doc[s].is_space):
                    s += 1
                seg = doc[s:m.i0]
                if s < m.i0 and not any("\n" in t.text or (t.is_punct and not _glued_hyphen(doc, t.i)) for t in seg) and any(
                    t.pos_ in ("NOUN", "PROPN", "ADJ") for t in seg
                ):
                    r, a, n = _learn(doc, s, m.i0)
                    e.roles |= r
                    e.affs |= a
                    e.nats |= n
                    m.i0, m.start = s, doc[s].idx
            # apposition, name second: "the now former Deputy Chief of Staff of the Pentagon, Colin Kahl"
            if (head.dep_ == "appos" and head.head.pos_ in ("NOUN", "PROPN") and head.head.i < m.i0
                    and head.head.ent_type_ != "PERSON" and _title_head(head.head)):
                h = head.head
                s, end = h.left_edge.i, m.i0
                while end > s and (doc[end - 1].is_punct or doc[end - 1].is_space):
                    end -= 1
                if end > s and not any("\n" in t.text for t in doc[s:end]):
                    extra.append(_desc_mention(doc, s, end, h.i, ei, e))
            # apposition, name first: "Colin Kahl, the former official, said"
            for c in head.children:
                if c.dep_ == "appos" and c.i > m.i1 and c.pos_ == "NOUN" and c.ent_type_ == "" and _title_head(c):
                    s, end = c.left_edge.i, c.i + 1
                    for r in c.rights:  # "the head of the agency", not "..., who said ..."
                        if r.dep_ == "prep":
                            end = r.right_edge.i + 1
                        else:
                            break
                    while end > s and (doc[end - 1].is_punct or doc[end - 1].is_space):
                        end -= 1
                    if end > s and not any("\n" in t.text for t in doc[s:end]):
                        extra.append(_desc_mention(doc, s, end, c.i, ei, e))
    return extra


def _title_head(tok) -> bool:
    """An apposition's head that names a role: "Deputy Chief", "a retired admiral", not "a race"."""
    if tok.pos_ == "PROPN" and tok.text[:1].isupper():
        return True
    return _personish(tok.lemma_.lower())


def _desc_mention(doc, s, end, head, ei, e) -> Mention:
    m = Mention(doc[s].idx, doc[end - 1].idx + len(doc[end - 1].text), s, end, head, "desc", e.label, src="appos", ent=ei)
    r, a, n = _learn(doc, s, end)
    e.roles |= r
    e.affs |= a
    e.nats |= n
    return m


# ----------------------------------------------------------------------------- 4. descriptions, pronouns

def _descriptions(doc, ents, covered: set[int], person_toks: set[int], name_toks: set[int]) -> list[Mention]:
    roles = lex.roles()
    learnt = set().union(*(e.roles for e in ents if e.label == "PERSON")) if ents else set()
    out = []
    for t in doc:
        if t.pos_ != "NOUN" or t.tag_ != "NN" or t.dep_ in ("compound", "amod", "nmod") or t.i in covered:
            continue
        if "Plur" in t.morph.get("Number") or (t.text.endswith("s") and t.lemma_.lower() != t.lower_):
            continue  # "justices" tagged NN
        lem = t.lemma_.lower()
        if lem in lex.ORG_NOUNS:
            label = lex.ORG_NOUNS[lem]
        elif lem in roles or lem in learnt or lem in PEOPLE_NOUNS:
            label = "PERSON"
        else:
            continue
        lefts = [c for c in t.lefts]
        if not lefts or lefts[0].lower_ not in DETS or lefts[0].dep_ != "det":
            continue
        predicate = t.dep_ in ("attr", "oprd") and not any(
            c.dep_ == "nsubj" and c.lower_ in ("it", "this", "that") for c in t.head.children
        ) and not any(c.dep_ in ("acl", "relcl") and c.pos_ == "VERB" for c in t.rights)
        if predicate or any(c.lower_ in GENERIC_MODS for c in lefts):
            continue  # "is the candidate with...", "the next president": not a reference
        if any(c.dep_ == "poss" for c in lefts):
            continue
        s = lefts[0].i
        if any(j in covered for j in range(s, t.i + 1)):
            continue
        if any(j in person_toks for j in range(s, t.i + 1)):
            continue
        if label != "PERSON" and any(j in name_toks for j in range(s, t.i + 1)):
            continue  # "the Rheinische Post newspaper": the name inside already says who
        m = Mention(doc[s].idx, t.idx + len(t.text), s, t.i + 1, t.i, "desc", label, src="desc")
        m.roles = {lem}
        # affiliations from the description and an "of" phrase ("the president of France")
        r, a, n = _learn(doc, s, t.i)
        for c in t.rights:
            if c.dep_ == "prep" and c.lower_ == "of":
                r2, a2, n2 = _learn(doc, c.i, c.right_edge.i + 1)
                a |= a2
                n |= n2
        m.affs, m.nats = a, n
        gender = roles.get(lem) or PEOPLE_NOUNS.get(lem)
        m.gender = gender if gender in ("m", "f") else None
        out.append(m)
    return out


def _pronouns(doc) -> list[Mention]:
    out = []
    for t in doc:
        p = PRONOUNS.get(t.lower_)
        if p is None or t.pos_ not in ("PRON", "DET"):
            continue
        out.append(Mention(t.idx, t.idx + len(t.text), t.i, t.i + 1, t.i, "pron", p[0], src="pron"))
    return out


def _salience(e: Ent, sent: int) -> float:
    total = 0.0
    for s in range(max(0, sent - 7), sent + 1):
        f = e.sal.get(s)
        if f:
            total += sum(f.values()) * (0.5 ** (sent - s))
    return total


def _recent_subject(doc, e: Ent, m: Mention, si: int, sent_of) -> bool:
    """'they'/'its' only for a group that was a subject in this or the last sentence, with no plural
    (or, for 'its', singular) common noun argument between that mention and the pronoun."""
    if not any("subj" in e.sal.get(s, {}) for s in (si, si - 1)):
        return False
    last = max((x.head for x in e.mentions if x.head < m.head), default=None)
    if last is None:
        return False
    tags = ("NNS", "NNPS") if PRONOUNS[doc[m.head].lower_][0] == "pl" else ("NN",)
    for t in doc[last + 1:m.head]:
        if t.tag_ in tags and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj") and sent_of[t.i] >= si - 1:
            return False
    return True


QUOTE_RE = re.compile(r'"[^"\n]{2,}?"|“[^”\n]{2,}?”|(?:\'\'|``)(?:(?!\'\')[^\n]){2,}?\'\'')


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Quotations: closed ones within a line (“…”, "…", and the wires' ''…'' and ``…''), and a quotation
    opened and not closed in its paragraph (multi-paragraph quotations leave the closing mark off), up to
    the line end."""
    spans = [(q.start(), q.end()) for q in QUOTE_RE.finditer(text)]
    pos = 0
    for line in text.split("\n"):
        body = line.lstrip()
        if body[:1] == '"' and line.count('"') % 2 == 1 or body[:1] == "“" and line.count("“") > line.count("”"):
            spans.append((pos + len(line) - len(body), pos + len(line)))
        pos += len(line) + 1
    return spans


def _quote_speakers(doc, names: list[Mention]) -> dict[int, int]:
    """token index -> the entity that speaks the quotation the token stands in (when a named
    speaker is the subject of the verb the quotation hangs on): a third-person pronoun in a quote
    is not its speaker."""
    name_at = {}
    for m in names:
        for j in range(m.i0, m.i1):
            name_at[j] = m.ent
    out = {}
    for qs, qe in _quote_spans(doc.text):
        sp = doc.char_span(qs, qe, alignment_mode="expand")
        if sp is None:
            continue
        inside = range(sp.start, sp.end)
        verbs = {t.head.i for t in sp if t.head.i not in inside and t.head.pos_ in ("VERB", "AUX")}
        speaker = None
        # 'McCrummen reports: "..."': the saying verb just before the opening quote
        j = sp.start - 1
        while j >= 0 and doc[j].is_space:
            j -= 1
        if j >= 1 and doc[j].text in (":", ","):
            v = doc[j - 1]
            if v.lemma_ in SAY_VERBS:
                verbs.add(v.i)
        for v in verbs:
            for c in doc[v].children:
                if c.dep_ in ("nsubj", "nsubjpass") and c.i in name_at:
                    speaker = name_at[c.i]
        if speaker is not None:
            for j in inside:
                out[j] = speaker
    return out


def _named_in_own_quote(doc, tok, sent: tuple[int, int], name_head: dict, quoted) -> set:
    """The entities named inside the quotation that a pronoun's saying verb introduces in the same sentence
    (token range ``sent``; 'He said, "Donald Trump will build the wall"'): a speaker does not name himself so."""
    v = tok.head
    if tok.dep_ != "nsubj" or v.lemma_ not in SAY_VERBS:
        return set()
    return {name_head[j] for j in range(v.i + 1, sent[1]) if j in name_head and quoted[doc[j].idx]}


def _resolve(doc, ents: list[Ent], mentions: list[Mention]):
    speakers = _quote_speakers(doc, [m for m in mentions if m.kind == "name" and m.ent >= 0])
    # salience decays per sentence of narrative: sentences (almost) wholly inside a quotation do
    # not push earlier mentions back ('He added, "..."' after a long quote)
    text = doc.text
    quoted = bytearray(len(text) + 1)
    for qs, qe in _quote_spans(text):
        quoted[qs:qe] = b"\x01" * (qe - qs)
    sent_of, eff, k, has_q, bounds = {}, {}, -1, [], []
    for si, s in enumerate(doc.sents):
        bounds.append((s.start, s.end))
        seg = text[s.start_char:s.end_char]
        has_q.append(any(ch in seg for ch in '"“”') or "''" in seg)
        chars = [c for c in range(s.start_char, s.end_char) if not text[c].isspace()]
        inq = sum(quoted[c] for c in chars)
        if k < 0 or not chars or inq < 0.7 * len(chars):
            k += 1
        for j in range(s.start, s.end):
            sent_of[j] = si
            eff[j] = k
    by_head: dict[int, Mention] = {}
    name_head = {m.head: m.ent for m in mentions if m.kind == "name" and m.ent >= 0}
    last_speaker: list = [None, -99]  # entity that last spoke a quotation, effective sentence

    def says_quote(tok) -> bool:
        v = tok.head
        if tok.dep_ != "nsubj":
            return False
        if v.lemma_ in SAY_VERBS:
            return has_q[sent_of[tok.i]] or v.i < tok.i
        # 'Trump attacked “the hateful ideology ...”', 'Clinton tweeted: "..."': any verb whose words
        # go on in a quotation that opens right after it
        j = v.i + 1
        if j < len(doc) and doc[j].text in (":", ","):
            j += 1
        return tok.i < v.i and j < len(doc) and doc[j].text in ('"', "“", "``", "''") and bool(quoted[doc[j].idx])

    def note(m: Mention, e: Ent):
        tok = doc[m.head]
        si = eff[m.head]
        if says_quote(tok):
            last_speaker[:] = [m.ent, si]
        f = e.sal[si]
        for k, v in _factors(tok).items():
            if k == "subj" and quoted[tok.idx]:
                continue  # a subject inside a quotation is the speaker's topic, not the narrative's
            f[k] = max(f.get(k, 0), v)
        av = _arg_verb(tok)
        if av is not None:
            e.args[sent_of[m.head]].add(av)
        e.last[sent_of[m.head]] = m.head
        if tok.dep_ in ("nsubj", "nsubjpass"):
            e.subj_of[sent_of[m.head]].add(tok.head.i)
        by_head[m.head] = m

    for m in mentions:
        si = sent_of[m.head]
        ei_ = eff[m.head]
        if m.ent >= 0:
            note(m, ents[m.ent])
            continue
        tok = doc[m.head]
        av = _arg_verb(tok)
        if m.kind == "pron":
            word = tok.lower_
            gender, role = PRONOUNS[word]
            if word == "her" and (tok.tag_ == "PRP$" or tok.dep_ == "poss"):
                role = "poss"
            types = PRONOUN_TYPES[gender]
            target = None
            if role == "refl":
                if tok.dep_ == "appos" and tok.head.i in by_head and by_head[tok.head.i].ent >= 0:
                    target = by_head[tok.head.i].ent  # "Musk himself"
                elif av is not None:
                    subj = [c for c in doc[av].children if c.dep_ in ("nsubj", "nsubjpass")]
                    if subj and subj[0].i in by_head and by_head[subj[0].i].ent >= 0:
                        target = by_head[subj[0].i].ent
                if target is not None and ents[target].label not in types:
                    target = None
            if target is None and role == "poss" and gender in ("m", "f"):
                # cataphora: "Before his death, Ali rebuked ...", "In her speech, Clinton said ..."
                v = tok.head
                while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i:
                    v = v.head
                if v.i > tok.i:
                    for c in v.children:
                        if c.dep_ == "nsubj" and c.i > tok.i and c.i in name_head:
                            e = ents[name_head[c.i]]
                            if e.label == "PERSON" and (e.gender in (None, gender)) and e.gvotes[gender] >= e.gvotes["f" if gender == "m" else "m"]:
                                target = name_head[c.i]
            if target is None and gender in ("n", "pl") and tok.dep_ in ("nsubj", "nsubjpass"):
                # "The union said it would ...": the subject of the saying verb above
                gov = tok.head
                if gov.dep_ == "ccomp" and gov.head.lemma_ in SAY_VERBS:
                    for c in gov.head.children:
                        if c.dep_ == "nsubj" and c.i in by_head and by_head[c.i].ent >= 0:
                            if ents[by_head[c.i].ent].label in types:
                                target = by_head[c.i].ent
            if target is None and word != "it":  # a bare "it" is too often expletive
                best, best_score = None, 0.0
                subject_above = False
                named_in_quote = (_named_in_own_quote(doc, tok, bounds[sent_of[tok.i]], name_head, quoted)
                                  if gender in ("m", "f") else set())
                # the last sentence with a subject before the pronoun: its own (a quotation merged into the
                # sentence before, '"...," he said') or the one before
                subj_sent = ei_ if any("subj" in e.sal.get(ei_, {}) for e in ents if e.label in types) else ei_ - 1
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ in ("conj", "advcl") and tok.head.head.i != tok.head.i:
                    subject_above = any(c.dep_ in ("nsubj", "nsubjpass") and c.i in by_head and by_head[c.i].ent >= 0
                                        and ents[by_head[c.i].ent].label in types for c in tok.head.head.children)
                floor = 40.0 if gender in ("m", "f") else 120.0
                for ei, e in enumerate(ents):
                    if e.label not in types or not e.sal:
                        continue
                    if gender in ("m", "f") and e.gender and e.gender != gender:
                        continue
                    if speakers.get(m.head) == ei:
                        continue  # "He has no plan," Rivera said: he is not Rivera
                    if ei in named_in_quote:
                        continue  # 'He said, "Donald Trump will build the wall"': he is not Trump
                    if role not in ("poss", "refl") and av is not None and av in e.args.get(si, ()):
                        continue  # binding: not a co-argument of the same verb
                    sc = _salience(e, ei_)
                    if sc < floor:
                        continue
                    if gender in ("pl", "n") and not _recent_subject(doc, e, m, ei_, eff):
                        continue
                    if gender in ("m", "f"):
                        v = e.gvotes[gender] - e.gvotes["f" if gender == "m" else "m"]
                        if v <= -1:
                            continue  # a clearly male name (or pronouns) is not "she"
                        sc *= 0.25 ** min(2.0, -v) if v < 0 else 1 + 0.25 * min(2.0, v)
                    # "President Obama and his Justice Department": a mention just before, same sentence
                    near = e.last.get(si)
                    if near is not None and 0 < m.head - near <= 6:
                        sc += 60
                    # within the sentence, the subject of the clause above the pronoun's clause
                    gov = tok.head
                    while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
                        gov = gov.head
                    if gov.head.i != gov.i and gov.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "conj"):
                        up = gov.head
                        for c in up.children:
                            if c.dep_ in ("nsubj", "nsubjpass") and c.i in by_head and by_head[c.i].ent == ei:
                                # "Rendell praised Sanders ..., but he said", "Wilkerson started the rant when
                                # he brought up": a subject pronoun of a coordinated or adverbial clause is
                                # the subject above it
                                sc += (1000 if gov.dep_ == "conj" else 120) if subject_above else 30
                    # a subject pronoun prefers the last sentence's subject (parallelism), unless its own
                    # sentence has a subject above its clause
                    if tok.dep_ in ("nsubj", "nsubjpass") and "subj" in e.sal.get(subj_sent, {}) and not subject_above:
                        sc += 80
                    # '"...," he said': the one who spoke the last quotation, if lately
                    if last_speaker[0] == ei and ei_ - last_speaker[1] <= 4 and says_quote(tok):
                        sc += 150 if ei_ - last_speaker[1] > 1 else 250
                    if sc > best_score:
                        best, best_score = ei, sc
                target = best
            if target is not None:
                m.ent = target
                e = ents[target]
                if gender in ("m", "f"):
                    e.gvotes[gender] += 1
                e.mentions.append(m)
                note(m, e)
            continue
        # a definite description
        clause = tok.head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        clause_up = clause.head.i if clause.dep_ == "conj" else None  # "Sanders has cast ... and holds"
        clause = clause.i if clause.pos_ in ("VERB", "AUX") else None
        best, best_score = None, 0.0
        for ei, e in enumerate(ents):
            if not e.sal:
                continue
            if m.label == "PERSON" and e.label != "PERSON":
                continue
            if m.label == "ORG" and e.label not in ("ORG", "OUTLET"):
                continue
            if m.label == "OUTLET" and e.label != "OUTLET":
                continue
            if av is not None and av in e.args.get(si, ()):
                continue
            if clause is not None and (clause in e.subj_of.get(si, ()) or clause_up in e.subj_of.get(si, ())):
                continue  # "Sanders holds a lead against the former secretary": not Sanders
            if m.gender and e.gender and m.gender != e.gender:
                continue
            if m.nats and e.nats and not (m.nats & e.nats):
                continue
            # the description must not name the entity's own affiliation as a separate thing
            learnt = bool(m.roles & e.roles) or bool(m.affs & e.affs)
            if not learnt and m.roles & PEOPLE_NOUNS.keys() and not m.roles & lex.roles().keys():
                continue  # "the woman" is a named woman only if she was called so before
            if m.gender and e.gvotes["f" if m.gender == "m" else "m"] - e.gvotes[m.gender] >= 1:
                continue  # "the businessman" is not Hillary Clinton
            sc = _salience(e, ei_)
            if not learnt and sc < 60:
                continue
            if not learnt and e.label == "PERSON" and e.roles:
                sc *= 0.5  # described as something else before ("neurosurgeon" for "the businessman")
            if m.roles & e.roles:
                sc += 400
            if m.affs & e.affs:
                sc += 300
            if sc > best_score:
                best, best_score = ei, sc
        if best is not None:
            e = ents[best]
            m.ent = best
            e.roles |= m.roles
            e.affs |= m.affs
            e.nats |= m.nats
            if m.gender and e.gender is None:
                e.gender = m.gender
            e.mentions.append(m)
            note(m, e)
        else:
            # a discourse entity: not reported (it has no name) but it takes its pronouns,
            # so "the woman ... she" does not go to a named woman
            e = Ent(label=m.label, gender=m.gender, roles=set(m.roles), affs=set(m.affs), nats=set(m.nats))
            ents.append(e)
            m.ent = len(ents) - 1
            e.mentions.append(m)
            note(m, e)


# ----------------------------------------------------------------------------- the layer

def _headline_end(text: str) -> int:
    """Where a title-case headline's line ends (no full stop closes it), or -1 when the text has none."""
    end = text.find("\n")
    if end > 0 and not text[:end].rstrip().endswith((".", "!", "?", '"', "”", "'")):
        return end
    return -1


def _name_of(doc, e: Ent, meta, head_end: int = -1) -> str:
    names = [m for m in e.mentions if m.kind == "name"]
    if e.label == "OUTLET" and meta and meta.outlet and any(m.src == "meta" for m in names):
        return meta.outlet
    if e.label == "PERSON":
        def core(m):
            return [t for t in doc[m.n0:m.n1] if t.lower_ not in lex.HONORIFICS]
        # a title-case headline glues words to a name ("Derelict Obama and Clinton ..."): the body's own
        # names come first where it has any
        body = [m for m in names if head_end < 0 or m.start > head_end] or names
        best = max(body, key=lambda m: (len(core(m)), -m.start))
        if body is not names:  # the headline's fuller name when what it adds is a first name ("Donald Trump")
            bc = [t.text for t in core(best)]
            for m in names:
                c = [t.text for t in core(m)]
                if len(c) > len(bc) and c[-len(bc):] == bc and all(lex.is_first_name(w) for w in c[:-len(bc)]):
                    best, bc = m, c
        toks = core(best)
        return doc[toks[0].i:toks[-1].i + 1].text if toks else doc[best.n0:best.n1].text
    counts = Counter(doc[m.n0:m.n1].text for m in names)
    return max(counts, key=lambda k: (counts[k], len(k)))


def find_entities(parsed: Parsed) -> list[Entity]:
    doc = parsed.doc
    names = _name_mentions(doc, parsed.meta)
    ents = _cluster(doc, names, parsed.meta)
    appos = _titles(doc, ents)
    covered, person_toks = set(), set()
    for m in names:
        if ents[m.ent].label == "PERSON":
            covered.update(range(m.i0, m.i1))
            person_toks.update(range(m.n0, m.n1))
    for m in appos:
        covered.update(range(m.i0, m.i1))
    name_toks = {j for m in names for j in range(m.n0, m.n1)}
    descs = _descriptions(doc, ents, covered, person_toks, name_toks)
    prons = _pronouns(doc)
    for m in appos:
        ents[m.ent].mentions.append(m)
    everything = sorted(names + appos + descs + prons, key=lambda m: (m.head, m.start))
    _resolve(doc, ents, everything)
    _relative_pronouns(doc, ents)

    removed = [(r.start, r.end) for r in parsed.removed]
    text = parsed.text
    head_end = _headline_end(text)
    order = sorted((i for i in range(len(ents)) if ents[i].mentions), key=lambda i: min(m.start for m in ents[i].mentions))
    out = []
    for i in order:
        e = ents[i]
        spans = sorted({(m.start, m.end) for m in e.mentions if not any(s < m.end and m.start < t for s, t in removed)})
        if not spans or not any(m.kind == "name" for m in e.mentions):
            continue
        out.append(
            Entity(
                id=f"E{len(out) + 1}",
                name=_name_of(doc, e, parsed.meta, head_end),
                type=e.label,
                mentions=[Span.of(text, s, t) for s, t in spans],
            )
        )
    return out


# the entity types a relative pronoun can stand for: "who" is a person or a body of people, "which" no person
_PEOPLE = ("PERSON", "ORG", "OUTLET", "NORP")
_RELATIVE_TYPES = {"who": _PEOPLE, "whom": _PEOPLE, "whose": _PEOPLE + ("GPE", "PRODUCT"),
                   "which": ("ORG", "OUTLET", "NORP", "GPE", "PRODUCT", "LOC", "FAC"),
                   "that": ("ORG", "OUTLET", "NORP", "GPE", "PRODUCT", "LOC", "FAC")}
RELATIVE_PRONOUNS = frozenset(_RELATIVE_TYPES)
# "D’Souza", "O'Neill", optionally after a first name; never a possessive ("Obama's")
_APOSTROPHE_NAME = re.compile(r"\b(?:[A-Z][a-z]+\s+)?(?:O|D)[’'][A-Z][a-z]{2,}\b")


def _relative_pronouns(doc, ents: list[Ent]) -> None:
    """A relative pronoun is a mention of the entity its clause hangs on ("Mr. Ban, who said ...",
    "the council, which rejected ..."), so a source "who" names its speaker. Only where the noun the
    clause modifies lies inside one entity's mention; a coordination ("China and the United States,
    which ...") is no one entity and stays unresolved."""
    owner: dict[int, int] = {}
    for ei, e in enumerate(ents):
        for m in e.mentions:
            if m.kind != "pron":
                for j in range(m.i0, m.i1):
                    owner.setdefault(j, ei)
    if not owner:
        return
    for t in doc:
        if t.lower_ not in RELATIVE_PRONOUNS or t.tag_ not in ("WP", "WDT", "WP$"):
            continue
        clause = t.head if t.dep_ != "poss" else t.head.head  # "whose office said": the clause's verb
        if clause.dep_ != "relcl":
            continue
        noun = clause.head
        if any(c.dep_ == "conj" for c in noun.children) or noun.dep_ == "conj":
            continue
        if (t.lower_ in ("who", "whom") and noun.dep_ == "pobj" and noun.head.head.pos_ in ("NOUN", "PROPN")
                and noun.head.head.i < noun.i):
            continue  # "the director of the FBI, who", "Democrats on Capitol Hill, who": the person before
        ei = owner.get(noun.i)
        if ei is None or ents[ei].label not in _RELATIVE_TYPES[t.lower_]:
            continue
        ents[ei].mentions.append(Mention(t.idx, t.idx + len(t.text), t.i, t.i + 1, t.i, "pron", "rel", src="relative",
                                         ent=ei))


def entity_at(entities: list[Entity], start: int, end: int) -> Entity | None:
    """The entity a span [start, end) is about: the one whose mention overlaps it most (ties: the
    mention closest in length), so "the former Pentagon official" is the official, not the Pentagon."""
    best, key = None, None
    for e in entities:
        for m in e.mentions:
            ov = min(end, m.end) - max(start, m.start)
            if ov <= 0:
                continue
            k = (ov, -abs((m.end - m.start) - (end - start)))
            if key is None or k > key:
                best, key = e, k
    return best


@layer("entities")
def read_entities(parsed: Parsed, report: Report) -> dict:
    return {"entities": find_entities(parsed)}
