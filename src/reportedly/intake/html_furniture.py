"""Furniture inside the extracted text of a news page: what stays in ``text`` but is marked removed.

Line-level rules, written for news pages in general (no site-specific rule): promo and "follow
us" lines, related-news teasers, bylines and date lines, photo credits and captions, navigation
crumbs, paragraphs printed twice (a standfirst repeated as the first paragraph).
"""
from __future__ import annotations

import re

from ..model import Removed

_I = re.IGNORECASE

PROMO = re.compile(
    r"^(?:"
    r"(?:please\s+)?(?:follow|like|find|join)\s+(?:us|@\w+|[\w .&'-]{1,40}?)\s+(?:on|at|in)\s+(?:facebook|twitter|x\b|instagram|linkedin|youtube|tiktok|threads|bluesky|telegram|whatsapp|google news|social media|flipboard)"
    r"|(?:sign\s*up|subscribe|register)\b.{0,80}\b(?:newsletter|updates|inbox|alerts|free|today|now|here)"
    r"|(?:get|receive)\s+(?:our|the|daily|weekly|breaking|the latest|all the)\b.{0,60}\b(?:newsletter|in your inbox|delivered|straight to your|alerts)"
    r"|.{0,80}\b(?:delivered\s+)?(?:straight|right|directly)?\s*to\s+your\s+inbox\W*$"
    r"|.{0,40}\byou(?:'|’)?re (?:now )?subscribed\b"
    r"|(?:want to learn more|interested in learning more)\b[^.]{0,80}[?!]\s*$"
    r"|learn more about\b[^.!?:]{0,60}$"
    r"|(?:download|get)\s+(?:the|our)\s+(?:free\s+)?(?:[\w' ]{1,30}\s)?app\b"
    r"|(?:share|tweet|email)\s+(?:this|the)\s+(?:article|story|post|page)"
    r"|share\s+(?:on|via)\s+\w+"
    r"|(?:click|tap)\s+here\s+(?:to|for)\b"
    r"|advertisement|sponsored(?: content| post)?|paid (?:post|content|partner)|story continues below(?: advertisement)?|continue reading below|scroll to continue"
    r"|(?:this (?:article|post|story|page) (?:may )?contains? affiliate links|we may (?:earn|receive) (?:a )?(?:small )?(?:commission|compensation))"
    r"|.{0,120}\bwe may (?:earn|receive) (?:an? )?(?:small )?(?:affiliate )?(?:commission|compensation)"
    r"|(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}|copyright).{0,120}$"
    r"|all rights reserved\.?"
    r"|(?:support|donate to)\s+(?:our|independent)\s+journalism"
    r"|(?:have a (?:news )?tip|got a (?:news )?tip|send us a tip)\b"
    r"|(?:listen to|watch)\s+(?:this|the)\s+(?:article|story)"
    r"|(?:this (?:article|story) (?:was )?(?:originally|first) (?:appeared|published))"
    r"|(?:already (?:a subscriber|have an account))"
    r"|(?:log ?in|sign ?in) to (?:comment|continue|read)"
    r")",
    _I,
)

RELATED = re.compile(
    r"^(?:"
    r"(?:read|see|watch|listen)\s+(?:more|also|next|the full \w+)\s*[:：>»|-]"
    r"|(?:also|further)\s+read\s*[:：]"
    r"|read more (?:news|stories|articles|posts)\b.{0,60}$"
    r"|(?:related|recommended|trending|popular|most read|don'?t miss|editor'?s picks?|more from|more on|more stories|you may also like|you might also like|up next|further reading)\s*(?:[:：>»|-].*|(?:stories|articles|posts|content|news|reading|topics|coverage|links|videos)?\s*[:：]?)$"
    r")",
    _I,
)
RELATED_HEAD = re.compile(
    r"^(?:related|recommended|trending|popular|most read|most popular|don'?t miss|editor'?s picks?|more from\b.{0,40}|more on\b.{0,40}|more stories|more news|latest news|latest stories|you may also like|you might also like|up next|further reading|read next|keep reading|in other news|top stories|what to read next)\s*(?:stories|articles|posts|content|news|reading|topics|coverage|links|videos|on [\w .'-]{1,30})?\s*[:：]?$",
    _I,
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}})"
)
_NAME = r"[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|da|del|der|la|le|bin|al))*"
BYLINE_NAME = re.compile(  # case-sensitive: names are capitalised ("By the end of..." is not a byline)
    rf"^(?i:(?:written |reported |words |story |text |posted )?by)\s+{_NAME}"
    rf"(?:\s*(?:,|(?i:and)|&)\s+{_NAME}){{0,4}}\s*(?:[,|•·–—-].{{0,80}})?$"
)
BYLINE = re.compile(
    r"^(?:"
    rf"(?:published|posted|updated|last updated|last modified|first published|modified|date)\s*(?:on|:)?\s*{_DATE}.{{0,60}}$"
    rf"|{_DATE}\s*(?:[|•·,–—-]\s*)?(?:(?:\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm)?\s*(?:[A-Z]{{2,4}})?)|by\s+.{{1,60}}|\d+\s+min(?:ute)?s?\s+read)?\s*$"
    r"|\d+\s*(?:-\s*)?min(?:ute)?s?\s+read\b.{0,40}$"
    r"|(?:reading time|read time)\s*:?\s*\d+\s*min.{0,20}$"
    r"|\(?(?:with inputs from|additional reporting by|reporting by|edited by|compiled by)\s+[^.]{1,60}\)?\.?$"
    r")",
    _I,
)
CAPTION = re.compile(
    r"(?:"
    r"^(?:photo|image|picture|video|illustration|graphic|photograph|file photo|pictured)s?\s*(?:credit|courtesy|by|source)?\s*[:：]"
    r"|^(?:credit|courtesy|source: getty|image source)\s*[:：]"
    r"|^\(?(?:photo|image|picture)s?\s+(?:by|courtesy of|credit)\b.{0,80}\)?$"
    r"|\((?:photo|image|picture)s?(?: by| courtesy of| credit)?\s*[:/]?[^()]{0,80}\)\s*$"
    r"|^[^.!?]{0,80}/\s*(?:getty images|ap|reuters|afp|shutterstock|istock|alamy|epa|bloomberg)\b[^.!?]{0,30}$"
    r"|^(?:getty images|shutterstock|istock|reuters|ap photo|afp)(?:/[^.!?]{0,60})?$"
    r")",
    _I,
)
NAV = re.compile(
    r"^(?:"
    r"(?:home|news)\s*(?:[>»/›|]\s*[\w&',. -]{1,40}){1,6}$"
    r"|skip to (?:main )?(?:content|navigation)"
    r"|back to (?:top|home|news|blogs?|articles?|all \w+)\b.{0,20}$"
    r"|(?:previous|next) (?:article|post|story)\b.{0,120}$"
    r"|(?:tags?|topics?|filed under|categories|category)\s*[:：].{0,200}$"
    r"|(?:table of contents|contents|in this article|jump to|on this page)\s*:?$"
    r"|(?:share|print|email|comments?|menu|close|search|subscribe|log in|sign in|home|more|toggle navigation)$"
    r")",
    _I,
)

