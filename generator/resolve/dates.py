"""Resolve temporal expressions the way news is written, against the date of the article.

"Friday" in an article of Friday the 11th is the 11th; "Monday, February 14" is the one nearest the
article; "last December" is the December before the article; "late January" is a month with its part noted;
"last week" is a week. An expression these rules cannot read returns None: it is never guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

import dateparser

from ..model import Precision, TimeRef

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
MONTH_RE = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY_RE = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
DAY_RE = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"

EXPLICIT = [
    re.compile(rf"^(?:{WEEKDAY_RE},?\s+)?{MONTH_RE}\s+{DAY_RE}(?:,?\s+{YEAR_RE})?$"),
    re.compile(rf"^(?:{WEEKDAY_RE},?\s+)?(?:the\s+)?{DAY_RE}(?:\s+of)?\s+{MONTH_RE}(?:,?\s+{YEAR_RE})?$"),
]
WEEKDAY_ONLY = re.compile(rf"^(?P<rel>last|this|next|past|coming)?\s*{WEEKDAY_RE}{PART_OF_DAY}$")
MONTH_ONLY = re.compile(rf"^(?P<rel>last|this|next|early|mid|late|the end of|the beginning of|the middle of)?[\s-]*{MONTH_RE}(?:\s+{YEAR_RE})?$")
YEAR_ONLY = re.compile(rf"^(?P<rel>early|mid|late)?[\s-]*{YEAR_RE}$")
RELATIVE_DAYS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                 "yesterday": -1, "last night": -1, "the day before yesterday": -2, "tomorrow": 1}
RELATIVE_PERIODS = {
    "last week": ("week", -1), "this week": ("week", 0), "next week": ("week", 1), "earlier this week": ("week", 0),
    "last month": ("month", -1), "this month": ("month", 0), "next month": ("month", 1), "earlier this month": ("month", 0),
    "last year": ("year", -1), "this year": ("year", 0), "next year": ("year", 1), "earlier this year": ("year", 0),
}
RANGE = re.compile(
    r"^(?:between|from)\s+(?P<first>.+?)\s+(?:and|to|until|till)\s+(?P<second>.+)$"
    rf"|^{MONTH_RE}\s+(?P<day>\d{{1,2}})\s*[-–]\s*\d{{1,2}}(?:,?\s+(?P<year>(?:19|20)\d\d))?$"
)
AGO = re.compile(r"^(?P<n>\d+|a|one|two|three|four|five|six|seven)\s+(?P<unit>day|week|month|year)s?\s+ago$")
NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
PARTS = {"early": "early", "the beginning of": "early", "mid": "mid", "the middle of": "mid", "late": "late", "the end of": "late"}


@functools.lru_cache(maxsize=1 << 12)
def reported_on(date: dt.date) -> TimeRef:
    """The article's own date, for statements the text does not date."""
    return TimeRef(date.isoformat(), "day", date, "", 1.0)


@functools.lru_cache(maxsize=1 << 16)
def resolve_date(expression: str, reference: dt.date, future: bool = False) -> TimeRef | None:
    """The time `expression` refers to in an article dated `reference`; None when it cannot be read.

    A range ("between Monday and Wednesday", "February 10-12") is placed at its start, its confidence lowered."""
    text = _clean(expression)
    ranged = RANGE.match(" ".join(expression.lower().split()).strip(" ,.;:"))
    if ranged:
        first = ranged.group("first") or f"{ranged.group('month')} {ranged.group('day')} {ranged.group('year') or ''}"
        start = resolve_date(first, reference, future)
        if start is None:
            return None
        return TimeRef(start.value, start.precision, start.start, expression.strip(), min(start.confidence, 0.7), start.part)
    for reader in (_relative, _explicit, _weekday, _month, _year, _iso, _fallback):
        found = reader(text, reference, future)
        if found is not None:
            value, precision, start, confidence, part = found
            return TimeRef(value, precision, start, expression.strip(), confidence, part)
    return None


Found = tuple[str, Precision, dt.date, float, str | None]


def _clean(expression: str) -> str:
    text = " ".join(expression.lower().replace("’", "'").split()).strip(" ,.;:")
    return re.sub(r"^(?:on|in|since|by|from|during|until|as of)\s+", "", text)


def _day(date: dt.date, confidence: float) -> Found:
    return date.isoformat(), "day", date, confidence, None


def _week(date: dt.date, confidence: float) -> Found:
    monday = date - dt.timedelta(days=date.weekday())
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", "week", monday, confidence, None


