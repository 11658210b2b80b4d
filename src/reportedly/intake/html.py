"""HTML intake: the main text and metadata of a (news) web page.

trafilatura does the extraction; this module adds what news pages need on top of it:
- comments are left out (a reader's comment is not the article);
- a recall pass when the default pass kept too little of the page;
- furniture left inside the text (teasers, promo lines, bylines, credits, a standfirst printed
  twice) is marked in ``removed`` rather than cut, see ``html_furniture``;
- metadata merged from JSON-LD, OpenGraph/<meta>, the visible headline and trafilatura
  (htmldate for dates), see ``html_meta``.
"""
from __future__ import annotations

import logging
import re
from datetime import date
from html import unescape
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from htmldate import find_date
from trafilatura import bare_extraction
from trafilatura import metadata as tmeta
from trafilatura.settings import set_date_params
from trafilatura.utils import load_html

from ..errors import InputError
from ..model import Meta
from .document import Document
from .html_furniture import BYLINE_NAME, find_furniture
from .html_meta import PageMeta, clean, iso_date, read_page_meta

logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

_W = re.compile(r"\w+")
MIN_WORDS = 5
RECALL_TRIGGER = 1.0  # recall pass when the default kept fewer words than the page's <p>, <h2-4> hold
RECALL_ACCEPT = 1.1  # ... and taken when this much longer


def _words(s: str | None) -> int:
    return len(_W.findall(s or ""))


_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def _parse(html: str | bytes) -> HtmlElement:
    if not isinstance(html, (str, bytes)):
        raise InputError(f"HTML must be str or bytes, not {type(html).__name__}")
    if not html.strip():
        raise InputError("empty input")
    if isinstance(html, str):
        html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input with an encoding declaration
    try:
        tree = load_html(html)
        if tree is None or (tree.tag != "html" and tree.find("body") is None):
            # a fragment (no <html>/<body>): parse it inside a page
            frag = html if isinstance(html, str) else html.decode("utf-8", errors="replace")
            if _TAG.search(frag[:5000]):
                tree = load_html(f"<html><body>{frag}</body></html>")
    except (TypeError, ValueError) as exc:  # pragma: no cover - load_html is lenient
        raise InputError(f"unreadable HTML: {exc}") from exc
    if tree is None:
        raise InputError("unreadable HTML")
    body = tree.find("body")
    if body is None or not (body.text_content() or "").strip():
        raise InputError("no body: the HTML has no visible text")
    return tree


_CHROME = {"nav", "header", "footer", "aside", "form"}


def _page_words(tree: HtmlElement) -> int:
    """Words of running text in the page (paragraphs and section headings), a yardstick for
    how much a pass should have kept."""
    n = 0
    for el in tree.iter("p"):
        n += _words(el.text_content())
    for el in tree.iter("h2", "h3", "h4"):
        if not any(a.tag in _CHROME for a in el.iterancestors()):
            n += _words(el.text_content())
    return n


def _run(tree: HtmlElement, url: str | None, **kw):
    try:
        return bare_extraction(tree, url=url, include_comments=False, **kw)
    except Exception:  # noqa: BLE001 - a crash inside the extractor is a failed pass
        return None


def extract_text(tree: HtmlElement, url: str | None) -> str:
    """Main text: trafilatura's default pass, and a recall pass (fast mode) when the default
    kept fewer words than the page's paragraphs hold; the recall text is taken when it is
    clearly longer (a default pass that stopped early: split article bodies, lists)."""
    doc = _run(tree, url)
    text = (doc.text or "") if doc is not None else ""
    nw = _words(text)
    if nw < MIN_WORDS * 8 or nw < RECALL_TRIGGER * _page_words(tree):
        alt = _run(tree, url, favor_recall=True, fast=True)
        alt_text = (alt.text or "") if alt is not None else ""
        if _words(alt_text) > max(nw * RECALL_ACCEPT, MIN_WORDS):
            text = alt_text
    return text


# --- metadata -------------------------------------------------------------------------------


def _own_date(pm: PageMeta) -> str | None:
    """Publication date the page states in machine-readable form (OpenGraph/<meta>, JSON-LD)."""
    for cand in (
        pm.og.get("article:published_time"),
        pm.ld_published,
        pm.og.get("datepublished"),
        pm.og.get("publish-date"),
        pm.og.get("pubdate"),
        pm.og.get("date"),
        pm.og.get("dc.date.issued"),
        pm.og.get("dc.date"),
    ):
        d = iso_date(cand)
        if d:
            return d
    return None


