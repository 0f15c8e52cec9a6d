"""Search: the header's search box on every page, the Pagefind index of actor and article pages, and the
list of names and titles searched when the site is opened from disk.

Pagefind (the `pagefind-bin` package ships its binary) splits the index into small pieces fetched as a
query needs them, so a reader of a large briefing downloads a few hundred kilobytes, not the whole index.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
from pathlib import Path

import material

from .model import Briefing
from .render import script_json

TITLES = "search-titles.js"
ICONS = Path(material.__file__).parent / "templates" / ".icons" / "material"
_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
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


def with_search_box(output: str, kind: str | None) -> str:
    """The page with the search box in its header and, for an actor or article page, its content marked for
    the index with its kind (a filter, so actor pages can be listed first)."""
    output = _HEADER_END.sub(lambda m: search_box() + m.group(1), output, count=1)
    if kind:
        marked = f'<article class="md-content__inner md-typeset" data-pagefind-body data-pagefind-filter="kind:{kind}">'
        output = _ARTICLE.sub(marked, output, count=1)
    return output


def titles_script(briefing: Briefing, directory_urls: bool) -> str:
    """Actor names (every form) and article titles with their URLs, for searching a site opened from disk."""

    def url(uri: str) -> str:
        return uri.removesuffix(".md") + ("/" if directory_urls else ".html")

    entries = [[" / ".join((a.name, *a.aliases)), url(f"actors/{a.id}.md"), "actor"] for a in briefing.actors]
    entries += [[a.title, url(f"articles/{a.id}.md"), "article"] for a in briefing.articles]
    return f"window.briefingSearchTitles = {script_json(entries, separators=(',', ':'))};\n"


def index_site(site: Path, cache: Path | None = None, pages_key: str | None = None, directory_urls: bool = False) -> None:
    """Run Pagefind over the built site; its bundle goes to site/pagefind/. With a `cache` folder, the bundle
    of the last build is kept there and copied back when the pages (`pages_key`: a hash of every page as
    written) are those it was made from."""
    kept = cache / pages_key if cache is not None and pages_key else None
    if kept is not None and kept.is_dir():
        shutil.copytree(kept, site / "pagefind", dirs_exist_ok=True)
        return
    _run_pagefind(site, directory_urls)
    if cache is not None and kept is not None:
        shutil.rmtree(cache, ignore_errors=True)
        try:
            shutil.copytree(site / "pagefind", kept)
        except OSError:
            shutil.rmtree(cache, ignore_errors=True)  # a cache that cannot be written only costs time


INDEXED = {False: "{actors/*.html,articles/*.html}", True: "{actors/*/index.html,articles/*/index.html}"}
"""The files that can hold actor and article pages (the only pages indexed), by MkDocs' use_directory_urls:
Pagefind need not read the chronology and the list pages to find them unmarked."""


def _run_pagefind(site: Path, directory_urls: bool = False) -> None:
    from pagefind_bin import get_executable

    command = [str(get_executable()), "--site", str(site), "--output-subdir", "pagefind", "--glob", INDEXED[directory_urls], "--force-language", "en", "--keep-index-url", "--exclude-selectors", ".headerlink", "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"Pagefind could not run: {error}") from error
    if done.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({done.returncode}): {html.unescape(done.stderr.strip() or done.stdout.strip())[:2000]}")
