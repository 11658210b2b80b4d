"""Headlines set in title case, put in sentence case for the parser.

The small English model reads "Ben Carson Slams Hillary And The Media" as one long name: every
capitalised word looks like a proper noun, so the headline has no verb, no subject and no object, and
the attributions it carries ("Slams", "Claims", "Endorses") are lost. Lower-casing the words that are
not names ("Ben Carson slams Hillary and the media") gives the parser a sentence it knows.

Only the parser sees the recased text: it has the same length, character for character, so every
offset still indexes the report's text, which keeps its case. A word is lower-cased when it starts a
title-case line's word other than the line's first (or the first after a colon, dash or quote), is
capitalised only at its start, is not written capitalised amid a sentence of the article's body
(names recur there: "Trump", "Hillary"), and is either written in lower case in the body or a known
verb, adjective, adverb or function word of the model's own lemma tables.
"""
from __future__ import annotations

import re
from collections.abc import Callable

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# words a title-case headline may leave in lower case ("Trump Set to Speak on the Economy")
_MINOR = frozenset("a an the of to in on at for with and or nor but as by from via vs".split())
FUNCTION_WORDS = _MINOR | frozenset(
    "is are was were be been being am has have had do does did will would can could should shall may might must "
    "not no it its this that these those he she they we you i me him us them his her their our your my "
    "who whom whose what which when where why how just after before over under into onto about than then so "
    "if up out off more most all any some each every".split()
)
# a word kept capitalised after these: it starts a new phrase ("BUSTED: Emails Reveal", "- It Says")
_PHRASE_START = re.compile(r"(?:^|[:\-–—\"“‘'(])\s*$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:\"“‘])\s*$")
_INFLECTIONS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("d", ""))


def is_title_line(line: str) -> bool:
    """At least four words beyond the minor ones, nine in ten of them capitalised."""
    words = [w for w in _WORD.findall(line) if w.lower() not in _MINOR]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.9 * len(words)


def _is_titled(word: str) -> bool:
    """Capitalised at its start only: "Slams" (not "CNN", "McCain", "iPhone", nor a lone initial)."""
    return len(word) > 1 and word[0].isupper() and word[1:] == word[1:].lower()


def _abbreviated(line: str, end: int) -> bool:
    """A word with a full stop after it, before the line's end, is an abbreviation: "Gov.", "U.S."."""
    return line[end : end + 1] == "." and line[end + 1 :].strip() != ""


def make_known(words: set[str]) -> Callable[[str], bool]:
    """Whether a lower-case word is a known common word: in ``words`` (base forms) or the function words,
    directly or through a regular inflection ("slams" -> "slam", "unleashes" -> "unleash")."""

    def known(w: str) -> bool:
        if w in words or w in FUNCTION_WORDS:
            return True
        return any(w.endswith(suf) and w[: -len(suf)] + rep in words for suf, rep in _INFLECTIONS)

    return known


def sentence_case(text: str, known: Callable[[str], bool]) -> str:
    """``text`` with its title-case lines in sentence case (same length; other lines untouched)."""
    lines = text.split("\n")
    titled = [is_title_line(line) for line in lines]
    if not any(titled):
        return text
    body_lower: set[str] = set()
    body_capital: set[str] = set()
    for line, is_title in zip(lines, titled):
        if is_title:
            continue
        for m in _WORD.finditer(line):
            w = m.group()
            if w.islower():
                body_lower.add(w)
            elif w[0].isupper() and not _SENTENCE_START.search(line[: m.start()]):
                body_capital.add(w)
    out = []
    for line, is_title in zip(lines, titled):
        if not is_title:
            out.append(line)
            continue
        chars = list(line)
        for m in _WORD.finditer(line):
            w = m.group()
            if _PHRASE_START.search(line[: m.start()]) or not _is_titled(w) or w in body_capital:
                continue
            if _abbreviated(line, m.end()):
                continue
            low = w.lower()
            if low in body_lower or known(low):
                chars[m.start()] = low[0]
        out.append("".join(chars))
    return "\n".join(out)
