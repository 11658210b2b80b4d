"""Time expressions (TIMEX3): found by rules and normalised against the publication date.

A HeidelTime-style rule set in plain Python: regular expressions find candidate expressions,
overlaps go to the longest, and each rule's normaliser computes the TIMEX3 value from the
publication date (``published``), the tense of the sentence, or an earlier expression of the
text (its ``anchor``). Without a publication date, values that need it stay None with a note.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from typing import Callable, Optional

from ..model import Report, TimeExpr
from . import times_direction as td
from . import times_values as tv
from .times_events import find_event_times
from .nlp import Parsed
from .registry import layer

NO_DCT = "no publication date"

# ---------------------------------------------------------------- vocabulary

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 1, "mon": 1, "tuesday": 2, "tues": 2, "tue": 2, "wednesday": 3, "wed": 3,
    "thursday": 4, "thurs": 4, "thu": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6, "sunday": 7, "sun": 7,
}
SEASON = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "tonight": "NI"}
UNITS = {
    "second": "S", "sec": "S", "minute": "MIN", "min": "MIN", "hour": "H", "hr": "H", "day": "D",
    "week": "W", "fortnight": "FN", "month": "M", "quarter": "Q", "year": "Y", "yr": "Y",
    "decade": "DE", "century": "CE", "centurie": "CE", "weekend": "WE", "semester": "SEM",
    "half": "HALF",
}
SMALL = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12, "couple": 2, "single": 1,
}
VAGUE = {"several", "few", "a few", "some", "many", "numerous", "multiple", "couple of", "a couple of", "the"}
ORD = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4,
    "final": 4,
}


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


MON = r"(?P<mon>(?:" + _alt(k for k in MONTHS if len(k) > 3 or k == "may") + r")|(?:" + _alt(
    k for k in MONTHS if len(k) <= 4 and k != "may") + r")\.?)"
MON_ = MON.replace("?P<mon>", "?:")
WD = r"(?P<wd>" + _alt(k for k in WEEKDAYS if len(k) > 3) + r")"
WD_ = WD.replace("?P<wd>", "?:")
SEAS = r"(?P<seas>spring|summer|autumn|fall|winter)"
PART = r"(?P<part>morning|afternoon|evening|night)"
NUMW = _alt(k for k in SMALL if k not in ("a", "an"))
NUM_BODY = (
    r"(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?(?:\s+\d/\d)?|(?:a\s+|an\s+)?(?:" + NUMW + r")(?:[\s-]+(?:and\s+)?(?:" + NUMW
    + r"))*(?:\s+and\s+a\s+half)?|an?|several|a\s+few|few|some|many|a\s+couple\s+of|couple\s+of"
    + r"|a\s+number\s+of|dozens\s+of|hundreds\s+of|thousands\s+of|a\s+handful\s+of|the\s+next\s+few)"
)
NUM = r"(?P<num>" + NUM_BODY + r")"
UNIT = r"(?P<unit>(?:quarter|half)[\s-]centur(?:y|ie)|second|sec|minute|min|hour|hr|day|week|fortnight|month|quarter|year|yr|decade|centur(?:y|ie)|weekend)s?"
DAYN = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:1[6-9]|20)\d\d)"
APPROX = r"(?:(?:about|around|roughly|approximately|nearly|almost|some|over|more\s+than|less\s+than|at\s+least|at\s+most|up\s+to|no\s+more\s+than|only|just|barely|fewer\s+than|under)\s+)"


def num_value(s: str) -> Optional[float]:
    """A number written in words or digits; None for a vague amount ("several")."""
    s = s.lower().replace("-", " ").strip()
    s = re.sub(r"\s+", " ", s)
    if s in VAGUE or s.startswith(("several", "few", "a few", "some", "many", "a number", "dozens", "hundreds", "thousands", "a handful", "the next few", "a couple", "couple")):
        if s.startswith(("a couple", "couple")):
            return 2
        return None
    half = 0.0
    if s.endswith("and a half"):
        half, s = 0.5, s[: -len("and a half")].strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
        s = s.replace(",", "")  # "2,000 years"
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(?: (\d)/(\d))?", s)
    if m:
        v = float(m.group(1))
        if m.group(2):
            v += int(m.group(2)) / int(m.group(3))
        return v + half
    total, cur = 0, 0
    words = s.split()
    if len(words) > 1 and words[0] in ("a", "an") and words[1] != "half":
        words = words[1:]
    for w in words:
        if w in ("and", "a", "an"):
            if w in ("a", "an") and cur == 0:
                cur = 1
            continue
        n = SMALL.get(w)
        if n is None:
            return None
        if n == 100:
            cur = max(cur, 1) * 100
        elif n == 1000:
            total += max(cur, 1) * 1000
            cur = 0
        elif n == 12 and w == "dozen":
            cur = max(cur, 1) * 12
        elif w in ("a", "an") or (w == "one" and cur == 100):
            cur += n
        else:
            cur += n
    return total + cur + half


def duration(n: Optional[float], unit: str) -> str:
    """PnU, PTnH etc.; n None -> X."""
    if unit == "FN":
        unit, n = "W", (None if n is None else n * 2)
    if unit == "WE":
        unit, n = "D", (None if n is None else n * 2)
    if unit == "DE":
        if n is None:
            return "PXDE"
        unit, n = "Y", n * 10
    if unit == "CE":
        if n is None:
            return "PXCE"
        unit, n = "Y", n * 100
    if unit in ("QCE", "HCE"):
        unit, n = "Y", (None if n is None else n * (25 if unit == "QCE" else 50))
    if n is None:
        k = "X"
    elif n == int(n):
        k = str(int(n))
    else:
        # ISO 8601 with the next unit down: 2.5 years -> P2Y6M, 1.5 hours -> PT1H30M, half an hour -> PT30M
        smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("MIN", 60), "MIN": ("S", 60)}
        if unit in smaller and (n * smaller[unit][1]) == int(n * smaller[unit][1]):
            whole, small = int(n), int(round((n - int(n)) * smaller[unit][1]))
            sub = smaller[unit][0]
            tail = f"{small}{'M' if sub == 'MIN' else sub}"
            if unit in ("H", "MIN") or sub in ("H", "MIN", "S"):
                head = f"{whole}{'M' if unit == 'MIN' else unit}" if whole else ""
                return f"PT{head}{tail}" if unit in ("H", "MIN") else (f"P{whole}{unit}T{tail}" if whole else f"PT{tail}")
            return f"P{whole}{unit}{tail}" if whole else f"P{tail}"
        k = f"{n:g}"
    if unit in ("H", "MIN", "S"):
        return f"PT{k}{'M' if unit == 'MIN' else unit}"
    return f"P{k}{unit}"


# ---------------------------------------------------------------- tense from the words around

_FUT = re.compile(
    r"\b(?:(?:is|are)\s+(?:planned|scheduled|slated|set|expected|due)|will|won't|won’t|wo n't|shall|'ll|’ll|going to|gonna|plans? to|planned to|intends? to|expects? to|"
    r"expected to|scheduled|due to|set to|is to|are to|would|aims? to|hopes? to|next|upcoming|coming|as soon as)\b", re.I)
_PAST = re.compile(
    r"\b(?:said|was|were|had|did|told|ago|last|earlier|previously|rose|fell|took|came|went|made|gave|"
    r"began|won|lost|sold|bought|left|met|saw|became|held|paid|got|found|thought|ran|brought|kept|"
    r"spoke|wrote|struck|grew|led|fled|sent|spent|shot|built|broke|chose|drove|flew|knew|put|set|"
    r"stood|told|wore|hit|quit|cut|[a-z]{3,}ed)\b", re.I)
_NOT_PAST = {"expected", "scheduled", "planned", "proposed", "united", "limited", "red", "need", "indeed",
             "speed", "feed", "seed", "bed", "embed", "hundred", "shed", "bred", "breed", "based", "related",
             "proceed", "succeed", "exceed", "weed", "greed", "shred", "sled", "wed", "fred", "ted", "ned", "med"}
_STATIVE = {"be", "have", "say", "tell", "report", "announce", "state", "note", "add", "seem", "remain", "appear",
            "know", "believe", "think", "want", "need", "hold", "own", "include", "continue", "claim", "argue",
            "insist", "show", "suggest", "mean", "stand", "trade", "close", "rise", "fall", "show"}
# present passives of these name a time ahead: "is scheduled for", "are expected on", "is set for"
_SCHEDULE = {"schedule", "expect", "set", "plan", "slate", "due", "timetable", "reschedule", "postpone", "delay",
             "set", "book", "fix"}
# verbs whose infinitive lies ahead of them: "planned to leave on Thursday", "agreed to meet Friday"
_AHEAD_VERBS = {"plan", "intend", "expect", "schedule", "hope", "aim", "want", "decide", "agree", "promise", "vow",
                "threaten", "prepare", "set", "propose", "vote", "pledge", "offer", "ask", "urge", "order", "call",
                "invite", "arrange", "need", "wish", "be", "have", "get", "choose", "elect", "tell", "require",
                "allow", "authorize", "announce", "say", "move", "decline", "refuse", "appear", "go"}
# "was expected to", "had been scheduled to", "had been due to": a past expectation
_EXPECTED = {"expect", "schedule", "set", "slate", "suppose", "plan", "due"}
_EXPECTED_ADJ = {"due", "set", "scheduled", "slated", "expected", "supposed"}
# verbs whose object or complement after them is set for a time ahead of the plan
_PLAN_VERBS = {"plan", "schedule", "slate", "reschedule"}
_REPORTING = {"said", "says", "told", "added", "say", "reported", "announced", "stated", "noted"}
# a past participle after a modal or an infinitive marker is no past tense
_MODAL_BEFORE = re.compile(r"\b(?:will|'ll|would|shall|should|could|may|might|must|to|wo n't|won't)\s+(?:not\s+)?(?:be|get|have|have\s+been|be\s+being)\s+$", re.I)
_AGENT_AFTER = re.compile(r"\s+by\b")
_PAST_EXPECT_BEFORE = re.compile(r"\b(?:had\s+been|was|were)\s+$", re.I)
_DET_BEFORE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that|these|those)\s+$", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:and|but|while|whereas|although|though|that|who|which|because|if|when|where|after|before)\b", re.I)
_PRES = re.compile(r"\b(?:is|are|am|says|say|has|have|does|do|now|today|currently)\b", re.I)
# a full stop ends a sentence, not after a title ("Mr. Clinton", "Gov. Chris Christie") or an initial
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "St", "Gov", "Sen", "Rep", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Adm", "Jr", "Sr", "Mt", "Ft", "Prof", "Rev", "Gens", "Sens", "Reps", "Messrs")
_SENT_END = re.compile(r"(?:\.(?<!\b[A-Z]\.)" + "".join(r"(?<!\b" + a + r"\.)" for a in _TITLES)
                       + r"|[!?])['\"”’)]*\s+(?=[A-Z\"“'‘(])|\n\s*\n")


TENSE_REACH = 300


class Tense:
    """The tense around a character offset: from the spaCy parse when given, else from words."""

    def __init__(self, text: str, doc=None):
        self.text = text
        self.doc = doc
        self.bounds = [0] + [m.end() for m in _SENT_END.finditer(text)] + [len(text) + 1]
        self._tok_starts = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.bounds, start) - 1
        j = bisect.bisect_left(self.bounds, end)
        return self.bounds[max(i, 0)], min(self.bounds[min(j, len(self.bounds) - 1)], len(self.text))

    def at(self, start: int, end: int) -> Optional[str]:
        if self.doc is not None:
            t = self._from_doc(start, end)
            if t:
                return t
        return self._from_words(start, end)

    def _from_words(self, start: int, end: int) -> Optional[str]:
        s, e = self.sentence(start, end)
        s0 = s
        s, e = max(s, start - TENSE_REACH), min(e, end + TENSE_REACH)  # bounded: no quadratic run-ons
        best, best_d = None, 10**9
        cues = []
        for rx, kind in ((_FUT, "future"), (_PAST, "past"), (_PRES, "present")):
            for m in rx.finditer(self.text, s, e):
                name = kind
                if start <= m.start() < end:
                    continue  # the expression's own words ("last", "next") are read by its rule
                w = m.group(0).lower()
                if name == "past" and w in _NOT_PAST:
                    continue
                if name == "future" and w.startswith(("expected", "scheduled", "due", "set", "planned")) and _PAST_EXPECT_BEFORE.search(
                        self.text, max(s, m.start() - 16), m.start()):
                    name = "past"  # "had been due to expire Friday", "was expected to arrive Monday": a past expectation
                if name == "past" and _MODAL_BEFORE.search(self.text, max(s, m.start() - 24), m.start()):
                    continue  # "will be counted", "to be held", "would have left": not a past tense
                if name == "past" and w.endswith("ed") and (
                        _AGENT_AFTER.match(self.text, m.end())
                        or _DET_BEFORE.search(self.text, max(s, m.start() - 8), m.start())):
                    continue  # "markets untouched by the crisis", "the crippled economy": participles, not a tense
                d = start - m.end() if m.end() <= start else m.start() - end
                if m.end() <= start and w in _REPORTING and d > 20:
                    d += 40  # "Trump said things should be wrapped up by Cleveland, ... the party's July convention"
                d = d * 1.0 if m.end() <= start else d * 1.05
                if name == "future" and w in ("next", "coming", "upcoming"):
                    d += 30
                if m.start() >= end:
                    if w in _REPORTING:
                        # "... will happen on Friday, he said": the report frames the event, it is not its
                        # tense (unless the time is fronted: "On Thursday, Sanders told the AP ...")
                        cues.append((d + 10**6, name, False, False, d))
                        continue
                    elif _CLAUSE_BREAK.search(self.text, end, m.start()):
                        # "met him on Tuesday and will meet Bush on Thursday": the next clause's verb
                        # (not after a fronted time: "On Monday, Mr. Clinton will hold ...")
                        cues.append((d, name, True, False, d))
                        continue
                cues.append((d, name, False, m.end() <= start, d))
        # fronted: no tense word before it in the sentence, so the clause after it is its own
        fronted = not any(pos_before for _, _, _, pos_before, _ in cues) and start - s0 < 30
        for d, name, crossed, _, raw in cues:
            if d >= 10**6 and not fronted:
                continue  # a report after the time frames it; alone it says nothing of when the time lies
            if fronted:
                d = raw
            elif crossed:
                d += 40
            if d < best_d:
                best, best_d = name, d
        return best

    def _from_doc(self, start: int, end: int) -> Optional[str]:
        doc = self.doc
        if self._tok_starts is None:
            self._tok_starts = [t.idx for t in doc]
        i = bisect.bisect_right(self._tok_starts, start) - 1
        if i < 0 or i >= len(doc):
            return None
        tok = doc[i]
        seen = 0
        in_noun = False  # the time modifies a noun on the way up ("the Bastille Day attack", "his speech on Thursday")
        while seen < 6:
            if tok.pos_ in ("VERB", "AUX") and tok.tag_ != "MD":
                break
            if tok.head.i == tok.i:
                break
            tok, seen = tok.head, seen + 1
            if tok.pos_ in ("NOUN", "PROPN") and not (start <= tok.idx < end) and tok.dep_ not in ("npadvmod", "tmod"):
                in_noun = True
        if tok.pos_ not in ("VERB", "AUX"):
            return None
        if seen == 1 and doc[i].dep_ in ("nsubj", "nsubjpass") or (seen == 2 and doc[i].head.dep_ in ("nsubj", "nsubjpass")
                                                                  and doc[i].dep_ == "compound"):
            return None  # "Super Tuesday brings ...": a time that is the subject is not placed by its verb's tense
        if (tok.tag_ == "VBN" and tok.dep_ == "xcomp" and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX")
                and not any(c.dep_ in ("aux", "auxpass") and (c.tag_ == "VBD" or c.lemma_ == "have") for c in tok.children)):
            tok = tok.head  # "is going to start getting beat up in the spring": a participle complement has its verb's tense
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        for a in auxes:
            low = a.lower_.replace("’", "'")
            if low in ("will", "'ll", "shall", "wo", "gonna"):
                return "future"
        if any(a.lower_.replace("’", "'") in ("would", "'d") for a in auxes):
            return "future"
        if (tok.tag_ == "VB" and tok.idx < start and not in_noun and not any(a.lemma_ == "have" for a in auxes)
                and any(a.lower_ in ("could", "may", "might", "should", "must", "can", "ca") for a in auxes)):
            return "future"  # "they should beat her at the polls in November": a possibility ahead

        if (tok.lemma_ in _PLAN_VERBS and tok.idx < start and tok.dep_ not in ("acl", "relcl", "amod")
                and (tok.tag_ == "VBD" or (tok.tag_ == "VBG" and auxes))
                and not any(ch.dep_ in ("xcomp", "ccomp") for ch in tok.children)):
            # "protesters planned a rally on Saturday", "scheduled a vote for Monday": the planned event lies ahead
            # ("planned on Tuesday to pay": the time of the planning; "a service planned for Saturday was
            # canceled": a modifier, its clause decides)
            return "future"
        if tok.tag_ == "VBD":
            return "past"
        if (tok.tag_ == "VBN" and tok.lemma_ in _SCHEDULE and auxes
                and all(a.tag_ in ("VBZ", "VBP") and a.lemma_ == "be" for a in auxes)):
            return "future"  # "the vote is scheduled for Tuesday", "talks are expected Friday"
        infinitive = any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children)
        for a in auxes:
            if a.tag_ == "VBD":
                return "past"
            if a.lemma_ == "have":
                return "past"
        if tok.tag_ == "VBN" and not infinitive:
            return "past"
        if in_noun and tok.tag_ in ("VBG", "VBZ", "VBP"):
            return None  # a present verb over a noun the time belongs to says nothing of that time: the words decide
        if tok.tag_ == "VBG" and any(a.lemma_ == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes):
            return "future"
        if tok.tag_ in ("VBZ", "VBP") and tok.lemma_ == "be" and any(
                c.lower_ in ("due", "set", "slated", "poised", "likely", "ready", "expected", "scheduled")
                for c in tok.children if c.dep_ in ("acomp", "attr", "oprd", "advmod")):
            return "future"  # "the results are due out Friday", "the vote is likely Tuesday"
        if tok.tag_ in ("VBZ", "VBP"):
            # "meets on Monday", "takes effect on 1 January": a present event verb with a date is a
            # schedule; "says", "is" are not
            if tok.lemma_ in _STATIVE or tok.lower_ in _REPORTING:
                return "present"
            return "future"
        if tok.tag_ in ("VB", "VBN") and infinitive:  # "to leave", "to be replaced"
            head = tok.head
            if head.i != tok.i and head.pos_ not in ("VERB", "AUX"):
                # "was bold enough to tout ...", "taking steps to prevent ...": the verb above the adjective or noun
                up = head
                for _ in range(3):
                    if up.pos_ in ("VERB", "AUX") or up.head.i == up.i:
                        break
                    up = up.head
                head = up if up.pos_ in ("VERB", "AUX") else head
            if in_noun:
                return None  # "to prevent the behavior on display over the weekend": the noun's time, not the infinitive's
            if (head.i != tok.i and head.tag_ == "VBD" and head.lemma_ not in _AHEAD_VERBS
                    and not any(c.dep_ in ("aux", "auxpass") for c in head.children)):
                return "past"  # "sought to appeal to voters on Tuesday", "tried to leave on Friday": the head's time
            if head.i != tok.i and head.tag_ == "VBN" and any(
                    c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in head.children) and (
                    head.lemma_ in _EXPECTED or (head.lemma_ == "be" and any(
                        c.dep_ == "acomp" and c.lower_ in _EXPECTED_ADJ for c in head.children))):
                # "was expected to arrive Monday", "had been scheduled to expire Friday", "had been due to
                # expire Friday": a past expectation names a time that has come (a present one looks ahead)
                return "past"
            return "future"  # "planned to leave on Thursday": the infinitive's time is ahead of its head
        if tok.tag_ == "VB":
            # "to meet on Friday" under a future or past head: look one level up
            head = tok.head
            if head.i != tok.i and head.pos_ in ("VERB", "AUX"):
                if head.tag_ == "VBD":
                    return "past"
                if any(c.lower_ in ("will", "'ll", "would") for c in head.children):
                    return "future"
            return None
        return None


# ---------------------------------------------------------------- the rules

class Ctx:
    def __init__(self, text: str, dct: Optional[dt.date], tense: Tense):
        self.text = text
        self.dct = dct
        self.tense = tense
        self.found: list[TimeExpr] = []  # resolved so far, in text order

    # -- references
    def last_specific(self, before: int, kinds=("DATE", "TIME"), within: Optional[int] = None) -> Optional[TimeExpr]:
        """The latest earlier expression with a calendar value, not itself read off another one
        (in "the quarter ... a year earlier ... a year earlier" both go back from the quarter)."""
        for t in reversed(self.found):
            if t.start >= before:
                continue
            if within is not None and before - t.end > within:
                return None
            if t.type in kinds and t.anchor is None and (tv.granularity(t.value) or (t.value is None and t.note == NO_DCT)):
                # an expression left open for want of a publication date still is the time in talk
                return t
        return None

    def last_quarter(self, before: int, within: Optional[int] = None) -> Optional[TimeExpr]:
        """The quarter in talk: the latest one named before, preferring one begun by the publication
        date over a forecast of a later year's ("through the third quarter of 1990")."""
        first = None
        for t in reversed(self.found):
            if within is not None and before - t.end > within:
                break
            if t.start < before and tv.granularity(t.value) == "Q" and t.anchor is None:
                if self.dct is None or int(t.value[:4]) <= self.dct.year:
                    return t
                first = first or t
        return first


