"""Long lists are spread over pages: the seeds' briefing rendered with page limits small enough to split
every list, every page linked and every link leading to a page that exists."""

from __future__ import annotations

import re

import pytest

from generator import render as render_module
from generator.render import make_environment, render

LINK = re.compile(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)")
ANCHOR = re.compile(r"\{: #([\w-]+)")


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
    anchors = {uri: set(ANCHOR.findall(text)) | {f"p{n}" for n in range(1, 200)} for uri, text in pages.items()}
    for uri, text in pages.items():
        for target, anchor in LINK.findall(text):
            if not target.endswith(".md"):
                continue
            resolved = resolve(uri, target)
            assert resolved in pages, (uri, target)
            if anchor and not resolved.startswith("articles/"):
                assert anchor in anchors[resolved], (uri, target, anchor)
    events_listed = sum(text.count("\n- ") for uri, text in pages.items() if uri.startswith("chronology/") and "quotes" not in uri)
    assert events_listed >= len(seeds_build.briefing.events)


def test_every_event_of_an_actor_is_on_its_list_pages(seeds_build, small_pages) -> None:
    pages = render(seeds_build.briefing, make_environment())
    for actor in seeds_build.briefing.actors:
        events = [e for e in seeds_build.briefing.events if actor.id in e.actors]
        parts = [text for uri, text in pages.items() if uri.startswith(f"actors/{actor.id}/events-")]
        if len(events) > 2:
            assert sum(text.count("\n- ") for text in parts) == len(events), actor.id
        else:
            assert parts == []
