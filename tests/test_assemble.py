"""Event merging: its candidate choice (the part of `_merge_events` that keeps it linear), against its definition,
and its going on from the last build's state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assemble import CANDIDATES, MergeRecord, _Group, _group_digest, _index_keys, _merge, _merge_events, _most_shared
from generator.model import Event, Source, TimeRef, value_digest


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(0, 400), st.integers(1, 6), max_size=120))
def test_most_shared_takes_the_highest_counts_earliest_first_among_equals(counts: dict[int, int]) -> None:
    """The CANDIDATES events sharing the most keys, ties going to the earlier event (lower index), in index order:
    what sorting every (-count, index) pair gives."""
    shared = Counter(counts)
    expected = sorted(i for _, i in sorted((-n, i) for i, n in shared.items())[:CANDIDATES])
    assert _most_shared(shared) == expected


WORDS = ["harbour", "closed", "ferry", "piers", "minister", "announced", "budget", "flooded", "market", "talks", "zorvath", "quellan"]
"""Words of the statements below: common and rare ones in English, and two no word list has (names)."""
ACTORS = ["a", "b", "c"]


@st.composite
def statements(draw) -> list[Event]:
    """Statements of a few articles, close in wording and time often enough that many merge."""
    events = []
    for n in range(draw(st.integers(0, 30))):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=draw(st.integers(0, 70)))
        precision = draw(st.sampled_from(["day", "week", "month"]))
        source = Source(f"article-{n // 4}", n % 4 + 1)
        events.append(
            Event(
                id=f"e-{n}",
                when=TimeRef(day.isoformat(), precision, day, "", 1.0),
                text=" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8))),
                actors=tuple(draw(st.lists(st.sampled_from(ACTORS), max_size=2, unique=True))),
                sources=(source,),
                reported=draw(st.booleans()),
                statements=((source, 0, 10),),
            )
        )
    return events


def _runs(events: list[Event]) -> list[list[Event]]:
    """The statements article by article, as `assemble` hands them to `_merge`."""
    return [list(run) for _, run in itertools.groupby(events, key=lambda e: e.sources[0].article)]


@settings(max_examples=200, deadline=None)
@given(statements(), st.data())
def test_merging_goes_on_from_the_last_build_as_a_merge_from_the_start(events: list[Event], data) -> None:
    """A build whose statements begin with the last build's (article by article) merges only the ones after
    them, with the same result as merging all from the start; when the statements it began with changed, it
    merges from the start."""
    count = data.draw(st.sampled_from(sorted({0, len(events)} | {n for n in range(1, len(events)) if events[n].sources[0].article != events[n - 1].sources[0].article})))
    records: list[MergeRecord] = []
    _merge_events(events[:count], record=records)
    expected = _merge_events(list(events))
    keyed: list[Event] = []
    records[0].read_ahead()  # as the build does while new articles are parsed: taken by the merge below, once
    with patch("generator.assemble._index_keys", side_effect=lambda e, span: keyed.append(e) or _index_keys(e, span)):
        assert _merge_events(list(events), merging=records[0]) == expected
    assert keyed == events[count:]
    digests: dict[int, bytes] = {}
    resumed = _merge([_Group(_group_digest(run), len(run), run) for run in _runs(events)], records[0], digests=digests)
    assert {id(e): value_digest(e) for e in resumed} == digests, "an event kept from the last build keeps its digest only when unchanged"
    if count:
        _merge_events(events[:count], record=records)
        changed = list(events)
        changed[count - 1] = dataclasses.replace(changed[count - 1], text=changed[count - 1].text + " quellan")
        assert _merge_events(changed, merging=records[1]) == _merge_events(changed)
