"""Extraction over several processes gives what one process gives, article for article, in order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from generator import extract as extract_module
from generator.extract import extract, load_model
from generator.ingest import read_articles
from generator.model import Paragraph

from .conftest import MODEL

CORPORA = [Path(__file__).parent / "corpus" / "actors", Path(__file__).parent.parent / "seeds"]


@pytest.fixture(scope="module")
def nlp():
    return load_model(MODEL)


def test_worker_processes_give_the_analyses_of_one(nlp, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [a for folder in CORPORA for a in read_articles(folder, today=dt.date.today())[0]]
    monkeypatch.setattr(extract_module, "CHUNK_WORDS", 200)  # several chunks, some of one article
    ticks: list[int] = []

    def progress(items, total):
        ticks.append(total)
        for item in items:
            ticks.append(1)
            yield item

    one = extract(articles, lambda: nlp, None, MODEL, 1)
    two = extract(articles, lambda: nlp, None, MODEL, 2, progress)
    assert list(two) == list(one) == [a.id for a in articles]
    assert two == one and all(analysis.sentences for analysis in two.values())
    assert ticks[0] == len(ticks) - 1 > len(articles)  # the bar counts every paragraph, and gets to the end


def test_cached_analyses_are_read_from_the_cache_each_time_not_held(nlp, tmp_path: Path) -> None:
    """With a cache, extraction keeps no analysis in memory: each is read back from its file when asked for,
    equal to the one parsed; an article whose text another file has shares its entry, under its own id."""
    import dataclasses

    articles = read_articles(CORPORA[1], today=dt.date.today())[0][:3]
    twin = dataclasses.replace(articles[0], id="twin", file="twin.txt")
    held = extract(articles, lambda: nlp, None, MODEL, 1)
    cached = extract([*articles, twin], lambda: nlp, tmp_path, MODEL, 1)
    assert len(list(tmp_path.rglob("*.pickle"))) == len(articles)
    assert not cached._held and list(cached) == [*held, "twin"]
    assert {id: cached[id] for id in held} == dict(held)
    assert cached["twin"] == dataclasses.replace(held[articles[0].id], article="twin")
    again = extract(articles, lambda: pytest.fail("the cache was not read"), tmp_path, MODEL, 1)
    assert again == held and again.pop(articles[1].id) == held[articles[1].id] and again == held  # the entry stays


def test_an_analysis_is_held_when_its_cache_entry_cannot_be_written(nlp, tmp_path: Path, caplog) -> None:
    articles = read_articles(CORPORA[1], today=dt.date.today())[0][:2]
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder would be", encoding="utf-8")
    with caplog.at_level("INFO", logger="mkdocs.plugins.briefing"):
        analyses = extract(articles, lambda: nlp, cache, MODEL, 1)
    assert analyses == extract(articles, lambda: nlp, None, MODEL, 1) and set(analyses._held) == {a.id for a in articles}
    assert all("cannot write the cache entry" in r.getMessage() for r in caplog.records) and len(caplog.records) == 2


def test_the_cache_keeps_the_analyses_of_the_articles_as_they_are_now(nlp, tmp_path: Path) -> None:
    """An edited article's old analysis, a removed article's, JSON entries of extractor versions before 8 and
    writes left half-done go at the next build; the build's other files stay."""
    articles = read_articles(CORPORA[1], today=dt.date.today())[0][:2]
    old = tmp_path / "ab" / ("ab" + "0" * 62 + ".json")
    half = tmp_path / "ab" / "tmpk2f9oj_x.tmp"
    kept = [tmp_path / "ab" / "notes.json", tmp_path / "pages" / ("cd" + "0" * 62 + ".json"), tmp_path / "render.pickle"]
    for path in (old, half, *kept):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    first = extract(articles, lambda: nlp, tmp_path, MODEL, 1)
    entries = lambda: sorted(p.name for p in tmp_path.glob("??/*.pickle"))  # noqa: E731
    assert not old.exists() and not half.exists() and all(path.exists() for path in kept) and len(entries()) == 2
    edited = dataclasses.replace(articles[0], paragraphs=(*articles[0].paragraphs, Paragraph(99, "text", "Talks resumed on Monday.", 99)))
    again = extract([edited, articles[1]], lambda: nlp, tmp_path, MODEL, 1)
    assert len(entries()) == 2 and again[articles[1].id] == first[articles[1].id] and again[edited.id] != first[articles[0].id]
    extract([articles[1]], lambda: pytest.fail("the model was loaded"), tmp_path, MODEL, 1)  # one removed: nothing to parse
    assert len(entries()) == 1 and all(path.exists() for path in kept)


def test_a_few_articles_parsed_in_the_background_give_what_parsing_here_gives(nlp, tmp_path: Path) -> None:
    """Articles parsed by a process of their own while the cached ones are read: the same analyses, written to
    the cache; the first one asked for waits for them. When that process fails, they are parsed here."""
    articles = [a for folder in CORPORA for a in read_articles(folder, today=dt.date.today())[0]]
    assert len(articles) > 3
    here = extract(articles, lambda: nlp, None, MODEL, 1)
    extract(articles[:-2], lambda: nlp, tmp_path / "cache", MODEL, 1)
    loaded: list[str] = []
    background = extract(articles, lambda: loaded.append("here") or nlp, tmp_path / "cache", MODEL, 1, background=True)
    assert background._waiting == {a.id for a in articles[-2:]}
    assert background[articles[0].id] == here[articles[0].id] and background._waiting, "a cached one does not wait"
    assert dict(background) == dict(here) and not loaded, "the model was loaded by the other process only"
    assert extract(articles, lambda: pytest.fail("parsed again"), tmp_path / "cache", MODEL, 1) == here

    failing = extract(articles, lambda: loaded.append("here") or nlp, tmp_path / "other", "no_such_model", 1, background=True)
    assert dict(failing) == dict(here) and loaded == ["here"], "parsed here when the other process failed"