class Cand:
    __slots__ = ("start", "end", "rule", "m", "prio")

    def __init__(self, start, end, rule, m, prio):
        self.start, self.end, self.rule, self.m, self.prio = start, end, rule, m, prio




# what a normaliser returns: (type, value, anchor id, note)
Result = tuple[str, Optional[str], Optional[str], Optional[str]]


def _need_dct(ctx: Ctx, typ: str, fn: Callable[[dt.date], Optional[str]]) -> Result:
    if ctx.dct is None:
        return typ, None, None, NO_DCT
    return typ, fn(ctx.dct), None, None


# How far (days) the other side of the publication date a date may fall and still be read in
# the tense's direction: "said it will pay the dividend Dec. 7" is often in a past sentence.
SLACK_DAYS = 75
# A future tense points ahead: only a report's lag lets a date fall behind the publication, and a
# month without a year is then the current one ("will be held in January" in March is next January).
FUTURE_SLACK_DAYS = 20
# a quarter named this close before "a year ago" is what the year is counted back from
QUARTER_TALK = 400


def _nearest_year(d: dt.date, make, tense: Optional[str]) -> Optional[int]:
    """The year for a month or day without one: the occurrence the tense points to, allowing
    SLACK_DAYS back-to-front for a past tense (FUTURE_SLACK_DAYS for a future); without a tense the
    nearest occurrence."""
    opts = []
    for y in (d.year - 1, d.year, d.year + 1):
        try:
            opts.append((y, make(y)))
        except ValueError:
            pass
    if not opts:
        return None
    if tense == "past":
        ok = [(y, x) for y, x in opts if (x - d).days <= SLACK_DAYS]
        return max(ok, key=lambda o: o[1])[0] if ok else d.year
    if tense == "future":
        ok = [(y, x) for y, x in opts if (d - x).days <= FUTURE_SLACK_DAYS]
        return min(ok, key=lambda o: o[1])[0] if ok else d.year
    return min(opts, key=lambda o: abs((o[1] - d).days))[0]


def _month_year(ctx: Ctx, mon: int, start: int, end: int, rel: Optional[str] = None) -> Optional[int]:
    d = ctx.dct
    if rel in ("this", "current"):
        return d.year
    if rel in ("last", "past", "previous", "this past"):
        return d.year if mon < d.month else d.year - 1
    if rel in ("next", "coming", "this coming"):
        return d.year if mon > d.month else d.year + 1
    if _SINCE_BEFORE.search(ctx.text, max(0, start - 40), start):
        return d.year if mon <= d.month else d.year - 1  # "since December": the last one
    t = ctx.tense.at(start, end)
    if t == "present":
        t = None
    if _EFFECTIVE_BEFORE.search(ctx.text, max(0, start - 24), start) or (
            ctx.tense.doc is None and _DEFER_BEFORE.search(ctx.text, max(0, start - 90), start)):
        t = "future"
    if t is None and _AHEAD_BEFORE.search(ctx.text, max(0, start - 30), start):
        t = "future"  # "before the November election", "through March": with no tense, the one ahead
    if re.search(r"\bcome\s+$", ctx.text[max(0, start - 8):start], re.I):
        return d.year if mon > d.month else d.year + 1  # "come November": the next one
    y = _nearest_year(d, lambda y: dt.date(y, mon, 15), t)
    yb = d.year if mon <= d.month else d.year - 1  # the occurrence at or before the publication
    yf = d.year if mon >= d.month else d.year + 1  # and at or after it
    if yb != yf and y in (yb, yf):
        back, fwd = (d.year - yb) * 12 + d.month - mon, (yf - d.year) * 12 + mon - d.month
        later = td.later(ctx.tense, start, end, "mon", back, fwd, tv.month(yb, mon), tv.month(yf, mon), y == yf)
        if later is not None:
            return yf if later else yb
    return y


_SCHEDULE_VERB_BEFORE = re.compile(
    r"\b(?:meets?|begins?|starts?|opens?|ends|closes|resumes?|arrives?|leaves|departs?|returns?|travels?|visits?|votes?|"
    r"expires?|takes?\s+effect|kicks?\s+off|convenes?|reconvenes?|concludes?|debuts?|airs|goes\s+on\s+sale)"
    r"\s+(?:[a-z]+ly\s+)?(?:on\s+)?$", re.I)
_AHEAD_BEFORE = re.compile(r"\b(?:before|until|till|through|by|ahead\s+of|toward|towards)\s+(?:the\s+|this\s+)?"
                           r"(?:early\s+|late\s+|mid-?)?$", re.I)
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:(?:shortly|just|right|soon|well|immediately)\s+)?(?:(?:after|before)\s+)?"
                           r"(?:the\s+)?(?:early\s+|late\s+|mid-?)?$", re.I)
# "postponed until Tuesday morning", "extended its deadline until 9 a.m. Tuesday", "loans through January":
# the end of a deferral lies ahead (read from the words when there is no parse; the parse has its own rule)
_DEFER_BEFORE = re.compile(r"\b(?:extend|postpon|delay|defer|adjourn|suspend|reschedul|push(?:ed)?\s+back|put\s+off|gave|give|grant|allow|freez|froze)"
                           r"\w*\b[^.;:!?]{0,70}?\b(?:until|till|through)\s+(?:(?:about|around|at)\s+)?(?:\d[\d:.]*\s*[ap]\.?m\.?\s*(?:[A-Z]{2,4}\s+)?)?$", re.I)
# "effective Feb. 1", "effective as of Monday": when a change takes effect, after its announcement
_EFFECTIVE_BEFORE = re.compile(r"(?<!\bwas\s)(?<!\bwere\s)(?<!\bbecame\s)\beffective\s+(?:on\s+|as\s+of\s+|from\s+)?$", re.I)
# a possessive weekday whose noun is the subject of a future ("Monday's debate will be ..."), or after "ahead of"
_POSS_AHEAD_AFTER = re.compile(r"['’]s\s+(?:[\w-]+\s+){1,6}?(?:will|is\s+(?:expected|scheduled|set|slated|due)|are\s+"
                               r"(?:expected|scheduled|set|slated|due))\b", re.I)
_AHEAD_OF_BEFORE = re.compile(r"\b(?:ahead\s+of|in\s+advance\s+of|in\s+preparation\s+for|prepar\w*\s+for)\s+$", re.I)
_DEADLINE_BEFORE = re.compile(r"\b(?:until|till|by)\s+(?:(?:about|around|at)\s+)?$", re.I)
# "the deadline is Friday", "the talks are on Monday": a present copula naming the day is a schedule ahead
_IS_ON_BEFORE = re.compile(r"\b(?:is|are)\s+(?:(?:now\s+|still\s+)?(?:on|set\s+for|slated\s+for|due|for)\s+)?$", re.I)


def _weekday_date(ctx: Ctx, wd: int, start: int, end: int, rel: Optional[str] = None) -> dt.date:
    d = ctx.dct
    diff = wd - d.isoweekday()
    if rel in ("last", "past", "previous"):
        back = (d.isoweekday() - wd) % 7 or 7
        return d - dt.timedelta(days=back)
    if rel in ("next", "coming", "this coming"):
        fwd = (wd - d.isoweekday()) % 7 or 7
        return d + dt.timedelta(days=fwd)
    if rel == "this":
        return d + dt.timedelta(days=diff)
    back, fwd = (d.isoweekday() - wd) % 7, (wd - d.isoweekday()) % 7
    pv, fv = d - dt.timedelta(days=back), d + dt.timedelta(days=fwd)
    if _SINCE_BEFORE.search(ctx.text, max(0, start - 40), start):
        return pv  # "since Monday": the last one
    t = ctx.tense.at(start, end)
    rule_later = t == "future" and not ctx.text.startswith(("'s", "’s"), end)  # "Wednesday's ruling" has been
    if ctx.text.startswith(("'s", "’s"), end) and (
            _POSS_AHEAD_AFTER.match(ctx.text, end) or _AHEAD_OF_BEFORE.search(ctx.text, max(0, start - 30), start)):
        rule_later = True  # "Monday's debate will be watched", "ahead of Monday's debate": the one to come
    if _EFFECTIVE_BEFORE.search(ctx.text, max(0, start - 24), start) or (
            ctx.tense.doc is None and _DEFER_BEFORE.search(ctx.text, max(0, start - 90), start)):
        rule_later = True  # "the new rules, effective Monday", "postponed until Tuesday"
    if t in (None, "present") and (_DEADLINE_BEFORE.search(ctx.text, max(0, start - 24), start)
                                   or _IS_ON_BEFORE.search(ctx.text, max(0, start - 24), start)):
        rule_later = True  # "has given them until 9 a.m. Tuesday", "have until Friday": a deadline ahead
    if ctx.tense.doc is None and t in (None, "present") and _SCHEDULE_VERB_BEFORE.search(ctx.text, max(0, start - 24), start):
        rule_later = True  # "the convention begins Monday", "the board meets on Tuesday": a schedule (words only)
    if back:
        later = td.later(ctx.tense, start, end, "wd", back, fwd, pv.isoformat(), fv.isoformat(), rule_later)
        if later is not None:
            return fv if later else pv
    return fv if rule_later else pv


def _day_month(ctx: Ctx, mon: int, day_: int, start: int, end: int) -> Optional[str]:
    d = ctx.dct
    if _SINCE_BEFORE.search(ctx.text, max(0, start - 40), start):
        for y in (d.year, d.year - 1):  # "since Jan. 1": the last one
            try:
                if dt.date(y, mon, day_) <= d:
                    return dt.date(y, mon, day_).isoformat()
            except ValueError:
                pass
    t = ctx.tense.at(start, end)
    if _EFFECTIVE_BEFORE.search(ctx.text, max(0, start - 24), start) or (
            ctx.tense.doc is None and _DEFER_BEFORE.search(ctx.text, max(0, start - 90), start)):
        t = "future"
    if t in (None, "present") and (_AHEAD_BEFORE.search(ctx.text, max(0, start - 30), start)
                                   or _SCHEDULE_VERB_BEFORE.search(ctx.text, max(0, start - 24), start)):
        t = "future"  # "the ban expires on Dec. 31", "has until March 5": with no past tense, the one ahead
    if t == "present":
        t = None
    y = _nearest_year(d, lambda y: dt.date(y, mon, day_), t)
    if y is None:
        return None
    try:
        v = dt.date(y, mon, day_)
    except ValueError:
        return None
    occ = []
    for yy in (d.year - 1, d.year, d.year + 1):
        try:
            occ.append(dt.date(yy, mon, day_))
        except ValueError:
            pass
    pv = max((x for x in occ if x <= d), default=None)
    fv = min((x for x in occ if x >= d), default=None)
    if pv is not None and fv is not None and pv != fv and v in (pv, fv):
        later = td.later(ctx.tense, start, end, "md", (d - pv).days, (fv - d).days, pv.isoformat(), fv.isoformat(),
                         v == fv)
        if later is not None:
            v = fv if later else pv
    return v.isoformat()


