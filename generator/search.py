"""Search: the header's search box on every page, the Pagefind indexes of actor and article pages, and the
list of names and titles searched when the site is opened from disk.

Pagefind (the `pagefind-bin` package ships its binary) splits an index into small pieces fetched as a query
needs them. Actor pages have an index of their own, which the browser searches first: a name is found
without loading the article index. Article pages are indexed in shards that the browser merges; it shows the
first shard's hits while it loads the others, so a word only articles hold costs one shard's pieces before
the first results. Only what a reader searches for is indexed: an actor's names and roles, an article's title
and paragraphs (not the lists that repeat what other pages say).
"""

from __future__ import annotations

import functools
import hashlib
import html
import importlib.metadata
import math
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import material

from .model import Briefing
from .render import script_json

TITLES = "search-titles.js"
ICONS = Path(material.__file__).parent / "templates" / ".icons" / "material"
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
_INDEXED = '<article class="md-content__inner md-typeset" data-pagefind-body>'
"""Material's content element, marked for the index: what Pagefind indexes of a page."""
_HEADER_END = re.compile(r"(</nav>\s*</header>)")


class SearchIndexError(Exception):
    """Pagefind could not index the site."""


@functools.cache
def _icon(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8").strip()


@functools.cache
def search_box() -> str:
    """Material's search markup (its look and its toggle), without the attributes Material's own search binds
    (and the form is not named "search", which would make Material fetch its own index)."""
    return (
        f'<label class="md-header__button md-icon" for="__search" title="Search">{_icon("magnify")}</label>\n'
        '<div class="md-search" role="dialog" data-briefing-search>\n'
        '  <label class="md-search__overlay" for="__search"></label>\n'
        '  <div class="md-search__inner" role="search">\n'
        '    <form class="md-search__form" name="briefing-search">\n'
        '      <input type="text" class="md-search__input" name="query" aria-label="Search" placeholder="Search"'
        ' autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" required>\n'
        f'      <label class="md-search__icon md-icon" for="__search">{_icon("magnify")}{_icon("arrow-left")}</label>\n'
        '      <nav class="md-search__options" aria-label="Search">'
        f'<button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">{_icon("close")}</button></nav>\n'
        "    </form>\n"
        '    <div class="md-search__output">\n'
        '      <div class="md-search__scrollwrap" tabindex="0">\n'
        '        <div class="md-search-result">\n'
        '          <div class="md-search-result__meta">Type to start searching</div>\n'
        '          <ol class="md-search-result__list" role="presentation"></ol>\n'
        "        </div>\n"
        "      </div>\n"
        "    </div>\n"
        "  </div>\n"
        "</div>\n"
    )


def with_search_box(output: str, indexed: bool, indexes: tuple[str, ...] = ()) -> str:
    """The page with the search box in its header (naming the site's `indexes`, which search.js loads) and,
    when the page is `indexed` (an actor or article page), its content marked for the index."""
    box = search_box().replace("data-briefing-search>", f'data-briefing-search data-indexes="{" ".join(indexes)}">', 1)
    output = _HEADER_END.sub(lambda m: box + m.group(1), output, count=1)
    if indexed:
        output = _ARTICLE.sub(_INDEXED, output, count=1)
    return output


ACTORS = "actors"
"""The index of actor pages (their names, other names and roles): small, so a name is found first and fast."""


@dataclass(frozen=True)
class SearchPlan:
    """Which search index holds each actor and article page: actor pages in one, article pages in shards by a
    hash of their path (an article stays in its shard as others are added, so only its shard is made again)."""

    kinds: Mapping[str, str]
    """src_uri → kind ("actor", "article") of the pages indexed."""
    shards: int
    names: tuple[str, ...]
    """The indexes that hold pages, actors first: folders under site/pagefind/."""

    @classmethod
    def of(cls, kinds: Mapping[str, str], article_bytes: int, shard_bytes: float) -> SearchPlan:
        """Article pages of `article_bytes` in all, in shards of at most `shard_bytes` (the option
        `search_shard_mb`: 80 MB is about 4,000 articles of 600 words). Pagefind holds an index whole in memory
        while it writes it, so a large briefing's articles are indexed in shards, one Pagefind run each, which
        the reader's browser merges."""
        articles = sum(kind == "article" for kind in kinds.values())
        shards = max(1, min(articles, math.ceil(article_bytes / max(shard_bytes, 1))))
        plan = cls(kinds, shards, ())
        used = {plan.index_of(uri) for uri in kinds}
        shard_names = sorted((name for name in used if name != ACTORS), key=lambda name: int(name.rsplit("-", 1)[1]))
        return cls(kinds, shards, (ACTORS,) * (ACTORS in used) + tuple(shard_names))

    def counts(self) -> dict[str, int]:
        """Index → how many pages it holds."""
        return dict(Counter(index for index in map(self.index_of, self.kinds) if index is not None))

    def rank(self, src_uri: str) -> int:
        """Where page `src_uri` goes in the order of the build: the pages of one index together, so that an index
        is made while MkDocs writes the others; the article shards first, then the actor index (the smallest,
        made last so the build's end waits little), the pages no index holds last."""
        index = self.index_of(src_uri)
        return len(self.names) if index is None else self.build_order.index(index)

    @functools.cached_property
    def build_order(self) -> tuple[str, ...]:
        """The indexes in the order their pages are written."""
        return tuple(sorted(self.names, key=lambda name: name == ACTORS))

    def index_of(self, src_uri: str) -> str | None:
        kind = self.kinds.get(src_uri)
        if kind is None:
            return None
        if kind == "actor":
            return ACTORS
        return f"articles-{zlib.crc32(src_uri.encode()) % self.shards + 1}"


class IndexedPages:
    """The pages of each index as the build hands them in, with a digest of each index's pages. An index whose
    pages are all in is made at once, while MkDocs writes the rest of the site (Pagefind on the other core);
    one whose pages are those of the last build is copied from the `cache` folder instead. `finish` makes the
    others and waits for all.

    Pagefind reads each page's indexed part (`_indexed_part`), kept in a store under `cache` (`PARTS`) by a key
    that fixes it: the key of a page's kept theme output, else the part's digest. A page whose kept output the
    build writes again is handed in by that key alone (`add_kept`) before MkDocs writes any page, so an index
    waits only for the pages rendered again."""

    def __init__(
        self, site: Path | None = None, expected: Mapping[str, int] | None = None, cache: Path | None = None, workers: int | None = None
    ) -> None:
        self.pages: dict[str, list[tuple[str, str]]] = {}
        """Index → (dest_uri, part key) of its pages handed in so far."""
        self.site = site
        self.cache = cache
        self.expected = dict(expected or {})
        """Index → how many pages it holds: when they are all in, it is made."""
        self.workers = workers or WORKERS
        self._started: dict[str, Future[str | None]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._scratch: tempfile.TemporaryDirectory | None = None
        self._used: set[str] = set()
        """The part keys of this build: the store's others are removed at the end."""

    @functools.cached_property
    def parts(self) -> Path:
        """The store of indexed parts: under the cache folder, or a temporary folder without one."""
        if self.cache is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="briefing-parts-")
            return Path(self._scratch.name)
        (self.cache / PARTS).mkdir(parents=True, exist_ok=True)
        return self.cache / PARTS

    def add(self, index: str, dest_uri: str, output: str, key: str | None = None) -> None:
        """Page `dest_uri` of `index`, `output` its HTML as the site has it; `key` the key of its kept theme
        output, which fixes its indexed part (None: the part's digest is its key)."""
        if key is None or not (self.parts / f"{key}.html").is_file():  # a kept output's part is made once
            part = _indexed_part(output)
            key = key or hashlib.sha256(part.encode()).hexdigest()
            if not (self.parts / f"{key}.html").is_file():
                with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.parts, delete=False, suffix=".tmp") as handle:
                    handle.write(part)
                os.replace(handle.name, self.parts / f"{key}.html")
        self._take(index, dest_uri, key)

    def add_kept(self, index: str, dest_uri: str, key: str) -> bool:
        """Page `dest_uri` of `index` by the key of the kept theme output the build writes again: False when the
        store lacks its part (the page is then handed in with `add` when MkDocs writes it)."""
        if self.site is None or not (self.parts / f"{key}.html").is_file():
            return False
        self._take(index, dest_uri, key)
        return True

    def _take(self, index: str, dest_uri: str, key: str) -> None:
        if index in self._started:
            raise SearchIndexError(f"{dest_uri} came after its index ({index}) was made")
        self._used.add(key)
        pages = self.pages.setdefault(index, [])
        pages.append((dest_uri, key))
        if len(pages) == self.expected.get(index):
            self._start(index)

    @property
    def started(self) -> tuple[str, ...]:
        """The indexes being made or made, in the order they were started."""
        return tuple(self._started)

    def key(self, index: str) -> str:
        """The index's pages and their parts, in any order, and Pagefind's version and options."""
        digest = hashlib.sha256(_pagefind_setup().encode())
        for dest_uri, key in sorted(self.pages[index]):
            digest.update(f"{dest_uri}\0{key}\0".encode())
        return f"{index}-{digest.hexdigest()[:32]}"

    def _start(self, index: str) -> None:
        if self.site is None:
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="pagefind")
        pages = [(dest_uri, self.parts / f"{key}.html") for dest_uri, key in self.pages[index]]
        self._started[index] = self._pool.submit(_make_index, self.site, index, pages, self.key(index), self.cache)

    def finish(self) -> None:
        """Make every index not made yet, wait for them all, and remove from the cache the indexes and parts no
        longer used. The first failure is raised once every run has ended."""
        if self.site is None:
            return
        for index in self.pages:
            if index not in self._started:
                self._start(index)
        kept: set[str] = {PARTS}
        failure: Exception | None = None
        for run in self._started.values():
            try:
                key = run.result()
            except Exception as error:  # every run ends before the first failure is raised
                failure = failure or error
            else:
                if key is not None:
                    kept.add(key)
        if self._pool is not None:
            self._pool.shutdown()
        if self._scratch is not None:
            self._scratch.cleanup()
        if failure is not None:
            raise failure
        cache = self.cache
        if cache is not None and cache.is_dir():
            for old in cache.iterdir():
                if old.name not in kept:
                    shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
            if (cache / PARTS).is_dir():
                for part in (cache / PARTS).iterdir():
                    if part.name.removesuffix(".html") not in self._used:
                        part.unlink(missing_ok=True)