def traf_metadata(tree: HtmlElement, url: str | None, need_date: bool, need_section: bool = True):
    """trafilatura's metadata (the steps of ``extract_metadata``, in its order), with htmldate
    run only when ``need_date`` (the page states no date in <meta>/JSON-LD) and without its
    extensive free-text search (slow; ``pick_published`` looks for a displayed date instead),
    and categories only when ``need_section``."""
    try:
        md = tmeta.examine_meta(tree)
        if md.author and " " not in md.author:
            md.author = None
        try:
            md = tmeta.extract_meta_json(tree, md)
        except Exception:  # noqa: BLE001 - bugs in trafilatura's JSON metadata
            pass
        if not md.title:
            md.title = tmeta.extract_title(tree)
        if not md.author:
            md.author = tmeta.extract_author(tree)
        if not md.url:
            md.url = tmeta.extract_url(tree, url)
        if need_date:
            # no extensive search: its free-text date parsing (dateparser) is slow, and a date
            # in the text is looked for below among the dates the page displays
            params = set_date_params(False)
            params["url"] = md.url
            md.date = find_date(tree, **params)
        if not md.sitename:
            md.sitename = tmeta.extract_sitename(tree)
        if md.sitename:
            md.sitename = md.sitename.lstrip("@")
            if md.sitename and "." not in md.sitename and not md.sitename[0].isupper():
                md.sitename = md.sitename.title()
        if not md.categories and need_section:
            md.categories = tmeta.extract_catstags("category", tree)
        md.clean_and_trim()
        return md
    except Exception:  # noqa: BLE001 - internal API drift: fall back to the public call
        try:
            return tmeta.extract_metadata(tree, url)
        except Exception:  # noqa: BLE001
            return None

_SEP = re.compile(r"\s+[|–—:·•»-]\s+|\s+[|]\s*|\s*[|]\s+")


def _tokens(s: str) -> set[str]:
    return set(_W.findall(s.lower()))


def _strip_site(title: str, sites: list[str]) -> str:
    """'Headline | Outlet' -> 'Headline' (drops a trailing or leading site-name piece)."""
    parts = _SEP.split(title)
    if len(parts) < 2:
        return title
    site_toks = [_tokens(s) for s in sites if s]
    def is_site(p: str) -> bool:
        pt = _tokens(p)
        if not pt:
            return True
        return any(pt <= st or st <= pt and len(pt) <= len(st) + 1 for st in site_toks if st)
    if is_site(parts[-1]):
        return clean(_SEP.split(title)[0] if len(parts) == 2 else title[: title.rfind(parts[-1])].rstrip(" |–—:·•»-")) or title
    if is_site(parts[0]):
        return clean(title[len(parts[0]):].lstrip(" |–—:·•»-")) or title
    return title


def _sim(a: str, b: str) -> float:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def pick_title(pm: PageMeta, traf_title: str | None, sites: list[str]) -> str | None:
    metas = [t for t in (pm.ld_title, pm.og.get("og:title"), pm.og.get("twitter:title"), traf_title, pm.title_tag) if t]
    metas = [_strip_site(t, sites) for t in metas]
    h1s = [h for h in pm.h1 if "{{" not in h and len(h) <= 300 and _words(h) >= 2
           and not any(_tokens(h) == _tokens(s) for s in sites if s)]
    nmeta = {" ".join(_W.findall(m.lower())) for m in metas}
    for h in h1s:
        if " ".join(_W.findall(h.lower())) in nmeta:
            return h
    if h1s and metas:
        best = max(h1s, key=lambda h: _sim(h, metas[0]))
        if _sim(best, metas[0]) >= 0.5:
            return best
        return metas[0]
    if metas:
        return metas[0]
    return h1s[0] if h1s else None


_AUTHOR_JUNK = re.compile(
    r"^(?:by|written by|author|the author|posted by|admin|administrator|staff|editor|unknown|undefined|null|none|guest)$",
    re.I,
)
_AUTHOR_PREFIX = re.compile(r"^(?:(?:written |posted |reviewed )?by|author|authors|written by)\s*[:\-–]?\s+", re.I)
_AUTHOR_TAIL = re.compile(
    r"\s+(?:(?:last\s+)?updated|published|posted)\b.*$|\s+on\s+(?:\w+\.?\s+)?\d.*$|\s*\|.*$", re.I
)