def _mon(s: str) -> Optional[int]:
    return MONTHS.get(s.lower().rstrip("."))


def _is_cap(s: str) -> bool:
    return s[:1].isupper()


def _year2(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        return 1900 + y if y >= 30 else 2000 + y
    return y


def _season_rel(ctx: Ctx, s: str, rel: Optional[str], start: int, end: int) -> str:
    d = ctx.dct
    cy, cs = tv.season_of(d)
    order = tv.SEASONS
    cur = cy * 4 + order.index(cs)
    # the season's index in the current season-year
    tgt = cy * 4 + order.index(s)
    if rel in ("this", "current"):
        # the current season, else that season of the calendar year ("this summer" in February is ahead;
        # "this winter" outside winter is the one that starts in December)
        k = cur if s == cs else d.year * 4 + order.index(s)
        if k > cur and ctx.tense.at(start, end) == "past":
            k -= 4  # "sales fell this winter" in March: the winter just past
    elif rel in ("last", "past", "previous"):
        k = (tgt if tgt < cur else tgt - 4) if s == "WI" else (d.year - 1) * 4 + order.index(s)
    elif rel == "this past":
        k = tgt if tgt < cur else tgt - 4
    elif rel in ("next", "coming", "this coming"):
        k = tgt if tgt > cur else tgt + 4
    else:
        t = ctx.tense.at(start, end)
        if t == "past":
            k = tgt if tgt <= cur else tgt - 4
        elif t == "future":
            k = tgt if tgt >= cur else tgt + 4
        else:
            k = tgt
    return f"{k // 4:04d}-{order[k % 4]}"


def _rel_unit(ctx: Ctx, unit: str, n: int) -> Optional[str]:
    """this/last/next year|month|week|quarter... from the publication date."""
    d = ctx.dct
    if unit == "Y":
        return f"{d.year + n:04d}"
    if unit == "M":
        return tv.month(*tv.add_months(d.year, d.month, n))
    if unit == "W":
        return tv.week(d + dt.timedelta(weeks=n))
    if unit == "Q":
        k = d.year * 4 + tv.quarter_of(d) - 1 + n
        return f"{k // 4:04d}-Q{k % 4 + 1}"
    if unit == "D":
        return (d + dt.timedelta(days=n)).isoformat()
    if unit == "WE":
        sat = d + dt.timedelta(days=(6 - d.isoweekday()) % 7)
        if n < 0 or (n == 0 and d.isoweekday() in (1, 2)):
            sat = d - dt.timedelta(days=(d.isoweekday() - 6) % 7 or 7)
            sat = sat + dt.timedelta(weeks=n + 1 if n < 0 else 0)
        elif n > 0:
            sat = sat + dt.timedelta(weeks=n - 1) if d.isoweekday() < 6 else sat + dt.timedelta(weeks=n)
        return tv.week(sat) + "-WE"
    if unit == "DE":
        return f"{d.year // 10 + n:03d}"
    if unit == "CE":
        return f"{d.year // 100 + n:02d}"
    if unit == "H":
        k = d.year * 2 + (0 if d.month <= 6 else 1) + n
        return f"{k // 2:04d}-H{k % 2 + 1}"
    return None


def _unit(s: str) -> str:
    s = s.lower()
    if "centur" in s and s.startswith(("quarter", "half")):
        return "QCE" if s.startswith("quarter") else "HCE"  # a quarter-century, a half-century
    if s.endswith("s") and s[:-1] in UNITS:
        s = s[:-1]
    return UNITS.get(s, UNITS.get(s.rstrip("s"), "D"))


# --- normalisers: each takes (match, ctx, cand) and returns (type, value, anchor, note)

def n_full_date(m, ctx, c):
    try:
        y = _year2(m["year"])
        return "DATE", dt.date(y, _mon(m["mon"]), int(m["day"])).isoformat(), None, None
    except (ValueError, TypeError):
        return "DATE", None, None, "not a calendar date"


def n_numeric_date(m, ctx, c):
    a, b, y = int(m["a"]), int(m["b"]), _year2(m["y"])
    mon, day_ = (a, b) if a <= 12 else (b, a)
    try:
        return "DATE", dt.date(y, mon, day_).isoformat(), None, None
    except ValueError:
        return "DATE", None, None, "not a calendar date"


def n_iso_date(m, ctx, c):
    try:
        return "DATE", dt.date(int(m["y"]), int(m["a"]), int(m["b"])).isoformat(), None, None
    except ValueError:
        return "DATE", None, None, "not a calendar date"


def n_day_month(m, ctx, c):
    mon, day_ = _mon(m["mon"]), int(m["day"])
    if ctx.dct is None:
        return "DATE", f"XXXX-{mon:02d}-{day_:02d}", None, NO_DCT
    return "DATE", _day_month(ctx, mon, day_, c.start, c.end), None, None


def n_month_year(m, ctx, c):
    return "DATE", tv.month(_year2(m["year"]), _mon(m["mon"])), None, None


def _week_of(m, ctx, c):
    """the week of March 9: the (ISO) week of that day; the weekend of March 7: that weekend."""
    mon, day_ = _mon(m["mon"]), int(m["day"])
    if m["year"]:
        v = f"{int(m['year']):04d}-{mon:02d}-{day_:02d}"
    elif ctx.dct is None:
        return "DATE", None, None, NO_DCT
    else:
        v = _day_month(ctx, mon, day_, c.start, c.end)
    d = tv.to_date(v)
    if d is None:
        return "DATE", None, None, "not a calendar date"
    return "DATE", tv.week(d) + ("-WE" if m["wk"].lower() == "weekend" else ""), None, None


def _md_rel_year(m, ctx):
    """June 5 last year, Jan. 1 next year: the day of the year named."""
    n = {"last": -1, "this": 0, "next": 1}[m["rel"].lower()]
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    try:
        return "DATE", dt.date(ctx.dct.year + n, _mon(m["mon"]), int(m["day"])).isoformat(), None, None
    except ValueError:
        return "DATE", None, None, "not a calendar date"


def n_month_rel_year(m, ctx, c):
    mon = _mon(m["mon"])
    rel = m["rel"].lower()
    n = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[rel]
    return _need_dct(ctx, "DATE", lambda d: tv.month(d.year + n, mon))


def n_month(m, ctx, c):
    mon = _mon(m["mon"])
    rel = (m["rel"] or "").lower().strip() or None if "rel" in m.re.groupindex else None
    if rel:
        rel = re.sub(r"\s+", " ", rel)
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    return "DATE", tv.month(_month_year(ctx, mon, c.start, c.end, rel), mon), None, None


def n_year(m, ctx, c):
    return "DATE", m["year"], None, None


_DECADE_WORDS = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]


def n_decade(m, ctx, c):
    y = m["dec"]
    if not y:  # '90s
        y = ("19" if int(m["dd"]) >= 30 else "20") + m["dd"]
    elif re.fullmatch(r"1[6-9]00", y):
        return "DATE", y[:2], None, None  # "the 1800s": the century of those years
    return "DATE", y[:3], None, None


def n_century(m, ctx, c):
    k = int(re.sub(r"\D", "", m["cent"]) or 0) if re.search(r"\d", m["cent"]) else ORD.get(m["cent"].lower(), 0)
    words = {"nineteenth": 19, "twentieth": 20, "eighteenth": 18, "twenty-first": 21, "twenty first": 21, "seventeenth": 17}
    k = k or words.get(m["cent"].lower(), 0)
    return "DATE", (f"{k - 1:02d}" if k else None), None, None


def n_season_year(m, ctx, c):
    return "DATE", f"{_year2(m['year'])}-{SEASON[m['seas'].lower()]}", None, None


def n_season(m, ctx, c):
    rel = (m["rel"] or "").lower() or None
    if rel:
        rel = re.sub(r"\s+", " ", rel)
    s = SEASON[m["seas"].lower()]
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    return "DATE", _season_rel(ctx, s, rel, c.start, c.end), None, None


def n_season_rel_year(m, ctx, c):
    s = SEASON[m["seas"].lower()]
    n = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[m["rel"].lower()]
    return _need_dct(ctx, "DATE", lambda d: f"{d.year + n:04d}-{s}")


def _ordinal_q(s: str) -> int:
    s = s.lower().replace("-", "")
    return ORD.get(s, {"q1": 1, "q2": 2, "q3": 3, "q4": 4}.get(s, 1))


def n_quarter_year(m, ctx, c):
    return "DATE", f"{_year2(m['year'])}-Q{_ordinal_q(m['ord'])}", None, None


def n_quarter(m, ctx, c):
    q = _ordinal_q(m["ord"])
    rel = (m["rel"] or "").lower() if "rel" in m.re.groupindex else ""
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    d = ctx.dct
    y = d.year
    yrel = re.sub(r"\s+", " ", (m["yrel"] or "").lower())
    if yrel in ("the previous", "the prior", "the following", "the next"):
        # "the third quarter of the previous year": a year from the year in talk
        prev = ctx.last_specific(c.start)
        base = int(prev.value[:4]) if prev is not None and prev.value and prev.value[:4].isdigit() else d.year
        return "DATE", f"{base + (1 if yrel in ('the following', 'the next') else -1):04d}-Q{q}", (
            prev.id if prev is not None else None), None
    if yrel in ("last", "next", "this"):
        # "the first quarter of next year", "the third quarter of this year"
        return "DATE", f"{d.year + {'next': 1, 'last': -1}.get(yrel, 0):04d}-Q{q}", None, None
    if "last" in rel or "previous" in rel or "year-ago" in rel or "year-earlier" in rel or "year ago" in rel:
        y -= 1
    elif "next" in rel:
        y += 1
    elif rel.strip() in ("this", "this year's", "the current", "current"):
        pass
    else:
        # a quarter not yet over is talked of in the future; a past-tense quarter after the
        # current one belongs to last year
        t = ctx.tense.at(c.start, c.end)
        if q > tv.quarter_of(d) and t != "future":
            y -= 1
    return "DATE", f"{y:04d}-Q{q}", None, None


_ENDED = re.compile(r"\s+(?:that\s+|which\s+)?(?:ended|ending|ends|through)\s+(?:on\s+)?" + MON + r"\s*" + DAYN + r"\b(?:,?\s+" + YEAR + r")?", re.I)


def n_the_quarter(m, ctx, c):
    """the quarter / the latest quarter / the current quarter / the year-ago quarter."""
    w = re.sub(r"\s+", " ", m.group(0).lower())
    ended = _ENDED.match(ctx.text, c.end)
    if ended and "year-ago" not in w and "year-earlier" not in w and "year ago" not in w:
        # "the quarter ended Sept. 30": the calendar quarter that closes on that day
        mon = _mon(ended["mon"])
        if ended["year"]:
            y = int(ended["year"])
        elif ctx.dct is not None:
            y = _nearest_year(ctx.dct, lambda yy: dt.date(yy, mon, 1), "past")
        else:
            return "DATE", None, None, NO_DCT
        return "DATE", f"{y:04d}-Q{(mon - 1) // 3 + 1}", None, None
    prev = ctx.last_quarter(c.start)
    if "current" in w or "this quarter" in w:
        return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, "Q", 0))
    if "next" in w or "coming" in w:
        return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, "Q", 1))
    if "previous" in w or "prior" in w or "preceding" in w:
        if prev is not None:
            return "DATE", tv.shift(prev.value, -1, "Q"), prev.id, None
        return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, "Q", -2))
    if "year-ago" in w or "year-earlier" in w or "year ago" in w or "year earlier" in w or "last year" in w:
        if prev is not None:
            return "DATE", tv.shift(prev.value, -1, "Y"), prev.id, None
        return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, "Q", -5))
    if prev is not None and re.search(r"\b(?:latest|most\s+recent|just[\s-]ended|recent)\b", w) and ctx.dct is not None:
        # the latest quarter has ended by the publication: a quarter named before that is still
        # running ("a fourth-quarter charge") is not it
        if prev.value > _rel_unit(ctx, "Q", -1):
            return "DATE", _rel_unit(ctx, "Q", -1), None, None
    if prev is not None:
        return "DATE", prev.value, prev.id, None
    if "last" in w:
        return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, "Q", -1))
    return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, "Q", -1))


def n_year_ago_adj(m, ctx, c):
    """year-ago / year-earlier (period): the year before the quarter or year in talk."""
    prev = ctx.last_quarter(c.start)
    if prev is not None:
        return "DATE", tv.shift(prev.value, -1, "Y"), prev.id, None
    return _need_dct(ctx, "DATE", lambda d: f"{d.year - 1:04d}")


def n_half_year(m, ctx, c):
    h = 1 if m["h"].lower() in ("first", "1st") else 2
    return "DATE", f"{_year2(m['year'])}-H{h}", None, None


def n_half(m, ctx, c):
    h = 1 if m["h"].lower() in ("first", "1st") else 2
    rel = (m["rel"] or "").lower()
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    d = ctx.dct
    y = d.year + (-1 if "last" in rel else 1 if "next" in rel else 0)
    if not rel and h == 2 and d.month <= 6 and ctx.tense.at(c.start, c.end) == "past":
        y -= 1
    return "DATE", f"{y:04d}-H{h}", None, None


REL_N = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1,
         "this past": -1, "this coming": 1, "the past": -1, "the last": -1, "the previous": -1,
         "the next": 1, "the coming": 1, "the current": 0, "this current": 0, "the following": 1}


_COMPARE = re.compile(r"\b(?:compared\s+with|compared\s+to|from|versus|against|than|a\s+year\s+earlier)\s+[^.;]{0,60}$", re.I)


def n_rel_unit(m, ctx, c):
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    unit = _unit(m["unit"])
    n = REL_N.get(rel, 0)
    if unit == "Y" and rel == "last" and _COMPARE.search(ctx.text[max(0, c.start - 80):c.start]):
        # "earnings of $5 million, compared with $3 million last year": the same quarter a year back
        q = ctx.last_quarter(c.start, within=QUARTER_TALK)
        if q is not None:
            return "DATE", tv.shift(q.value, -1, "Y"), q.id, None
    if (rel == "the next" and unit in ("Y", "M", "W", "D", "Q") and ctx.tense.at(c.start, c.end) == "past"
            and ctx.last_specific(c.start) is not None):
        rel = "the following"  # "In 1995 sales rose. The next year they fell.": the year after the one in talk
    if rel in ("the following", "the previous", "the preceding", "the prior") and unit in ("Y", "M", "W", "D", "Q"):
        # relative to the time in talk, when there is one
        prev = ctx.last_specific(c.start)
        if prev is not None:
            if rel != "the following":
                n = -1
            v = tv.shift(tv.coarsen(prev.value, unit), n, unit)
            return "DATE", v, prev.id, None if v else f"{prev.text!r} is not precise enough"
    if rel.startswith("the") and rel not in ("the following",) and unit in ("Y", "M", "W", "D", "Q") and m["rest"]:
        pass
    typ = "DATE"
    if unit == "WE" and rel == "this" and ctx.dct is not None and ctx.dct.isoweekday() < 6 and \
            ctx.tense.at(c.start, c.end) == "past":
        n = -1  # "they met this weekend" on a Wednesday: the weekend just past
    return _need_dct(ctx, typ, lambda d: _rel_unit(ctx, unit, n))


def n_in_the_unit(m, ctx, c):
    """earlier in the week / later in the month: that unit of the time in talk, else of the publication."""
    unit = _unit(m["unit"])
    prev = ctx.last_specific(c.start, within=600)
    if prev is not None and prev.value and tv.GRAN_ORDER.get(unit, 9) <= tv.GRAN_ORDER.get(tv.granularity(prev.value), -1):
        return "DATE", tv.coarsen(prev.value, unit), prev.id, None
    return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, unit, 0))


def n_unit_rel(m, ctx, c):
    """earlier this year / later this month / early next year / the end of the year."""
    unit = _unit(m["unit"])
    rel = re.sub(r"\s+", " ", (m["rel"] or "this").lower())
    n = REL_N.get(rel, 0)
    if rel == "that":
        prev = ctx.last_specific(c.start)
        if prev is not None:
            v = tv.coarsen(prev.value, unit)
            return "DATE", v, prev.id, None
        return "DATE", None, None, "no earlier time to refer to"
    return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, unit, n))


