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
    """HTML of converted pages under `folder`, keyed by Markdown, page and set-up; entries not used by a build
    are removed after it (`prune`), so the folder holds one build's pages."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.used: set[str] = set()

    def key(self, src_uri: str, markdown: str) -> str:
        return hashlib.sha256(f"{self.fingerprint}\0{src_uri}\0{markdown}".encode()).hexdigest()

    def get(self, key: str) -> dict | None:
        self.used.add(key)
        try:
            with open(self.folder / key[:2] / f"{key}.json", encoding="utf-8") as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    def put(self, key: str, entry: dict) -> None:
        self.used.add(key)
        folder = self.folder / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(handle.name, folder / f"{key}.json")
        except OSError:
            pass  # a cache that cannot be written only costs time

    def prune(self) -> None:
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)


class CachedPage(Page):
    """A generated page converted only when its Markdown or the set-up changed."""

    def __init__(self, file: File, config: MkDocsConfig, cache: PageCache) -> None:
        super().__init__(None, file, config)
        self._cache = cache

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        key = self._cache.key(self.file.src_uri, self.markdown)
        entry = self._cache.get(key)
        if entry is not None:
            self.content = entry["content"]
            self.toc = get_toc(entry["toc"])
            self._title_from_render = entry["title"]
            self.present_anchor_ids = set(entry["anchors"])
            return
        super().render(config, files)
        self.present_anchor_ids = (self.present_anchor_ids or set()) | set(passthrough.ANCHOR.findall(self.content or ""))
        self._cache.put(
            key,
            {
                "content": self.content,
                "toc": [_token(link) for link in self.toc],
                "title": self._title_from_render,
                "anchors": sorted(self.present_anchor_ids or ()),
            },
        )


def _token(link: AnchorLink) -> dict:
    return {"level": link.level, "id": link.id, "name": link.title, "children": [_token(child) for child in link.children]}