def _make_index(site: Path, index: str, pages: list[tuple[str, Path]], key: str, cache: Path | None) -> str | None:
    """Index `index` of `pages` ((dest_uri, its indexed part)) into site/pagefind/<index>/, copied from `cache`
    when it holds the index of these pages (`key`) or made and kept there; the key kept, or None."""
    target = site / BUNDLE / index
    if cache is not None and (cache / key).is_dir():
        shutil.copytree(cache / key, target, dirs_exist_ok=True)
        return key
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".pages-") as folder:
        for dest_uri, part in pages:
            copy = Path(folder) / dest_uri
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(part, copy)  # the store's file, not a copy of it
            except OSError:
                shutil.copyfile(part, copy)
        _pagefind(Path(folder), target)
    if cache is None:
        return None
    try:
        shutil.copytree(target, cache / key)
    except OSError:
        shutil.rmtree(cache / key, ignore_errors=True)  # a cache that cannot be written only costs time
        return None
    return key


WORKERS = max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
"""Pagefind runs at a time: one beside MkDocs's build, two at its end on a machine of two cores or more (each
run uses more than one core a little, and holds its index in memory: about 1 GB for a shard of 4,000 articles)."""
BUNDLE = "pagefind"
"""The site folder of the search indexes."""
PARTS = "parts"
"""The folder of indexed parts under the search cache (`IndexedPages`)."""
_OPTIONS = ["--force-language", "en", "--keep-index-url", "--exclude-selectors", ".headerlink", "--silent"]