def n_the_year(m, ctx, c):
    unit = _unit(m["unit"])
    pre = ctx.text[max(0, c.start - 12):c.start].lower()
    if re.search(r"\b(?:for|during|over|throughout|in)\s+$", pre) and unit == "Y" and not m["adj"] and (
            re.search(r"\b(?:over|throughout)\s+$", pre)
            or re.match(r"\s+(?:that\s+|which\s+)?(?:ended|ending|ends|through|to)\b", ctx.text[c.end:c.end + 20], re.I)):
        # "for the year ended Sept. 30", "over the year": a stretch of a year; "for the year" alone is
        # the year in talk ("For the year, volume was flat")
        return "DURATION", "P1Y", None, None
    return _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, unit, 0))


def n_today(m, ctx, c):
    w = m["w"].lower()
    off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
           "the day after tomorrow": 2}[re.sub(r"\s+", " ", w)]
    part = (m["part"] or "").lower() if "part" in m.re.groupindex else ""
    if w == "tonight":
        part = "night"
    if ctx.dct is None:
        return ("TIME" if part else "DATE"), None, None, NO_DCT
    v = (ctx.dct + dt.timedelta(days=off)).isoformat()
    if part:
        return "TIME", v + "T" + PARTS[part], None, None
    return "DATE", v, None, None


def n_part_of_day(m, ctx, c):
    """in the morning / by mid-afternoon: that part of the day in talk (or of the publication day)."""
    part = (m["part"] or m["part2"] or m["part3"]).lower()
    code = "" if m["part3"] else "T12:00" if part == "day" else "T" + PARTS[part]
    typ = "DATE" if m["part3"] else "TIME"
    if m["rd"]:
        off = {"today": 0, "yesterday": -1, "tomorrow": 1}[m["rd"].lower()]
        return _need_dct(ctx, typ, lambda d: (d + dt.timedelta(days=off)).isoformat() + code)
    prev = ctx.last_specific(c.start, within=600)
    if prev is not None and tv.granularity(prev.value) in ("D", "T"):
        return typ, prev.value[:10] + code, prev.id, None
    return _need_dct(ctx, typ, lambda d: d.isoformat() + code)


def n_last_night(m, ctx, c):
    return _need_dct(ctx, "TIME", lambda d: (d - dt.timedelta(days=1)).isoformat() + "TNI")


def n_overnight(m, ctx, c):
    """ "struck overnight": the night before the publication day; "will be repaired overnight": its own night."""
    ahead = ctx.tense.at(c.start, c.end) == "future"
    return _need_dct(ctx, "TIME", lambda d: (d - dt.timedelta(days=0 if ahead else 1)).isoformat() + "TNI")


def n_turn_of_century(m, ctx, c):
    """ "the turn of the century": the century that began at the turn nearest the publication year on the
    verb's side ("was built at the turn of the century" in 1998 is 1900's, "by the turn of the century"
    said of what will be is 2000's); a named century ("the turn of the 20th century") is the one it opens."""
    if m["cent"]:
        k = int(re.sub(r"\D", "", m["cent"]))
        return "DATE", f"{k - 1:02d}", None, None
    ahead = ctx.tense.at(c.start, c.end) == "future"

    def century(d: dt.date) -> str:
        turn = (d.year + 50) // 100 * 100  # the nearest turn
        if ahead and turn < d.year:
            turn += 100
        elif not ahead and turn > d.year:
            turn -= 100
        return f"{turn // 100:02d}"
    return _need_dct(ctx, "DATE", century)


def n_that_part(m, ctx, c):
    """that night / the same morning / later that evening: that part of the day in talk."""
    code = "T" + PARTS[m["part"].lower()]
    prev = ctx.last_specific(c.start)
    if prev is None:
        return "TIME", None, None, "no earlier time to refer to"
    if prev.value is None:
        return "TIME", None, prev.id, f"{prev.text!r} has no value ({prev.note})"
    if tv.granularity(prev.value) not in ("D", "T"):
        return "TIME", None, prev.id, f"{prev.text!r} is not known to the day"
    return "TIME", prev.value[:10] + code, prev.id, None


def n_this_part(m, ctx, c):
    part = m["part"].lower()
    return _need_dct(ctx, "TIME", lambda d: d.isoformat() + "T" + PARTS[part])


def n_weekday(m, ctx, c):
    wd = WEEKDAYS[m["wd"].lower()]
    rel = (m["rel"] or "").lower() if "rel" in m.re.groupindex else ""
    rel = re.sub(r"\s+", " ", rel) or None
    part = (m["part"] or "").lower() if "part" in m.re.groupindex else ""
    typ = "TIME" if part else "DATE"
    if ctx.dct is None:
        return typ, None, None, NO_DCT
    v = _weekday_date(ctx, wd, c.start, c.end, rel).isoformat()
    return typ, (v + "T" + PARTS[part] if part else v), None, None


def n_weekday_rel(m, ctx, c):
    """the previous Friday / the following Monday: the weekday before or after the day in talk
    (strictly: "the previous Friday" of a Friday is a week back), else the publication date."""
    wd = WEEKDAYS[m["wd"].lower()]
    later = m["rel"].lower() == "following"
    part = (m["part"] or "").lower()
    typ = "TIME" if part else "DATE"
    prev = ctx.last_specific(c.start)
    base = tv.to_date(prev.value[:10]) if prev is not None and tv.granularity(prev.value) in ("D", "T") else None
    anchor = prev.id if base is not None else None
    if base is None:
        if ctx.dct is None:
            return typ, None, None, NO_DCT
        base = ctx.dct
    if later:
        v = base + dt.timedelta(days=(wd - base.isoweekday()) % 7 or 7)
    else:
        v = base - dt.timedelta(days=(base.isoweekday() - wd) % 7 or 7)
    return typ, v.isoformat() + ("T" + PARTS[part] if part else ""), anchor, None


_RANGE_MERIDIEM = re.compile(r"\s*(?:and|to|until|till|-|–)\s*([0-2]?\d)(?::[0-5]\d)?\s*([ap])\.?\s?m\b", re.I)


def _bare_clock_ok(m, text: str) -> bool:
    """ "at 6:45", "10:05 GMT", "6:30 Monday": a bare h:mm is a time after a preposition of time or with a
    zone or a day; "Romans 1:24", "a 2:1 ratio" are not."""
    if text[m.end("mc"):m.end()].strip(" ,"):
        return True  # a zone, a day or "in the morning" follows within the match
    return bool(re.search(r"\b(?:at|by|until|till|before|after|around|about|from|since|to|between|and|approximately|"
                          r"shortly|past|of)\s+$", text[max(0, m.start("hc") - 16):m.start("hc")], re.I))


def _clock(m) -> Optional[str]:
    g = m.groupdict()
    h = g.get("h")
    if h is None and g.get("hc") is not None:
        h, g = g["hc"], dict(g, mi=g.get("mc"))
    if h is None and g.get("hmil") is not None:  # "1400 GMT": a 24-hour clock time
        h, g = g["hmil"], dict(g, mi=g.get("mmil"))
    if h is None and g.get("hw"):  # "three o'clock"
        h = str(SMALL[g["hw"].lower()])
    if h is None:
        w = (g.get("noon") or "").lower()
        return {"noon": "12:00", "midday": "12:00", "midnight": "24:00"}.get(w)
    h = int(h)
    mi = int(g.get("mi") or 0)
    ap = (g.get("ap") or "").lower().replace(".", "").replace(" ", "")
    if ap.startswith("p") and h < 12:
        h += 12
    if ap.startswith("a") and h == 12:
        h = 0
    inmorning = (g.get("inpart") or "").lower()
    if not ap and inmorning and h > 12:
        return None  # "20 in the morning" is no clock time
    if inmorning in ("afternoon", "evening", "night") and h < 12:
        h += 12
    if h > 24 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


def n_clock(m, ctx, c):
    t = _clock(m)
    if t is None:
        return "TIME", None, None, "not a clock time"
    g = m.groupdict()
    if g.get("hc") and int(t[:2]) < 12:
        mer = _RANGE_MERIDIEM.match(ctx.text, c.end)
        if mer and mer.group(2).lower() == "p" and int(t[:2]) <= int(mer.group(1)) % 12:
            # "between 11:15 and 11:18 p.m.": the range's p.m. is both ends' ("from 9:30 to 5 p.m." is not)
            t = f"{int(t[:2]) + 12:02d}{t[2:]}"
    if ((g.get("rd1") or g.get("rd2") or "").lower() == "tonight" and int(t[:2]) < 12
            and not (g.get("ap") or "").lower().startswith("a")):
        t = f"{int(t[:2]) + 12:02d}{t[2:]}"  # "9:30 tonight": the evening's 9:30
    day_v = None
    if g.get("mon3"):  # "10 a.m. Thursday, March 19": the day named
        if ctx.dct is not None:
            day_v = _day_month(ctx, _mon(g["mon3"]), int(g["day3"]), c.start, c.end)
    elif g.get("wd2") or g.get("wd1"):
        w = g.get("wd2") or g.get("wd1")
        if ctx.dct is not None:
            day_v = _weekday_date(ctx, WEEKDAYS[w.lower()], c.start, c.end).isoformat()
    elif g.get("rd2") or g.get("rd1"):
        w = (g.get("rd2") or g.get("rd1")).lower()
        off = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w]
        if ctx.dct is not None:
            day_v = (ctx.dct + dt.timedelta(days=off)).isoformat()
    elif g.get("mon2"):
        mon, dd = _mon(g["mon2"]), int(g["day2"])
        if ctx.dct is not None:
            day_v = _day_month(ctx, mon, dd, c.start, c.end)
    else:
        prev = ctx.last_specific(c.start, within=2000)
        if prev is not None and tv.granularity(prev.value) in ("D", "T"):
            return "TIME", prev.value[:10] + "T" + t, prev.id, None
        if ctx.dct is not None:
            day_v = ctx.dct.isoformat()
    if day_v is None:
        return "TIME", None, None, NO_DCT
    return "TIME", day_v + "T" + t, None, None


def n_ago(m, ctx, c):
    unit = _unit(m["unit"])
    n = num_value(m["num"]) if m["num"] else 1
    if unit in ("S", "MIN", "H"):
        typ = "TIME"
    else:
        typ = "DATE"
    if n is None:
        return "DATE", "PAST_REF", None, None
    if ctx.dct is None:
        return typ, None, None, NO_DCT
    if unit in ("S", "MIN", "H"):
        return typ, ctx.dct.isoformat(), None, None
    if re.search(r"\band\s+a\s+half\s+ago\b", m.group(0), re.I) and n == int(n):
        n += 0.5  # "a year and a half ago"
    if n != int(n) and unit in ("Y", "M", "W"):
        # "two and a half years ago": counted in the next unit down, named at the unit's granularity
        sub, k = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7)}[unit]
        v = tv.shift(ctx.dct.isoformat(), -int(round(n * k)), sub)
        return "DATE", tv.coarsen(v, unit), None, None
    n = int(round(n)) if unit not in ("FN", "WE") else int(n)
    if unit in ("QCE", "HCE"):
        unit, n = "Y", n * (25 if unit == "QCE" else 50)
    if unit == "Y":
        prev = ctx.last_quarter(c.start, within=QUARTER_TALK)
        if prev is not None:
            return "DATE", tv.shift(prev.value, -n, "Y"), prev.id, None
    if unit == "FN":
        unit, n = "W", n * 2
    if unit == "WE":
        unit = "W"
    base = ctx.dct.isoformat()
    cg = {"DE": "Y", "CE": "Y"}.get(unit, unit)
    v = tv.shift(base, -n, unit if unit in ("D", "W", "M", "Q", "Y", "DE", "CE") else "D")
    return "DATE", tv.coarsen(v, cg), None, None


