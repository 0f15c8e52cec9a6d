"""Properties of the ingest → render path for arbitrary input, and a longer fuzz run of it.

For any bytes and any file name: reading never crashes, ids are safe page names, and an article's page
shows its text and nothing else. BRIEFING_FUZZ_EXAMPLES sets the length of the fuzz run (default 1500).
"""

from __future__ import annotations

import os
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.ingest import read_article, read_articles
from generator.model import Article, Briefing, Problem
from generator.render import make_environment, render

FUZZ_EXAMPLES = int(os.environ.get("BRIEFING_FUZZ_EXAMPLES", "1500"))
ENV = make_environment()
SITE_EXTENSIONS = ["attr_list", "toc"]

names = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1, max_size=60
).filter(lambda n: n not in (".", "..") and len(n.encode()) < 200)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(names, min_size=1, max_size=6, unique=True))
def test_any_file_names_give_safe_unique_ids(file_names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for i, name in enumerate(file_names):
            (Path(tmp) / f"{name}.txt").write_text(f" date 2024-01-0{1 + i % 9} Text number {i}.", encoding="utf-8")
        articles, problems = read_articles(Path(tmp))
    ids = [a.id for a in articles]
    assert len(ids) == len(set(ids))
    assert all(i and set(i) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") and i != "index" for i in ids)
    hidden = [n for n in file_names if n.startswith(".")]
    assert len(articles) + len(problems) == len(file_names) and len(problems) == len(hidden)


class _Shown(HTMLParser):
    """Text of each element with an id p<n>, of the h1, and every tag met."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.current: str | None = None
        self.text: dict[str, str] = {}
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        ident = dict(attrs).get("id") or ""
        if tag == "h1" or (ident.startswith("p") and ident[1:].isdigit()):
            self.current = "h1" if tag == "h1" else ident
            self.text[self.current] = ""
        elif tag == "a" and dict(attrs).get("class") == "headerlink":
            self.current = None

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "h1", "h2"):
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current:
            self.text[self.current] += data


def article_page(article: Article, env: jinja2.Environment = ENV) -> str:
    briefing = Briefing(articles=(article,), actors=(), events=(), quotes=())
    return render(briefing, env)[f"articles/{article.id}.md"]


def check_page_shows_text(article: Article, env: jinja2.Environment = ENV) -> None:
    page = article_page(article, env)
    body = page.split("\n---\n", 2)[-1]
    shown = _Shown()
    shown.feed(markdown.markdown(page.split("---\n", 2)[2], extensions=SITE_EXTENSIONS))
    assert set(shown.tags) <= {"h1", "h2", "p", "em", "strong", "hr", "a", "div"}, shown.tags
    assert shown.tags.count("div") == 1, shown.tags  # the template's: what search does not index
    assert shown.text["h1"].strip() == " ".join(article.title.split())
    for p in article.paragraphs:
        assert shown.text[f"p{p.n}"].strip() == p.text, (p, body)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=120), min_size=1, max_size=8))
def test_an_article_page_shows_its_text_and_nothing_else(paragraphs: list[str]) -> None:
    problems: list[Problem] = []
    article = read_article_text(" date 2024-01-01 " + "\n\n".join(paragraphs), "x.txt", problems)
    if article is not None:
        check_page_shows_text(article)


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600), st.sampled_from([b" date 2024-01-01 ", b"date 2024-02-29\n", b"\xef\xbb\xbf date 2023-12-31 ", b""]))
def test_fuzz_ingest_and_render(raw: bytes, prefix: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.txt"
        path.write_bytes(prefix + raw)
        problems: list[Problem] = []
        article = read_article(path, "fuzz.txt", problems)
    if article is None:
        assert len(problems) == 1 and problems[0].file == "fuzz.txt"
        return
    check_page_shows_text(Article("fuzz", article.file, article.date, article.title, article.paragraphs))


def read_article_text(text: str, rel: str, problems: list[Problem]) -> Article | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / rel
        path.write_text(text, encoding="utf-8")
        article = read_article(path, rel, problems)
    return None if article is None else Article("x", article.file, article.date, article.title, article.paragraphs)


def test_the_check_catches_text_that_is_not_escaped() -> None:
    """With escaping switched off, the same check fails: the properties above can fail."""
    unescaped = make_environment()
    unescaped.finalize = lambda value: value
    problems: list[Problem] = []
    article = read_article_text(" date 2024-01-01 Some <b>bold</b> claim.", "x.txt", problems)
    with pytest.raises(AssertionError):
        check_page_shows_text(article, unescaped)
    check_page_shows_text(article)