@functools.cache
def _pagefind_setup() -> str:
    return f"pagefind-bin {importlib.metadata.version('pagefind-bin')} {' '.join(_OPTIONS)}"


def _run_pagefind(site: Path, uris: list[str], target: Path) -> None:
    """Pagefind over the pages `uris` of the site only, as the build runs it: over a folder of their indexed
    parts by the same paths, so page URLs are those of the site (the bench times it so)."""
    with tempfile.TemporaryDirectory(prefix=".pages-") as folder:
        for uri in uris:
            copy = Path(folder) / uri
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(_indexed_part((site / uri).read_text(encoding="utf-8")), encoding="utf-8")
        _pagefind(Path(folder), target)


def _pagefind(pages: Path, target: Path) -> None:
    """Pagefind over the folder `pages`, its index written to `target`."""
    from pagefind_bin import get_executable

    shutil.rmtree(target, ignore_errors=True)
    command = [str(get_executable()), "--site", str(pages), "--output-path", str(target.resolve()), *_OPTIONS]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"Pagefind could not run: {error}") from error
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({done.returncode}): {html.unescape(done.stderr.strip() or done.stdout.strip())[:2000]}")


_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)


def _indexed_part(html: str) -> str:
    """A page as Pagefind reads it: its title and the part marked for the index (`with_search_box`), without
    the theme's header, navigation and icons around it, which Pagefind would parse to find it (article pages:
    28 MB → 16 MB at 1,000 articles, Pagefind about a quarter faster, the index the same byte for byte). A page
    without the mark is read whole."""
    start, end = html.find(_INDEXED), html.rfind("</article>")
    title = _TITLE.search(html)
    if start < 0 or end < start or title is None:
        return html
    return f'<!doctype html><html lang="en"><head><meta charset="utf-8">{title.group(0)}</head><body>{html[start : end + len("</article>")]}</body></html>'


def titles_script(briefing: Briefing, directory_urls: bool) -> str:
    """Actor names (every form) and article titles with their URLs, for searching a site opened from disk."""

    def url(uri: str) -> str:
        return uri.removesuffix(".md") + ("/" if directory_urls else ".html")

    entries = [[" / ".join((a.name, *a.aliases)), url(f"actors/{a.id}.md"), "actor"] for a in briefing.actors]
    entries += [[a.title, url(f"articles/{a.id}.md"), "article"] for a in briefing.articles]
    return f"window.briefingSearchTitles = {script_json(entries, separators=(',', ':'))};\n"