def _month(text: str, reference: dt.date, future: bool) -> Found | None:
    match = MONTH_ONLY.match(text)
    if not match:
        return None
    month, rel = MONTHS[match.group("month")], match.group("rel")
    if match.group("year"):
        year, confidence = int(match.group("year")), 1.0
    elif rel == "last":
        year, confidence = reference.year if month < reference.month else reference.year - 1, 0.9
    elif rel == "next":
        year, confidence = reference.year if month > reference.month else reference.year + 1, 0.9
    elif future:
        year, confidence = reference.year if month >= reference.month else reference.year + 1, 0.8
    else:
        year, confidence = reference.year if month <= reference.month else reference.year - 1, 0.8
    start = dt.date(year, month, 1)
    return f"{year}-{month:02d}", "month", start, confidence, PARTS.get(rel or "")


def _year(text: str, reference: dt.date, future: bool) -> Found | None:
    match = YEAR_ONLY.match(text)
    if not match:
        return None
    year = int(match.group("year"))
    return str(year), "year", dt.date(year, 1, 1), 1.0, PARTS.get(match.group("rel") or "")


def _relative(text: str, reference: dt.date, future: bool) -> Found | None:
    if text in RELATIVE_DAYS:
        return _day(reference + dt.timedelta(days=RELATIVE_DAYS[text]), 0.9)
    if text in RELATIVE_PERIODS:
        unit, step = RELATIVE_PERIODS[text]
        return _shift(reference, unit, step, 0.9)
    match = AGO.match(text)
    if match:
        n = NUMBERS.get(match.group("n")) or int(match.group("n"))
        return _shift(reference, match.group("unit"), -n, 0.8)
    return None


def _shift(reference: dt.date, unit: str, step: int, confidence: float) -> Found:
    if unit == "day":
        return _day(reference + dt.timedelta(days=step), confidence)
    if unit == "week":
        return _week(reference + dt.timedelta(weeks=step), confidence)
    if unit == "month":
        index = reference.year * 12 + reference.month - 1 + step
        year, month = divmod(index, 12)
        return f"{year}-{month + 1:02d}", "month", dt.date(year, month + 1, 1), confidence, None
    year = reference.year + step
    return str(year), "year", dt.date(year, 1, 1), confidence, None


def _weekday(text: str, reference: dt.date, future: bool) -> Found | None:
    match = WEEKDAY_ONLY.match(text)
    if not match:
        return None
    target, rel = WEEKDAYS[match.group("weekday")], match.group("rel")
    back = (reference.weekday() - target) % 7
    if rel in ("next", "coming") or (future and rel != "last"):
        ahead = (target - reference.weekday()) % 7 or (7 if rel == "next" else 0)
        return _day(reference + dt.timedelta(days=ahead), 0.8)
    if rel in ("last", "past") and back == 0:
        back = 7
    return _day(reference - dt.timedelta(days=back), 0.8)


def _explicit(text: str, reference: dt.date, future: bool) -> Found | None:
    for pattern in EXPLICIT:
        match = pattern.match(text)
        if match:
            return _explicit_date(match, reference, future)
    return None


def _explicit_date(match: re.Match[str], reference: dt.date, future: bool) -> Found | None:
    month, day = MONTHS[match.group("month")], int(match.group("day"))
    weekday = WEEKDAYS.get(match.group("weekday") or "")
    if match.group("year"):
        try:
            return _day(dt.date(int(match.group("year")), month, day), 1.0)
        except ValueError:
            return None
    candidates = []
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if weekday is not None and any(c.weekday() == weekday for c in candidates):
        candidates = [c for c in candidates if c.weekday() == weekday]
    if not candidates:
        return None
    wrong_side = (lambda c: c < reference) if future else (lambda c: c > reference + dt.timedelta(days=1))
    best = min(candidates, key=lambda c: (abs((c - reference).days) > 183, wrong_side(c), abs((c - reference).days)))
    return _day(best, 0.9)


def _iso(text: str, reference: dt.date, future: bool) -> Found | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _day(dt.date.fromisoformat(text), 1.0)
        except ValueError:
            return None
    return None


def _fallback(text: str, reference: dt.date, future: bool) -> Found | None:
    """Full dates in other spellings ("17/12/2021", "Dec. 17th, 2021"): dateparser reads those right."""
    if not re.search(r"\b(?:19|20)\d\d\b", text) or not re.search(r"\d{1,2}\D+\d", text):
        return None
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "RELATIVE_BASE": dt.datetime.combine(reference, dt.time())},
    )
    return _day(parsed.date(), 0.9) if parsed else None
