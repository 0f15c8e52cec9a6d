"""A rebuild renders only the pages whose inputs changed, and its pages are those a full render gives: after
articles are added, edited and removed (real spaCy, the real pipeline; the full render in a cache of its own)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.extract import extract
from generator.incremental import Reads, Recorded, Tracker, Volatile
from generator.ingest import read_articles
from generator.model import Actor, Briefing, Source
from generator.pipeline import BUILD_CACHE, MERGE_CACHE, RENDER_CACHE, REUSE_CACHE, Build, build_briefing
from generator import assemble as assemble_module
from generator import render as render_module
from generator.render import make_environment, render

from .conftest import MODEL, ROOT, SEEDS

POOL = sorted(
    [*SEEDS.glob("*.txt"), *(ROOT / "tests/corpus/actors").glob("*.txt"), *(ROOT / "tests/eval/chronology").glob("*.txt"), *(ROOT / "tests/eval/actors").glob("*.txt")]
)
ADDED = [
    "Mayor Ilse Dunmore met the Eastbay Harbour Board on Friday to discuss the ferry fares.",
    "Dunmore said the board would publish the fares next week, according to Reuters.",
    "The Eastbay Harbour Board (EHB) closed two piers in Eastbay on Monday.",
]
"""Sentences an edit appends to an article (invented names)."""


def build(folder: Path, cache: Path, nlp) -> Build:
    """The pipeline's build of `folder`, its articles' analyses made first with the session's model."""
    articles, _ = read_articles(folder, today=dt.date.today())
    extract(articles, lambda: nlp, cache, MODEL)
    return build_briefing(folder, cache, MODEL, whole_briefing=False)


def full(folder: Path, cache: Path, nlp) -> Build:
    """The same build with nothing kept from the last but the analyses."""
    for name in (RENDER_CACHE, REUSE_CACHE, MERGE_CACHE, BUILD_CACHE):
        (cache / name).unlink(missing_ok=True)
    return build(folder, cache, nlp)


def assert_same(incremental: Build, whole: Build) -> None:
    assert sorted(incremental.pages) == sorted(whole.pages)
    differ = [uri for uri in whole.pages if incremental.pages[uri] != whole.pages[uri]]
    assert differ == []
    assert incremental.json == whole.json
    files = {p.relative_to(incremental.pages.folder).as_posix() for p in incremental.pages.folder.rglob("*") if p.is_file()}
    assert files == set(incremental.pages), "a removed page's file was left behind"


def stamps(build: Build) -> dict[str, int]:
    return {uri: build.pages.path(uri).stat().st_mtime_ns for uri in build.pages}


