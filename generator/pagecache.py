"""Rendered HTML of generated pages, kept between builds: a page whose Markdown has not changed is not
converted again, and a page whose whole output cannot have changed is not put through the theme again.

MkDocs converts every page's Markdown on every build; for a briefing of thousands of pages that is most of
a rebuild. A generated page is given a `CachedPage`, which converts only when its Markdown, the Markdown
set-up (extensions and their options, URL style) or the versions of MkDocs, Python-Markdown and the
generator changed, and otherwise takes the HTML, table of contents, title and anchors the last conversion
left. Link validation runs when a page is converted, which is when its links can have changed.

MkDocs then renders every page with the theme's template (Material's: 3 ms a page). The theme's output is a
function of the page (its Markdown, address, title, table of contents, metadata) and of the site (its
configuration, navigation, the theme's templates and versions), unless a plugin changes a page or its
template context on the way: so when no other plugin handles those events (`output_fingerprint`), a page
whose output the last build rendered from the same page and site is given a template that writes that
output as it was. The post_page event still runs on it (the search box, the index).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zlib
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path

import material
import mkdocs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.theme import Theme

from . import __version__, passthrough

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_THEMES = (Path(material.__file__).parent, Path(mkdocs.__file__).parent, Path(__file__).parent / "assets" / "theme")
"""Template folders whose templates the versions fingerprinted decide: Material's, MkDocs's, the generator's."""


def setup_fingerprint(config: MkDocsConfig) -> str:
    """What, besides a page's Markdown, decides its HTML."""
    extensions = [e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions]
    options = _ADDRESS.sub("", repr(sorted((config.mdx_configs or {}).items(), key=lambda item: str(item[0]))))
    parts = [__version__, version("mkdocs"), version("markdown"), repr(extensions), options, str(config.use_directory_urls)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


KEPT_TEMPLATE = "briefing-kept-page.html"
"""The template of a page whose output is kept: it writes `CachedPage.kept_output` (in assets/theme/)."""
PAGE_EVENTS = ("pre_page", "page_markdown", "page_content", "page_context")
"""The events by which a plugin can make a page's theme output differ while the page and the site do not."""


OUTPUT = ".out.z"
"""The suffix of a kept theme output (zlib-compressed HTML)."""
BUILD_ONLY = frozenset({"site_dir", "dev_addr", "watch", "strict", "validation"})
"""Options that decide where and how a build runs, not what a page shows."""


def output_fingerprint(config: MkDocsConfig, nav: Navigation, own: type) -> str | None:
    """What, besides the page, decides a page's theme output; None when a plugin other than `own` handles
    one of PAGE_EVENTS or the theme has templates of the site's own (then every page is rendered)."""
    for event in PAGE_EVENTS:
        if any(not isinstance(getattr(handler, "__self__", None), own) for handler in config.plugins.events.get(event, ())):
            return None
    for folder in config.theme.dirs:  # templates of an override folder can read anything of a page (its update date)
        if not any(Path(folder).is_relative_to(known) for known in _THEMES):
            return None
    digest = hashlib.sha256()
    for name in ("mkdocs", "mkdocs-material", "jinja2", "markdown"):
        digest.update(f"{name} {version(name)}\0".encode())
    digest.update(f"{__version__}\0".encode())
    items = sorted((name, value) for name, value in config.items() if name not in BUILD_ONLY)
    digest.update(_stable(items).encode())
    digest.update(str(nav).encode())  # its sections and pages, titled, with their addresses
    return digest.hexdigest()


def _stable(value: object) -> str:
    """A repr of configuration values the same from build to build: sets sorted, no object addresses."""
    if isinstance(value, Theme):
        return f"Theme({value.name!r}, {value.dirs!r}, {sorted(value.static_templates)!r}, {_stable(dict(value.items()))})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_stable(k)}: {_stable(v)}" for k, v in sorted(value.items(), key=lambda item: repr(item[0]))) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(map(_stable, value))) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(_stable, value)) + "]"
    return _ADDRESS.sub("", repr(value))


