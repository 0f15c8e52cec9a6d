"""The article reader: the seed format, Markdown with front matter, and every file it must refuse by name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.ingest import derive_title, parse_seed, read_articles
from generator.model import Problem


def parse(text: str) -> tuple[object, list[Problem]]:
    problems: list[Problem] = []
    return parse_seed(text, "x.txt", problems), problems


@pytest.mark.parametrize(
    "text, kinds",
    [
        (" date 2022-02-11 First paragraph here.\n\nSecond one.", ["text", "text"]),
        (" date 2022-02-11\nBody on the next line.\n\nMore.", ["text", "text"]),
        (" date 2022-02-11 Lead.\n\nA heading without a stop\n\nBody.", ["text", "heading", "text"]),
        (" date 2022-02-11 Lead.\n\nBody.\n\nImage: AP", ["text", "text", "credit"]),
        (" date 2022-02-11 Lead.\n\nBody.\nImage: Reuters", ["text", "text", "credit"]),
        (" date 2022-02-11 Lead.\n\nIs this a question?", ["text", "text"]),
        ("date 2022-02-11 Lead.\n\n\n\n   \nAfter many blank lines.", ["text", "text"]),
    ],
)
def test_paragraph_kinds(text: str, kinds: list[str]) -> None:
    article, problems = parse(text)
    assert problems == []
    assert [p.kind for p in article.paragraphs] == kinds


def test_date_lines_and_paragraph_lines() -> None:
    article, _ = parse(" date 2022-02-11 Lead sentence.\n\nSecond.\ncontinued here.\n\nImage: AP")
    assert article.date == dt.date(2022, 2, 11)
    assert [(p.n, p.line, p.text) for p in article.paragraphs] == [
        (1, 1, "Lead sentence."),
        (2, 3, "Second. continued here."),
        (3, 6, "Image: AP"),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "x.txt: the file is empty; skipped"),
        ("Just a body without a date.", "x.txt:1: no date line: the first line must be ' date YYYY-MM-DD '; skipped"),
        (" date 11/02/2022 Body.", "x.txt:1: date '11/02/2022' is not of the form YYYY-MM-DD; skipped"),
        (" date 2022-02-30 Body.", "x.txt:1: date 2022-02-30 does not exist; skipped"),
        ("\n\n date 2022-02-11   \n\n", "x.txt:3: no text after the date line; skipped"),
        (" date 2022-02-11 A heading only", "x.txt:1: no text after the date line; skipped"),
    ],
)
def test_refused_with_file_and_line(text: str, message: str) -> None:
    article, problems = parse(text)
    assert article is None
    assert [str(p) for p in problems] == [message]


def test_titles_come_from_the_lead() -> None:
    article, _ = parse(" date 2022-02-11 The council met on Monday. It agreed on nothing.")
    assert article.title == "The council met on Monday"
    long, _ = parse(" date 2022-02-11 " + "word " * 40 + "end.")
    assert long.title.endswith("…") and len(long.title) <= 91
    headed, _ = parse(" date 2022-02-11\nTalks collapse in Geneva\n\nThe talks collapsed.")
    assert headed.title == "Talks collapse in Geneva"


def test_folder_reading(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf date 2022-01-02 Second by date.\r\n\r\nMore.\r\n")
    (tmp_path / "a.txt").write_text(" date 2022-01-03 Third by date.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("---\ndate: 2022-01-01\ntitle: From Markdown\nsource: Wire\n---\n# Heading\n\nBody text.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b" date 2022-01-01 caf\xe9\n")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    articles, problems = read_articles(tmp_path)
    assert [(a.file, a.id) for a in articles] == [("sub/c.md", "sub-c"), ("b.txt", "b"), ("a.txt", "a")]
    assert articles[0].title == "From Markdown" and articles[0].outlet == "Wire"
    assert [p.kind for p in articles[0].paragraphs] == ["heading", "text"]
    assert [p.text for p in articles[1].paragraphs] == ["Second by date.", "More."]
    assert [str(p) for p in problems] == [
        ".hidden.txt: is a hidden file; skipped (rename it without the leading dot)",
        "bad.txt:1: is not UTF-8 text (byte 0xe9 at offset 20); skipped",
        "notes.pdf: not an article (expected .txt or .md); skipped",
    ]


def test_ids_are_unique_and_stable(tmp_path: Path) -> None:
    for name in ("a b.txt", "a-b.txt", "index.txt"):
        (tmp_path / name).write_text(f" date 2022-01-01 Text of {name}.", encoding="utf-8")
    ids = sorted(a.id for a in read_articles(tmp_path)[0])
    assert len(set(ids)) == 3 and "index" not in ids and "a-b" in ids


lines = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x00"), max_size=60)


@settings(max_examples=300, deadline=None)
@given(body=st.lists(lines, max_size=12), year=st.integers(1900, 2100), day=st.integers(1, 28))
def test_parser_keeps_every_word_in_order(body: list[str], year: int, day: int) -> None:
    text = f" date {year:04d}-03-{day:02d} " + "\n".join(body)
    article, problems = parse(text)
    words = " ".join(body).split()
    if article is None:
        assert len(problems) == 1
        return
    assert article.date == dt.date(year, 3, day)
    assert " ".join(p.text for p in article.paragraphs).split() == words
    assert [p.n for p in article.paragraphs] == list(range(1, len(article.paragraphs) + 1))
    assert all(p.text == p.text.strip() and p.text for p in article.paragraphs)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_crashes(text: str) -> None:
    article, problems = parse(text)
    assert (article is None) == (len(problems) == 1)
    if article is not None:
        assert article.title and derive_title(article.paragraphs) == article.title