def n_from_now(m, ctx, c):
    """a week from today, two years from now: ahead of the publication date."""
    unit = _unit(m["unit"])
    n = num_value(m["num"]) if m["num"] else 1
    if n is None:
        return "DATE", "FUTURE_REF", None, None
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    base = ctx.dct + dt.timedelta(days=1 if m["ref"].lower() == "tomorrow" else 0)
    if unit in ("H", "MIN"):
        # "48 hours from now": whole days ahead are a date; less is a time of the publication day
        if unit == "H" and n == int(n) and n % 24 == 0:
            return "DATE", (base + dt.timedelta(days=int(n) // 24)).isoformat(), None, None
        return "TIME", base.isoformat(), None, None
    cg = {"DE": "Y"}.get(unit, unit)
    v = tv.shift(base.isoformat(), int(round(n)), unit)
    return "DATE", tv.coarsen(v, cg), None, None


def n_later(m, ctx, c):
    """N units later/earlier/before/after: relative to the time in talk (its anchor)."""
    unit = _unit(m["unit"])
    n = num_value(m["num"]) if m["num"] else 1
    sign = -1 if m["dir"].lower() in ("earlier", "before", "previously", "prior") else 1
    if n is not None and n == int(n) and re.search(r"\band\s+a\s+half\s+\w+$", m.group(0), re.I):
        n += 0.5  # "a minute and a half later"
    prev = ctx.last_quarter(c.start, within=QUARTER_TALK) if unit == "Y" else None
    prev = prev or ctx.last_specific(c.start)
    if unit in ("S", "MIN", "H"):
        return "DURATION", duration(n, unit), (prev.id if prev else None), None
    if n is None:
        return "DATE", ("PAST_REF" if sign < 0 else "FUTURE_REF"), (prev.id if prev else None), None
    n = int(round(n))
    if unit in ("QCE", "HCE"):
        unit, n = "Y", n * (25 if unit == "QCE" else 50)
    if unit == "FN":
        unit, n = "W", n * 2
    cg = {"DE": "Y", "CE": "Y"}.get(unit, unit)
    if prev is not None and prev.value is None:
        return "DATE", None, prev.id, f"{prev.text!r} has no value ({prev.note})"
    if prev is not None:
        g = tv.granularity(prev.value)
        if tv.GRAN_ORDER.get(cg, 9) <= tv.GRAN_ORDER[g]:
            v = tv.shift(prev.value, sign * n, unit)
            if v and g == "M" and cg == "Y":
                v = tv.coarsen(v, cg)
            if v and g == "W" and cg in ("Y", "Q", "M"):
                # "30 years later" than a week: known to the year, not to an ISO week three decades on
                monday = dt.date.fromisocalendar(int(prev.value[:4]), int(prev.value[6:8]), 1)
                v = tv.coarsen(tv.add_to_date(monday, sign * n, unit).isoformat(), cg)
            if v:
                return "DATE", v, prev.id, None
        return "DATE", None, prev.id, f"{prev.text!r} is known only to the {_GNAME.get(g, g)}"
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    v = tv.shift(ctx.dct.isoformat(), sign * n, unit if unit in ("D", "W", "M", "Q", "Y", "DE", "CE") else "D")
    return "DATE", tv.coarsen(v, cg), None, None


_GNAME = {"Y": "year", "M": "month", "Q": "quarter", "S": "season", "H": "half-year", "W": "week", "D": "day"}


def n_anaphoric(m, ctx, c):
    """that day / the same day / the next day / the day before / the following week."""
    w = re.sub(r"\s+", " ", m.group(0).lower())
    unit = _unit(m["unit"])
    n = 0
    if re.search(r"\b(?:next|following|after|later)\b", w):
        n = 1
    elif re.search(r"\b(?:before|previous|preceding|prior|earlier)\b", w):
        n = -1
    prev = ctx.last_specific(c.start)
    if prev is None:
        if n == 0:
            return "DATE", None, None, "no earlier time to refer to"
        if ctx.dct is None:
            return "DATE", None, None, NO_DCT
        return "DATE", _rel_unit(ctx, unit, n), None, None
    if prev.value is None:
        return "DATE", None, prev.id, f"{prev.text!r} has no value ({prev.note})"
    g = tv.granularity(prev.value)
    if tv.GRAN_ORDER.get(unit, 9) > tv.GRAN_ORDER[g]:
        return "DATE", None, prev.id, f"{prev.text!r} is known only to the {_GNAME.get(g, g)}"
    v = tv.shift(tv.coarsen(prev.value, unit), n, unit) if n else tv.coarsen(prev.value, unit)
    return "DATE", v, prev.id, None


def _duration_ok(m, text) -> bool:
    unit = m["unit"].lower()
    num = (m["num"] or "").lower().strip()
    after = text[m.end():m.end() + 6].lower()
    before = text[max(0, m.start() - 1):m.start()]
    if unit.startswith("quarter") and (
            re.match(r"\s+of\s+(?:the|a|an|its|their|his|her|all|our|your|those|these|them|it|us|[\d$£€])",
                     text[m.end():m.end() + 14], re.I)
            or (re.match(r"\s+of\b", after) and num in ("a", "an", "one", "three"))
            or "-" in text[m.start("num"):m.start("unit")]):
        return False  # "a quarter of the shares", "three-quarters" ("several quarters of losses" is a time)
    if unit in ("second", "sec") and num in ("a", "an", "one"):
        return False  # "a second term"
    if num in ("a", "one") and unit in ("minute", "second", "sec", "min") and re.search(
            r"\b(?:wait|hang\s+on|hold\s+on|just)\s+$", text[max(0, m.start() - 12):m.start()], re.I):
        return False  # "wait a minute": an interjection
    if before == "-":
        return False
    if num in ("a", "an") and (_MONEY_RATE.search(text, max(0, m.start() - 40), m.start())
                               or _FREQ_BEFORE.search(text, max(0, m.start() - 30), m.start())):
        return False  # "$500 million a year", "358,000 a month": a rate; "twice a week": a set (its own rule)
    return True


# an amount right before "a year" / "annually" makes a rate (TimeBank leaves these unmarked);
# "twice a week", "three times a year" are sets and are read by their rule
_MONEY_RATE = re.compile(
    r"(?:[$£€¥#]\s?[\d.,]+(?:\s+(?:million|billion|trillion|thousand))?|[\d.,]*\d(?:\s*(?:%|percent|per\s+cent|cents?|"
    r"million|billion|trillion|thousand|dollars|pounds|euros|yen|marks|francs|guilders))?)(?:\s+[a-z][\w-]*){0,2}\s+$", re.I)


_FREQ_BEFORE = re.compile(r"\b(?:once|twice|thrice|times)\s+$", re.I)


def _set_adv_ok(m, text) -> bool:
    """ "the Daily Caller", "the Communist Party daily Granma": a newspaper, not a set."""
    if _in_name(m, text):
        return False
    if re.match(r"\s+[A-Z][a-z]", text[m.end():m.end() + 3]) and not text.isupper():
        before = text[max(0, m.start() - 30):m.start()]
        if re.search(r"\b(?:the|a|its|party|state|newspaper|business|financial|national|local)\s+$|\b[A-Z][\w.’'-]*\s+$",
                     before) or (
                text[m.start()].isupper() and not re.search(r"[.!?:\"“]\s*$", before)):
            return False
    return _rate_ok(m, text)


def _rate_ok(m, text) -> bool:
    """ "rise 8.5% annually", "10,000 units annually": a rate after an amount."""
    if not m.group(0).lower().startswith("annually"):
        return True
    return not _MONEY_RATE.search(text, max(0, m.start() - 40), m.start())


def n_duration(m, ctx, c):
    unit = _unit(m["unit"])
    n = num_value(m["num"]) if m["num"] else 1
    plural = m["unit"].lower().endswith("s") or m.string[m.end("unit"):m.end("unit") + 1].lower() == "s"
    if plural and (not m["num"] or m["num"].lower() in ("a", "an")) and n == 1:
        n = None  # "a weeks-long strike": some weeks
    if n is not None and re.search(r"\band\s+a\s+half\s*$", m.group(0), re.I) and n == int(n):
        n += 0.5  # "a year and a half" -> P1Y6M
    return "DURATION", duration(n, unit), None, None


def n_half_unit(m, ctx, c):
    """half an hour, half a year, half a century."""
    return "DURATION", duration(0.5, _unit(m["unit"])), None, None


def n_bare_units(m, ctx, c):
    unit = _unit(m["unit"])
    return "DURATION", duration(None, unit), None, None


def n_recent_units(m, ctx, c):
    unit = _unit(m["unit"])
    w = m.group(0).lower()
    if "coming" in w or "ahead" in w or "future" in w or "next" in w or "upcoming" in w:
        return "DURATION", duration(None, unit), None, None
    if unit in ("Y", "DE", "CE") and "recent" in w:
        return "DATE", "PAST_REF", None, None  # "in recent years": the recent past
    return "DURATION", duration(None, unit), None, None  # "over the years", "the first hours of the war"


def n_set(m, ctx, c):
    w = m.group(0).lower()
    if m.re.groupindex.get("wd") and m["wd"]:
        v = f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()]}"
        if "part" in m.re.groupindex and m["part"]:
            v += "T" + PARTS[m["part"].lower()]
        return "SET", v, None, None
    table = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
             "hourly": "PT1H", "quarterly": "P3M", "nightly": "P1D", "biweekly": "P2W", "biannually": "P6M"}
    for k, v in table.items():
        if w.startswith(k):
            return "SET", v, None, None
    if "seas" in m.re.groupindex and m["seas"]:
        return "SET", "XXXX-" + SEASON[m["seas"].lower()], None, None  # every spring
    unit = _unit(m["unit"])
    num = m["num"] if "num" in m.re.groupindex else None
    n = 2 if (num or "").lower() == "other" else num_value(num) if num else 1  # every other week: P2W
    if unit == "WE":
        return "SET", "XXXX-WXX-WE", None, None
    if num and n is None:
        return "SET", duration(None, unit), None, None  # "every few years": PXY
    return "SET", duration(n or 1, unit), None, None


def n_fiscal_rel(m, ctx, c):
    """the latest / last / current / next fiscal year, named by the calendar year (TimeBank's use)."""
    rel = re.sub(r"\s+", " ", m["rel"].lower())
    n = -1 if rel in ("latest", "last", "previous", "past", "prior", "most recent") else 1 if rel in (
        "next", "coming", "new") else 0
    return _need_dct(ctx, "DATE", lambda d: f"{d.year + n:04d}")


def n_fiscal_year(m, ctx, c):
    return "DATE", f"{_year2(m['year']):04d}", None, None


# ---------------------------------------------------------------- patterns

def _month_ok(m, text) -> bool:
    s = text[m.start("mon"):m.end("mon")]
    if not _is_cap(s) and not text.isupper():
        return False
    low = s.lower().rstrip(".")
    if low in ("may", "march", "sat", "sun", "wed") or (len(low) <= 4 and not s.endswith(".") and low not in ("june", "july")):
        # "may" the verb, "March" the verb or noun: need a date-like neighbour
        after = text[m.end("mon"):m.end("mon") + 8]
        before = text[max(0, m.start("mon") - 12):m.start("mon")].lower()
        if not (re.match(r"\s*\d", after) or re.match(r"[\s,]*(?:of\s+)?(?:1[6-9]|20)\d\d", after)
                or re.search(r"\b(?:in|since|early|late|mid|until|till|by|of|last|next|this|through|before|after|from|to|during)[\s-]+$", before)
                or re.search(r"\b[0-3]?\d(?:st|nd|rd|th)?\s+(?:of\s+)?$", before)  # "on 2 March"
                or (re.search(r"\b(?:the|its|their|his|her|our)\s+$", before) and re.match(r"\s+[a-z]{3,}", after)
                    and s[1:].islower() and not re.match(r"\s+(?:of|on|to|in|for|and|by|from)\b", after))):
            # "the March accession", "the May elections": a month before a noun
            if low in ("may", "march") or len(low) <= 4:
                return False
    if m.end() == m.end("mon") and _FIRST_NAME_AFTER.match(text, m.end("mon")) and not text.isupper() and not re.search(
            r"\b(?:in|since|early|late|mid|until|till|by|of|last|next|this|through|before|after|from|during|on)[\s-]+$",
            text[max(0, m.start("mon") - 12):m.start("mon")], re.I):
        return False  # "April Smith won", "he met June Carter": a first name
    return True


# a capitalised name after a month, itself followed by a lower-case word or a stop: "June Carter said"
_FIRST_NAME_AFTER = re.compile(r"\s+(?!(?:" + "|".join(m.capitalize() for m in MONTHS if len(m) > 3) + "|"
                               + "|".join(w.capitalize() for w in WEEKDAYS if len(w) > 3) + r")\b)[A-Z][a-z]+(?:\s+[a-z]|[.,;:!?])")
# "the Sunday Times", "the Sunday Telegraph": a newspaper's name
_PAPER_AFTER = re.compile(r"\s+(?:Times|Telegraph|Mirror|Express|Herald|Tribune|Observer|Independent|Mail|Post|Star|"
                          r"Magazine|Journal|Sport|People|Business|Review)\b")


def _wd_ok(m, text) -> bool:
    s = text[m.start("wd"):m.end("wd")]
    if _PAPER_AFTER.match(text, m.end("wd")) and not text.isupper():
        return False
    return _is_cap(s) or text.isupper()


def _span_second_year(m) -> int:
    """The second year of "1990-91" / "1985-1988"."""
    y1, y2 = int(m["y1"]), m["y2"]
    if len(y2) == 4:
        return int(y2)
    y = y1 // 100 * 100 + int(y2)
    return y + 100 if y < y1 and y1 % 100 == 99 and y2 == "00" else y  # "1999-00"; "1998-03" is no span


def _year_ok(m, text) -> bool:
    before = text[max(0, m.start() - 3):m.start()]
    after = text[m.end():m.end() + 12]
    if re.search(r"[$£€#]\s?$|[\d.,]$", before):
        return False
    if re.match(r"\s*(?:to|through|-|–)\s*(?:(?:1[6-9]|20)\d\d|\d\d)\b(?![.,]?\d|\s*(?:%|percent))", after) and (
            re.search(r"\b(?:from|between|in|since|during|of)\s+$", text[max(0, m.start() - 10):m.start()], re.I)
            or re.match(r"\s*(?:to|through|-|–)\s*(?:1[6-9]|20)\d\d\b", after)):
        return True  # a span of years: "from 1985 to 1988", "1985-88", "the 1990-91 season"
    if re.match(r"(?:[.,]\d|\s*(?:%|percent|per\s*cent|to\s+\d|-\d|\d|\s*(?:people|persons|workers|employees|shares|tons|troops|soldiers|feet|metres|meters|miles|km|kilometers|pounds|dollars|euros|yen|units|cars|jobs|acres|votes|rubles|homes|deaths|cases|members|students|points|barrels|words|pages)))", after, re.I):
        return False
    return True


_AMOUNT = re.compile(r"\d|\b(?:once|twice|times|one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|several|few)\b", re.I)


def _set_every_ok(m, text) -> bool:
    """"every day", "per year"; "a year" only after an amount ("$5 million a year", "twice a week")."""
    low = m.group(0).lower()
    if low.startswith("per ") and _MONEY_RATE.search(text, max(0, m.start() - 40), m.start()) and not _FREQ_BEFORE.search(
            text[max(0, m.start() - 30):m.start()]):
        return False  # "15 million instructions per second", "$5 per year": a rate, not a time
    if not low.startswith("a "):
        return True
    before = text[max(0, m.start() - 30):m.start()]
    if _MONEY_RATE.search(text, max(0, m.start() - 40), m.start()) and not _FREQ_BEFORE.search(before):
        return False  # "$5 million a year": a rate, not a time
    return bool(_AMOUNT.search(before)) and not re.search(r"\b(?:for|in|within|about|than|after|before|over|nearly|almost|only|just)\s*$", before, re.I)


# "today's youth", "tomorrow's leaders", "in today's world": the present or future age in general, which
# TimeBank leaves unmarked (a particular day's event, "today's vote", stays a date)
_GENERIC_TODAY = re.compile(
    r"['’]s\s+(?:[a-z-]+\s+)?(?:world|youth|society|generation|generations|children|kids|young|students|economy|"
    r"technology|consumers|americans|voters|women|men|families|workers|politics|culture|standards|leaders|"
    r"business|businesses|companies|computers|market|markets|media|teenagers|parents|people)\b", re.I)


def _in_name(m, text) -> bool:
    """A word of a name: "USA TODAY", "Breitbart News Daily" (capitalised after a capitalised word,
    or in capitals amid lower case)."""
    w = text[m.start():m.end()]
    if w.isupper() and len(w) > 2 and not text[max(0, m.start() - 40):m.end() + 40].isupper():
        return True
    if w[:1].isupper():
        before = text[max(0, m.start() - 30):m.start()]
        return bool(re.search(r"\b[A-Z][\w.'’-]*\s+$", before)) and not re.search(r"[.!?:\"“]\s*$", before)
    return False


def _season_ok(m, text) -> bool:
    w = text[m.start("seas"):m.end("seas")]
    if w[:1].isupper() and not text.isupper():
        # "the Arab Spring", "Prague Spring", "Spring of Life": a capitalised season after a
        # capitalised word, or before "of" and a capitalised word, is a name's
        if re.search(r"\b[A-Z][\w'’-]*\s+$", text[max(0, m.start("seas") - 30):m.start("seas")]) and not re.search(
                r"[.!?:\"“]\s*$|\b(?:In|By|Since|Until|During|This|Last|Next|Early|Late|The)\s+$",
                text[max(0, m.start("seas") - 30):m.start("seas")]):
            return False
        if re.match(r"\s+of\s+[A-Z]", text[m.end("seas"):m.end("seas") + 6]):
            return False
    if m["seas"].lower() != "fall":
        return True
    # "fall" the verb or noun: only after a determiner or a preposition of time
    return bool(m["rel"]) or bool(re.search(r"\b(?:in|during|since|until|by|this|last|next|early|late|of|that)\s+(?:the\s+)?$",
                                            text[max(0, m.start("seas") - 14):m.start("seas")], re.I))


def _spelled_year(m, ctx, c):
    return _spelled_year_of(m.group(0))


def n_spelled_seas_mon(m, ctx, c):
    """the winter of nineteen ninety-four, March nineteen ninety-eight (spoken transcripts)."""
    y = _spelled_year_of(m["sy"])[1]
    if y is None:
        return "DATE", None, None, "not a year"
    if m["seas"]:
        return "DATE", f"{y}-{SEASON[m['seas'].lower()]}", None, None
    return "DATE", tv.month(int(y), _mon(m["mon"])), None, None


def _spelled_year_of(text: str):
    words = re.sub(r"[\s-]+", " ", text.lower()).split()
    if words[:2] == ["the", "year"]:
        words = words[2:]
    hund = {"nineteen": 19, "eighteen": 18, "seventeen": 17}
    if words[0] == "two" and words[1] == "thousand":
        rest = [w for w in words[2:] if w != "and"]
        y = 2000 + int(num_value(" ".join(rest)) or 0) if rest else 2000
    else:
        rest = [w for w in words[1:] if w not in ("hundred", "and")]
        if not rest and "hundred" not in words:
            return "DATE", None, None, "not a year"
        y = hund[words[0]] * 100 + (int(num_value(" ".join(rest)) or 0) if rest else 0)
    return "DATE", f"{y:04d}", None, None


def _easter(y: int) -> dt.date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month_, day_ = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(y, month_, day_ + 1)


def _nth_weekday(y, mon, wd, n):
    d = dt.date(y, mon, 1)
    d += dt.timedelta(days=(wd - d.isoweekday()) % 7)
    if n > 0:
        return d + dt.timedelta(weeks=n - 1)
    last = dt.date(y + (mon == 12), mon % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - wd) % 7)


