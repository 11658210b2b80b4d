"""Lexicons for the entities layer: news outlets, role nouns, a small gazetteer, first-name gender.

All are small data files shipped under ``reportedly/data/entities_*`` (general knowledge, not tied
to any article), loaded once per process.
"""
from __future__ import annotations

import functools
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files("reportedly").joinpath("data", name).read_text(encoding="utf-8")
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@functools.lru_cache(maxsize=None)
def outlets() -> frozenset[str]:
    """Lower-cased outlet names, without a leading 'the'."""
    out = set()
    for ln in _lines("entities_outlets.txt"):
        n = ln.strip().lower()
        out.add(n[4:] if n.startswith("the ") else n)
    return frozenset(out)


# Outlet names that are also ordinary words: only taken when spaCy already saw a name there or a
# cue says it is an outlet.
AMBIGUOUS_OUTLETS = frozenset(
    "time vice slate salon guardian independent telegraph fox wired hill atlantic verge times sputnik "
    "ap rt dw bild spiegel economist intercept fortune sun mirror metro sky liberation nv pravda today mediaite townhall".split()
)


@functools.lru_cache(maxsize=None)
def roles() -> dict[str, str]:
    """Role noun (lower case) -> gender 'm', 'f' or '-'."""
    out = {}
    for ln in _lines("entities_roles.txt"):
        word, _, gender = ln.partition("\t")
        out[word.strip().lower()] = (gender.strip() or "-")
    return out


@functools.lru_cache(maxsize=None)
def gazetteer() -> dict[str, str]:
    """Exact name -> type (GPE, LOC, ORG)."""
    out = {}
    for ln in _lines("entities_gazetteer.tsv"):
        name, _, typ = ln.partition("\t")
        out[name.strip()] = typ.strip()
    return out


@functools.lru_cache(maxsize=None)
def _gender_detector():
    try:
        import gender_guesser.detector as gd  # optional: first-name genders
    except ImportError:  # pragma: no cover - the layer works without it, with less gender
        return None
    return gd.Detector(case_sensitive=False)


def first_name_gender(name: str) -> tuple[str | None, float]:
    """('m' | 'f' | None, weight): a prior only (name lists are wrong often enough: "Rand")."""
    det = _gender_detector()
    if det is None or not name[:1].isupper() or not name.isalpha():
        return None, 0.0
    g = det.get_gender(name)
    return {"male": ("m", 1.0), "mostly_male": ("m", 0.25), "female": ("f", 1.0),
            "mostly_female": ("f", 0.25)}.get(g, (None, 0.0))


def is_first_name(name: str) -> bool:
    det = _gender_detector()
    if det is None or not name[:1].isupper() or not name.isalpha():
        return False
    return det.get_gender(name) != "unknown"


# Nouns for groups/organisations that a definite description can refer back with.
ORG_NOUNS = {
    "company": "ORG", "firm": "ORG", "corporation": "ORG", "agency": "ORG", "ministry": "ORG",
    "department": "ORG", "organisation": "ORG", "organization": "ORG", "party": "ORG",
    "campaign": "ORG", "committee": "ORG", "group": "ORG", "startup": "ORG", "bank": "ORG",
    "carmaker": "ORG", "automaker": "ORG", "manufacturer": "ORG", "maker": "ORG", "producer": "ORG",
    "retailer": "ORG", "insurer": "ORG", "airline": "ORG", "conglomerate": "ORG", "operator": "ORG",
    "supplier": "ORG", "lender": "ORG", "union": "ORG", "club": "ORG", "team": "ORG", "giant": "ORG",
    "charity": "ORG", "university": "ORG", "institute": "ORG", "council": "ORG", "regulator": "ORG",
    "newspaper": "OUTLET", "paper": "OUTLET", "magazine": "OUTLET", "outlet": "OUTLET",
    "publication": "OUTLET", "broadcaster": "OUTLET", "network": "OUTLET", "daily": "OUTLET",
    "tabloid": "OUTLET", "website": "OUTLET",
}

# Words that, next to a name, say the name is a news outlet.
OUTLET_NOUNS = frozenset(
    "newspaper paper magazine outlet publication broadcaster channel daily tabloid weekly website "
    "agency network station radio tv television newsroom".split()
)
# Agency is also a government word: only an outlet cue with "news" in front of it.
OUTLET_REPORT_VERBS = frozenset("report publish broadcast air print reveal obtain".split())

# Nouns whose compound premodifier names a product ("Starlink terminals", "iPhone apps").
PRODUCT_NOUNS = frozenset(
    "terminal satellite phone smartphone app application software car vehicle vaccine jet missile "
    "rifle tank drone device chip tablet laptop console model aircraft helicopter system "
    "browser platform chatbot engine rocket".split()
)

HONORIFICS = {
    "mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f",
    "dr": None, "dr.": None, "sir": "m", "dame": "f", "lord": "m", "lady": "f",
    "prof": None, "prof.": None, "sen.": None, "rep.": None, "gov.": None, "gen.": None,
}

DEMONYMS = {
    "american": "us", "america": "us", "u.s.": "us", "us": "us", "usa": "us", "united states": "us",
    "british": "uk", "britain": "uk", "uk": "uk", "u.k.": "uk", "united kingdom": "uk", "english": "uk",
    "ukrainian": "ukraine", "russian": "russia", "chinese": "china", "french": "france",
    "german": "germany", "israeli": "israel", "iranian": "iran", "turkish": "turkey",
    "polish": "poland", "indian": "india", "japanese": "japan", "belarusian": "belarus",
    "soviet": "russia", "kremlin": "russia", "european": "eu", "eu": "eu",
}


def nationality_key(word: str) -> str:
    w = word.lower().strip()
    if w in DEMONYMS:
        return DEMONYMS[w][:5]
    for suf in ("ian", "ish", "ese", "an", "i"):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: len(w) - len(suf)][:5]
    return w[:5]
