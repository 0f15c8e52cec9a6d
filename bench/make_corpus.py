"""Make a reproducible synthetic corpus in the seed format, for benchmarks.

    .venv/bin/python bench/make_corpus.py N OUT_DIR [--seed S]

Each article has 400–900 words: dated statements by many distinct actors (people with first-name variants
and surnames alone, organisations with acronyms, places), relative and absolute dates, quotes with their
outlet, section headings, and about one paragraph in five re-used, lightly edited, from an earlier article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

FIRST = ["Anna", "Pavel", "Maren", "Oskar", "Lina", "Tomas", "Greta", "Karl", "Eva", "Ivan", "Sofia", "Marek",
         "Helga", "Jonas", "Nadia", "Piotr", "Clara", "Dmitri", "Ruth", "Elias"]
VARIANT = {"Dmitri": "Dmitry", "Ivan": "Iwan", "Piotr": "Pyotr", "Nadia": "Nadya", "Marek": "Marec"}
SURNAME = ["Holt", "Brandt", "Dorsey", "Ivers", "Lund", "Weir", "Jansen", "Sorokin", "Volkova", "Berg", "Okafor",
           "Mendes", "Tanaka", "Novak", "Haddad", "Quist", "Ferreira", "Lindqvist", "Moreau", "Kowalski"]
TITLES = ["Foreign Minister", "Defence Minister", "spokesperson", "President", "Mayor", "Governor", "Prime Minister"]
ORG_WORDS = ["Harbour", "Water", "Energy", "Rail", "Grain", "Mining", "Shipping", "Health", "Border", "Trade"]
ORG_KINDS = ["Authority", "Board", "Council", "Agency", "Union", "Commission"]
PLACES = ["Eastport", "Westvale", "Northam", "Southby", "Harbourtown", "Millbrook", "Brennick", "Valdoria",
          "Ostrava", "Lindau", "Kestrel Bay", "Fairholm"]
OUTLETS = ["Reuters", "the Associated Press", "AFP", "Tass", "Bloomberg", "Al Jazeera"]
VERBS = ["met", "criticised", "praised", "warned", "visited", "called", "wrote to", "rejected a plan by"]
TOPICS = ["the budget", "the new port", "grain exports", "the power lines", "water prices", "the border talks",
          "the rail strike", "the fishing quotas"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class World:
    """The cast of the corpus: people, organisations and places, fixed by the seed."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.people = [(rng.choice(FIRST), s + ("" if i < len(SURNAME) else f"-{rng.choice(SURNAME)}"), rng.choice(TITLES))
                       for i, s in enumerate((SURNAME * (1 + size // 400))[: max(20, size // 20)])]
        self.orgs = []
        for i in range(max(10, size // 40)):
            name = f"{rng.choice(PLACES)} {rng.choice(ORG_WORDS)} {rng.choice(ORG_KINDS)}"
            self.orgs.append((name, "".join(w[0] for w in name.split()) + (str(i) if i >= 10 else "")))


def person(rng: random.Random, world: World, full: bool) -> str:
    first, last, title = rng.choice(world.people)
    if not full:
        return last
    if first in VARIANT and rng.random() < 0.3:
        first = VARIANT[first]
    return f"{title} {first} {last}" if rng.random() < 0.5 else f"{first} {last}"


def date_phrase(rng: random.Random, day: dt.date) -> str:
    choice = rng.random()
    if choice < 0.35:
        return f"on {WEEKDAYS[(day - dt.timedelta(days=rng.randint(0, 6))).weekday()]}"
    if choice < 0.5:
        return "last week"
    if choice < 0.7:
        past = day - dt.timedelta(days=rng.randint(1, 60))
        return f"on {past:%B} {past.day}"
    if choice < 0.8:
        return f"in late {(day - dt.timedelta(days=40)):%B}"
    return "yesterday"


def sentence(rng: random.Random, world: World, day: dt.date) -> str:
    kind = rng.random()
    org, acronym = rng.choice(world.orgs)
    if kind < 0.45:
        return (f"{person(rng, world, True)} {rng.choice(VERBS)} {person(rng, world, True)} in {rng.choice(PLACES)} "
                f"{date_phrase(rng, day)} to discuss {rng.choice(TOPICS)}.")
    if kind < 0.65:
        return f"The {org} ({acronym}) said {date_phrase(rng, day)} that {rng.choice(TOPICS)} would be reviewed."
    if kind < 0.8:
        return (f'"We will not accept any delay on {rng.choice(TOPICS)}," {person(rng, world, False)} said, '
                f"as per {rng.choice(OUTLETS)}.")
    if kind < 0.9:
        return f"The {acronym} and {rng.choice(PLACES)} officials {rng.choice(VERBS)} the plan {date_phrase(rng, day)}."
    return f"{person(rng, world, False)} had spoken about {rng.choice(TOPICS)} {date_phrase(rng, day)}, {rng.choice(OUTLETS)} reported."


def make(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    world = World(rng, n)
    out.mkdir(parents=True, exist_ok=True)
    start = dt.date(2023, 1, 2)
    earlier: list[str] = []
    for i in range(n):
        day = start + dt.timedelta(days=i * 730 // max(n, 1))
        target = rng.randint(400, 900)
        paragraphs, words = [], 0
        while words < target:
            if earlier and rng.random() < 0.2:
                reused = rng.choice(earlier).split(" ")
                reused[rng.randrange(len(reused))] = rng.choice(TOPICS)
                paragraph = " ".join(reused)
            elif paragraphs and rng.random() < 0.1:
                paragraph = f"{rng.choice(ORG_WORDS)} talks in {rng.choice(PLACES)}"
            else:
                paragraph = " ".join(sentence(rng, world, day) for _ in range(rng.randint(2, 5)))
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        earlier.extend(p for p in paragraphs if p.endswith("."))
        earlier = earlier[-400:]
        (out / f"{i:06d}.txt").write_text(f" date {day.isoformat()} " + "\n\n".join(paragraphs) + "\n\nImage: AP", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    make(args.n, args.out, args.seed)
    print(f"{args.n} articles in {args.out}")


if __name__ == "__main__":
    main()