HOLIDAYS = {
    "christmas eve": lambda y: dt.date(y, 12, 24), "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas": lambda y: dt.date(y, 12, 25), "new year's eve": lambda y: dt.date(y, 12, 31),
    "new year's day": lambda y: dt.date(y, 1, 1), "independence day": lambda y: dt.date(y, 7, 4),
    "halloween": lambda y: dt.date(y, 10, 31), "valentine's day": lambda y: dt.date(y, 2, 14),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 4, 4), "thanksgiving": lambda y: _nth_weekday(y, 11, 4, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 1, 1), "memorial day": lambda y: _nth_weekday(y, 5, 1, -1),
    "election day": lambda y: _nth_weekday(y, 11, 1, 1) + dt.timedelta(days=1),
    "easter sunday": _easter, "easter": _easter, "easter week": _easter, "holy week": _easter, "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
    "easter monday": lambda y: _easter(y) + dt.timedelta(days=1), "boxing day": lambda y: dt.date(y, 12, 26),
    "veterans day": lambda y: dt.date(y, 11, 11), "armistice day": lambda y: dt.date(y, 11, 11),
    "may day": lambda y: dt.date(y, 5, 1), "bastille day": lambda y: dt.date(y, 7, 14),
    "fourth of july": lambda y: dt.date(y, 7, 4), "july fourth": lambda y: dt.date(y, 7, 4),
    "mother's day": lambda y: _nth_weekday(y, 5, 7, 2), "father's day": lambda y: _nth_weekday(y, 6, 7, 3),
    "st. patrick's day": lambda y: dt.date(y, 3, 17), "saint patrick's day": lambda y: dt.date(y, 3, 17),
    "presidents' day": lambda y: _nth_weekday(y, 2, 1, 3), "presidents day": lambda y: _nth_weekday(y, 2, 1, 3),
    "columbus day": lambda y: _nth_weekday(y, 10, 1, 2),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 1, 3),
    "martin luther king jr. day": lambda y: _nth_weekday(y, 1, 1, 3),
}


# "Christmas trees", "Halloween costumes": a thing named after the day, not the day
_HOLIDAY_THING = re.compile(r"\s+(?:trees?|cards?|carols?|lights|ornaments?|decorations?|songs?|music|movies?|films?|"
                            r"stockings?|costumes?|candy|spirit|specials?|island|cactus|club)\b", re.I)


# "twice as high a dividend this year as last": "last" stands for "last year"
_ELLIPSIS_UNIT = re.compile(r"\bthis\s+(?P<u>year|month|week|quarter)\b[^.;]*$", re.I)


def _holiday_value(name: str, day: dt.date) -> str:
    """The day, or for "Easter week" / "Holy Week" the (ISO) week that ends on Easter Sunday."""
    return tv.week(day) if name.endswith("week") else day.isoformat()


def n_holiday(m, ctx, c):
    name = re.sub(r"\s+", " ", m["hol"].lower()).replace("’", "'")
    if name.startswith("the "):
        name = name[4:]
    fn = HOLIDAYS.get(name)
    if fn is None:
        return "DATE", None, None, "unknown holiday"
    if m["year"]:
        return "DATE", _holiday_value(name, fn(int(m["year"]))), None, None
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    d = ctx.dct
    rel = (m["rel"] or "").lower()
    options = [fn(y) for y in (d.year - 1, d.year, d.year + 1)]
    if rel in ("last", "next"):
        pick = max(o for o in options if o <= d) if rel == "last" else min(o for o in options if o >= d)
        return "DATE", _holiday_value(name, pick), None, None
    # as for a month and day: the occurrence the tense points to, with the same slack for a tense read
    # off a report ("protesters prayed as Easter week began" six days before Easter)
    t = ctx.tense.at(c.start, c.end)
    y = _nearest_year(d, fn, t if t in ("past", "future") else None)
    return "DATE", _holiday_value(name, fn(y)), None, None


def n_weekend(m, ctx, c):
    rel = re.sub(r"\s+", " ", (m["rel"] or "").lower())
    if ctx.dct is None:
        return "DATE", None, None, NO_DCT
    d = ctx.dct
    if rel in ("last", "past", "this past"):
        n = -1
    elif rel in ("next", "coming", "this coming"):
        n = 1
    else:
        t = ctx.tense.at(c.start, c.end)
        n = 1 if t == "future" else 0 if d.isoweekday() >= 6 else -1
    if n == 0:
        sat = d - dt.timedelta(days=d.isoweekday() - 6)
    elif n < 0:
        sat = d - dt.timedelta(days=(d.isoweekday() - 6) % 7 or 7)
    else:
        sat = d + dt.timedelta(days=(6 - d.isoweekday()) % 7 or 7)
    return "DATE", tv.week(sat) + "-WE", None, None


def n_year_end(m, ctx, c):
    w = m.group(0).lower()
    if "last" in w:
        return _need_dct(ctx, "DATE", lambda d: f"{d.year - 1:04d}")
    if "next" in w:
        return _need_dct(ctx, "DATE", lambda d: f"{d.year + 1:04d}")
    return _need_dct(ctx, "DATE", lambda d: f"{d.year:04d}")


_RULES: list[tuple[str, str, Callable, Optional[Callable]]] = []


def rule(name: str, rx: str, norm: Callable, check: Optional[Callable] = None):
    _RULES.append((name, rx, norm, check))



# full dates
rule("full_mdy", r"\b(?:" + WD_ + r",?\s+)?" + MON + r"\s*" + DAYN + r"(?:,\s*|\s+)(?P<year>(?:1[6-9]|20)\d\d)\b", n_full_date, _month_ok)
rule("full_mdy_sq", r"\b" + MON + r"\s+" + DAYN + r",?\s*'(?P<year>\d\d)\b", n_full_date, _month_ok)
rule("full_dmy", r"\b(?:" + WD_ + r",?\s+)?(?:the\s+)?" + DAYN + r"(?:\s+of)?\s+" + MON + r",?\s+" + YEAR + r"\b", n_full_date, _month_ok)
rule("iso", r"\b(?P<y>(?:1[6-9]|20)\d\d)-(?P<a>[01]\d)-(?P<b>[0-3]\d)\b", n_iso_date)
rule("numeric", r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:1[6-9]|20)\d\d|\d\d)\b", n_numeric_date)
# day and month
rule("md", r"\b(?:" + WD_ + r",?\s+)?" + MON + r"\s*" + DAYN + r"\b(?![:,.]?\d)(?!\s*(?:%|percent|cents?|million|billion|points?)\b)", n_day_month, _month_ok)
rule("dm", r"\b(?:" + WD_ + r",?\s+)?(?:the\s+)?" + DAYN + r"(?:\s+of)?\s+" + MON + r"\b", n_day_month, _month_ok)
# month and year
rule("my", r"\b(?:(?:early|mid|late|the\s+end\s+of|the\s+middle\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+first\s+half\s+of|end|beginning)[\s-]+(?:of\s+)?)?" + MON + r"(?:,?\s+|\s+of\s+)" + YEAR + r"\b", n_month_year, _month_ok)
rule("week_of", r"\bthe\s+(?P<wk>week|weekend)\s+of\s+" + MON + r"\s*" + DAYN + r"\b(?:,?\s+" + YEAR + r")?(?![:,.]?\d)", lambda m, ctx, c: _week_of(m, ctx, c), _month_ok)
rule("md_rel_year", r"\b" + MON + r"\s*" + DAYN + r"(?:,?\s+of)?,?\s+(?P<rel>last|next|this)\s+year\b", lambda m, ctx, c: _md_rel_year(m, ctx), _month_ok)
rule("m_rel_year", r"\b" + MON + r"(?:\s+of)?\s+(?P<rel>last|next|this|previous|past|coming)\s+year\b", n_month_rel_year, _month_ok)
rule("month", r"\b(?:(?P<rel>last|next|this|this\s+past|this\s+coming|past|coming)\s+)?(?:(?:early|mid|late|the\s+end\s+of|the\s+middle\s+of|the\s+beginning\s+of|the\s+start\s+of|end|beginning)[\s-]+(?:of\s+)?)?" + MON + r"(?![\w-])(?!\.?\s*[0-3]?\d(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|million|billion)))", n_month, _month_ok)
# years, decades, centuries
rule("year_span", r"\b(?P<y1>(?:1[6-9]|20)\d\d)\s*[-–]\s*(?P<y2>(?:1[6-9]|20)?\d\d)\b(?![.,]?\d|[-–]|\s*(?:%|percent))",
     lambda m, ctx, c: ("DATE", m["y1"], None, None),
     lambda m, t: not re.search(r"[$£€#]\s?$|[\d.,]$", t[max(0, m.start() - 3):m.start()])
     and 0 < _span_second_year(m) - int(m["y1"]) <= 20)
rule("year_named", r"\bthe\s+year\s+" + YEAR + r"(?![\w-]|,\d|\.\d)", n_year, _year_ok)
rule("year", r"\b(?:(?:early|mid|late|the\s+end\s+of|the\s+middle\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+first\s+half\s+of|the\s+second\s+half\s+of|end|beginning)[\s-]+(?:of\s+)?)?" + YEAR + r"(?![\w-]|,\d|\.\d)", n_year, _year_ok)
rule("fiscal_rel", r"\b(?:the\s+)?(?P<rel>latest|last|previous|past|prior|most\s+recent|current|this|next|coming|new)\s+fiscal\s+year\b", n_fiscal_rel)
rule("fiscal", r"\b(?:fiscal|FY)(?:\s+year)?\s*'?(?P<year>(?:1[6-9]|20)\d\d|\d\d)\b", n_fiscal_year)
rule("decade", r"(?:\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?)(?:\b(?P<dec>(?:1[6-9]|20)\d0)|'(?P<dd>\d0))s\b", n_decade)
rule("decade_words", r"\bthe\s+(?:(?:early|mid|late)[\s-]+)?(?:(?P<cw>nineteen|eighteen)[\s-]+)?(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
     lambda m, ctx, c: ("DATE", ("18" if (m["cw"] or "").lower() == "eighteen" else "19") + str(_DECADE_WORDS.index(m["dw"].lower()) + 2), None, None),
     lambda m, t: not re.search(r"\b(?:temperatures?|degrees|highs?|lows?|mph|percent|miles|ages?|aged)\b", t[max(0, m.start() - 50):m.start()], re.I))
rule("century", r"\b(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<cent>\d{1,2}(?:st|nd|rd|th)|nineteenth|twentieth|eighteenth|seventeenth|twenty[\s-]first)\s+century\b", n_century)
# seasons
rule("season_year", r"\b(?:(?:early|mid|late)[\s-]+)?(?:the\s+)?" + SEAS + r"(?:\s+of)?\s+" + YEAR + r"\b", n_season_year)
rule("season_rel_year", r"\b(?:the\s+)?" + SEAS + r"\s+of\s+(?P<rel>last|next|this)\s+year\b", n_season_rel_year)
rule("season", r"\b(?:(?P<rel>last|next|this|this\s+past|this\s+coming|past|coming|the)\s+)?(?:(?:early|mid|late)[\s-]+)?" + SEAS + r"\b(?![\s-]+(?:and|or)\b)", n_season, _season_ok)
# quarters and halves
QORD = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|Q[1-4])"
rule("quarter_year", r"\b(?:the\s+)?" + QORD.replace("first|", "first|final|last|") + r"[\s-]+(?:fiscal[\s-]+)?quarter\s+(?:of\s+)?(?:fiscal\s+)?" + YEAR + r"\b", n_quarter_year)
rule("year_quarter", r"\b" + YEAR + r"(?:'s)?\s+" + QORD + r"(?:[\s-]+quarter)?\b", n_quarter_year)
rule("q_year", r"\b(?P<ord>Q[1-4])\s+'?" + YEAR + r"\b", n_quarter_year)
rule("quarter", r"\b(?:(?P<rel>the|this|last|next|this\s+year's|last\s+year's|next\s+year's|the\s+year-ago|the\s+year-earlier|the\s+current|the\s+fiscal|fiscal|the\s+latest)[\s-]+)?(?:fiscal[\s-]+)?" + QORD + r"(?:[\s-]+fiscal)?[\s-]+(?:-\s*)?quarter\b(?:\s+(?:of\s+)?(?P<yrel>this|the|last|next|the\s+previous|the\s+prior|the\s+following|the\s+next)\s+year)?", n_quarter)
rule("the_quarter", r"\b(?:the|this|that|last|next|last\s+year's|a\s+year\s+ago's)\s+(?:(?:latest|current|most\s+recent|recent|just[\s-]ended|previous|prior|preceding|same|comparable|corresponding|year-ago|year-earlier|fiscal|first|latest\s+fiscal|coming|next)[\s-]+)*(?:quarter|period)\b(?!-to-)(?:\s+(?:a\s+year\s+(?:ago|earlier)|last\s+year))?", n_the_quarter)
rule("year_ago_adj", r"\b(?:the\s+)?(?:(?:same|comparable|corresponding)\s+)?(?:year-ago|year-earlier|year\s+ago|year\s+earlier|prior-year|previous-year|last-year)(?:\s+(?:period|quarter|time|level|month))?\b(?!\s+(?:earlier|ago)|\s+(?:\w+[\s-]+)?months)", n_year_ago_adj)
rule("half_year", r"\b(?:the\s+)?(?P<h>first|second|1st|2nd|last)\s+half\s+(?:of\s+)?" + YEAR + r"\b", n_half_year)
rule("half", r"\b(?:the\s+)?(?:fiscal[\s-]+)?(?P<h>first|second|1st|2nd)[\s-]+half(?:\s+of\s+(?:the\s+|this\s+)?(?P<rel>this|last|next|the)?\s*year)?\b(?!\s+(?:of|an?)\s+(?:the\s+)?\w)", n_half)
# relative to the publication date
rule("today", r"\b(?P<w>today|tonight|yesterday|tomorrow|the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow)(?:\s+" + PART + r")?\b", n_today, lambda m, t: not _in_name(m, t) and not _GENERIC_TODAY.match(t, m.end()))
rule("part_of_day", r"\b(?:(?:late|early|later|earlier)\s+)?(?:in|during|by|through)\s+the\s+(?:(?:early|late|mid)[\s-]+)?" + PART.replace("night", "night(?!\\s+of)")
     + r"\b(?!\s+(?:of|hours)\b)|\bmid[\s-]?(?P<part2>morning|afternoon|day)\b(?:\s+(?P<rd>yesterday|today|tomorrow))?"
     + r"|\b(?:later|earlier)\s+in\s+the\s+(?P<part3>day)\b(?!\s+(?:of|before|after)\b)", n_part_of_day)
rule("in_the_unit", r"\b(?:later|earlier|late|early)\s+in\s+the\s+(?P<unit>week|month|year)\b(?!\s+(?:of|before|after|ago|earlier|later)\b|')", n_in_the_unit)
rule("last_night", r"\blast\s+night\b", n_last_night)
# "the rebels attacked overnight" (an adverb); "overnight rates", "an overnight stay" name no time
rule("overnight", r"\bovernight\b(?!\s+(?!(?:in|on|at|and|as|to|from|into|with|after|before|when|while|but|or|by|"
     r"for|the|a|an|his|her|their|its)\b)[a-z])", n_overnight, lambda m, t: not _in_name(m, t))
