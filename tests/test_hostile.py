"""Hostile and broken articles, built for real: every bad file named once, nothing injected, nothing read
from outside the folder, the same site every time, and a killed build that leaves no trace."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .conftest import BIG_LAST, ROOT, SECRET, mkdocs_build

EXPECTED_WARNINGS = [
    "baddate.txt:1: date '14/03/2024' is not of the form YYYY-MM-DD; skipped",
    "binary.txt: is a binary file, not text; skipped",
    "duplicate.txt: has the same text as crlf.txt; skipped",
    "empty.txt: the file is empty; skipped",
    "future.txt:1: date 2999-01-01 is in the future; read as given",
    "impossible.txt:1: date 2024-02-30 does not exist; skipped",
    "latin1.txt:1: is not UTF-8 text (byte 0xe9 at offset 20); skipped",
    "link-out.txt: is a link to a file outside the articles folder; skipped",
    "linked-folder: is a link to a folder; not followed",
    "nodate.txt:1: no date line: the first line must be ' date YYYY-MM-DD '; skipped",
    "notes.pdf: not an article (expected .txt or .md); skipped",
]
READ_AS_IS = ["bom", "crlf", "cr", "nextline", "trailing", "big", "noentities", "script", "markdown-syntax", "con",
              "name-with-spaces", "quote-s-name", "ellenika-nea", "future", "front-matter"]


def test_every_bad_file_is_named_once(hostile_site, hostile_folder: Path) -> None:
    result = hostile_site.result
    warnings = [line for line in result.stderr.splitlines() if line.startswith("WARNING")]
    assert warnings == [f"WARNING -  briefing: {hostile_folder}/{message}" for message in EXPECTED_WARNINGS]
    assert f"INFO    -  briefing: {hostile_folder}/noentities.txt: no names found in it; built without actor links" in result.stderr


def test_strict_build_fails_on_them(hostile_folder: Path, tmp_path: Path, hostile_site) -> None:
    result = mkdocs_build(tmp_path / "site", hostile_folder, hostile_site.cache, strict=True)
    assert result.returncode == 1
    assert f"Aborted with {len(EXPECTED_WARNINGS)} warnings in strict mode" in result.stdout + result.stderr


def test_ordinary_variations_are_read(hostile_site) -> None:
    site = hostile_site.site
    pages = {p.stem for p in (site / "articles").glob("*.html")}
    assert set(READ_AS_IS) <= pages
    assert "Second paragraph in Madrid." in text_of(site / "articles" / "crlf.html")
    assert "Second paragraph in Lima." in text_of(site / "articles" / "cr.html")
    assert "A byte order mark opens this file from Oslo." in text_of(site / "articles" / "bom.html")
    assert BIG_LAST in text_of(site / "articles" / "big.html")


def test_reserved_and_odd_names_get_their_own_pages(hostile_site) -> None:
    site = hostile_site.site
    assert text_of(site / "articles" / "index.html").startswith("Articles")
    index_article = [p for p in (site / "articles").glob("index-*.html")]
    assert len(index_article) == 1 and "An article named index" in text_of(index_article[0])
    long = [p for p in (site / "articles").glob("xxx*.html")]
    assert len(long) == 1 and len(long[0].name) < 100


def test_nothing_from_outside_the_folder_is_read(hostile_site) -> None:
    site = hostile_site.site
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js", ".xml"):
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


class _Markup(HTMLParser):
    """Collects the tags and attributes inside the page's <article>, and its text."""

    ALLOWED = {"article", "h1", "h2", "h3", "p", "a", "em", "strong", "hr", "ul", "li", "blockquote", "span", "del", "ins", "div",
               "svg", "line", "circle", "text", "g"}
    ATTRIBUTES = {"id", "class", "href", "title", "aria-label", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width",
                  "height", "viewbox", "role", "stroke-width", "text-anchor", "data-pagefind-body", "data-pagefind-ignore", "data-pagefind-filter"}
    """What the templates write; anything else in a page's <article> came from article text."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        if self.depth:
            self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def parse(page: Path) -> _Markup:
    parser = _Markup()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def text_of(page: Path) -> str:
    return " ".join("".join(parse(page).text).split()).replace("¶", "")


def test_no_markup_from_article_text_reaches_a_page(hostile_site) -> None:
    site = hostile_site.site
    pages = [site / "index.html", site / "chronology.html", *(site / "articles").glob("*.html"), *(site / "actors").glob("*.html")]
    assert len(pages) > 20
    for page in pages:
        if "http-equiv" in page.read_text(encoding="utf-8")[:400]:
            continue
        for tag, attrs in parse(page).tags:
            assert tag in _Markup.ALLOWED, (page.name, tag, attrs)
            for name, value in attrs:
                assert name in _Markup.ATTRIBUTES, (page.name, tag, name)
                if name == "href":
                    assert re.fullmatch(r"(?:\.\./)?[\w./-]*(?:#[\w-]+)?|https://news\.example/story_1\?id=2", value or ""), (page.name, value)


def test_network_data_cannot_close_its_script(hostile_site) -> None:
    html = (hostile_site.site / "network.html").read_text(encoding="utf-8")
    start = html.index('<script type="application/json" id="briefing-network-data">')
    block = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    assert json.loads(block)["nodes"]


def test_hostile_text_is_shown_as_written(hostile_site) -> None:
    site = hostile_site.site
    script = text_of(site / "articles" / "script.html")
    assert 'said <script>alert("lead")</script> was found on Monday.' in script
    assert '<img src=x onerror="alert(1)"> and <iframe src="https://example.org/frame"></iframe>' in script
    assert '"Read [this](javascript:alert(2)) and ![pic](data:text/html;base64,PHNjcmlwdD4=) at <https://evil.example/x>,"' in script
    syntax = text_of(site / "articles" / "markdown-syntax.html")
    for written in ('{{ config.site_name }} and {% include "base.html" %}', '!!! danger "Admonition from an article"',
                    '{: onclick="alert(4)" } attribute lists and {#id .class} stay text.', '--8<-- "/etc/passwd"',
                    "Entities &lt;script&gt;alert(5)&lt;/script&gt; and &#60;b&#62; and &copy; stay as written.",
                    "# Not a heading because it has a full stop.", "- not a list item, says the clerk."):
        assert written in syntax, written
    html = (site / "articles" / "front-matter.html").read_text(encoding="utf-8")
    assert "<title>Front &lt;/title&gt;&lt;script&gt;alert(6)&lt;/script&gt; matter - Briefing</title>" in html
    assert "&lt;b&gt;Wire&lt;/b&gt;" in html and 'href="https://news.example/story_1?id=2"' in html


def test_same_input_same_site(hostile_site, hostile_folder: Path, tmp_path: Path) -> None:
    """A second build, from the first one's cache, is byte for byte the first one's site."""
    site = hostile_site.site
    again = tmp_path / "again"
    result = mkdocs_build(again, hostile_folder, hostile_site.cache, strict=False)
    assert result.returncode == 0, result.stderr
    assert_same_tree(site, again)


def assert_same_tree(a: Path, b: Path) -> None:
    """Byte for byte, the search indexes included."""
    assert any((a / "pagefind").glob("*/pagefind-entry.json"))
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    differ = [str(p) for p in files_a if not filecmp.cmp(a / p, b / p, shallow=False)]
    assert differ == []


def small_corpus(folder: Path, n: int) -> None:
    towns = ["Eastport", "Westvale", "Northam", "Southby", "Harbourtown", "Millbrook"]
    people = ["Maren Holt", "Oskar Brandt", "Lina Dorsey", "Pavel Ivers", "Greta Lund", "Tomas Weir"]
    for i in range(n):
        lines = [
            f"Mayor {people[(i + k) % 6]} of {towns[(i + k) % 6]} said on Tuesday that talks with {people[(i + k + 1) % 6]} "
            f"would resume in {towns[(i + k + 2) % 6]} next week. \"We expect a result soon,\" {people[(i + k) % 6].split()[1]} "
            f"told Reuters. The council approved {i + k} projects last month."
            for k in range(6)
        ]
        (folder / f"a{i:03d}.txt").write_text(f" date 2024-{1 + i % 12:02d}-{1 + i % 27:02d} " + "\n\n".join(lines), encoding="utf-8")


def test_a_killed_build_leaves_no_trace(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    small_corpus(articles, 120)
    clean = mkdocs_build(tmp_path / "clean", articles, tmp_path / "clean-cache")
    assert clean.returncode == 0, clean.stderr
    cache = tmp_path / "cache"
    env = dict(os.environ, BRIEFING_ARTICLES=str(articles), BRIEFING_CACHE=str(cache), NO_MKDOCS_2_WARNING="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "killed")],
        env=env, cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while len(list(cache.rglob("*.json"))) < 10 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the build ended before it could be killed: make the corpus larger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 10 <= len(list(cache.rglob("*.json"))) < 120
    again = mkdocs_build(tmp_path / "killed", articles, cache)
    assert again.returncode == 0, again.stderr
    assert_same_tree(tmp_path / "clean", tmp_path / "killed")


def test_urls_stay_when_articles_are_added(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    shutil.copytree(Path(__file__).parent / "corpus" / "actors", articles)
    first = mkdocs_build(tmp_path / "first", articles, tmp_path / "cache")
    assert first.returncode == 0, first.stderr
    before = {p.relative_to(tmp_path / "first").as_posix() for p in (tmp_path / "first").glob("a*/*.html")}
    (articles / "c.txt").write_text(
        " date 2023-03-20 Andrei Sorokin spoke again. Andrei Sorokin said the ports had reopened. "
        "Later Andrei Sorokin left for Brussels. The Northland Shipping Authority agreed.",
        encoding="utf-8",
    )
    second = mkdocs_build(tmp_path / "second", articles, tmp_path / "cache")
    assert second.returncode == 0, second.stderr
    after = {p.relative_to(tmp_path / "second").as_posix() for p in (tmp_path / "second").glob("a*/*.html")}
    assert before <= after
