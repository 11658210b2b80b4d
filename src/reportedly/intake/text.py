"""Plain text that is already extracted (a scraped page): keep it byte-identical, mark the furniture.

The first line is the title. Furniture is marked in ``removed`` with its reason, never cut:
a byline glued to its section ("Daria DurovaWorld"), duplicated lines, promo lines, and a
trailing related-news block ("Other News", "Read also", ...) with its teasers.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..model import Meta, Removed
from .document import Document

SECTIONS = (
    "World", "Politics", "Business", "Economy", "Economics", "Finance", "Markets", "Sport", "Sports",
    "Science", "Technology", "Tech", "Culture", "Health", "Opinion", "News", "Society", "Entertainment",
    "Lifestyle", "Life", "Travel", "Europe", "Ukraine", "US", "UK", "Asia", "Africa", "Americas",
    "Middle East", "Environment", "Climate", "Education", "Media", "Crime", "War", "Analysis",
    "Local", "National", "International", "Regions", "Incidents", "Showbiz", "Style", "Food", "Auto",
)
_SECTION_ALT = "|".join(sorted((re.escape(s) for s in SECTIONS), key=len, reverse=True))
_NAME = r"[A-Z][a-zà-ÿ'’-]+(?: (?:[A-Z]\.|[A-Z][a-zà-ÿ'’-]+|van|von|de|da|del|der|bin|al-[A-Z][a-z]+)){1,3}"
# "Daria DurovaWorld": a person's name run into the section name by the scraper.
GLUED_BYLINE = re.compile(rf"^(?P<name>{_NAME}?)(?P<section>{_SECTION_ALT})$")
# "By Jane Doe", "By Jane Doe and John Roe, Reuters", "Jane Doe | Politics"
BY_LINE = re.compile(rf"^(?:By|BY|Written by|Author:)\s+(?P<names>{_NAME}(?:(?:,| and| &) {_NAME})*)(?:[,|] .*)?$")
PIPE_BYLINE = re.compile(rf"^(?P<name>{_NAME})\s*[|•·]\s*(?P<section>{_SECTION_ALT})$")

PROMO = re.compile(
    r"(?i)\b(?:"
    r"(?:subscribe|sign up|follow us|join us|join our|download our|get our|install our)\b"
    r"|our (?:\w+ ){0,3}(?:telegram|viber|whatsapp|facebook|twitter|instagram|youtube|tiktok|threads)\b"
    r"|(?:telegram|viber|whatsapp|youtube) channel"
    r"|don'?t (?:fall for|believe) fakes"
    r"|newsletter|push notifications|turn on notifications|support (?:our|independent) journalism"
    r"|become a (?:member|subscriber|patron)|donate to"
    r")"
)
RELATED_HEAD = re.compile(
    r"(?i)^(?:other news|more news|latest news|top news|related(?: news| articles| stories| posts| content)?|"
    r"read (?:also|more|next)|also read|see also|you (?:may|might) also (?:like|be interested(?: in)?)|"
    r"recommended(?: for you| articles| stories)?|most (?:read|popular|viewed)|popular(?: news| now)?|"
    r"trending(?: now)?|more (?:from|on) .{1,40}|more stories|news feed|editor'?s picks?|don'?t miss)[:.!]?$"
)
READ_ALSO_LINE = re.compile(r"(?i)^(?:read (?:also|more)|also read|see also|related)\s*[:-]\s*\S")
CAPTION = re.compile(r"(?i)^(?:photo|image|picture|illustration|video)(?: credit)?\s*:|^(?:©|\(c\)|copyright\b)|\b(?:getty images|shutterstock|reuters/|ap photo|afp via)\b")
NAVIGATION = re.compile(r"(?i)^(?:home|menu|search|share|tweet|print|email|comments?|advertisement|ad|skip to (?:main )?content)$")

SELF_REF = [
    re.compile(r"\b[Aa]s (?P<name>[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}) (?:has )?(?:previously |earlier |already )?(?:reported|wrote|informed|noted|told)\b"),
    re.compile(r"\b[Oo]ur (?P<name>[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,2}) (?:Telegram|Viber|WhatsApp|YouTube|Facebook|Twitter|Instagram|channel|website|app|newsletter|podcast)\b"),
    re.compile(r"\b(?P<name>[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,2}) (?:has )?(?:learned|reported earlier|asked .{1,30} for comment)\b"),
]
_NOT_OUTLET = {"It", "This", "That", "He", "She", "They", "We", "The", "Media", "Earlier", "Previously"}


def _lines(text: str):
    """(start, end, line) for every line, end excluding the newline."""
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip().lower()


def outlet_from_text(text: str) -> str | None:
    """The publishing outlet from the page's self-references ("As OBOZREVATEL previously reported",
    "our Obozrevatel Telegram channel"); the most frequent, in its mixed-case spelling if seen."""
    counts: dict[str, int] = {}
    spellings: dict[str, set[str]] = {}
    for pat in SELF_REF:
        for m in pat.finditer(text):
            name = m.group("name").strip(" .")
            if name.split()[0] in _NOT_OUTLET or len(name) < 2:
                continue
            key = name.lower()
            counts[key] = counts.get(key, 0) + 1
            spellings.setdefault(key, set()).add(name)
    if not counts:
        return None
    key = max(counts, key=lambda k: counts[k])
    names = spellings[key]
    mixed = [n for n in names if not n.isupper()]
    name = sorted(mixed or names)[0]
    return name.title() if name.isupper() and len(name) > 4 else name


KNOWN_OUTLETS = {
    "nytimes.com": "The New York Times", "washingtonpost.com": "The Washington Post", "bbc.co.uk": "BBC",
    "bbc.com": "BBC", "theguardian.com": "The Guardian", "reuters.com": "Reuters", "apnews.com": "AP News",
    "cnn.com": "CNN", "foxnews.com": "Fox News", "newyorker.com": "The New Yorker", "wsj.com": "The Wall Street Journal",
    "usatoday.com": "USA Today", "breitbart.com": "Breitbart", "huffpost.com": "HuffPost", "politico.com": "Politico",
    "bloomberg.com": "Bloomberg", "aljazeera.com": "Al Jazeera", "npr.org": "NPR", "theatlantic.com": "The Atlantic",
}


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = re.sub(r"^(?:www|m|amp|mobile|news|en|edition)\.", "", host)
    if not host:
        return None
    if host in KNOWN_OUTLETS:
        return KNOWN_OUTLETS[host]
    parts = host.split(".")
    core = parts[-3] if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net", "gov", "ac"} else parts[-2] if len(parts) >= 2 else parts[0]
    return core.replace("-", " ").title()


_AFFILIATION = re.compile(r"(?i)\b(?:desk|staff|reporter|correspondent|editor|writer|news|agency|press|times|post|daily|media|bureau)\b")


def _byline_names(names: str) -> list[str]:
    """'Anna Keller and Piotr Nowak, Metro Desk' -> the two people, not the desk."""
    head = names
    joiner = re.search(r"(?s)^(.*?(?: and | & )[^,]+)", names)
    if joiner:  # what follows the last joined name after a comma is an affiliation
        head = joiner.group(1)
    items = [n.strip() for n in re.split(r",\s*| and | & ", head) if n.strip()]
    return [n for n in items if not _AFFILIATION.search(n)] or items[:1]


def read_text(text: str, path: str | None = None, url: str | None = None) -> Document:
    """A Document for already-extracted text: ``text`` unchanged, furniture marked in ``removed``."""
    removed: list[Removed] = []
    meta = Meta(url=url)
    lines = list(_lines(text))
    nonblank = [(i, s, e, ln) for i, (s, e, ln) in enumerate(lines) if ln.strip()]
    if not nonblank:
        return Document(text=text, format="text", path=path, url=url, meta=meta)

    def mark(s: int, e: int, reason: str) -> None:
        # Trim surrounding whitespace so the span is the line's words.
        line = text[s:e]
        lead = len(line) - len(line.lstrip())
        trail = len(line) - len(line.rstrip())
        if e - trail > s + lead:
            removed.append(Removed.of(text, s + lead, e - trail, reason=reason))

    title_i, ts, te, tline = nonblank[0]
    if len(tline.strip()) <= 250:
        meta.title = tline.strip()
    done: set[int] = {title_i}

    # A trailing related-news block: a heading line, then teasers to the end.
    for k, (i, s, e, ln) in enumerate(nonblank[1:], start=1):
        if RELATED_HEAD.match(ln.strip()) and k >= len(nonblank) * 0.4:
            for j, s2, e2, _ in nonblank[k:]:
                mark(s2, e2, "related")
                done.add(j)
            break

    # Bylines near the top (before the body starts).
    for i, s, e, ln in nonblank[1:4]:
        line = ln.strip()
        m = GLUED_BYLINE.match(line) or PIPE_BYLINE.match(line)
        if m and m.group("name"):
            meta.authors = [m.group("name")]
            meta.section = m.group("section")
            mark(s, e, "byline")
            done.add(i)
            break
        m = BY_LINE.match(line)
        if m:
            meta.authors = _byline_names(m.group("names"))
            mark(s, e, "byline")
            done.add(i)
            break

    seen: set[str] = set()
    for i, s, e, ln in nonblank:
        key = _norm(ln)
        if i in done:
            seen.add(key)
            continue
        line = ln.strip()
        if key in seen and len(key) > 3:
            mark(s, e, "duplicate")
        elif READ_ALSO_LINE.match(line):
            mark(s, e, "related")
        elif PROMO.search(line) and len(line) < 300:
            mark(s, e, "promo")
        elif CAPTION.search(line) and len(line) < 200:
            mark(s, e, "caption")
        elif NAVIGATION.match(line):
            mark(s, e, "navigation")
        seen.add(key)

    removed.sort(key=lambda r: r.start)
    meta.outlet = outlet_from_text(text) or outlet_from_url(url)
    return Document(text=text, format="text", path=path, url=url, removed=removed, meta=meta)
