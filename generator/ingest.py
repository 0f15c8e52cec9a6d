"""Read a folder of articles into `Article` values, reporting every file it cannot read.

Two formats:
- `.txt`, the seed format: a first line ` date YYYY-MM-DD ` followed on the same line (or the next) by the
  body; paragraphs separated by blank lines; a short line without final punctuation is a section heading;
  a last line `Image: …` is a photo credit.
- `.md` with YAML front matter (`date`, optional `title`, `source`, `url`) and a Markdown body.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import re
from pathlib import Path

import yaml
from slugify import slugify

from .model import Article, Paragraph, ParagraphKind, Problem

ARTICLE_SUFFIXES = (".txt", ".md")
DATE_LINE = re.compile(r"^\s*date\s+(\S+)[ \t]*(.*)$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CREDIT = re.compile(r"^(image|photo|picture)\s*(credit)?\s*:", re.IGNORECASE)
FINAL_PUNCTUATION = tuple(".!?;:,\"'”’)…")
HEADING_MAX_WORDS = 20
BINARY_PROBE = 8192
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Invisible control characters are dropped: HTML cannot show them and Markdown uses \x02/\x03 as markers."""
FUTURE_MARGIN_DAYS = 7
"""An article dated more than this after the build is reported: news is not published ahead."""
TITLE_MAX_CHARS = 90
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘A-Z0-9])")


def read_articles(folder: Path, today: dt.date | None = None) -> tuple[list[Article], list[Problem]]:
    """Every article of `folder` (searched recursively), sorted by date then file, and the problems met.

    `today` is the build's date, against which a date far in the future is reported."""
    articles: list[Article] = []
    problems: list[Problem] = []
    taken: set[str] = set()
    seen: dict[str, str] = {}
    for path in _candidate_files(folder, problems):
        rel = path.relative_to(folder).as_posix()
        article = read_article(path, rel, problems)
        if article is None:
            continue
        digest = _text_hash(article)
        if digest in seen:
            problems.append(Problem(rel, None, f"has the same text as {seen[digest]}; skipped"))
            continue
        seen[digest] = rel
        if today is not None and (article.date - today).days > FUTURE_MARGIN_DAYS:
            problems.append(Problem(rel, 1, f"date {article.date} is in the future; read as given"))
        article_id = _unique_id(rel, taken)
        taken.add(article_id)
        articles.append(dataclasses.replace(article, id=article_id))
    articles.sort(key=lambda a: (a.date, a.file))
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return articles, problems


def read_article(path: Path, rel: str, problems: list[Problem]) -> Article | None:
    """One file as an article (with an empty id), or None with the reason appended to `problems`."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(rel, None, f"cannot be read ({error.strerror}); skipped"))
        return None
    if b"\0" in raw[:BINARY_PROBE]:
        problems.append(Problem(rel, None, "is a binary file, not text; skipped"))
        return None
    text = _decode(raw, rel, problems)
    if text is None:
        return None
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if path.suffix.lower() == ".md":
        return parse_markdown(text, rel, problems)
    return parse_seed(text, rel, problems)


def parse_seed(text: str, rel: str, problems: list[Problem]) -> Article | None:
    """Parse the seed format; `rel` names the file in messages."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        problems.append(Problem(rel, None, "the file is empty; skipped"))
        return None
    match = DATE_LINE.match(lines[first])
    if not match:
        problems.append(Problem(rel, first + 1, "no date line: the first line must be ' date YYYY-MM-DD '; skipped"))
        return None
    date = _parse_date(match.group(1), rel, first + 1, problems)
    if date is None:
        return None
    lines[first] = match.group(2)
    paragraphs = split_paragraphs(lines, first)
    if not any(p.kind == "text" for p in paragraphs):
        problems.append(Problem(rel, first + 1, "no text after the date line; skipped"))
        return None
    return Article("", rel, date, derive_title(paragraphs), tuple(paragraphs))


def parse_markdown(text: str, rel: str, problems: list[Problem]) -> Article | None:
    """Parse a Markdown article with YAML front matter."""
    match = re.match(r"^---[ \t]*\n(.*?\n)---[ \t]*\n", text, re.DOTALL)
    if not match:
        problems.append(Problem(rel, 1, "no YAML front matter: the file must start with '---' and a 'date:' line; skipped"))
        return None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        problems.append(Problem(rel, None if line is None else line + 2, "front matter is not valid YAML; skipped"))
        return None
    if not isinstance(meta, dict) or "date" not in meta:
        problems.append(Problem(rel, 1, "front matter has no 'date: YYYY-MM-DD'; skipped"))
        return None
    date = _parse_date(str(meta["date"]), rel, 1, problems)
    if date is None:
        return None
    offset = match.group(0).count("\n")
    lines = [re.sub(r"^#{1,6}\s+", "\0", line) for line in text[match.end():].split("\n")]
    paragraphs = split_paragraphs(lines, offset)
    if not any(p.kind == "text" for p in paragraphs):
        problems.append(Problem(rel, offset + 1, "no text after the front matter; skipped"))
        return None
    title = _text_or_none(meta.get("title")) or derive_title(paragraphs)
    return Article("", rel, date, title, tuple(paragraphs), _text_or_none(meta.get("source")), _text_or_none(meta.get("url")))


