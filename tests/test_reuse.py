"""Re-used paragraphs: found across articles, attributed to their first publication, with word-level changes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.model import Article, Paragraph, Source
from generator.reuse import CANDIDATES, MIN_SHARED_KEYS, TIED, _likely, find_reuse, find_reuse_after, shared_share, word_changes

BASE = ("The harbour authority of Eastport closed two piers on Monday after a storm damaged the cranes, "
        "and officials said repairs would take at least a month.")


def article(article_id: str, day: int, *texts: str) -> Article:
    paragraphs = tuple(Paragraph(i, "text", t, i) for i, t in enumerate(texts, start=1))
    return Article(article_id, f"{article_id}.txt", dt.date(2024, 1, day), article_id, paragraphs)


def test_reuse_is_found_and_credited_to_the_first_publication() -> None:
    edited = BASE.replace("two piers", "three piers").replace("a month", "six weeks")
    extended = BASE + " The port's director, Maren Holt, promised compensation to the shipping firms."
    found = find_reuse([
        article("a", 1, BASE, "A fresh paragraph about something else entirely, written only in this article."),
        article("b", 2, "Another opening that nobody repeats in any of the other articles here.", edited),
        article("c", 3, extended, "Short line."),
    ])
    assert sorted(found) == [Source("b", 2), Source("c", 1)]
    assert found[Source("b", 2)].earlier == Source("a", 1)
    assert found[Source("b", 2)].changes == (("two", "three"), ("a month.", "six weeks."))
    assert found[Source("c", 1)].earlier == Source("a", 1)
    assert found[Source("c", 1)].changes == (("", "The port's director, Maren Holt, promised compensation to the shipping firms."),)


def test_short_and_unrelated_paragraphs_are_new() -> None:
    found = find_reuse([
        article("a", 1, "Officials said on Monday.", BASE),
        article("b", 2, "Officials said on Monday.", "A different story entirely about the budget of the city council."),
    ])
    assert found == {}


words = st.lists(st.sampled_from("the port of city closed said two new ships storm council mayor on Monday".split()), max_size=30)


@given(words, words)
def test_changes_turn_the_old_text_into_the_new(old: list[str], new: list[str]) -> None:
    changes = word_changes(" ".join(old), " ".join(new))
    assert all(removed or added for removed, added in changes)
    assert 0.0 <= shared_share(" ".join(old), " ".join(new)) <= 1.0
    if old == new:
        assert changes == () and (shared_share(" ".join(old), " ".join(new)) == 1.0 or not new)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(words, min_size=1, max_size=3), min_size=1, max_size=5))
def test_a_paragraph_only_ever_reuses_an_earlier_article(corpus: list[list[list[str]]]) -> None:
    articles = [article(f"a{i}", i + 1, *[" ".join(p) or "empty" for p in paragraphs]) for i, paragraphs in enumerate(corpus)]
    order = {a.id: i for i, a in enumerate(articles)}
    for source, reuse in find_reuse(articles).items():
        assert order[reuse.earlier.article] < order[source.article]
        assert reuse.similarity >= 60


shared_keys = st.dictionaries(st.integers(0, 500), st.integers(1, 8), max_size=120)


@given(shared_keys)
def test_the_paragraphs_compared_are_those_sharing_most_keys(shared: dict[int, int]) -> None:
    chosen = _likely(Counter(shared))
    assert len(chosen) == len(set(chosen)) <= CANDIDATES + TIED
    assert all(shared[p] >= MIN_SHARED_KEYS for p in chosen)
    left = [p for p in shared if p not in chosen and shared[p] >= MIN_SHARED_KEYS]
    if chosen and left:  # nothing left out shares more keys than a paragraph compared
        assert max(shared[p] for p in left) <= min(shared[p] for p in chosen)
    if len(chosen) < CANDIDATES:
        assert not left


@given(shared_keys, st.integers(-100, -1), st.integers(0, 8))
def test_an_added_paragraph_does_not_push_out_one_it_ties_with(shared: dict[int, int], added: int, n: int) -> None:
    """An earlier article added (its paragraph comes first, here at a negative position) sharing no more keys than the
    last paragraph compared: every paragraph compared before is compared still, while the tie is under TIED."""
    before = _likely(Counter(shared))
    if not before or n > min(shared[p] for p in before) or len(before) >= CANDIDATES + TIED:
        return
    after = _likely(Counter({**shared, added: n}))
    assert set(before) <= set(after)


corpora = st.lists(st.lists(words, min_size=1, max_size=3), min_size=1, max_size=6)


@settings(max_examples=80, deadline=None)
@given(corpora, st.integers(0, 6), corpora)
def test_what_an_earlier_build_found_is_taken_only_for_the_articles_both_begin_with(corpus, kept, other) -> None:
    """The record of a build whose articles begin as this one's (then differ: added, edited, removed) gives the
    findings of a build from nothing; the paragraphs are long enough to be compared, and often the same."""
    def articles(texts: list[list[list[str]]], offset: int) -> list[Article]:
        return [article(f"a{i + offset}", i + 1, *[" ".join(BASE.split()[:8] + p) for p in paragraphs]) for i, paragraphs in enumerate(texts)]

    now = articles(corpus, 0)
    before = now[:kept] + articles(other, len(corpus))
    _, record = find_reuse_after(before, None)
    assert find_reuse_after(now, record)[0] == find_reuse(now)
    found, again = find_reuse_after(now, find_reuse_after(now, None)[1])
    assert found == find_reuse(now) and again == find_reuse_after(now, None)[1]


def topical(article_id: str, day: int, topic: int, paragraphs: list[list[str]]) -> Article:
    """An article whose words are its topic's own (`topic` appended to each): articles of different topics
    share no key."""
    return article(article_id, day, *[" ".join(f"{w}{topic}" for w in BASE.split()[:8] + p) for p in paragraphs])


topical_corpora = st.lists(st.tuples(st.integers(0, 2), st.lists(words, min_size=1, max_size=3)), min_size=1, max_size=7)


@settings(max_examples=120, deadline=None)
@given(topical_corpora, st.lists(st.integers(0, 3), min_size=7, max_size=7), topical_corpora, st.data())
def test_what_an_earlier_build_found_is_taken_for_the_articles_no_change_before_them_touches(corpus, fates, other, data) -> None:
    """Articles added, edited or removed anywhere (each kept, edited, removed or left out of the earlier build;
    others added in between): the record of the earlier build gives the findings of a build from nothing."""
    now = [topical(f"a{i}", i + 1, topic, paragraphs) for i, (topic, paragraphs) in enumerate(corpus)]
    before: list[Article] = []
    extra = iter(other)
    for a, fate in zip(now, fates):
        if fate == 1:  # edited: the earlier build had other text under the same id
            topic, paragraphs = next(extra, (0, [["storm"]]))
            before.append(topical(a.id, a.date.day, topic, paragraphs))
        elif fate == 2:  # added since: the earlier build had an article now removed in its place
            topic, paragraphs = next(extra, (1, [["mayor"]]))
            before.append(topical(f"gone{len(before)}", a.date.day, topic, paragraphs))
        elif fate == 0:
            before.append(a)
    if data.draw(st.booleans()):  # an article's date changed: the order is not the earlier one
        before.reverse()
    _, record = find_reuse_after(before, None)
    found, again = find_reuse_after(now, record)
    assert found == find_reuse(now)
    assert again == find_reuse_after(now, None)[1]


def test_an_article_added_early_is_compared_with_the_articles_sharing_its_keys_only(monkeypatch) -> None:
    """The articles of another topic than the one added on the first day are not compared again."""
    import generator.reuse as reuse

    later = [topical(f"a{i}", i + 2, i % 2, [["storm", "port", "council", "mayor", str(i)]]) for i in range(6)]
    _, record = find_reuse_after(later, None)
    compared: list[str] = []
    real = reuse._compare
    monkeypatch.setattr(reuse, "_compare", lambda article, *rest: (compared.append(article.id), real(article, *rest))[1])
    added = [topical("first", 1, 0, [["storm", "ships", "closed"]]), *later]
    found = find_reuse_after(added, record)[0]
    assert compared == ["first", "a0", "a2", "a4"]
    assert found == find_reuse(added)


@pytest.mark.parametrize("cut", [17, 19])
def test_an_edited_paragraph_is_compared_again_though_it_stays_a_candidate(cut: int) -> None:
    """The earlier article's paragraph cut short: the later copy's candidate is the same paragraph, of other
    words (then too short to be re-used, or re-used with other changes)."""
    before = [article("a", 1, BASE), article("b", 2, BASE + " Officials gave no date.")]
    now = [article("a", 1, " ".join(BASE.split()[:cut])), before[1]]
    _, record = find_reuse_after(before, None)
    assert find_reuse_after(now, record)[0] == find_reuse(now) != find_reuse(before)