rule("turn_century", r"\bthe\s+turn\s+of\s+the\s+(?:(?P<cent>\d{1,2})(?:st|nd|rd|th)\s+)?century\b", n_turn_of_century)
rule("that_part", r"\b(?:(?:later|earlier|late|early)\s+)?(?:that|the\s+same)\s+" + PART + r"\b(?!\s+of\b)", n_that_part)
rule("this_part", r"\b(?:this|earlier\s+this|later\s+this)\s+" + PART + r"\b", n_this_part)
rule("rel_unit", r"\b(?P<rel>last|next|this|past|previous|coming|current|this\s+past|this\s+coming|the\s+past|the\s+last|the\s+previous|the\s+next|the\s+coming|the\s+current|the\s+following)\s+(?P<unit>year|month|week|weekend|decade|century|quarter|day)(?P<rest>)\b", n_rel_unit)
rule("unit_rel2", r"\b(?:earlier|later|early|late|mid|the\s+end\s+of|the\s+beginning\s+of|the\s+start\s+of|the\s+middle\s+of|end|beginning|start|sometime|some\s+time)[\s-]+(?:of\s+)?(?P<rel>this|that|last|next|the\s+current|the)[\s-]+(?P<unit>year|month|week|decade|century|quarter)\b", n_unit_rel)
rule("the_year", r"\b(?:the|this)\s+(?:(?P<adj>current|fiscal|calendar|full|whole|entire)[\s-]+)?(?P<unit>year)\b(?![\s-]+(?:earlier|ago|before|later|after|of|in|when|that|to|is|was|long|old))", n_the_year)
rule("set_wd_coord", r"\b" + WD + r"(?=\s+(?:and|or|&)\s+" + WD_ + r"\s+" + PART + r"s\b)", n_set, _wd_ok)  # before 'weekday': same extent
rule("weekday", r"\b(?:(?P<rel>last|next|this|past|coming|this\s+past|this\s+coming|early|late)\s+)?" + WD + r"(?:\s+" + PART + r")?\b(?!s\b)", n_weekday, _wd_ok)
rule("weekday_rel", r"\bthe\s+(?P<rel>previous|preceding|prior|following)\s+" + WD + r"(?:\s+" + PART + r")?\b(?!s\b)", n_weekday_rel, _wd_ok)
rule("weekday_part2", r"\b(?:(?P<rel>last|next|this|early|late)\s+)?" + WD + r"(?:'s)?\s+" + PART + r"\b", n_weekday, _wd_ok)
# clock times
CLK = r"(?:(?<![\d.,$])(?P<h>[0-2]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.\s?m\.?|p\.\s?m\.?|am\b|pm\b|o['’]clock|(?<![\d:])(?=in\s+the\s+(?:morning|afternoon|evening|night)\b))|(?P<h2x>)(?<![\d.])(?P<hc>[0-2]?\d):(?P<mc>[0-5]\d)(?![\d:])|(?<![\d.,:$(])(?P<hmil>[01]\d|2[0-3])(?P<mmil>[0-5]\d)(?=\s*(?:GMT|UTC|EST|EDT|CST|CDT|PST|PDT|CET|local\s+time)\b)|(?P<hw>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+o['’]clock\b|(?:12\s+)?(?P<noon>noon|midday|midnight))"
TZ = r"(?:\s*\(?(?:EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|CET|CEST|EET|EEST|local\s+time|ET|PT|Moscow\s+time|Kyiv\s+time)\b\)?)?"
rule("clock", r"\b(?:(?:about|around|approximately|shortly\s+(?:before|after))\s+)?(?:(?:(?P<wd1>" + _alt(k for k in WEEKDAYS if len(k) > 3) + r")|(?P<rd1>today|tonight|yesterday|tomorrow))\s+(?:at\s+)?)?" + CLK + TZ
     + r"(?:\s*in\s+the\s+(?P<inpart>morning|afternoon|evening|night))?(?:,?\s+(?:on\s+)?(?:(?P<wd2>" + _alt(k for k in WEEKDAYS if len(k) > 3) + r")(?:,?\s+(?P<mon3>" + _alt(MONTHS) + r")\.?\s+(?P<day3>[0-3]?\d)\b)?|(?P<rd2>today|tonight|yesterday|tomorrow)|(?P<mon2>" + _alt(MONTHS) + r")\.?\s+(?P<day2>[0-3]?\d)\b))?", n_clock, lambda m, t: not (m["noon"] and re.search(r"\bhigh\s+$", t[max(0, m.start() - 6):m.start()], re.I))
     and not (m["h"] and m["mi"] and "." in t[m.end("h"):m.start("mi")] and not (m["ap"] or "").lower()[:1] in ("a", "p"))
     and not (m["hc"] and not _bare_clock_ok(m, t)))
# ago / later / earlier
rule("ago", r"\b" + APPROX + r"?(?:(?P<num>" + NUM_BODY + r")[\s-]+)(?P<unit>(?:quarter|half)[\s-]centur(?:y|ie)|second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur(?:y|ie)|weekend)s?(?:\s+and\s+a\s+half)?(?:\s+or\s+so)?\s+ago\b", n_ago)
rule("from_now", r"\b" + APPROX + r"?(?:(?P<num>" + NUM_BODY + r")[\s-]+)(?P<unit>minute|hour|day|week|month|year|decade)s?\s+from\s+(?P<ref>now|today|tomorrow)\b", n_from_now)
rule("later", r"\b" + APPROX + r"?(?:(?P<num>" + NUM_BODY + r")[\s-]+)(?P<unit>(?:quarter|half)[\s-]centur(?:y|ie)|second|minute|hour|day|week|fortnight|month|quarter|year|decade)s?(?:\s+and\s+a\s+half)?\s+(?P<dir>(?:later|earlier|afterwards?)\b(?!\s+than\b)|(?:before|after|prior)\b(?=\s*(?:[,.;:)!?]|$)))", n_later)
rule("anaphoric", r"\b(?:that|the\s+same|the\s+next|the\s+following|the\s+previous|the\s+preceding|the\s+prior)\s+(?P<unit>day|week|month|year)\b(?!s)|\bthe\s+(?P<u2>day|week|month|year)\s+(?:before|after)\b(?=\s*[,.;:!?)]|\s*$)", lambda m, ctx, c: n_anaphoric(_UnitFix(m), ctx, c))
# durations
rule("duration", r"\b" + APPROX + r"?(?:the\s+(?:past|last|next|first|previous|coming|final|latest|following|remaining|initial|same|entire|whole|year-earlier|year-ago|comparable|corresponding)\s+|another\s+|an\s+additional\s+|a\s+further\s+|the\s+|(?:past|last|next|first)\s+)?" + NUM + r"(?:[\s-]+(?:more|additional|full|straight|consecutive|long))?[\s-]+" + UNIT + r"(?:\s+and\s+a\s+half)?(?:-long)?\b(?!\s+(?:ago|later|earlier|afterwards)\b|\s+(?:before|after)\s*[,.;:)]|[\s-]+old\b|-olds?\b|\s+of\s+age\b)(?:\s+or\s+so)?", n_duration, _duration_ok)
rule("half_unit", r"\b" + APPROX + r"?half\s+an?\s+(?P<unit>hour|minute|day|week|month|year|decade|century)\b(?!\s+(?:ago|later|earlier)\b)", n_half_unit)
rule("unit_long", r"\b(?P<unit>hour|day|week|month|year|decade)-long\b", lambda m, ctx, c: ("DURATION", duration(1, _unit(m["unit"])), None, None))
rule("dur_bare", r"\b(?:for|over|within|in|after|take|took|takes|taking|last|lasted|lasting)\s+(?P<unit>minutes|hours|days|weeks|months|years|decades|centuries)\b(?!\s+(?:ago|of\s+(?!the)|later|earlier|before|after)\b)", lambda m, ctx, c: n_bare_units(m, ctx, c), None)
rule("the_past_unit", r"\b(?:the|over\s+the|in\s+the|for\s+the|during\s+the)\s+(?:past|last|previous|next|coming)\s+(?P<unit>(?:quarter|half)[\s-]century|year|month|week|decade|century|day)\b(?!s)(?!\s+or\s+so)", lambda m, ctx, c: ("DURATION", duration(1, _unit(m["unit"])), None, None))
rule("recent_units", r"\b(?:(?:the\s+)?(?:recent|coming|past\s+few|last\s+few|next\s+few|upcoming|following)\s+(?P<unit>years|months|weeks|days|decades|quarters|hours)|the\s+(?P<u2>years|months|weeks|days)\s+ahead|the\s+(?:first|early|initial|final|closing|opening)\s+(?P<u3>years|months|weeks|days|hours|minutes)(?=\s+(?:of|after|since|in)\b)(?!\s+of\s+(?:the\s+)?(?:" + _alt(WEEKDAYS) + r"|morning|afternoon|evening|night|day|today|yesterday|tomorrow|\d))|(?:over|through|throughout|during)\s+the\s+(?P<u4>years|decades|months|weeks)(?!\s+(?:before|after|since|following|ahead|of|to)\b))\b", lambda m, ctx, c: n_recent_units(_UnitDefault(m), ctx, c))
# sets
rule("set_adv", r"\b(?:daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|biannually)\b", n_set, _set_adv_ok)
rule("set_every", r"\b(?:every|each|per|a)\s+(?:(?P<num>other|two|three|four|five|six|few|several|couple\s+of|\d+)\s+)?(?P<unit>second|minute|hour|day|week|weekend|month|quarter|year|decade)s?\b(?!\s+(?:ago|later|earlier|before|after|of)\b)", n_set, _set_every_ok)
rule("set_season", r"\b(?:every|each)\s+" + SEAS + r"\b", n_set)
rule("set_wd", r"\b(?:every|each|on)\s+" + WD + r"(?:s)?(?:\s+" + PART + r")?\b", n_set, lambda m, t: (_wd_ok(m, t) and (not m.group(0).lower().startswith("on ") or m.group(0).endswith("s"))))
rule("set_wds", r"\b" + WD + r"s\b", n_set, _wd_ok)
# "every morning", "each night": that part of every day
rule("set_part", r"\b(?:every|each)\s+" + PART + r"\b", lambda m, ctx, c: ("SET", "XXXX-XX-XXT" + PARTS[m["part"].lower()], None, None))
# "on Monday nights", "Tuesday mornings"; "Monday and Tuesday nights": the first weekday shares the part
rule("set_wd_parts", r"\b" + WD + r"\s+" + PART + r"s\b", n_set, _wd_ok)
rule("set_weekends", r"\b(?:on\s+|every\s+|most\s+)?weekends\b(?!\s+(?:ago|of|before|after|later|earlier)\b)",
     lambda m, ctx, c: ("SET", "XXXX-WXX-WE", None, None), lambda m, t: not t[m.start():m.end()][:1].isupper() or m.start() == 0
     or re.search(r"[.!?\"“]\s*$", t[max(0, m.start() - 3):m.start()]))
rule("half_hour", r"\b(?:(?:a|the\s+(?:next|past|last|first|final|previous))\s+)?half[\s-]hour\b(?!\s+(?:ago|later|earlier)\b)",
     lambda m, ctx, c: ("DURATION", "PT30M", None, None))
_NINETEEN = r"(?:nineteen|eighteen|seventeen)(?:[\s-]+hundred)?(?:[\s-]+(?:and[\s-]+)?(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|(?:oh[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine)))\b"
_TWO_THOUSAND = r"two\s+thousand(?:[\s-]+(?:and[\s-]+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?))?\b"
rule("spelled_year", r"\b(?:the\s+year\s+(?:" + _NINETEEN + "|" + _TWO_THOUSAND + r"\b)|" + _NINETEEN + r"|" + _TWO_THOUSAND
     + r"\b(?!\s+(?:dollars|people|years|troops|\w+s\b)))", _spelled_year)
rule("spelled_seas_mon", r"\b(?:(?:early|mid|late)[\s-]+)?(?:the\s+)?(?:" + SEAS + r"|" + MON + r")(?:\s+of)?\s+(?P<sy>"
     + _NINETEEN + r"|" + _TWO_THOUSAND + r")", n_spelled_seas_mon,
     lambda m, t: not m["mon"] or _is_cap(t[m.start("mon"):m.end("mon")]) or t.isupper())
rule("holiday", r"\b(?:(?P<rel>last|next|this)\s+)?(?P<hol>Christmas\s+Eve|Christmas\s+Day|Christmas|New\s+Year['’]s\s+(?:Eve|Day)|Independence\s+Day|Halloween|Valentine['’]s\s+Day|Thanksgiving(?:\s+Day)?|Labor\s+Day|Memorial\s+Day|Election\s+Day|Easter(?:\s+Sunday|\s+Monday|\s+[Ww]eek)?|Holy\s+Week|Good\s+Friday|Boxing\s+Day|Veterans\s+Day|Armistice\s+Day|Bastille\s+Day|(?:the\s+)?Fourth\s+of\s+July|July\s+Fourth|Mother['’]s\s+Day|Father['’]s\s+Day|(?:St\.|Saint)\s+Patrick['’]s\s+Day|Presidents['’]?\s+Day|Columbus\s+Day|Martin\s+Luther\s+King(?:\s+Jr\.)?\s+Day)(?:,?\s+(?P<year>(?:1[6-9]|20)\d\d))?\b", n_holiday, lambda m, t: t[m.start("hol") + (4 if t[m.start("hol"):m.start("hol") + 4].lower() == "the " else 0)].isupper()
     and not _HOLIDAY_THING.match(t, m.end()))
rule("weekend", r"\b(?:(?P<rel>the|this|last|next|past|coming|this\s+past|this\s+coming)\s+)weekend\b(?!s)", n_weekend)
rule("mid_unit", r"\b(?P<rel>)mid[\s-]?(?P<unit>month|year|week|decade)\b(?!-)(?!\s+(?:of|old)\b)", n_unit_rel)
rule("nth_day_today", r"\bthe\s+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+"
     r"(?:straight\s+|consecutive\s+|full\s+)?day\b(?!-)",
     lambda m, ctx, c: _need_dct(ctx, "DATE", lambda d: d.isoformat()),
     lambda m, t: bool(re.search(r"\b(?:it['’]s|it\s+is|today\s+is|this\s+is|is\s+now)\s+$", t[max(0, m.start() - 12):m.start()], re.I)))
rule("ellipsis_last", r"\b(?:than|as|from|over|with|and|to)\s+(?P<x>last)\b(?=\s*(?:[.,;:)!?]|$))",
     lambda m, ctx, c: _need_dct(ctx, "DATE", lambda d: _rel_unit(ctx, _unit(_ELLIPSIS_UNIT.search(
         ctx.text, max(0, c.start - 60), c.start).group("u")), -1)),
     lambda m, t: bool(_ELLIPSIS_UNIT.search(t, max(0, m.start() - 60), m.start()))
     and not re.search(r"\bfirst\s+$", t[max(0, m.start() - 8):m.start()], re.I))
rule("year_end", r"\b(?:(?:the\s+)?(?:this|last|next)\s+)?(?:year[\s-]end|year's\s+end|end[\s-]of[\s-](?:the[\s-])?year)\b", n_year_end)
# vague references
rule("present", r"\b(?:now|nowadays|currently|presently|at\s+present|at\s+the\s+moment|these\s+days|right\s+now|current|the\s+present|today's|at\s+this\s+point|so\s+far|to\s+date|as\s+yet|as\s+of\s+now)\b", lambda m, ctx, c: ("DATE", "PRESENT_REF", None, None), lambda m, t: _present_ok(m, t))
rule("this_moment", r"\b(?:this|the\s+present|the\s+current)\s+(?:(?:crucial|critical|difficult|historic|important|delicate|particular|very|sensitive|decisive|key|tense)\s+)?(?:moment|juncture)\b",
     lambda m, ctx, c: ("DATE", "PRESENT_REF", None, None))
rule("past", r"\b(?:recently|recent|formerly|lately|in\s+the\s+past|the\s+past|in\s+past\s+years|once\s+upon\s+a\s+time|long\s+ago|decades\s+ago|years\s+ago|months\s+ago|weeks\s+ago|days\s+ago|some\s+time\s+ago|a\s+while\s+ago|not\s+long\s+ago|the\s+old\s+days)\b", lambda m, ctx, c: n_past_ref(m), lambda m, t: _past_ok(m, t))
rule("future", r"\b(?:(?<!as\s)soon(?!\s+(?:as|after|afterwards?|thereafter|enough)\b)|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|in\s+future|someday|the\s+near\s+term|the\s+short\s+term|the\s+long\s+term|in\s+the\s+long\s+run|before\s+long|in\s+due\s+course|later\s+on|the\s+days\s+to\s+come|in\s+the\s+years\s+to\s+come)\b", lambda m, ctx, c: ("DATE", "FUTURE_REF", None, None), lambda m, t: _future_ok(m, t))


def n_past_ref(m):
    w = m.group(0).lower()
    if w in ("decades ago", "years ago", "months ago", "weeks ago", "days ago"):
        return "DURATION", duration(None, _unit(w.split()[0])), None, None
    return "DATE", "PAST_REF", None, None


def _future_ok(m, t) -> bool:
    # "later on Sunday", "later on that day": "on" starts the date, "later" is no time of its own
    return not (m.group(0).lower().startswith("later") and re.match(
        r"\s+(?:the\s+|that\s+)?(?:" + _alt(WEEKDAYS) + r"|" + _alt(MONTHS) + r"|day|night|morning|afternoon|evening|\d)\b",
        t[m.end():m.end() + 16], re.I))