BIO_HEAD = re.compile(
    r"^(?:about the (?:author|authors|writer|reporter|contributor)s?|author bio(?:graphy)?|meet the (?:author|writer)|written by|posted by|author)\s*:?$",
    _I,
)

_W = re.compile(r"\w+")


def _norm_line(s: str) -> str:
    return " ".join(_W.findall(s.lower()))


def find_furniture(text: str, *, title: str | None = None) -> list[Removed]:
    """Removed stretches (whole lines) of the extracted ``text``."""
    out: list[Removed] = []
    lines: list[tuple[int, int, str]] = []
    pos = 0
    for raw in text.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        s = raw.strip()
        if s:
            lstrip = len(raw) - len(raw.lstrip())
            lines.append((start + lstrip, start + lstrip + len(s), s))
    # a table of contents: list items that come back later as the section headings
    later_plain: dict[str, int] = {}
    for i, (_a, _b, s) in enumerate(lines):
        if not s.startswith(("-", "•", "*")):
            later_plain[_norm_line(s)] = i
    toc = {
        i for i, (_a, _b, s) in enumerate(lines)
        if s.startswith(("-", "•", "*")) and len(s.split()) <= 20
        and later_plain.get(_norm_line(s.lstrip("-•* ")), -1) > i and len(s.split()) >= 3
    }
    seen: dict[str, int] = {}
    ntitle = _norm_line(title) if title else ""
    in_related = False
    bio_left = 0
    n = len(lines)
    reasons: list[str | None] = []
    for i, (a, b, s) in enumerate(lines):
        words = s.split()
        nw = len(words)
        key = _norm_line(s)
        body = s.lstrip("-•*·>|# ").strip()
        reason = None
        if in_related:
            # teaser lines under a "Related" heading: short, list-like, no full sentence ending
            if nw <= 25 and (s.startswith(("-", "•", "*")) or not body.endswith((".", "?", "!", ":", '"', "”"))):
                reason = "related"
            else:
                in_related = False
        if reason is None and bio_left > 0:
            if nw <= 80:
                reason = "byline"
                bio_left -= 1
            else:
                bio_left = 0
        if reason is None and nw <= 8 and BIO_HEAD.match(body):
            reason = "byline"
            bio_left = 2
            in_related = False
        if reason is None and i in toc:
            reason = "navigation"
        if reason is None:
            if nw <= 12 and RELATED_HEAD.match(body):
                reason = "related"
                in_related = True
            elif nw <= 40 and RELATED.match(body):
                reason = "related"
            elif nw <= 25 and PROMO.match(body):
                reason = "promo"
            elif nw <= 20 and NAV.match(body):
                reason = "navigation"
            elif nw <= 25 and (BYLINE.match(body) or BYLINE_NAME.match(body)):
                reason = "byline"
            elif nw <= 30 and CAPTION.search(body):
                reason = "caption"
            elif key and len(key) >= 40 and key in seen and not s.startswith(("|", "- ")):
                reason = "duplicate"
            elif ntitle and key == ntitle and i < 3:
                reason = "duplicate"
        if reason is None and key:
            seen.setdefault(key, i)
        reasons.append(reason)
    # a block printed twice: short lines (headings, list items) repeated next to marked repeats
    # (a forward then a backward sweep carry the mark along a run of such lines)
    for order in (range(n), range(n - 1, -1, -1)):
        for i in order:
            k = _norm_line(lines[i][2])
            if reasons[i] is None and k in seen and seen[k] < i and (
                (i > 0 and reasons[i - 1] == "duplicate") or (i + 1 < n and reasons[i + 1] == "duplicate")
            ):
                reasons[i] = "duplicate"
    for (a, b, _s), reason in zip(lines, reasons):
        if reason:
            out.append(Removed(start=a, end=b, text=text[a:b], reason=reason))
    return out
