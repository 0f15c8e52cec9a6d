"""Temporal expressions read the way news is written, against the article's date."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.resolve.dates import resolve_date

FRIDAY = dt.date(2023, 3, 10)
WEDNESDAY = dt.date(2023, 3, 15)


@pytest.mark.parametrize(
    "expression, reference, future, value, precision, part",
    [
        ("Friday", FRIDAY, False, "2023-03-10", "day", None),
        ("on Friday", FRIDAY, False, "2023-03-10", "day", None),
        ("Thursday", FRIDAY, False, "2023-03-09", "day", None),
        ("Saturday", FRIDAY, False, "2023-03-04", "day", None),
        ("last Friday", FRIDAY, False, "2023-03-03", "day", None),
        ("Monday", FRIDAY, True, "2023-03-13", "day", None),
        ("next Friday", FRIDAY, False, "2023-03-17", "day", None),
        ("Tuesday night", WEDNESDAY, False, "2023-03-14", "day", None),
        ("yesterday", WEDNESDAY, False, "2023-03-14", "day", None),
        ("Thursday, March 9", FRIDAY, False, "2023-03-09", "day", None),
        ("Monday, March 13", WEDNESDAY, False, "2023-03-13", "day", None),
        ("March 20", WEDNESDAY, True, "2023-03-20", "day", None),
        ("December 2", dt.date(2023, 1, 20), False, "2022-12-02", "day", None),
        ("2 December", dt.date(2023, 1, 20), False, "2022-12-02", "day", None),
        ("December 2, 2020", WEDNESDAY, False, "2020-12-02", "day", None),
        ("Dec. 2, 2020", WEDNESDAY, False, "2020-12-02", "day", None),
        ("December 2nd, 2020", WEDNESDAY, False, "2020-12-02", "day", None),
        ("2 Dec 2020", WEDNESDAY, False, "2020-12-02", "day", None),
        ("2020-12-02", WEDNESDAY, False, "2020-12-02", "day", None),
        ("last week", WEDNESDAY, False, "2023-W10", "week", None),
        ("this week", WEDNESDAY, False, "2023-W11", "week", None),
        ("two weeks ago", WEDNESDAY, False, "2023-W09", "week", None),
        ("late February", WEDNESDAY, False, "2023-02", "month", "late"),
        ("early April", WEDNESDAY, True, "2023-04", "month", "early"),
        ("mid-April", WEDNESDAY, False, "2022-04", "month", "mid"),
        ("last November", WEDNESDAY, False, "2022-11", "month", None),
        ("last March", WEDNESDAY, False, "2022-03", "month", None),
        ("this month", WEDNESDAY, False, "2023-03", "month", None),
        ("last month", dt.date(2023, 1, 5), False, "2022-12", "month", None),
        ("June 2021", WEDNESDAY, False, "2021-06", "month", None),
        ("earlier this year", WEDNESDAY, False, "2023", "year", None),
        ("last year", WEDNESDAY, False, "2022", "year", None),
        ("in 2019", WEDNESDAY, False, "2019", "year", None),
        ("late 2019", WEDNESDAY, False, "2019", "year", "late"),
        ("between Monday and Wednesday", WEDNESDAY, False, "2023-03-13", "day", None),
        ("from March 1 to March 3", WEDNESDAY, False, "2023-03-01", "day", None),
        ("March 1-3", WEDNESDAY, False, "2023-03-01", "day", None),
        ("December 10–12, 2021", WEDNESDAY, False, "2021-12-10", "day", None),
    ],
)
def test_expressions(expression: str, reference: dt.date, future: bool, value: str, precision: str, part: str | None) -> None:
    found = resolve_date(expression, reference, future)
    assert found is not None
    assert (found.value, found.precision, found.part) == (value, precision, part)
    assert found.expression == expression


@pytest.mark.parametrize("expression", ["the future", "37", "decades", "a long time", "the past 30 years", "February 30, 2022", ""])
def test_unreadable_is_not_guessed(expression: str) -> None:
    assert resolve_date(expression, WEDNESDAY) is None


dates = st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31))
weekdays = st.sampled_from(list(calendar.day_name))


@given(reference=dates, weekday=weekdays, future=st.booleans())
def test_weekday_is_the_nearest_such_day_on_the_side_of_the_tense(reference: dt.date, weekday: str, future: bool) -> None:
    found = resolve_date(weekday, reference, future)
    days = (found.start - reference).days
    assert found.start.strftime("%A") == weekday and found.precision == "day"
    assert (0 <= days <= 6) if future else (-6 <= days <= 0)


@given(reference=dates, date=dates)
def test_month_and_day_without_year_is_placed_within_half_a_year(reference: dt.date, date: dt.date) -> None:
    found = resolve_date(f"{date:%B} {date.day}", reference)
    if found is None:
        assert (date.month, date.day) == (2, 29)
        return
    assert (found.start.month, found.start.day) == (date.month, date.day)
    if (date.month, date.day) == (2, 29):  # only leap years have one: the nearest may be a year or more away
        assert abs((found.start - reference).days) <= 731
    else:
        assert abs((found.start - reference).days) <= 184


@given(reference=dates, date=dates)
def test_full_dates_are_read_exactly(reference: dt.date, date: dt.date) -> None:
    for written in (f"{date:%B} {date.day}, {date.year}", f"{date.day} {date:%B} {date.year}", date.isoformat()):
        found = resolve_date(written, reference)
        assert found is not None and found.start == date and found.confidence == 1.0


@given(reference=dates, month=st.sampled_from(list(calendar.month_name)[1:]), part=st.sampled_from(["early", "mid", "late", "last", ""]))
def test_months_fall_before_the_article_in_past_context(reference: dt.date, month: str, part: str) -> None:
    found = resolve_date(f"{part} {month}".strip(), reference)
    assert found.precision == "month" and found.start.strftime("%B") == month
    assert found.start <= reference
    assert (reference - found.start).days < 366 + 31
    if part == "last":
        assert (found.start.year, found.start.month) < (reference.year, reference.month)
