"""Rendered HTML of generated pages, kept between builds: a page whose Markdown has not changed is not
converted again.

MkDocs converts every page's Markdown on every build; for a briefing of thousands of pages that is most of
a rebuild. A generated page is given a `CachedPage`, which converts only when its Markdown, the Markdown
set-up (extensions and their options, URL style) or the versions of MkDocs, Python-Markdown and the
generator changed, and otherwise takes the HTML, table of contents, title and anchors the last conversion
left. Link validation runs when a page is converted, which is when its links can have changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from importlib.metadata import version
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from . import __version__, passthrough

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def setup_fingerprint(config: MkDocsConfig) -> str:
    """What, besides a page's Markdown, decides its HTML."""
    extensions = [e if isinstance(e, str) else type(e).__qualname__ for e in config.markdown_extensions]
    options = _ADDRESS.sub("", repr(sorted((config.mdx_configs or {}).items(), key=lambda item: str(item[0]))))
    parts = [__version__, version("mkdocs"), version("markdown"), repr(extensions), options, str(config.use_directory_urls)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class PageCache:
    """HTML of converted pages under `folder` (`<key>.html`, with `<key>.json` for the table of contents, title
    and anchors), keyed by Markdown, page and set-up; entries not used by a build are removed after it
    (`prune`), so the folder holds one build's pages."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
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
        super().__init__(None, file, config)

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
            return
        super().render(config, files)
        content = self.content or ""
        self.present_anchor_ids = (self.present_anchor_ids or set()) | set(passthrough.ANCHOR.findall(content))
        entry = {"toc": [_token(link) for link in self.toc], "title": self._title_from_render, "anchors": sorted(self.present_anchor_ids)}
        if self._cache.put(key, entry, content):
            self._content, self._stored = None, (key, len(content), hash(content))
        self.markdown = None


def _token(link: AnchorLink) -> dict:
    return {"level": link.level, "id": link.id, "name": link.title, "children": [_token(child) for child in link.children]}
