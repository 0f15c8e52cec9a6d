"""The whole pipeline as one function of plain values: ingest → extract → resolve → assemble → render."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
import pickle
import sys
import tempfile
import shutil
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tqdm import tqdm

from . import __version__, templates_dir
from .assemble import MergeRecord, assemble, prepare
from .extract import EXTRACT_VERSION, UNREADABLE, extract, gc_frozen, gc_paused, load_model, model_id
from .incremental import RenderRecord, Tracker
from .ingest import read_articles
from .model import Article, Briefing, Problem
from .render import chronology_layout, make_environment, render, site_summary, write_briefing_json
from .resolve import resolve_actors
from .reuse import ReuseRecord, find_reuse_after

if TYPE_CHECKING:
    from spacy.tokens import Doc


class PageStore(Mapping[str, str]):
    """src_uri → Markdown of the generated pages, kept as files under `folder` rather than in memory: a briefing
    of thousands of articles has gigabytes of pages, which MkDocs reads one at a time. Without a folder (no
    cache), the pages stay in memory."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._uris: dict[str, None] = {}
        self.written: set[str] = set()
        """The pages this build rendered (the others are kept as the last build wrote them)."""
        self._texts: dict[str, str] = {}
        self._folders: set[Path] = set()
        """The folders made (or found) so far: thousands of pages share a few."""

    def add(self, uri: str, text: str) -> None:
        if self.folder is None:
            self._texts[uri] = text
        else:
            path = self.path(uri)
            if path.parent not in self._folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._folders.add(path.parent)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
        self._uris[uri] = None
        self.written.add(uri)

    def keep(self, uri: str) -> bool:
        """Page `uri` as the last build wrote it, when its file is there."""
        if self.folder is None or not self.path(uri).is_file():
            return False
        self._uris[uri] = None
        return True

    def prune(self) -> None:
        """Remove the files of pages the last build had and this one has not."""
        if self.folder is None:
            return
        for root, _, names in os.walk(self.folder):
            folder = Path(root).relative_to(self.folder).as_posix()
            for name in names:
                if (name if folder == "." else f"{folder}/{name}") not in self._uris:
                    os.unlink(os.path.join(root, name))

    def path(self, uri: str) -> Path:
        """The file holding page `uri` (the generator's own src_uri: no `..`, checked)."""
        if self.folder is None or uri.startswith("/") or ".." in uri.split("/"):
            raise KeyError(uri)
        return self.folder / uri

    def __getitem__(self, uri: str) -> str:
        if self.folder is None:
            return self._texts[uri]
        if uri not in self._uris:
            raise KeyError(uri)
        return self.path(uri).read_text(encoding="utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(self._uris)

    def __len__(self) -> int:
        return len(self._uris)

    def size(self, uri: str) -> int:
        """The size in bytes of page `uri`'s Markdown."""
        if self.folder is None:
            return len(self._texts[uri].encode())
        return self.path(uri).stat().st_size

    def intact(self) -> bool:
        """Every page's file is there (a build cache whose pages folder was removed is not used)."""
        return self.folder is None or all(self.path(uri).is_file() for uri in self._uris)


@dataclass(frozen=True)
class Build:
    briefing: Briefing
    """The whole briefing after a build; a build read back from the cache holds only its `site_summary` (actor
    names, article titles and dates, the feed's events), which is what the plugin uses."""
    pages: PageStore
    """src_uri → Markdown of every generated page."""
    json_file: Path | None
    """briefing.json, written under the cache folder; None without one (then `json_text` holds it)."""
    json_text: str
    """briefing.json when there is no cache folder."""
    problems: list[Problem]
    """Files left out or read with a problem: build warnings."""
    notes: list[Problem]
    """Things worth knowing that are not problems: build information."""
    chronology_where: dict[str, str]
    """Anchor of every date heading → the chronology page it is on."""

    @functools.cached_property
    def search_kinds(self) -> dict[str, str]:
        """src_uri → kind ("actor", "article") of the pages the search index holds."""
        kinds = {f"actors/{a.id}.md": "actor" for a in self.briefing.actors}
        kinds.update({f"articles/{a.id}.md": "article" for a in self.briefing.articles})
        return kinds

    def summarized(self) -> Build:
        """This build with only the `site_summary` of its briefing: all the MkDocs build needs once the pages
        are written."""
        return dataclasses.replace(self, briefing=site_summary(self.briefing))

    @property
    def json(self) -> str:
        """briefing.json, serialised."""
        return self.json_text if self.json_file is None else self.json_file.read_text(encoding="utf-8")

    def write_json(self, target: Path) -> None:
        if self.json_file is None:
            target.write_text(self.json_text, encoding="utf-8")
        else:
            shutil.copyfile(self.json_file, target)

    def intact(self) -> bool:
        """Every file the build keeps under the cache folder is there (a cache partly removed is not used)."""
        return self.pages.intact() and (self.json_file is None or self.json_file.is_file())

    @property
    def updated(self) -> str:
        """The date of the newest article (not dated ahead of today), as the site's update date, where MkDocs
        would put the build's date: the same input gives the same site."""
        today = dt.date.today()
        dates = [a.date for a in self.briefing.articles if a.date <= today]
        return max(dates).isoformat() if dates else "1970-01-01"


PROGRESS_FROM = 200
"""Paragraphs to read from which a progress bar is shown (on a terminal only)."""


def progress_bar(docs: Iterable[Doc], total: int) -> Iterable[Doc]:
    """A progress bar on the terminal while the language model reads; nothing in logs and CI output."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        return docs
    return tqdm(docs, total=total, desc="briefing: reading", unit=" paragraphs", mininterval=0.5, leave=False)


def build_briefing(
    articles_dir: Path,
    cache_dir: Path | None,
    model: str,
    templates: Path | None = None,
    n_process: int = 0,
    directory_urls: bool = False,
    whole_briefing: bool = True,
) -> Build:
    """The build of the articles in `articles_dir`, read from the cache when nothing changed (its briefing then
    the summary). `whole_briefing=False` (the plugin) returns the summarized build whenever it is made."""
    articles, problems = read_articles(articles_dir, today=dt.date.today())
    setup = _setup_key(model, templates, directory_urls)
    key = _build_key(setup, articles, problems)
    cached = _load_build(cache_dir, key)
    if cached is not None:
        return cached
    if cache_dir is not None:
        (cache_dir / BUILD_CACHE).unlink(missing_ok=True)  # its pages are about to be replaced
    build = _build(articles, problems, model, cache_dir, templates, n_process, directory_urls, setup)
    summary = build.summarized()
    _save(cache_dir, BUILD_CACHE, key, summary)
    return build if whole_briefing else summary


def _build(
    articles: list[Article],
    problems: list[Problem],
    model: str,
    cache_dir: Path | None,
    templates: Path | None,
    n_process: int,
    directory_urls: bool,
    setup: str,
) -> Build:
    analyses = extract(articles, functools.partial(load_model, model), cache_dir, model, n_process, progress_bar, background=True)
    reused, reuse_record = find_reuse_after(articles, _take(cache_dir, REUSE_CACHE, setup, ReuseRecord))
    _save(cache_dir, REUSE_CACHE, setup, reuse_record)
    merging = _take(cache_dir, MERGE_CACHE, setup, MergeRecord)
    if analyses.waiting:  # new articles are being parsed: time to read what merging will read
        prepare(merging)
    merged: list[MergeRecord] | None = None if cache_dir is None else []  # without a cache, no state is made
    digests: dict[int, bytes] = {}
    with gc_paused():
        briefing = assemble(articles, analyses, resolve_actors(articles, analyses), reused, merging, merged, digests)
    if merged:
        _save(cache_dir, MERGE_CACHE, setup, merged[0])
    layout = chronology_layout(briefing)
    folder = None if cache_dir is None else cache_dir / PAGES
    pages = PageStore(folder)
    tracker = Tracker(_take(cache_dir, RENDER_CACHE, setup, RenderRecord), keep=pages.keep, known=digests)
    with gc_frozen():
        render(briefing, make_environment(templates, None if cache_dir is None else cache_dir / TEMPLATES), directory_urls, layout, sink=pages.add, tracker=tracker)
    pages.prune()
    _save(cache_dir, RENDER_CACHE, setup, tracker.record())
    json_file, json_text = None, ""
    if cache_dir is None:
        chunks: list[str] = []
        write_briefing_json(briefing, chunks.append)
        json_text = "".join(chunks)
    else:
        cache_dir.mkdir(parents=True, exist_ok=True)
        json_file = cache_dir / JSON
        with open(json_file, "w", encoding="utf-8") as handle:
            write_briefing_json(briefing, handle.write)
    linked = {source.article for source, spans in briefing.mention_spans.items() if spans}
    notes = [Problem(a.file, None, "no names found in it; built without actor links") for a in articles if a.id not in linked]
    return Build(briefing, pages, json_file, json_text, problems, notes, layout.where)


RENDER_CACHE = "render.pickle"
"""What the last render read for each page (`incremental.RenderRecord`): the next render with the same set-up
renders only the pages whose inputs changed; the others stay as they are under PAGES."""
REUSE_CACHE = "reuse.pickle"
"""What re-use detection read and found, article by article (`reuse.ReuseRecord`)."""
MERGE_CACHE = "merge.pickle"
"""Event merging as the last build left it (`assemble.MergeRecord`)."""
BUILD_CACHE = "build.pickle"
"""The last build's result: a rebuild with the same articles, templates, generator code and versions takes it as it is."""
PAGES = "pages"
"""The last build's pages (Markdown), under the cache folder."""
TEMPLATES = "templates"
"""The page templates, compiled (Jinja bytecode), under the cache folder."""
JSON = "briefing.json"
"""The last build's briefing.json, under the cache folder."""


def _setup_key(model: str, templates: Path | None, directory_urls: bool) -> str:
    """What a build's output depends on besides the articles: versions, the generator's code and templates."""
    digest = hashlib.sha256()
    for part in (__version__, EXTRACT_VERSION, model_id(model), str(directory_urls), str(sys.version_info[:2])):
        digest.update(f"{part}\0".encode())
    for folder in (Path(__file__).parent, templates_dir(), templates):
        if folder is not None:
            for path in sorted(Path(folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _build_key(setup: str, articles: list[Article], problems: list[Problem]) -> str:
    digest = hashlib.sha256(setup.encode())
    for article in articles:
        digest.update(repr(article).encode())
    for problem in problems:
        digest.update(repr(problem).encode())
    return digest.hexdigest()


def _load_build(cache_dir: Path | None, key: str) -> Build | None:
    """The cached build for `key`, or None. The file is this generator's own, in the build's cache folder."""
    if cache_dir is None:
        return None
    try:
        with open(cache_dir / BUILD_CACHE, "rb") as handle:
            if pickle.load(handle) != key:  # the key first: a stale build is not read
                return None
            build = pickle.load(handle)
    except UNREADABLE:
        return None
    if not isinstance(build, Build) or not build.intact():
        return None
    build.pages.written.clear()  # this build rendered none of them
    return build


R = TypeVar("R")


def _take(cache_dir: Path | None, name: str, setup: str, kind: type[R]) -> R | None:
    """The record `name` of the last build when it was made with this set-up, removed from the cache: what it
    describes is about to change, and a build stopped half-way must not leave a record that no longer matches."""
    if cache_dir is None:
        return None
    path = cache_dir / name
    try:
        with open(path, "rb") as handle:
            record = pickle.load(handle) if pickle.load(handle) == setup else None
    except UNREADABLE:
        record = None
    path.unlink(missing_ok=True)
    return record if isinstance(record, kind) else None


def _save(cache_dir: Path | None, name: str, key: str, value: object) -> None:
    """`value` under `key` in the cache file `name`, written whole or not at all."""
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False, suffix=".tmp") as handle:
            pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, cache_dir / name)
    except OSError:
        pass  # a cache that cannot be written only costs time
