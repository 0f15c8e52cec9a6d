"""Event merging's candidate choice (the part of `_merge_events` that keeps it linear), against its definition."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.assemble import CANDIDATES, _most_shared


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.integers(0, 400), st.integers(1, 6), max_size=120))
def test_most_shared_takes_the_highest_counts_earliest_first_among_equals(counts: dict[int, int]) -> None:
    """The CANDIDATES events sharing the most keys, ties going to the earlier event (lower index), in index order:
    what sorting every (-count, index) pair gives."""
    shared = Counter(counts)
    expected = sorted(i for _, i in sorted((-n, i) for i, n in shared.items())[:CANDIDATES])
    assert _most_shared(shared) == expected