def edit(path: Path, sentence: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")


def test_added_edited_and_removed_articles(tmp_path: Path, nlp) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in POOL[:-1]:
        shutil.copy(path, folder)
    before = stamps(build(folder, tmp_path / "cache", nlp))
    shutil.copy(POOL[-1], folder)
    added = build(folder, tmp_path / "cache", nlp)
    assert_same(added, full(folder, tmp_path / "whole", nlp))
    after = stamps(added)
    kept = [uri for uri, stamp in before.items() if after.get(uri) == stamp]
    assert kept and len(kept) < len(before), "pages are kept, and not all of them"

    edit(folder / POOL[0].name, ADDED[0])
    assert_same(build(folder, tmp_path / "cache", nlp), full(folder, tmp_path / "whole", nlp))
    (folder / POOL[1].name).unlink()
    removed = build(folder, tmp_path / "cache", nlp)
    assert_same(removed, full(folder, tmp_path / "whole", nlp))
    assert not any(uri.startswith(f"articles/{POOL[1].stem}") for uri in removed.pages)


def test_a_build_stopped_while_rendering_leaves_no_record(tmp_path: Path, nlp, monkeypatch) -> None:
    """The record goes before the pages change: a build stopped half-way is followed by a full render."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in POOL[:4]:
        shutil.copy(path, folder)
    build(folder, tmp_path / "cache", nlp)
    edit(folder / POOL[0].name, ADDED[1])

    def stop(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.pipeline.render", stop)
    try:
        build(folder, tmp_path / "cache", nlp)
    except KeyboardInterrupt:
        pass
    assert not (tmp_path / "cache" / RENDER_CACHE).exists()
    monkeypatch.undo()
    assert_same(build(folder, tmp_path / "cache", nlp), full(folder, tmp_path / "whole", nlp))


STEP = st.tuples(st.sampled_from(["add", "remove", "edit"]), st.integers(0, len(POOL) - 1), st.integers(0, len(ADDED) - 1))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(start=st.sets(st.integers(0, len(POOL) - 1), min_size=1, max_size=len(POOL)), steps=st.lists(STEP, min_size=1, max_size=3))
def test_any_sequence_of_changes_renders_what_a_full_render_does(tmp_path_factory, nlp, start: set[int], steps) -> None:
    work = tmp_path_factory.mktemp("changes")
    folder = work / "articles"
    folder.mkdir()
    for i in start:
        shutil.copy(POOL[i], folder)
    build(folder, work / "cache", nlp)
    for op, i, sentence in steps:
        target = folder / POOL[i].name
        if op == "add":
            shutil.copy(POOL[i], folder)
        elif op == "remove" and target.exists() and len(list(folder.iterdir())) > 1:
            target.unlink()
        elif op == "edit" and target.exists():
            edit(target, ADDED[sentence])
        assert_same(build(folder, work / "cache", nlp), full(folder, work / "whole", nlp))


def briefing_with(*actors: Actor) -> Briefing:
    return Briefing(articles=(), actors=actors, events=(), quotes=())


def test_a_page_is_kept_only_while_nothing_it_read_changed() -> None:
    holt = Actor("holt", "Ana Holt", "person", (), 1, (Source("a", 1),))
    tracker = Tracker()
    tracker.start(briefing_with(holt), {})
    reads = Reads()
    assert "holt" in Recorded({"holt": holt}, "name", tracker, reads)
    tracker.rendered("p.md", lambda: b"context", reads)
    volatile = Reads()
    assert Volatile(briefing_with(holt), volatile).actors == (holt,)
    tracker.rendered("q.md", lambda: b"context", volatile)
    record = tracker.record()

    again = Tracker(record)
    again.start(briefing_with(holt), {})
    assert again.unchanged("p.md", lambda: b"context")
    assert not again.unchanged("p.md", lambda: b"another context")
    assert not again.unchanged("q.md", lambda: b"context"), "a page that read the briefing outside the helpers"

    def never() -> bytes:
        raise AssertionError("the context of a page rendered every time was digested")

    assert not again.unchanged("q.md", never)
    assert not again.unchanged("r.md", lambda: b"context"), "a page the last render did not have"

    renamed = Tracker(record)
    renamed.start(briefing_with(dataclasses.replace(holt, name="Anna Holt")), {})
    assert not renamed.unchanged("p.md", lambda: b"context")
    gone = Tracker(record, keep=lambda uri: False)
    gone.start(briefing_with(holt), {})
    assert not gone.unchanged("p.md", lambda: b"context"), "a page whose file is gone"


def test_a_context_digest_follows_every_field_of_what_it_holds() -> None:
    holt = Actor("holt", "Ana Holt", "person", (), 1, (Source("a", 1),))
    digests = {Tracker().context("actor.md.j2", "actors/holt.md", {"actor": holt})}
    for field in dataclasses.fields(Actor):
        value = getattr(holt, field.name)
        changed = value + 1 if isinstance(value, int) else (*value, Source("b", 2)) if isinstance(value, tuple) else value + "x"
        digests.add(Tracker().context("actor.md.j2", "actors/holt.md", {"actor": dataclasses.replace(holt, **{field.name: changed})}))
    assert len(digests) == 1 + len(dataclasses.fields(Actor))
    assert Tracker().context("actor.md.j2", "actors/holt.md", {"actor": holt}) in digests, "the same context, the same digest"


def renamed(briefing: Briefing) -> Briefing:
    top = briefing.actors[0].id
    return dataclasses.replace(briefing, actors=tuple(dataclasses.replace(a, name=a.name + " Jr") if a.id == top else a for a in briefing.actors))


def rekinded(briefing: Briefing) -> Briefing:
    top = briefing.actors[0]
    kind = "place" if top.kind != "place" else "country"
    return dataclasses.replace(briefing, actors=tuple(dataclasses.replace(a, kind=kind) if a is top else a for a in briefing.actors))


def unlinked(briefing: Briefing) -> Briefing:
    """The paragraph of the first event without its actor links."""
    source = briefing.events[0].sources[0]
    return dataclasses.replace(briefing, mention_spans={s: () if s == source else spans for s, spans in briefing.mention_spans.items()})


def not_reused(briefing: Briefing) -> Briefing:
    return dataclasses.replace(briefing, reused={})


def retitled(briefing: Briefing) -> Briefing:
    first = briefing.articles[0]
    return dataclasses.replace(briefing, articles=(dataclasses.replace(first, title="Another title"), *briefing.articles[1:]))


def from_an_outlet(briefing: Briefing) -> Briefing:
    """The first article's outlet named: every link citing one of its paragraphs says so."""
    first = briefing.articles[0]
    return dataclasses.replace(briefing, articles=(dataclasses.replace(first, outlet="The Daily Courier"), *briefing.articles[1:]))


@pytest.mark.parametrize("split", [False, True], ids=["one page each", "lists split"])
@pytest.mark.parametrize("change", [renamed, rekinded, unlinked, not_reused, retitled, from_an_outlet])
def test_what_a_page_reads_beyond_its_context_is_followed(seeds_build, monkeypatch, change, split: bool) -> None:
    """A change that no page's own context shows (an actor's name on the pages linking to it, a paragraph's links
    in every event item quoting it, what an article re-uses, an article's title and outlet where it is cited): the
    pages that show it are rendered again and the rest kept, and together they are a full render's pages. Split:
    with page limits small enough to put every list on pages of its own."""
    if split:
        for name, value in (("ON_ACTOR_PAGE", 2), ("LIST_PAGE", 3), ("CHRONOLOGY_PAGE", 4), ("QUOTES_PAGE", 1), ("INDEX_PAGE", 1)):
            monkeypatch.setattr(render_module, name, value)
    assert seeds_build.briefing.reused, "the seeds re-use a paragraph"
    env = make_environment()
    tracker = Tracker()
    before = render(seeds_build.briefing, env, tracker=tracker)
    changed = change(seeds_build.briefing)
    incremental = Tracker(tracker.record())
    again = render(changed, env, tracker=incremental)
    assert 0 < len(again) < len(incremental.pages)
    assert {uri: again.get(uri, before.get(uri)) for uri in incremental.pages} == render(changed, env)


def test_a_list_page_digest_follows_its_items() -> None:
    """The pieces of a page's context that the render makes (a list page's part, an actor's lists) are digested
    with what they hold."""
    holt = Actor("holt", "Ana Holt", "person", (), 1, (Source("a", 1),))
    brandt = dataclasses.replace(holt, id="brandt", name="Karl Brandt")
    parts = [render_module.Part("actors/x/events-1.md", "events", items) for items in ([holt], [brandt], [holt, brandt])]
    digests = {Tracker().context("actor_list.md.j2", "actors/x/events-1.md", {"part": part}) for part in parts}
    assert len(digests) == 3


def test_an_article_dated_after_the_others_is_merged_on_from_the_last_build(tmp_path: Path, nlp) -> None:
    """As a story develops: the new article's statements come after the others', and event merging goes on from
    the last build's state (only they are indexed) with what a full build gives."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in POOL[:6]:
        shutil.copy(path, folder)
    build(folder, tmp_path / "cache", nlp)
    articles, _ = read_articles(folder, today=dt.date.today())
    later = max(a.date for a in articles) + dt.timedelta(days=1)
    (folder / "zz-later.txt").write_text(f" date {later.isoformat()} " + " ".join(ADDED) + "\n", encoding="utf-8")
    indexed: list[object] = []
    real = assemble_module._index_keys
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assemble_module, "_index_keys", lambda event, span: indexed.append(event) or real(event, span))
        added = build(folder, tmp_path / "cache", nlp)
        resumed = list(indexed)
        indexed.clear()
        whole = full(folder, tmp_path / "whole", nlp)
    assert_same(added, whole)
    assert resumed and {e.sources[0].article for e in resumed} == {"zz-later"}
    assert len(indexed) > len(resumed)


def test_an_article_whose_names_resolve_otherwise_gives_its_statements_again(tmp_path: Path, nlp) -> None:
    """An article's statements are taken from the last build only when it and what resolution says of its
    names are the same: an article dated after the others reads its own analysis alone, unless it changes the
    actor of an earlier article's name (a surname alone, joined to the full name it now brings): then that
    article's statements are made again, and event merging starts from the beginning."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in POOL[:4]:
        shutil.copy(path, folder)
    (folder / "aa-surname.txt").write_text(" date 2020-01-06 Mr. Dunmore said on Friday that the ferry office in Eastbay would close.\n", encoding="utf-8")
    build(folder, tmp_path / "cache", nlp)
    articles, _ = read_articles(folder, today=dt.date.today())
    later = max(a.date for a in articles) + dt.timedelta(days=1)
    made: list[str] = []
    real = assemble_module._statements
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assemble_module, "_statements", lambda article, *rest, **options: made.append(article.id) or real(article, *rest, **options))
        (folder / "zz-later.txt").write_text(f" date {later.isoformat()} The Eastbay Harbour Board met on Monday.\n", encoding="utf-8")
        build(folder, tmp_path / "cache", nlp)
        assert made == ["zz-later"]
        made.clear()
        (folder / "zz-latest.txt").write_text(f" date {later.isoformat()} {ADDED[0]}\n", encoding="utf-8")
        named = build(folder, tmp_path / "cache", nlp)
        others = sorted(a.id for a in read_articles(folder, today=dt.date.today())[0] if a.id not in ("aa-surname", "zz-latest"))
        assert made[:2] == ["aa-surname", "zz-latest"] and sorted(made[2:]) == others, "the changed and new ones, then all for a merge from the start"
    whole = full(folder, tmp_path / "whole", nlp)
    assert_same(named, whole)
    office = next(e for e in whole.briefing.events if e.sources[0].article == "aa-surname")
    assert "ilse-dunmore" in office.actors, "the surname alone is the full name's actor now"


