"""TIMEX3 value arithmetic: parse a value string, shift it by an amount of a unit, and format.

Values handled: ``YYYY``, ``YYY`` (decade), ``YY`` (century), ``YYYY-MM``, ``YYYY-MM-DD``,
``YYYY-MM-DDTxx``, ``YYYY-Qn``, ``YYYY-Hn``, ``YYYY-SS`` (season), ``YYYY-Www``, ``YYYY-Www-WE``.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

SEASONS = ("SP", "SU", "FA", "WI")

_RE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d)(?P<t>T.*)?)?|Q(?P<q>[1-4])|H(?P<h>[12])"
    r"|(?P<s>SP|SU|FA|WI)|W(?P<w>\d\d)(?P<we>-WE)?))?$"
)

# how fine a value is: a shift by a unit coarser than or equal to this keeps the granularity
GRAN_ORDER = {"Y": 0, "H": 1, "Q": 2, "S": 2, "M": 3, "W": 4, "D": 5, "T": 6}


def granularity(value: Optional[str]) -> Optional[str]:
    if not value:
        return None
    m = _RE.match(value)
    if not m:
        return None
    if m["t"]:
        return "T"
    if m["d"]:
        return "D"
    if m["w"]:
        return "W"
    if m["m"]:
        return "M"
    if m["q"]:
        return "Q"
    if m["s"]:
        return "S"
    if m["h"]:
        return "H"
    return "Y"


def day(d: dt.date) -> str:
    return d.isoformat()


def month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def season_of(d: dt.date) -> tuple[int, str]:
    """(year, season) the date falls in; a winter is named by the year it starts in, so December
    2022 and January-February 2023 are both 2022-WI."""
    m = d.month
    if m in (3, 4, 5):
        return d.year, "SP"
    if m in (6, 7, 8):
        return d.year, "SU"
    if m in (9, 10, 11):
        return d.year, "FA"
    return (d.year if m == 12 else d.year - 1), "WI"


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def add_to_date(d: dt.date, n: int, unit: str) -> dt.date:
    if unit == "D":
        return d + dt.timedelta(days=n)
    if unit == "W":
        return d + dt.timedelta(weeks=n)
    months = {"M": 1, "Q": 3, "H": 6, "Y": 12, "DE": 120, "CE": 1200}.get(unit)
    if months is None:
        return d
    y, m = add_months(d.year, d.month, n * months)
    last = (dt.date(*add_months(y, m, 1), 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def shift(value: Optional[str], n: int, unit: str, keep: bool = True) -> Optional[str]:
    """``value`` moved by n units. With ``keep`` the result has the value's own granularity when
    the unit is at least as coarse as it (a year before 1989-Q3 is 1988-Q3); a finer unit than the
    value gives None (a week after September is not known)."""
    if not value:
        return None
    g = granularity(value)
    if g is None:
        if re.fullmatch(r"\d{3}", value) and unit == "DE":
            return f"{int(value) + n:03d}"
        return None
    mm = _RE.match(value)
    y = int(mm["y"])
    ug = {"DE": "Y", "CE": "Y"}.get(unit, unit)
    if GRAN_ORDER.get(ug, 9) > GRAN_ORDER[g] and not (g == "T" and ug == "D"):
        return None
    if g == "Y":
        years = {"Y": 1, "DE": 10, "CE": 100}.get(unit)
        return f"{y + n * years:04d}" if years else None
    if g == "H":
        k = y * 2 + int(mm["h"]) - 1 + (n if unit == "H" else n * 2)
        return f"{k // 2:04d}-H{k % 2 + 1}"
    if g == "Q":
        per = {"Q": 1, "H": 2, "Y": 4, "DE": 40}.get(unit, 0)
        k = y * 4 + int(mm["q"]) - 1 + n * per
        return f"{k // 4:04d}-Q{k % 4 + 1}"
    if g == "S":
        per = {"Q": 1, "S": 1, "Y": 4, "DE": 40}.get(unit, 0)
        k = y * 4 + SEASONS.index(mm["s"]) + n * per
        return f"{k // 4:04d}-{SEASONS[k % 4]}"
    if g == "M":
        per = {"M": 1, "Q": 3, "H": 6, "Y": 12, "DE": 120, "CE": 1200}.get(unit, 0)
        return month(*add_months(y, int(mm["m"]), n * per))
    if g == "W":
        monday = dt.date.fromisocalendar(y, int(mm["w"]), 1)
        out = week(add_to_date(monday, n, unit))
        return out + ("-WE" if mm["we"] else "")
    d = dt.date(y, int(mm["m"]), int(mm["d"]))
    out = day(add_to_date(d, n, unit))
    return out + (mm["t"] or "") if g == "T" else out


def coarsen(value: Optional[str], unit: str) -> Optional[str]:
    """``value`` cut to the granularity of ``unit`` (a year ago from 1998-02-06 -> 1997)."""
    if not value:
        return None
    mm = _RE.match(value)
    if not mm:
        return value
    y = int(mm["y"])
    g = granularity(value)
    if unit in ("Y", "DE", "CE"):
        return f"{y:04d}"
    if unit == "M":
        if g in ("D", "T", "M"):
            return value[:7]
        return value
    if unit == "W" and g in ("D", "T"):
        return week(dt.date(y, int(mm["m"]), int(mm["d"])))
    if unit == "Q" and g in ("D", "T", "M"):
        return f"{y:04d}-Q{(int(mm['m']) - 1) // 3 + 1}"
    if unit == "D" and g == "T":
        return value[:10]
    return value


def to_date(value: Optional[str]) -> Optional[dt.date]:
    if not value:
        return None
    mm = _RE.match(value)
    if mm and mm["d"]:
        try:
            return dt.date(int(mm["y"]), int(mm["m"]), int(mm["d"]))
        except ValueError:
            return None
    return None


# parts of the day (TIMEX3 ``TMO`` and the like) as hours, to place them within their day
_DAY_PARTS = {"MO": (6, 12), "MI": (11, 13), "AF": (12, 18), "EV": (18, 21), "NI": (21, 24), "DT": (9, 17)}
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}  # winter runs into the next year
_ISO_TIME = re.compile(r"^T(?P<h>[0-2]\d)(?::(?P<mi>[0-5]\d))?")
_DECADE = re.compile(r"^(?P<d>\d{3})$")
_CENTURY = re.compile(r"^(?P<c>\d{2})$")


def _month_end(y: int, m: int) -> dt.datetime:
    y2, m2 = add_months(y, m, 1)
    return dt.datetime(y2, m2, 1)


def interval(value: Optional[str]) -> Optional[tuple[dt.datetime, dt.datetime]]:
    """The stretch of time a TIMEX3 value names, as [start, end): a year, a month, an ISO week, a season,
    a part of a day, a clock time (one minute). None for values that name no stretch of the calendar
    (``PRESENT_REF``, ``P3Y``, ``XXXX-09``) or that are malformed."""
    if not value:
        return None
    try:
        dm = _DECADE.match(value)
        if dm:
            y = int(dm["d"]) * 10
            return dt.datetime(y, 1, 1), dt.datetime(y + 10, 1, 1)
        cm = _CENTURY.match(value)
        if cm:
            y = int(cm["c"]) * 100
            return dt.datetime(max(y, 1), 1, 1), dt.datetime(y + 100, 1, 1)
        m = _RE.match(value)
        if not m:
            return None
        y = int(m["y"])
        if y < 1:
            return None
        if m["d"]:
            day0 = dt.datetime(y, int(m["m"]), int(m["d"]))
            t = m["t"]
            if not t:
                return day0, day0 + dt.timedelta(days=1)
            part = _DAY_PARTS.get(t[1:3]) if len(t) == 3 else None
            if part:
                return day0 + dt.timedelta(hours=part[0]), day0 + dt.timedelta(hours=part[1])
            tm = _ISO_TIME.match(t)
            if not tm:
                return day0, day0 + dt.timedelta(days=1)
            start = day0 + dt.timedelta(hours=int(tm["h"]), minutes=int(tm["mi"] or 0))
            return start, start + (dt.timedelta(minutes=1) if tm["mi"] else dt.timedelta(hours=1))
        if m["m"]:
            mon = int(m["m"])
            return dt.datetime(y, mon, 1), _month_end(y, mon)
        if m["w"]:
            monday = dt.datetime.combine(dt.date.fromisocalendar(y, int(m["w"]), 1), dt.time())
            if m["we"]:
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=7)
            return monday, monday + dt.timedelta(days=7)
        if m["q"]:
            first = 3 * (int(m["q"]) - 1) + 1
            return dt.datetime(y, first, 1), _month_end(*add_months(y, first, 2))
        if m["h"]:
            first = 1 if m["h"] == "1" else 7
            return dt.datetime(y, first, 1), _month_end(*add_months(y, first, 5))
        if m["s"]:
            a, b = _SEASON_MONTHS[m["s"]]
            return dt.datetime(y, a, 1), _month_end(*add_months(y, a, b - a))
        return dt.datetime(y, 1, 1), dt.datetime(y + 1, 1, 1)
    except (ValueError, OverflowError):
        return None
