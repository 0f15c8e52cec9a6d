"""Extraction and actor resolution with the real model: on a corpus written for the tests, and on the seeds."""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

import pytest

from generator.knowledge import knowledge
from generator.model import Actor, Briefing, Source
from generator.pipeline import Build, build_briefing

from .conftest import MODEL

CORPUS = Path(__file__).parent / "corpus" / "actors"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    return build_briefing(CORPUS, tmp_path_factory.mktemp("cache"), MODEL).briefing


def by_name(briefing: Briefing) -> dict[str, Actor]:
    return {a.name: a for a in briefing.actors}


@pytest.mark.parametrize(
    "name, kind, aliases",
    [
        ("Andrey Sorokin", "person", ("Andrei Sorokin", "Sorokin")),
        ("Northland Shipping Authority", "organization", ("NSA",)),
        ("European Union", "organization", ("EU",)),
        ("United Nations", "organization", ("UN",)),
        ("United States", "country", ("U.S.",)),
        ("Reuters", "media", ()),
        ("TASS", "media", ("Tass",)),
        ("Tomas Berg", "person", ()),
        ("Anna Berg", "person", ()),
        ("Irina Volkova", "person", ()),
        ("Baltic Freight", "organization", ()),
    ],
)
def test_actor_forms_and_kinds(corpus: Briefing, name: str, kind: str, aliases: tuple[str, ...]) -> None:
    actor = by_name(corpus)[name]
    assert (actor.kind, actor.aliases) == (kind, aliases)


def test_two_people_sharing_a_surname_stay_apart(corpus: Briefing) -> None:
    people = [a.name for a in corpus.actors if a.kind == "person"]
    assert "Tomas Berg" in people and "Anna Berg" in people and "Berg" not in people


@pytest.mark.parametrize(
    "name, title, of",
    [
        ("Andrey Sorokin", "Interior Minister", None),
        ("Irina Volkova", "senior adviser", "Baltic Freight"),
        ("Tomas Berg", "spokesman", "NSA"),
        ("Anna Berg", "Foreign Minister", None),
    ],
)
def test_roles(corpus: Briefing, name: str, title: str, of: str | None) -> None:
    assert [(r.title, r.of) for r in by_name(corpus)[name].roles] == [(title, of)]


def test_role_owner_links_to_its_actor(corpus: Briefing) -> None:
    (role,) = by_name(corpus)["Tomas Berg"].roles
    assert role.of_actor == by_name(corpus)["Northland Shipping Authority"].id


def test_quote_speaker_and_outlet(corpus: Briefing) -> None:
    (quote,) = corpus.quotes
    assert quote.text == "We have no other choice at this point"
    assert (quote.speaker, quote.via) == ("andrey-sorokin", "reuters")


def test_outlets_cited_are_not_event_participants(corpus: Briefing) -> None:
    media = {a.id for a in corpus.actors if a.kind == "media"}
    assert media and all(not media & set(e.actors) for e in corpus.events)


def test_an_outlet_the_news_is_about_takes_part(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        " date 2024-04-09 Reuters opened a new bureau in Brennick on Monday, the agency said. "
        "The minister told Reuters that the talks would go on.", encoding="utf-8")
    briefing = build_briefing(tmp_path, None, MODEL).briefing
    reuters = next(a for a in briefing.actors if a.name == "Reuters")
    assert reuters.kind == "media"
    involved = [e.text for e in briefing.events if reuters.id in e.actors]
    assert involved == ["Reuters opened a new bureau in Brennick on Monday, the agency said."]


def test_a_plural_possessive_links_the_name_without_its_apostrophe(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        " date 2024-04-09 The minister reviewed the United States' reply with the Northland Shipping Authority "
        "on Monday.", encoding="utf-8")
    briefing = build_briefing(tmp_path, None, MODEL).briefing
    text = briefing.articles[0].paragraphs[0].text
    names = {a.id: a.name for a in briefing.actors}
    linked = [(text[start:end], names[actor]) for spans in briefing.mention_spans.values() for start, end, actor in spans]
    assert ("United States", "United States") in linked and not any(t.endswith("'") for t, _ in linked)