def _clean_author(a: str) -> str:
    a = clean(unescape(a)) or ""
    a = _AUTHOR_PREFIX.sub("", a)
    a = _AUTHOR_TAIL.sub("", a)
    return a.strip(" ,;:-–—")


def _split_authors(s: str) -> list[str]:
    parts = [clean(p) for p in re.split(r"\s*;\s*", s)]
    return [p for p in parts if p]


def _ok_author(a: str, sites: list[str]) -> bool:
    if not a or len(a) > 100 or _AUTHOR_JUNK.match(a) or a.startswith(("http", "www.")):
        return False
    if "@" in a or (" " not in a and re.search(r"\d", a)) or re.fullmatch(r"[a-z]+[._][a-z]+", a):
        return False  # user names, e-mail addresses, handles
    return True


def pick_authors(pm: PageMeta, traf_author: str | None, sites: list[str] | None = None) -> list[str]:
    sites = sites or []
    cands: list[list[str]] = []
    if pm.ld_authors:
        cands.append(pm.ld_authors)
    meta_author = pm.og.get("author") or pm.og.get("article:author") or pm.og.get("parsely-author") or pm.og.get("sailthru.author")
    if meta_author and not meta_author.startswith("http"):
        cands.append([meta_author])
    if traf_author:
        cands.append(_split_authors(traf_author))
    for c in cands:
        c = [_clean_author(a) for a in c]
        c = [a for a in c if _ok_author(a, sites)]
        if c:
            out: list[str] = []
            for a in c:
                if a not in out:
                    out.append(a)
            return out
    return []


_BY = re.compile(r"^[-•*\s]*(?i:(?:written |reported |words |story |text |posted )?by)\s+")
_NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’-]*\.?|[A-Z]\.|de|van|von|da|del|der|la|le|bin|al)$")


_ROLE = re.compile(
    r"\b(?:writer|editor|reporter|correspondent|staff|contributor|columnist|photographer|team|desk|news|editorial)s?\b",
    re.I,
)


def byline_authors(text: str, removed) -> list[str]:
    """Names from a "By Jane Doe and John Roe | date" line marked as byline in the text."""
    for r in removed:
        if r.reason != "byline" or r.start > 2000:
            continue
        line = r.text.strip()
        if not BYLINE_NAME.match(line.lstrip("-•* ")):
            continue
        rest = _BY.sub("", line)
        rest = re.split(r"\s[|•·–—-]\s|\s[|•·]|\s+on\s+|\d", rest)[0]
        names = []
        for part in re.split(r"\s*(?:,|&|\band\b)\s*", rest):
            toks = []
            for t in part.split():
                if not _NAME_TOKEN.match(t) or len(toks) >= 3 and not t.endswith("."):
                    break
                toks.append(t)
            if len(toks) >= 2 and not _ROLE.search(" ".join(toks)):
                names.append(" ".join(toks))
        if names:
            return names
    return []


def _date_forms(d: str) -> list[str]:
    x = date.fromisoformat(d)
    month, mon, day, y, m = x.strftime("%B"), x.strftime("%b"), x.day, x.year, x.month
    suf = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return [
        d, f"{y}/{m:02d}/{day:02d}", f"{y}/{m}/{day}",
        f"{month} {day}, {y}", f"{mon} {day}, {y}", f"{mon}. {day}, {y}", f"{month} {day:02d}, {y}",
        f"{mon} {day:02d}, {y}", f"{month} {day} {y}", f"{mon} {day} {y}", f"{month} {day}{suf}, {y}",
        f"{day} {month} {y}", f"{day} {mon} {y}", f"{day:02d} {month} {y}", f"{day:02d} {mon} {y}",
        f"{day}{suf} {month} {y}", f"{day}. {month} {y}",
        f"{m:02d}/{day:02d}/{y}", f"{m}/{day}/{y}", f"{day:02d}/{m:02d}/{y}", f"{day}/{m}/{y}",
        f"{day:02d}.{m:02d}.{y}", f"{day}.{m}.{y}", f"{m:02d}-{day:02d}-{y}", f"{day:02d}-{m:02d}-{y}",
    ]


def visible_text(tree: HtmlElement) -> str:
    """The page's displayed text (no scripts or styles), lower-cased, whitespace collapsed."""
    body = tree.find("body")
    if body is None:
        return ""
    parts = []
    for el in body.iter():
        if isinstance(el.tag, str) and el.tag not in ("script", "style", "noscript", "template") and el.text:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
    return " ".join(" ".join(parts).split()).lower()


