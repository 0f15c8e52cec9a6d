"""Extraction over several processes gives what one process gives, article for article, in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import extract as extract_module
from generator.extract import extract, load_model
from generator.ingest import read_articles

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


def test_analyses_come_back_from_the_cache_as_they_were_written(nlp, tmp_path: Path) -> None:
    """The cache file of an analysis is `dataclasses.asdict`'s JSON (the format caches were written in), and
    reading it back gives the analysis again."""
    import dataclasses
    import json

    articles = read_articles(CORPORA[1], today=dt.date.today())[0][:3]
    parsed = extract(articles, lambda: nlp, tmp_path, MODEL, 1)
    files = sorted(tmp_path.rglob("*.json"))
    assert len(files) == len(articles)
    written = {json.loads(f.read_text(encoding="utf-8"))["analysis"]["article"]: json.loads(f.read_text(encoding="utf-8")) for f in files}
    for analysis in parsed.values():
        assert written[analysis.article]["analysis"] == json.loads(json.dumps(dataclasses.asdict(analysis)))
    assert extract(articles, lambda: pytest.fail("the cache was not read"), tmp_path, MODEL, 1) == parsed
