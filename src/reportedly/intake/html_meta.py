"""Metadata of a web page: JSON-LD, OpenGraph and other <meta> tags, visible bylines.

Cheap reads of the parsed tree; the HTML intake merges them with trafilatura's metadata.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from lxml.html import HtmlElement

ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "askpublicnewsarticle", "blogposting",
    "socialmediaposting", "liveblogposting", "scholarlyarticle", "techarticle", "report",
    "medicalwebpage", "posting", "discussionforumposting", "howto", "recipe", "review", "creativework",
}
ORG_TYPES = {"organization", "newsmediaorganization", "corporation", "localbusiness", "website"}
PAGE_TYPES = {"webpage", "itempage", "collectionpage", "aboutpage", "faqpage", "qapage"}

_WS = re.compile(r"\s+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def clean(s) -> str | None:
    if not isinstance(s, str):
        return None
    s = unicodedata.normalize("NFC", s)
    s = _WS.sub(" ", s).strip()
    return s or None


def iso_date(s) -> str | None:
    """The YYYY-MM-DD at the start of an ISO-like date string, if valid."""
    if not isinstance(s, str):
        return None
    m = _ISO_DATE.search(s[:40])
    if not m:
        return None
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if not 1990 <= d.year <= date.today().year + 1:
        return None
    return d.isoformat()


@dataclass
class PageMeta:
    """Candidates found in the page, each source kept apart (merging is the intake's job)."""

    ld_title: str | None = None
    ld_authors: list[str] = field(default_factory=list)
    ld_published: str | None = None
    ld_modified: str | None = None
    ld_publisher: str | None = None
    ld_section: str | None = None
    ld_site: str | None = None
    ld_url: str | None = None
    og: dict[str, str] = field(default_factory=dict)  # property/name (lower-case) -> content
    h1: list[str] = field(default_factory=list)
    title_tag: str | None = None
    canonical: str | None = None


def _types(obj) -> set[str]:
    t = obj.get("@type")
    if isinstance(t, str):
        return {t.lower()}
    if isinstance(t, list):
        return {x.lower() for x in t if isinstance(x, str)}
    return set()


def _walk(obj, out: list[dict], depth: int = 0):
    if depth > 6:
        return
    if isinstance(obj, list):
        for x in obj:
            _walk(x, out, depth + 1)
    elif isinstance(obj, dict):
        out.append(obj)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in obj and isinstance(obj[key], (list, dict)):
                _walk(obj[key], out, depth + 1)


def _names(val, ids: dict) -> list[str]:
    """Person names out of a JSON-LD author value (string, object, list, @id reference)."""
    out: list[str] = []
    vals = val if isinstance(val, list) else [val]
    for v in vals:
        if isinstance(v, dict) and "@id" in v and "name" not in v and v["@id"] in ids:
            v = ids[v["@id"]]
        if isinstance(v, str):
            n = clean(v)
        elif isinstance(v, dict):
            n = clean(v.get("name")) if isinstance(v.get("name"), str) else None
            if n is None and (v.get("givenName") or v.get("familyName")):
                n = clean(f"{v.get('givenName') or ''} {v.get('familyName') or ''}")
        else:
            n = None
        if n and not n.startswith("http") and len(n) < 80:
            out.append(n)
    return out


def _name(val, ids: dict) -> str | None:
    n = _names(val, ids)
    return n[0] if n else None


def _loads(raw: str):
    raw = raw.strip()
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        pass
    # common breakage: raw control characters / trailing commas / HTML comments
    raw2 = re.sub(r"[\x00-\x1f]+", " ", raw)
    raw2 = re.sub(r",\s*([}\]])", r"\1", raw2)
    raw2 = raw2.replace("<!--", "").replace("-->", "")
    try:
        return json.loads(raw2)
    except ValueError:
        return None


def read_page_meta(tree: HtmlElement) -> PageMeta:
    pm = PageMeta()
    # JSON-LD
    objs: list[dict] = []
    for s in tree.iterfind(".//script"):
        if (s.get("type") or "").lower().strip() != "application/ld+json":
            continue
        data = _loads(s.text or "")
        if data is not None:
            _walk(data, objs)
    ids = {o["@id"]: o for o in objs if isinstance(o.get("@id"), str)}
    article = None
    page = None
    for o in objs:
        t = _types(o)
        if t & ARTICLE_TYPES and article is None and (o.get("headline") or o.get("author") or o.get("datePublished")):
            article = o
        elif t & PAGE_TYPES and page is None:
            page = o
        if "website" in t and not pm.ld_site:
            pm.ld_site = clean(o.get("name")) if isinstance(o.get("name"), str) else None
    src = article or page
    if src is not None:
        pm.ld_title = clean(src.get("headline")) or (clean(src.get("name")) if article is not None else None)
        if article is not None:
            pm.ld_authors = _names(src.get("author"), ids) if src.get("author") else []
        pm.ld_published = iso_date(src.get("datePublished")) or iso_date(src.get("dateCreated"))
        pm.ld_modified = iso_date(src.get("dateModified"))
        pub = src.get("publisher")
        if isinstance(pub, list) and pub:
            pub = pub[0]
        if pub:
            pm.ld_publisher = _name(pub, ids)
        sec = src.get("articleSection")
        if isinstance(sec, list):
            sec = next((x for x in sec if isinstance(x, str)), None)
        pm.ld_section = clean(sec) if isinstance(sec, str) else None
        u = src.get("url") or src.get("mainEntityOfPage")
        if isinstance(u, dict):
            u = u.get("@id") or u.get("url")
        pm.ld_url = u if isinstance(u, str) and u.startswith("http") else None
    if article is None and page is not None and not pm.ld_published:
        pm.ld_published = iso_date(page.get("datePublished"))
    # <meta> tags
    head = tree.find("head")
    scope = head if head is not None else tree
    for m in scope.iterfind(".//meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content")
        if key and content and key not in pm.og:
            c = clean(content)
            if c:
                pm.og[key] = c
    t = scope.find(".//title")
    if t is not None:
        pm.title_tag = clean(t.text_content())
    for link in scope.iterfind(".//link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href", "").startswith("http"):
            pm.canonical = link.get("href")
            break
    body = tree.find("body")
    if body is not None:
        for h in body.iter("h1"):
            txt = clean(h.text_content())
            if txt:
                pm.h1.append(txt)
            if len(pm.h1) >= 3:
                break
    return pm