def test_a_shared_surname_goes_to_the_one_its_article_names_even_after_it(tmp_path: Path) -> None:
    """"Dunmore" opens the article and Karl Dunmore is named after it: he is the one meant, though another
    Dunmore is in the news; so an article about her, added or not, does not move the mention."""
    (tmp_path / "a.txt").write_text(" date 2024-04-08 Karl Dunmore, the port director, opened a new terminal in Eastbay on Monday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text(" date 2024-04-09 Mara Dunmore, the finance minister, presented the budget on Tuesday.", encoding="utf-8")
    (tmp_path / "c.txt").write_text(
        " date 2024-04-10 Dunmore said the terminal would double the port's capacity.\n\n"
        "Karl Dunmore, who runs the port, added that new cranes were on order.", encoding="utf-8")
    briefing = build_briefing(tmp_path, None, MODEL).briefing
    people = {a.name: a.id for a in briefing.actors if a.kind == "person"}
    assert {"Karl Dunmore", "Mara Dunmore"} <= set(people) and "Dunmore" not in people, people
    article_c = next(a for a in briefing.articles if a.file == "c.txt")
    opening = [actor for start, _, actor in briefing.mention_spans[Source(article_c.id, 1)] if start == 0]
    assert opening == [people["Karl Dunmore"]]


@pytest.mark.parametrize("karl_articles, meant", [(12, "Karl Dunmore"), (2, "Dunmore")])
def test_a_surname_alone_goes_to_the_bearer_named_far_most_often(tmp_path: Path, karl_articles: int, meant: str) -> None:
    """An article says only "Dunmore": the one person of that name the corpus names in nearly every article
    naming a Dunmore is meant (a namesake named once does not change that); with no such person it stays a
    page of its own."""
    for day in range(1, karl_articles + 1):
        (tmp_path / f"k{day:02d}.txt").write_text(
            f" date 2024-04-{day:02d} Karl Dunmore, the port director, inspected the cranes in Eastbay on day {day}.", encoding="utf-8")
    (tmp_path / "m.txt").write_text(" date 2024-04-20 Mara Dunmore, the finance minister, presented the budget on Tuesday.", encoding="utf-8")
    (tmp_path / "z.txt").write_text(" date 2024-04-21 Dunmore said on Sunday that the terminal would double the port's capacity.", encoding="utf-8")
    briefing = build_briefing(tmp_path, None, MODEL).briefing
    names = {a.id: a.name for a in briefing.actors}
    article_z = next(a for a in briefing.articles if a.file == "z.txt")
    assert [names[actor] for start, _, actor in briefing.mention_spans[Source(article_z.id, 1)] if start == 0] == [meant]


# The seeds: invariants that hold for any corpus, checked on the real example articles.


def test_seeds_no_person_is_split_by_surname_or_spelling(seeds_build: Build) -> None:
    """No person of the seeds shares a surname with another, so one page per surname means nothing was split."""
    people = [a for a in seeds_build.briefing.actors if a.kind == "person"]
    surnames = [a.name.split()[-1].casefold() for a in people]
    assert people and len(surnames) == len(set(surnames)), [a.name for a in people]
    assert any(len({alias.split()[0] for alias in a.aliases if " " in alias} | {a.name.split()[0]}) > 1 for a in people)


def test_seeds_agencies_are_media_and_named_outlets_resolve(seeds_build: Build) -> None:
    facts = knowledge()
    for actor in seeds_build.briefing.actors:
        if any(facts.media_name(form) for form in (actor.name, *actor.aliases)):
            assert actor.kind == "media", actor
    text = " ".join(p.text for a in seeds_build.briefing.articles for p in a.paragraphs)
    cited = set(re.findall(r"as per (?:the )?([A-Z]\w+)", text))
    assert cited
    for name in cited:
        actor = next(a for a in seeds_build.briefing.actors if name in (a.name, *a.aliases))
        assert actor.kind == "media", actor


def test_seeds_acronyms_written_in_the_text_join_their_expansion(seeds_build: Build) -> None:
    text = " ".join(p.text for a in seeds_build.briefing.articles for p in a.paragraphs)
    pairs = re.findall(r"([A-Z][\w-]+(?: (?:[A-Z][\w-]+|of|for|and|in))*) \(([A-Z]{2,})\)", text)
    assert pairs
    actors = seeds_build.briefing.actors
    for expansion, acronym in pairs:
        owners = [a for a in actors if acronym in (a.name, *a.aliases)]
        assert len(owners) == 1 and owners[0].name in expansion, (expansion, acronym, owners)


def test_seeds_every_mention_links_to_an_actor_page(seeds_build: Build) -> None:
    ids = {a.id for a in seeds_build.briefing.actors}
    assert len(ids) == len(seeds_build.briefing.actors)  # one page each
    spans = [span for spans in seeds_build.briefing.mention_spans.values() for span in spans]
    assert spans and all(actor in ids for _, _, actor in spans)
    assert sum(a.mentions for a in seeds_build.briefing.actors) >= len(spans)


def test_dates_in_sentences_without_a_verb_are_read(tmp_path: Path) -> None:
    """A date whose head chain ends at a root that is no verb ("Talks in Geneva on Monday.") once looped forever."""
    (tmp_path / "a.txt").write_text(
        " date 2024-04-10 Talks in Geneva on Monday. Lena Ortiz arrived in Geneva on Tuesday.", encoding="utf-8"
    )
    briefing = build_briefing(tmp_path, None, MODEL).briefing
    assert [e.when.value for e in briefing.events] == ["2024-04-09"]


def test_quotes_merge_by_speaker_and_wording_among_many() -> None:
    """The same words of one speaker in two articles are one quote citing both, found among many other quotes
    (candidates come from an index of rare words, not from every earlier quote); another speaker's identical
    words stay apart, and a reworded quote stays its own."""
    from generator.assemble import _merge_quotes
    from generator.model import Quote, Source

    said = "The harbour will reopen once the cranes have been inspected by engineers"
    rng = random.Random(7)

    def words(n: int) -> str:
        return " ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9))) for _ in range(n))

    others = [Quote(f"q{i}", words(10), rng.choice("ab"), None, (Source(f"x{i}", 1),)) for i in range(300)]
    quotes = [
        Quote("q-a", said, "a", None, (Source("first", 2),)),
        *others,
        Quote("q-b", said.replace("engineers", "the engineers"), "a", "reuters", (Source("second", 5),)),
        Quote("q-c", said, "b", None, (Source("third", 1),)),
        Quote("q-d", "The harbour stays closed until the inquiry reports on its findings", "a", None, (Source("fourth", 1),)),
    ]
    merged = _merge_quotes(quotes)
    first = next(q for q in merged if q.id == "q-a")
    assert first.sources == (Source("first", 2), Source("second", 5))
    assert first.via == "reuters" and first.variants == (said.replace("engineers", "the engineers"),)
    assert {q.id for q in merged} >= {"q-c", "q-d"} and len(merged) == 300 + 3