def _shown(d: str, shown_text: str, url: str | None) -> bool:
    """Whether a date is displayed in the page's visible text (or in its URL)."""
    try:
        forms = [f.lower() for f in _date_forms(d)]
    except ValueError:
        return False
    if url and any(f in url for f in forms[:3]):
        return True
    return any(f in shown_text for f in forms)


_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TEXT_DATE = re.compile(
    rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"
    rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MON},?\s+(\d{{4}})\b"
    r"|\b(\d{4})-(\d{2})-(\d{2})\b"
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def first_shown_date(shown_text: str) -> str | None:
    """The first full date (English month names or ISO) displayed in the page."""
    today = date.today()
    for m in _TEXT_DATE.finditer(shown_text[:20000]):
        try:
            if m.group(1):
                d = date(int(m.group(3)), _MONTHS.index(m.group(1)[:3]) + 1, int(m.group(2)))
            elif m.group(5):
                d = date(int(m.group(6)), _MONTHS.index(m.group(5)[:3]) + 1, int(m.group(4)))
            else:
                d = date(int(m.group(7)), int(m.group(8)), int(m.group(9)))
        except ValueError:
            continue
        if 1995 <= d.year and d <= today:
            return d.isoformat()
    return None


def pick_published(pm: PageMeta, traf_date: str | None, tree: HtmlElement | None = None, url: str | None = None) -> str | None:
    """The page's machine-readable publication date (OpenGraph/<meta>, JSON-LD); else the
    date htmldate finds in the markup or URL, kept only when the page displays it (a bare
    copyright year is not a publication date); else the first full date the page displays."""
    own = _own_date(pm)
    if own:
        return own
    found = iso_date(traf_date)
    if tree is None:
        return found
    shown = visible_text(tree)
    if found and _shown(found, shown, url):
        return found
    return first_shown_date(shown)


def _site_names(pm: PageMeta, traf_site: str | None, url: str | None) -> list[str]:
    names = [pm.og.get("og:site_name"), pm.ld_publisher, pm.ld_site, pm.og.get("application-name"), traf_site]
    host = urlsplit(url).hostname if url else None
    if host:
        host = host.removeprefix("www.")
        names.append(host)
        names.append(host.split(".")[0])
    return [n for n in names if n]


def build_meta(pm: PageMeta, doc, url: str | None, tree: HtmlElement | None = None) -> Meta:
    traf = doc if doc is not None else None
    sites = _site_names(pm, getattr(traf, "sitename", None), url)
    outlet = next((s for s in (pm.og.get("og:site_name"), pm.ld_publisher, pm.ld_site, getattr(traf, "sitename", None)) if s), None)
    if outlet is None and url:
        host = urlsplit(url).hostname
        outlet = host.removeprefix("www.") if host else None
    section = pm.og.get("article:section") or pm.ld_section
    cats = getattr(traf, "categories", None) if traf is not None else None
    if not section and cats:
        section = cats[0] if isinstance(cats, list) else None
    return Meta(
        title=pick_title(pm, getattr(traf, "title", None), sites),
        authors=pick_authors(pm, getattr(traf, "author", None), sites),
        published=pick_published(pm, getattr(traf, "date", None), tree, url),
        outlet=outlet,
        section=clean(section) if section else None,
        url=url or pm.canonical or pm.og.get("og:url") or getattr(traf, "url", None),
    )


# --- entry point ----------------------------------------------------------------------------


def extract_html(html: str | bytes, url: str | None = None, path: str | None = None) -> Document:
    """The main text (``text``), its furniture (``removed``) and metadata of an HTML page.

    Raises InputError when the page has no body or no text can be extracted.
    """
    tree = _parse(html)
    pm = read_page_meta(tree)
    text = extract_text(tree, url).strip()
    if _words(text) < MIN_WORDS:
        raise InputError("no text extracted from the HTML")
    doc = traf_metadata(
        tree, url, need_date=_own_date(pm) is None, need_section=not (pm.og.get("article:section") or pm.ld_section)
    )
    meta = build_meta(pm, doc, url, tree)
    removed = find_furniture(text, title=meta.title)
    if not meta.authors:
        meta.authors = byline_authors(text, removed)
    warnings: list[str] = []
    kept = len(text) - sum(r.end - r.start for r in removed)
    if kept < 0.2 * len(text):
        warnings.append("most of the extracted text was marked as page furniture")
    return Document(text=text, format="html", path=path, url=url, removed=removed, meta=meta, warnings=warnings)