class PageCache:
    """HTML of converted pages under `folder` (`<key>.html`, with `<key>.json` for the table of contents, title
    and anchors), keyed by Markdown, page and set-up, and the theme's output of pages (`<key>.out.z`, keyed by
    `output_key`); entries not used by a build are removed after it (`prune`), so the folder holds one build's
    pages."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.output: str | None = None
        """`output_fingerprint` of this build: pages' theme outputs are kept only when it is set."""
        self.used: set[str] = set()

    def key(self, src_uri: str, markdown: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{src_uri}\0{markdown}".encode()).hexdigest()

    def _path(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> dict | None:
        """The entry's table of contents, title and anchors, if its HTML is there too."""
        self.used.add(key)
        try:
            with open(self._path(key, ".json"), encoding="utf-8") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):
            return None
        return entry if self._path(key, ".html").is_file() else None

    def content(self, key: str) -> str:
        return self._path(key, ".html").read_text(encoding="utf-8")

    def put(self, key: str, entry: dict, content: str) -> bool:
        """Store an entry; False when it could not be written (a cache that cannot be written only costs time)."""
        self.used.add(key)
        try:
            self._path(key, "").parent.mkdir(parents=True, exist_ok=True)
            for suffix, text in ((".html", content), (".json", json.dumps(entry, ensure_ascii=False))):
                with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self._path(key, "").parent, delete=False, suffix=".tmp") as handle:
                    handle.write(text)
                os.replace(handle.name, self._path(key, suffix))
        except OSError:
            return False
        return True

    def output_key(self, page: Page, key: str) -> str | None:
        """The key of page's theme output, `key` that of its Markdown; None when outputs are not kept."""
        if self.output is None:
            return None
        parts = [self.output, key, page.url, repr(page.canonical_url), repr(page.edit_url), repr(sorted(page.meta.items()))]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def kept_output(self, key: str) -> str | None:
        """The theme output kept under `key`, if it is there."""
        self.used.add(key)
        try:
            return zlib.decompress(self._path(key, OUTPUT).read_bytes()).decode("utf-8")
        except (OSError, zlib.error, UnicodeDecodeError):
            return None

    def has_output(self, key: str) -> bool:
        self.used.add(key)
        return self._path(key, OUTPUT).is_file()

    def keep_output(self, key: str, output: str) -> None:
        self.used.add(key)
        try:
            self._path(key, "").parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self._path(key, "").parent, delete=False, suffix=".tmp") as handle:
                handle.write(zlib.compress(output.encode("utf-8"), 1))  # a sixth of the size: the theme's markup repeats
            os.replace(handle.name, self._path(key, OUTPUT))
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self) -> None:
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.name.split(".")[0] not in self.used:
                path.unlink(missing_ok=True)


class CachedPage(Page):
    """A generated page converted only when its Markdown or the set-up changed, whose HTML stays in the cache
    folder until MkDocs writes the page: MkDocs converts every page before it writes any, and holding them all
    took gigabytes at ten thousand articles. Its Markdown is let go once converted."""

    def __init__(self, file: File, config: MkDocsConfig, cache: PageCache) -> None:
        self._cache = cache
        self._stored: tuple[str, int, int] | None = None
        """(key, length, hash) of the HTML in the cache that `content` reads, length and hash of what it last
        read: the same text set back (MkDocs' page_content event) leaves it there."""
        self._content: str | None = None
        self._reading: str | None = None
        """The HTML read while MkDocs writes the page (its templates ask for it more than once)."""
        self.output_key: str | None = None
        """The key of this page's theme output (`PageCache.output_key`), when outputs are kept."""
        self.output_kept = False
        """The theme output under `output_key` is there: the page is given KEPT_TEMPLATE."""
        super().__init__(None, file, config)

    @property
    def kept_output(self) -> str:
        """The page's theme output as the last build rendered it (read by KEPT_TEMPLATE)."""
        assert self.output_key is not None
        output = self._cache.kept_output(self.output_key)
        if output is None:
            raise RuntimeError(f"the kept output of {self.file.src_uri} is gone from the cache: build again")
        return output

    def keep(self, output: str) -> None:
        """Keep the theme's output of this page for the next build (the post_page event, before any change)."""
        if self.output_key is not None and not self.output_kept:
            self._cache.keep_output(self.output_key, output)

    def _decide_output(self, key: str) -> None:
        self.output_key = self._cache.output_key(self, key)
        self.output_kept = self.output_key is not None and self._cache.has_output(self.output_key)
        if self.output_kept:
            self.meta = {**self.meta, "template": KEPT_TEMPLATE}

    @Page.active.setter
    def active(self, value: bool) -> None:
        Page.active.fset(self, value)  # type: ignore[attr-defined]
        if not value:
            self._reading = None

    @property  # type: ignore[override]
    def content(self) -> str | None:
        if self._content is None and self._stored is not None:
            if self._reading is not None:
                return self._reading
            text = self._cache.content(self._stored[0])
            self._stored = (self._stored[0], len(text), hash(text))
            if self.active:
                self._reading = text
            return text
        return self._content

    @content.setter
    def content(self, value: str | None) -> None:
        stored = self._stored
        if stored is not None and value is not None and (len(value), hash(value)) == stored[1:]:
            return  # handed back unchanged (plugins' page_content event): it stays in the cache
        self._stored, self._reading = None, None
        self._content = value

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        key = self._cache.key(self.file.src_uri, self.markdown)
        entry = self._cache.get(key)
        if entry is not None:
            self.toc = get_toc(entry["toc"])
            self._title_from_render = entry["title"]
            self.present_anchor_ids = set(entry["anchors"])
            self._content, self._stored = None, (key, -1, 0)
            self.markdown = None
            self._decide_output(key)
            return
        super().render(config, files)
        content = self.content or ""
        self.present_anchor_ids = (self.present_anchor_ids or set()) | set(passthrough.ANCHOR.findall(content))
        entry = {"toc": [_token(link) for link in self.toc], "title": self._title_from_render, "anchors": sorted(self.present_anchor_ids)}
        if self._cache.put(key, entry, content):
            self._content, self._stored = None, (key, len(content), hash(content))
        self.markdown = None
        self._decide_output(key)


def _token(link: AnchorLink) -> dict:
    return {"level": link.level, "id": link.id, "name": link.title, "children": [_token(child) for child in link.children]}
