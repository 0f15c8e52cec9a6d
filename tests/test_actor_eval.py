"""Actor resolution measured against labelled articles (tests/eval/actors, tests/eval/seeds_actors.yml).
Floors sit just under the figures measured when this was written; `python -m tests.eval.actors_eval`
prints them."""

from __future__ import annotations

import pytest

from .eval.actors_eval import SETS, evaluate_actors

FLOORS = {"own corpus": (0.95, 0.95, 1.0), "seeds": (0.95, 0.95, 1.0)}
"""(merging precision, merging recall, kind accuracy)."""


@pytest.mark.parametrize("name", list(SETS))
def test_actors_against_labels(name: str, tmp_path) -> None:
    folder, labels = SETS[name]
    scores = evaluate_actors(folder, labels, tmp_path)
    print(scores.report(name))
    precision, recall, kinds = FLOORS[name]
    assert scores.precision >= precision and scores.recall >= recall, scores.report(name)
    assert scores.kind_accuracy >= kinds, scores.report(name)