def split_paragraphs(lines: list[str], offset: int) -> list[Paragraph]:
    """Blocks separated by blank lines, classified; `offset` is the 0-based line of `lines[0]` in the file.

    A line starting with NUL was marked as a heading by the Markdown reader."""
    blocks: list[tuple[int, list[str]]] = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if blocks and blocks[-1][0] + len(blocks[-1][1]) == i and not line.startswith("\0"):
            blocks[-1][1].append(line)
        else:
            blocks.append((i, [line]))
    blocks = _split_trailing_credit(blocks)
    paragraphs = []
    for number, (i, block) in enumerate(blocks, start=1):
        text = " ".join(" ".join(block).replace("\0", " ").split())
        kind = _classify(block, text, is_last=number == len(blocks))
        paragraphs.append(Paragraph(number, kind, text, offset + i + 1))
    return paragraphs


def derive_title(paragraphs: list[Paragraph] | tuple[Paragraph, ...]) -> str:
    """A readable title: a heading that opens the article, else the lead's first sentence, shortened."""
    if paragraphs[0].kind == "heading":
        return paragraphs[0].text
    lead = next(p.text for p in paragraphs if p.kind == "text")
    sentence = first_sentence(lead).rstrip(".")
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    cut = sentence[: TITLE_MAX_CHARS + 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def first_sentence(text: str) -> str:
    return SENTENCE_END.split(text, maxsplit=1)[0]


def content_hash(article: Article) -> str:
    """Hash of what the language model reads: the paragraphs, not the file name or date."""
    digest = hashlib.sha256()
    for p in article.paragraphs:
        digest.update(f"{p.kind}\t{p.text}\n".encode())
    return digest.hexdigest()


def _candidate_files(folder: Path, problems: list[Problem]) -> list[Path]:
    """Article files under `folder`, never following a link out of it; hidden files and folders are passed over."""
    root = folder.resolve()
    found = []
    for directory, folders, names in os.walk(folder):
        here = Path(directory)
        folders[:] = sorted(f for f in folders if not f.startswith(".") and _folder_ok(here / f, folder, problems))
        for name in sorted(names):
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if name.startswith("."):
                if path.suffix.lower() in ARTICLE_SUFFIXES:
                    problems.append(Problem(rel, None, "is a hidden file; skipped (rename it without the leading dot)"))
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                problems.append(Problem(rel, None, "is a link to a file outside the articles folder; skipped"))
            elif path.suffix.lower() not in ARTICLE_SUFFIXES:
                problems.append(Problem(rel, None, "not an article (expected .txt or .md); skipped"))
            elif not path.is_file():
                problems.append(Problem(rel, None, "is not a regular file; skipped"))
            else:
                found.append(path)
    return sorted(found)


def _folder_ok(path: Path, folder: Path, problems: list[Problem]) -> bool:
    if path.is_symlink():
        problems.append(Problem(path.relative_to(folder).as_posix(), None, "is a link to a folder; not followed"))
        return False
    return True


def _text_hash(article: Article) -> str:
    return hashlib.sha256("\n\n".join(p.text for p in article.paragraphs).encode()).hexdigest()


def _decode(raw: bytes, rel: str, problems: list[Problem]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(rel, line, f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); skipped"))
        return None


def _parse_date(value: str, rel: str, line: int, problems: list[Problem]) -> dt.date | None:
    if not ISO_DATE.match(value):
        problems.append(Problem(rel, line, f"date {value!r} is not of the form YYYY-MM-DD; skipped"))
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(Problem(rel, line, f"date {value} does not exist; skipped"))
        return None


def _split_trailing_credit(blocks: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """A credit line glued to the last paragraph becomes a block of its own."""
    if blocks and len(blocks[-1][1]) > 1 and CREDIT.match(blocks[-1][1][-1].strip()):
        start, block = blocks[-1]
        return blocks[:-1] + [(start, block[:-1]), (start + len(block) - 1, block[-1:])]
    return blocks


def _classify(block: list[str], text: str, is_last: bool) -> ParagraphKind:
    if is_last and CREDIT.match(text):
        return "credit"
    if block[0].startswith("\0"):
        return "heading"
    if len(block) == 1 and len(text.split()) <= HEADING_MAX_WORDS and not text.endswith(FINAL_PUNCTUATION):
        return "heading"
    return "text"


def _unique_id(rel: str, taken: set[str]) -> str:
    stem = rel.rsplit(".", 1)[0]
    base = slugify(stem, max_length=80, word_boundary=True) or "article"
    if base not in taken and base != "index":
        return base
    return f"{base}-{hashlib.sha1(rel.encode()).hexdigest()[:8]}"


def _text_or_none(value: object) -> str | None:
    return None if value is None else " ".join(str(value).split()) or None
