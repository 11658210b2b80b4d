"""Times anchored to well-known events: "before Russia's full-scale invasion of Ukraine", "since the 9/11
attacks", "in the run-up to the Brexit referendum".

Reports date things by the events everyone knows. TimeML does not mark such phrases as TIMEX3 (the event
is an EVENT, the relation a TLINK), so ``find_times`` leaves them out and the TimeBank measure never sees
them; the report keeps them beside the TIMEX3 times with the event's date as ``value``, the side of it as
``mod`` (TIMEX3's BEFORE, AFTER, ON_OR_AFTER, ON_OR_BEFORE) and the event's name as ``event``, so the
timeline can place what happened before or after it.

The events are a short table of dates any newsroom would check against (each with the phrasings that
name it unambiguously); an event later than the publication date is never the one meant.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple, Optional


class KnownEvent(NamedTuple):
    name: str
    value: str  # TIMEX3 value of the event's day (or month)
    pattern: str  # the phrasings that name it, as a regular expression (case-insensitive)


_RU = r"(?:Russia(?:'s|’s|n)?\s+|Moscow(?:'s|’s)\s+|the\s+(?:Russian\s+)?)"
EVENTS = (
    KnownEvent("Russia's full-scale invasion of Ukraine", "2022-02-24",
               _RU + r"(?:full[- ]scale\s+)(?:Russian\s+)?(?:invasion|war)(?:\s+(?:of|on|in|against)\s+Ukraine)?"
               r"|" + _RU + r"(?:Russian\s+)?invasion\s+of\s+Ukraine(?:\s+in\s+(?:February\s+)?2022)?"
               r"|the\s+(?:Russian\s+)?invasion\s+(?:of\s+Ukraine\s+)?(?:in|on)\s+"
               r"(?:24\s+)?February(?:\s+24)?,?\s+2022"),
    KnownEvent("Russia's annexation of Crimea", "2014-03-18",
               r"(?:Russia(?:'s|’s)\s+|the\s+(?:Russian\s+|illegal\s+)*)annexation\s+of\s+"
               r"(?:the\s+)?Crimea(?:n\s+peninsula)?"),
    KnownEvent("the September 11 attacks", "2001-09-11",
               r"(?:the\s+)?(?:9/11(?:\s+(?:terror(?:ist)?\s+)?attacks?)?|"
               r"September\s+11(?:th)?(?:,\s+2001,?)?\s+(?:terror(?:ist)?\s+)?attacks?)"),
    KnownEvent("the January 6 attack on the US Capitol", "2021-01-06",
               r"the\s+(?:January|Jan\.)\s+6(?:th)?(?:,\s+2021,?)?\s+(?:attack|riot|insurrection|assault)"
               r"(?:\s+on\s+the\s+(?:U\.?S\.?\s+)?Capitol)?"),
    KnownEvent("the Brexit referendum", "2016-06-23",
               r"the\s+(?:2016\s+)?(?:Brexit|EU)\s+referendum"),
    KnownEvent("the COVID-19 pandemic", "2020-03",
               r"the\s+(?:COVID(?:-19)?|coronavirus|Covid(?:-19)?)\s+pandemic|the\s+pandemic"),
    KnownEvent("the fall of the Berlin Wall", "1989-11-09",
               r"the\s+fall\s+of\s+the\s+Berlin\s+Wall"),
    KnownEvent("Iraq's invasion of Kuwait", "1990-08-02",
               r"(?:Iraq(?:'s|’s)\s+|the\s+(?:Iraqi\s+)?)invasion\s+of\s+Kuwait"),
    KnownEvent("the US-led invasion of Iraq", "2003-03-20",
               r"the\s+(?:2003\s+)?(?:U\.?S\.?-led\s+|American\s+|US\s+)?invasion\s+of\s+Iraq(?:\s+in\s+2003)?"),
    KnownEvent("the collapse of the Soviet Union", "1991-12-26",
               r"the\s+(?:collapse|fall|breakup|break-up|dissolution)\s+of\s+the\s+(?:Soviet\s+Union|USSR)"),
    KnownEvent("the collapse of Lehman Brothers", "2008-09-15",
               r"the\s+(?:collapse|bankruptcy|failure)\s+of\s+Lehman(?:\s+Brothers)?"),
    KnownEvent("the Hamas attack on Israel of October 7, 2023", "2023-10-07",
               r"the\s+(?:October|Oct\.)\s+7(?:th)?(?:,\s+2023,?)?\s+(?:Hamas\s+)?(?:attacks?|massacre|assault)"),
    KnownEvent("the downing of flight MH17", "2014-07-17",
               r"the\s+(?:downing|shooting\s+down|shootdown)\s+of\s+(?:Malaysia\s+Airlines\s+)?(?:flight\s+)?MH-?17"),
)

# the words that put a time on one side of the event, and TIMEX3's mod for it
_SIDES = (
    (r"before|prior\s+to|ahead\s+of|in\s+the\s+run-up\s+to|on\s+the\s+eve\s+of|in\s+the\s+lead-up\s+to|"
     r"in\s+the\s+days\s+before|in\s+the\s+weeks\s+before|in\s+the\s+months\s+before", "BEFORE"),
    (r"after|following|in\s+the\s+wake\s+of|in\s+the\s+aftermath\s+of|in\s+the\s+days\s+after|"
     r"in\s+the\s+weeks\s+after|in\s+the\s+months\s+after", "AFTER"),
    (r"since", "ON_OR_AFTER"),
    (r"until|up\s+to|till", "ON_OR_BEFORE"),
)


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    sides = "|".join(f"(?P<s{i}>{rx})" for i, (rx, _) in enumerate(_SIDES))
    events = "|".join(f"(?P<e{i}>{e.pattern})" for i, e in enumerate(EVENTS))
    return re.compile(r"\b(?:" + sides + r")\s+(?:" + events + r")(?![\w-])", re.I)


class EventTime(NamedTuple):
    start: int
    end: int
    value: str
    mod: str
    event: str


def find_event_times(text: str, published: Optional[dt.date]) -> list[EventTime]:
    """Every "before/after/since/until <known event>" of ``text``: the phrase's span, the event's date, the
    side (TIMEX3 mod) and the event's name. An event dated after ``published`` is not the one meant."""
    out = []
    for m in _pattern().finditer(text):
        groups = m.groupdict()
        side = next(_SIDES[i][1] for i in range(len(_SIDES)) if groups.get(f"s{i}"))
        ev = next(EVENTS[i] for i in range(len(EVENTS)) if groups.get(f"e{i}"))
        if published is not None and ev.value[:10] > published.isoformat():
            continue
        out.append(EventTime(m.start(), m.end(), ev.value, side, ev.name))
    return out