def test_an_event_reported_again_by_an_article_dated_after_the_others_cites_both(tmp_path: Path, nlp) -> None:
    """An article dated after the others that reports an earlier event again: merging goes on from the last
    build's state, and the event cites both articles on every page, as a full build gives."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in POOL[:4]:
        shutil.copy(path, folder)
    articles, _ = read_articles(folder, today=dt.date.today())
    later = max(a.date for a in articles) + dt.timedelta(days=2)
    day = (later - dt.timedelta(days=1)).strftime("%-d %B %Y")
    statement = f"The Eastbay Harbour Board closed two piers in Eastbay on {day} after a storm."
    (folder / "zy-first.txt").write_text(f" date {(later - dt.timedelta(days=1)).isoformat()} {statement}\n", encoding="utf-8")
    build(folder, tmp_path / "cache", nlp)
    (folder / "zz-again.txt").write_text(f" date {later.isoformat()} Officials counted the damage.\n\n{statement}\n", encoding="utf-8")
    again = build(folder, tmp_path / "cache", nlp)
    whole = full(folder, tmp_path / "whole", nlp)
    closed = next(e for e in whole.briefing.events if e.text == statement)
    assert [s.article for s in closed.sources] == ["zy-first", "zz-again"]
    assert_same(again, whole)
