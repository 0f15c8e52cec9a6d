"""The search indexes: which pages each holds, what of a page is indexed, and shards of the article index."""

from __future__ import annotations

import collections
import gzip
import itertools
import json
import math
import shutil
import subprocess
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pagefind_bin import get_executable

from generator.search import _OPTIONS, ACTORS, IndexedPages, SearchPlan

def fragments(index: Path) -> dict[str, dict]:
    """URL → what Pagefind keeps of each page of an index (its fragment: the text indexed, title, anchors)."""
    out = {}
    for path in (index / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        out[fragment["url"]] = fragment
    return out


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def words(text: str) -> str:
    return " ".join(text.split())


uris = st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), unique=True, max_size=60)


@given(uris, uris, st.integers(0, 10**7), st.integers(1, 10**6))
def test_every_page_is_in_one_index_and_stays_there(actors: list[str], articles: list[str], size: int, shard: int) -> None:
    kinds = {f"actors/{a}.md": "actor" for a in actors} | {f"articles/{a}.md": "article" for a in articles}
    plan = SearchPlan.of(kinds, size, shard)
    assert plan.shards == max(1, min(len(articles), math.ceil(size / shard)))
    where = {uri: plan.index_of(uri) for uri in kinds}
    assert set(where.values()) == set(plan.names)
    assert all((index == ACTORS) == (kinds[uri] == "actor") for uri, index in where.items())
    assert not actors or plan.names[0] == ACTORS
    assert plan.index_of("chronology.md") is None
    order = sorted([*kinds, "chronology.md"], key=plan.rank)  # the build's order: an index's pages together
    held = [plan.index_of(uri) for uri in order]
    assert [index for index, _ in itertools.groupby(held)] == [*plan.build_order, None][: len(set(held))]
    assert sorted(plan.build_order) == sorted(plan.names) and (not plan.names or (plan.build_order[-1] == ACTORS) == bool(actors))
    assert plan.counts() == dict(collections.Counter(where.values()))
    grown = SearchPlan.of(dict(kinds, **{"articles/zz-new.md": "article"}), size, shard)
    if grown.shards == plan.shards:  # the same number of shards: an added article moves no other
        assert all(grown.index_of(uri) == index for uri, index in where.items())


def test_the_index_holds_names_roles_titles_and_paragraphs_only(seeds_site: Path) -> None:
    data = json.loads((seeds_site / "briefing.json").read_text(encoding="utf-8"))
    actors = fragments(seeds_site / "pagefind" / "actors")
    articles: dict[str, dict] = {}
    for shard in sorted((seeds_site / "pagefind").glob("articles-*")):
        articles |= fragments(shard)
    assert set(actors) == {f"/actors/{a['id']}.html" for a in data["actors"]}
    assert set(articles) == {f"/articles/{a['id']}.html" for a in data["articles"]}
    quotes = [q["text"] for q in data["quotes"]]
    for actor in data["actors"]:
        content = actors[f"/actors/{actor['id']}.html"]["content"]
        assert all(words(name) in content for name in (actor["name"], *actor["aliases"]))
        assert "Mentioned in" not in content and "Appears with" not in content and "¶" not in content
        assert not any(len(q) > 40 and words(q)[:40] in content for q in quotes), actor["id"]
    for article in data["articles"]:
        fragment = articles[f"/articles/{article['id']}.html"]
        assert "Actors:" not in fragment["content"] and "First published in" not in fragment["content"]
        for p in article["paragraphs"]:
            assert words(p["text"]) in words(fragment["content"]), (article["id"], p["n"])
        assert {a["id"] for a in fragment["anchors"]} >= {f"p{p['n']}" for p in article["paragraphs"]}


def test_a_small_shard_size_splits_the_article_index(sharded_site: Path) -> None:
    """Shards of a few kilobytes: every article in exactly one, each shard an index of its own, all named in
    the search box."""
    shards = sorted((sharded_site / "pagefind").glob("articles-*"), key=lambda shard: int(shard.name.split("-")[1]))
    assert len(shards) > 2
    found = [set(fragments(shard)) for shard in shards]
    assert all(found) and sum(map(len, found)) == len(set().union(*found))
    data = json.loads((sharded_site / "briefing.json").read_text(encoding="utf-8"))
    assert set().union(*found) == {f"/articles/{a['id']}.html" for a in data["articles"]}
    indexes = ["actors", *(shard.name for shard in shards)] if (sharded_site / "pagefind" / "actors").is_dir() else [s.name for s in shards]
    assert f'data-indexes="{" ".join(indexes)}"' in (sharded_site / "index.html").read_text(encoding="utf-8")


def test_an_index_is_made_as_soon_as_its_pages_are_in_and_as_pagefind_makes_it_at_the_end(seeds_site: Path, tmp_path: Path) -> None:
    """The pages handed in as MkDocs writes them (article pages first): the article index starts with its last
    page, before the actor pages are all in; in the next build, the pages handed in by the keys of their kept
    outputs before any is written start their index at once. Every index is what Pagefind makes of its pages
    in one run at the end."""
    site = tmp_path / "site"
    pages = {index: [p for p in sorted(seeds_site.glob(f"{folder}/*.html")) if "data-pagefind-body" in p.read_text(encoding="utf-8")] for index, folder in (("articles-1", "articles"), ("actors", "actors"))}
    assert len(pages["actors"]) > 10 and len(pages["articles-1"]) > 1
    expected = {index: len(paths) for index, paths in pages.items()}
    indexed = IndexedPages(site, expected, tmp_path / "cache")
    for index, paths in pages.items():
        for n, path in enumerate(paths, 1):
            key = f"kept-{path.stem}" if index == "actors" else None  # actor pages as pages with kept outputs
            indexed.add(index, path.relative_to(seeds_site).as_posix(), path.read_text(encoding="utf-8"), key)
            done = n == len(paths)
            assert indexed.started == ((("articles-1", "actors") if done else ("articles-1",)) if index == "actors" else (("articles-1",) if done else ()))
    indexed.finish()
    assert indexed.started == ("articles-1", "actors")
    for index, paths in pages.items():  # Pagefind over the whole pages, as they are on the site
        whole = tmp_path / "whole" / index
        for path in paths:
            (whole / "pages" / path.relative_to(seeds_site)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, whole / "pages" / path.relative_to(seeds_site))
        command = [str(get_executable()), "--site", str(whole / "pages"), "--output-path", str(whole / "index"), *_OPTIONS]
        subprocess.run(command, check=True, capture_output=True)
        assert len(fragments(whole / "index")) == len(paths)
        assert files(site / "pagefind" / index) == files(whole / "index")  # byte for byte
    again = IndexedPages(tmp_path / "again", expected, tmp_path / "cache")
    assert not again.add_kept("actors", "actors/unknown.html", "kept-unknown"), "a key the store lacks"
    for path in pages["actors"]:
        assert again.add_kept("actors", path.relative_to(seeds_site).as_posix(), f"kept-{path.stem}")
    assert again.started == ("actors",), "started before any page is written"
    for path in pages["articles-1"]:
        again.add("articles-1", path.relative_to(seeds_site).as_posix(), path.read_text(encoding="utf-8"))
    again.finish()
    for index in pages:  # the same pages: the cached indexes
        assert files(tmp_path / "again" / "pagefind" / index) == files(site / "pagefind" / index)
    assert len(list((tmp_path / "cache" / "parts").iterdir())) == sum(expected.values())
    assert sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "cache").iterdir() if p.name != "parts") == ["actors", "articles-1"]