def _present_ok(m, t) -> bool:
    w = m.group(0).lower()
    after = t[m.end():m.end() + 24].lower()
    before = t[max(0, m.start() - 12):m.start()].lower()
    if w == "current":
        # "current" the adjective of a time ("current year" is read by its rule) or a state
        return not re.match(r"\s*(?:account|affairs|events|flowing|electric|rate|ly)", after)
    if w == "now":
        if re.match(r"\s+and\s+(?:then|again)\b", after):
            return False  # "every now and then": an idiom of frequency
        lead = t[max(0, m.start() - 3):m.start()].strip(" \t\"“‘'`")
        if (not lead or lead[-1] in ".!?\n") and re.match(r"\s*(?:,|for\b|then\b)", after):
            return False  # "Now, he says, ...", "Now for the weather": a discourse marker, not a time
        return not re.search(r"\b(?:just|right|from|until|till|by|for)\s+$", before) or "from" in before or "until" in before or "by" in before
    if w == "this time":
        return not re.match(r"\s*(?:of|last|next|around)", after)
    if w in ("so far", "to date", "as yet"):
        return False
    if w in ("today's", "today’s") and _GENERIC_TODAY.match(t, m.end() - 2):
        return False  # "today's youth": the present age in general, left unmarked
    return True


def _past_ok(m, t) -> bool:
    w = m.group(0).lower()
    if w == "recent" or w == "the past":
        after = t[m.end():m.end() + 24].lower()
        if re.match(r"\s+(?:days|weeks|months|years|decades|quarters|hours|few|two|three|four|five|six|seven|eight|nine|ten|\d)", after):
            return False
        if w == "the past":
            return not re.match(r"\s+(?:year|month|week|day|decade|century|quarter)\b", after)
    return True


class _UnitFix:
    """A match view whose "unit" falls back to the second alternative's group."""

    def __init__(self, m):
        self._m = m
        self.re = m.re

    def __getitem__(self, k):
        if k == "unit":
            return self._m["unit"] or self._m["u2"]
        return self._m[k]

    def group(self, *a):
        return self._m.group(*a)


class _UnitDefault(_UnitFix):
    def __getitem__(self, k):
        if k == "unit":
            g = self._m.re.groupindex
            u = next((self._m[n] for n in ("unit", "u2", "u3", "u4") if n in g and self._m[n]), None)
            if u:
                return u
            g = self._m.group(0).lower()
            for w in ("years", "months", "weeks", "days"):
                if w in g:
                    return w
            return "years"
        return self._m[k]



# Rules run on the lower-cased text without re.IGNORECASE (three times faster in CPython's re),
# and only in windows around a trigger word of their class (the whole scan is the cost).
TRIGGERS = {
    "unit": ["century", "duration", "quarter_year", "year_quarter", "quarter", "the_quarter", "year_ago_adj",
             "rel_unit", "unit_rel2", "ellipsis_last", "in_the_unit", "mid_unit", "nth_day_today", "the_year", "ago", "from_now", "later", "part_of_day", "anaphoric", "duration", "dur_bare", "half_unit", "unit_long",
             "the_past_unit", "recent_units", "set_weekends", "half_hour", "holiday", "set_adv", "set_every", "weekend", "year_end", "present", "past",
             "future", "today", "decade", "turn_century"],
    "misc": ["set_part", "decade_words", "this_moment", "fiscal", "fiscal_rel", "part_of_day", "q_year", "the_quarter", "half_year", "half", "today", "last_night", "that_part", "this_part", "clock",
             "set_adv", "spelled_year", "holiday", "present", "past", "future", "year_ago_adj", "overnight"],
    "wd": ["weekday", "weekday_rel", "weekday_part2", "set_wd", "set_wds", "set_wd_parts", "set_wd_coord", "clock", "full_mdy", "full_dmy", "md", "dm", "holiday"],
    "mon": ["week_of", "md_rel_year", "holiday", "spelled_seas_mon", "full_mdy", "full_mdy_sq", "full_dmy", "md", "dm", "my", "m_rel_year", "month", "clock"],
    "seas": ["spelled_seas_mon", "season_year", "season_rel_year", "season", "set_season"],
    "dig": ["iso", "numeric", "year_span", "year", "year_named", "fiscal", "decade", "century", "season_year", "quarter_year", "year_quarter",
            "q_year", "half_year", "clock", "duration", "ago", "later", "set_every", "holiday", "full_mdy_sq"],
}
_TRIG = re.compile(
    r"(?P<unit>second|minute|hour|day|week|fortnight|month|quarter|year|decade|centur|period)"
    r"|(?P<misc>now|current|present|recent|past|future|formerly|lately|ago|today|tonight|tomorrow|yesterday|noon|"
    r"midnight|midday|night|morning|evening|afternoon|daily|weekly|annually|yearly|hourly|nightly|biweekly|"
    r"biannually|nineteen|eighteen|seventeen|thousand|christmas|new year|independence|halloween|valentine|"
    r"thanksgiving|labor|memorial|election|easter|good friday|boxing|veterans|armistice|bastille|someday|soon|term|"
    r"fiscal|fy|q[1-4]|half|moment|'\d|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|o['’]clock)"
    r"|(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|(?P<seas>spring|summer|autumn|fall|winter)"
    r"|(?P<dig>\d+)")
_TRIG_I = re.compile(_TRIG.pattern, re.I)
WINDOW = 90  # longer than any expression


def _lower_rx(rx: str) -> str:
    return rx.lower().replace("(?p<", "(?P<")


_COMPILED = [(name, re.compile(_lower_rx(rx)), norm, check, i) for i, (name, rx, norm, check) in enumerate(_RULES)]
_COMPILED_I = [(name, re.compile(rx, re.I), norm, check, i) for i, (name, rx, norm, check) in enumerate(_RULES)]
_NORM = {name: norm for name, _, norm, _, _ in _COMPILED}
_RULE_CLASSES: dict[str, set] = {}
for _k, _names in TRIGGERS.items():
    for _n in _names:
        _RULE_CLASSES.setdefault(_n, set()).add(_k)
assert set(_RULE_CLASSES) >= {r[0] for r in _RULES}, set(r[0] for r in _RULES) - set(_RULE_CLASSES)


# rules whose match alone is not worth keeping when something longer overlaps it
_WEAK = {"present", "past", "future", "year", "dur_bare", "recent_units"}

def _windows(positions: list[int], n: int) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for p in positions:
        s, e = max(0, p - WINDOW), min(n, p + WINDOW)
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


_UNIT_WORD = re.compile(r"\b(?:Seconds?|Minutes?|Hours?|Days?|Weeks?|Weekends?|Months?|Years?|Decades?|Centur(?:y|ies)|"
                        r"Quarters?|Morning|Afternoon|Evening|Night|Tonight|Future|Past)\b")
_NAMED_DAYS = {"holiday"}


def _titled_unit(m, text: str) -> bool:
    """A unit or part-of-day word capitalised amid a sentence is a title's word: ABC's "This Week",
    CBS's "60 Minutes", "CBS This Morning" (not in a text set in capitals, nor first at a sentence's start)."""
    u = _UNIT_WORD.search(text, m.start(), m.end())
    if u is None or text.isupper():
        return False
    ls, le = text.rfind("\n", 0, m.start()) + 1, text.find("\n", m.end())
    line = text[ls:le if le >= 0 else len(text)].strip()
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if (len(words) >= 3 and len(line) <= 120 and not re.search(r"[.!?][\"”’']?$", line)
            and sum(w[0].isupper() for w in words) >= 0.6 * len(words)):
        return False  # a headline set in title case: "Stocks Fall Sharply This Week"
    if u.start() > m.start():
        return True  # "This Week", "60 Minutes": a capital after the expression's first word
    before = text[max(0, m.start() - 40):m.start()]
    stripped = before.rstrip(" \t\"“‘'`")
    return not (not stripped or stripped[-1] in ".!?:\n" or before.rstrip(" \t").endswith("\n"))


def _candidates(text: str) -> list[Cand]:
    low = text.lower()
    compiled = _COMPILED
    if len(low) != len(text):  # a character whose lower case is longer: match the text itself
        low, compiled = text, _COMPILED_I
    hits: dict[str, list[int]] = {}
    for m in (_TRIG if compiled is _COMPILED else _TRIG_I).finditer(low):
        hits.setdefault(m.lastgroup, []).append(m.start())
    out = []
    seen = set()
    for name, rx, norm, check, prio in compiled:
        pos = sorted(p for k in _RULE_CLASSES[name] for p in hits.get(k, ()))
        if not pos:
            continue
        for ws, we in _windows(pos, len(low)):
            for m in rx.finditer(low, ws, we):
                key = (name, m.start(), m.end())
                if key in seen or m.end() == m.start():
                    continue
                seen.add(key)
                if check is not None and not check(m, text):
                    continue
                if name not in _NAMED_DAYS and _titled_unit(m, text):
                    continue
                s, e = m.start(), m.end()
                # trim trailing spaces/punctuation kept by optional groups
                while e > s and text[e - 1] in " ,\n\t":
                    e -= 1
                out.append(Cand(s, e, name, m, prio))
    return out


def _select(cands: list[Cand], n: int) -> list[Cand]:
    """Non-overlapping candidates, longest first (vague references give way to anything)."""
    cands.sort(key=lambda c: (-(c.end - c.start) + (1000 if c.rule in _WEAK else 0), c.prio, c.start))
    taken = bytearray(n)
    keep = []
    for c in cands:
        if taken.find(1, c.start, c.end) != -1:
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        keep.append(c)
    keep.sort(key=lambda c: c.start)
    return keep


def find_times(text: str, published: Optional[dt.date], doc=None) -> list[TimeExpr]:
    """Every time expression of ``text`` with its TIMEX3 type and value (see module doc)."""
    if not text:
        return []
    cands = _select(_candidates(text), len(text))
    ctx = Ctx(text, published, Tense(text, doc))
    blocked = -1
    for c in cands:
        if c.start < blocked:
            continue
        norm = _NORM[c.rule]
        try:
            typ, value, anchor, note = norm(c.m, ctx, c)
        except Exception as exc:  # a rule's arithmetic failing leaves the value open, never the read
            typ, value, anchor, note = "DATE", None, None, f"could not normalise ({type(exc).__name__})"
        if value is None and note is None:
            note = "the expression it is relative to has no value" if anchor else "could not normalise"
        if c.rule == "duration" and typ == "DURATION" and value and "X" not in value:
            r0 = _RANGE_FIRST.search(text, max(0, c.start - 24), c.start)
            if r0 and r0.start("n") >= max(blocked, ctx.found[-1].end if ctx.found else 0):
                n0 = num_value(r0["n"])
                if n0 is not None and n0 > 0:
                    # "two to six days": the range's first end is a duration of the same unit
                    ctx.found.append(TimeExpr(id=f"T{len(ctx.found) + 1}", start=r0.start("n"), end=r0.end("n"),
                                              text=r0["n"], type="DURATION", value=duration(n0, _unit(c.m["unit"])),
                                              anchor=None, note=None))
        s0, e0 = _span_start(text, c), c.end
        if c.rule == "year_span":
            e0 = c.m.end("y1")  # "the 1990-91 recession": two years, each its own expression
        t = TimeExpr(id=f"T{len(ctx.found) + 1}", start=s0, end=e0, text=text[s0:e0],
                     type=typ, value=value, anchor=anchor, note=note)
        ctx.found.append(t)
        if c.rule == "year_span":
            s2, e2 = c.m.start("y2"), c.m.end("y2")
            ctx.found.append(TimeExpr(id=f"T{len(ctx.found) + 1}", start=s2, end=e2, text=text[s2:e2], type="DATE",
                                      value=f"{_span_second_year(c.m):04d}", anchor=None, note=None))
        if c.rule == "md" and value and tv.granularity(value) == "D":
            m2 = _SECOND_DAY.match(text, c.end)
            if m2:  # "April 24 and 25": the second day of the same month
                s2, e2 = m2.start("day"), m2.end("day")
                yr = re.match(r",?\s+((?:1[6-9]|20)\d\d)\b(?![.,]?\d)", text[e2:e2 + 8])
                y = int(yr.group(1)) if yr else int(value[:4])
                try:
                    v1 = dt.date(y, int(value[5:7]), int(value[8:10])).isoformat()
                    v2 = dt.date(y, int(value[5:7]), int(m2["day"])).isoformat()
                except ValueError:
                    continue
                if yr:  # "November 10-13, 2012": the year after the range is both days'
                    ctx.found[-1] = t.model_copy(update={"value": v1, "anchor": None, "note": None})
                ctx.found.append(TimeExpr(id=f"T{len(ctx.found) + 1}", start=s2, end=e2, text=text[s2:e2],
                                          type="DATE", value=v2, anchor=None, note=None))
                blocked = e2 + (yr.end() if yr else 0)
    return ctx.found


# TIMEX3 extents leave out a preposition ("over the past two years" -> "the past two years", "for weeks")
# and the article of an expression used as an adjective ("a two-year contract", "the third-quarter results")
_SPAN_PREP = re.compile(r"(?:over|for|in|within|during|throughout|through|take|took|takes|taking|lasted|lasting)\s+", re.I)
_SPAN_FOCUS = re.compile(r"(?:only|just|barely|merely)\s+", re.I)
_SPAN_PREP_RULES = {"duration", "the_past_unit", "dur_bare", "part_of_day", "recent_units"}
_SPAN_ARTICLE = re.compile(r"(?:a|an|the)\s+(?=(?:fiscal[\s-]+)?[\w]+-[\w]+(?:-[\w]+)?$|(?:\d+|" + NUMW
                           + r")[\s-]+(?:second|minute|hour|day|week|month|quarter|year|decade)$)", re.I)


def _span_start(text: str, c: Cand) -> int:
    if c.rule == "ellipsis_last":
        return c.m.start("x")  # "this year as last": the expression is "last"
    s = c.start
    m = _SPAN_FOCUS.match(text, s, c.end)
    if m and m.end() < c.end:
        s = m.end()  # "only six months", "just a few minutes": a focus word, no TIMEX3 modifier (mod)
    if c.rule in _SPAN_PREP_RULES:
        m = _SPAN_PREP.match(text, s, c.end)
        if m and m.end() < c.end:
            s = m.end()
    m = _SPAN_ARTICLE.match(text[s:c.end])
    if m and (c.end >= len(text) or re.match(r"\s+[a-z]", text[c.end:c.end + 2])):
        s += m.end()  # "a two-year contract", "the 14-day strike", "the third-quarter results"
    return s


# "two to six days", "3-5 years": the first number of a range of durations, right before the second
_RANGE_FIRST = re.compile(r"(?<![\w$£€.,-])(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + NUMW + r")(?:\s+(?:to|or)\s+|\s*[-–]\s*)$", re.I)
# "April 24 and 25", "June 3 or 4": a second day of the month just named
_SECOND_DAY = re.compile(r"(?:\s+(?:and|or|&|to|through)\s+|\s*[-–]\s*)(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?![.,]?\d)"
                         r"(?=\s*(?:[.,;:)\"”']|$)|\s+(?:in|at|on|of|for|to|when|with|and|next|this|last)\b)")


@layer("times")
def read_times(parsed: Parsed, report: Report) -> dict:
    times = find_times(parsed.masked, parsed.published, doc=parsed.doc)
    times = with_event_times(times, find_event_times(parsed.masked, parsed.published))
    text = report.text
    out = [t.model_copy(update={"text": text[t.start:t.end]}) for t in times]
    return {"times": out}


def with_event_times(times: list[TimeExpr], events) -> list[TimeExpr]:
    """The TIMEX3 times and the times anchored to known events (``times_events``) in text order, numbered
    anew. An event's phrase outranks a TIMEX3 time inside it ("since the September 11 attacks" is 2001's,
    not this year's September 11); a time anchored to a dropped one keeps its note, not the anchor."""
    if not events:
        return times
    kept = [t for t in times if not any(e.start < t.end and t.start < e.end for e in events)]
    merged = sorted(kept + [TimeExpr(id="", start=e.start, end=e.end, text="", type="DATE", value=e.value,
                                     mod=e.mod, event=e.event) for e in events], key=lambda t: t.start)
    new_id = {t.id: f"T{i + 1}" for i, t in enumerate(merged) if t.id}
    out = []
    for i, t in enumerate(merged):
        anchor = new_id.get(t.anchor) if t.anchor else None
        out.append(t.model_copy(update={"id": f"T{i + 1}", "anchor": anchor}))
    return out
