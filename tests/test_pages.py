"""Long lists are spread over pages: the seeds' briefing rendered with page limits small enough to split
every list, every page linked and every link leading to a page that exists."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from generator import render as render_module
from generator.render import make_environment, render

LINK = re.compile(r'\]\(([^)#\s]*)(?:#([^)\s]+))?\)|<a href="([^"#]*)(?:#([^"]+))?"')
"""Markdown links and the HTML links of the long lists (these with the site's `.html` URLs)."""
ANCHOR = re.compile(r'\{: #([\w-]+)|\bid="([\w-]+)"')


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (("ON_ACTOR_PAGE", 2), ("LIST_PAGE", 3), ("CHRONOLOGY_PAGE", 4), ("QUOTES_PAGE", 1), ("INDEX_PAGE", 1)):
        monkeypatch.setattr(render_module, name, value)


def resolve(page: str, target: str) -> str:
    parts = page.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def test_long_lists_are_split_and_every_link_leads_somewhere(seeds_build, small_pages) -> None:
    pages = render(seeds_build.briefing, make_environment())
    assert any(uri.startswith("chronology/") for uri in pages), "the chronology was not split"
    assert any(uri.startswith("articles/months/") for uri in pages) and any(uri.startswith("actors/kinds/") for uri in pages)
    assert any(re.fullmatch(r"actors/[\w-]+/events-\d+\.md", uri) for uri in pages)
    anchors = {uri: {a or b for a, b in ANCHOR.findall(text)} for uri, text in pages.items()}
    links = 0
    for uri, text in pages.items():
        for md_target, md_anchor, html_target, html_anchor in LINK.findall(text):
            if html_target and not html_target.endswith(".html"):
                continue  # the feed
            target, anchor = (md_target, md_anchor) if md_target or md_anchor else (html_target, html_anchor)
            target = target.removesuffix(".html") + ".md" if target.endswith(".html") else target
            if target and not target.endswith(".md"):
                continue
            resolved = resolve(uri, target) if target else uri
            assert resolved in pages, (uri, target)
            if anchor:
                assert anchor in anchors[resolved], (uri, target, anchor)
            links += 1
    assert links > 1000
    events_listed = sum(text.count("\n<li>") for uri, text in pages.items() if uri.startswith("chronology/") and "quotes" not in uri)
    assert events_listed >= len(seeds_build.briefing.events)


def test_every_event_of_an_actor_is_on_its_list_pages(seeds_build, small_pages) -> None:
    pages = render(seeds_build.briefing, make_environment())
    for actor in seeds_build.briefing.actors:
        events = [e for e in seeds_build.briefing.events if actor.id in e.actors]
        parts = [text for uri, text in pages.items() if uri.startswith(f"actors/{actor.id}/events-")]
        if len(events) > 2:
            assert sum(text.count("\n<li>") for text in parts) == len(events), actor.id
        else:
            assert parts == []


@pytest.mark.parametrize("directory_urls", [False, True])
def test_pages_are_the_same_whatever_the_memory_for_shared_pieces(seeds_build, monkeypatch, directory_urls) -> None:
    """Pieces rendered once and shared by later pages (kept compressed, let go when the memory set for them is
    full) give the pages a render without sharing would: here with room for a few pieces only."""
    whole = render(seeds_build.briefing, make_environment(), directory_urls)
    monkeypatch.setattr(render_module, "MEMO_BYTES", 4000)
    tight = render(seeds_build.briefing, make_environment(), directory_urls)
    assert tight == whole
    assert "\x1a" not in "".join(whole.values()) and "\x1b" not in "".join(whole.values())


def test_shared_pieces_stay_within_their_memory(monkeypatch) -> None:
    monkeypatch.setattr(render_module, "MEMO_BYTES", 2000)
    memo = render_module.Memo()

    def text(i: int) -> str:
        return f"<li>{i} " + "word " * 60 + "</li>"

    for i in range(200):
        assert memo.get(("block", i), lambda: Markup(text(i)), packed=True) == text(i)
        assert memo.size <= memo.budget
    kept = [i for i in range(200) if ("block", i) in memo.entries]
    assert 0 < len(kept) < 200 and kept == list(range(len(kept)))  # the first ones, kept once full
    for i in kept:
        assert memo.get(("block", i), lambda: Markup("not again"), packed=True) == text(i)
    assert any(isinstance(piece, bytes) for piece, _ in memo.entries.values())
