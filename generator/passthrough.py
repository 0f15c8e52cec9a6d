"""A Markdown extension that passes the generated pages' HTML blocks through untouched.

The long lists of a briefing (an actor's events, a month of the chronology, an article's paragraphs) are written
by the templates as HTML, every value escaped and every link a finished URL. Left to Python-Markdown, each
block would still be parsed twice with `html.parser` (by Python-Markdown's raw-HTML preprocessor and by
MkDocs' anchor finder) and, written as Markdown, its text run through every inline pattern: that was most of a
build's time. A block between the two marker lines below is set aside before any of that and put back as it is
in the HTML. Article text cannot write a marker: templates escape `<` in every value.

Without the extension the markers are HTML comments around raw HTML, which renders the same.
"""

from __future__ import annotations

import re

import markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

OPEN = "<!-- briefing:html -->"
CLOSE = "<!-- /briefing:html -->"
_PLACEHOLDER = "\x02briefing-html:{}\x03"
"""Whitespace normalisation removes \\x02 and \\x03 from the source before this runs: no text can hold one."""
_RESTORE = re.compile("<p>\x02briefing-html:(\\d+)\x03</p>|\x02briefing-html:(\\d+)\x03")
ANCHOR = re.compile(r'<[a-z][a-z0-9]*\s[^>]*?\bid="([^"<>]+)"')
"""`id` attributes in the passed-through HTML: anchors a link may point at."""


class _SetAside(Preprocessor):
    def __init__(self, md: markdown.Markdown, blocks: list[str]) -> None:
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        self.blocks.clear()
        out: list[str] = []
        block: list[str] | None = None
        for line in lines:
            if block is None:
                if line == OPEN:
                    block = []
                else:
                    out.append(line)
            elif line == CLOSE:
                out.extend(["", _PLACEHOLDER.format(len(self.blocks)), ""])
                self.blocks.append("\n".join(block))
                block = None
            else:
                block.append(line)
        if block is not None:  # no closing marker: left to Markdown as it is
            out.extend([OPEN, *block])
        return out


class _PutBack(Postprocessor):
    def __init__(self, md: markdown.Markdown, blocks: list[str]) -> None:
        super().__init__(md)
        self.blocks = blocks

    def run(self, text: str) -> str:
        if not self.blocks:
            return text
        return _RESTORE.sub(lambda m: self.blocks[int(m.group(1) or m.group(2))], text)


class PassThrough(Extension):
    """Register with `markdown_extensions`; the plugin adds it."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        blocks: list[str] = []
        md.preprocessors.register(_SetAside(md, blocks), "briefing_html", 25)  # after whitespace, before raw HTML
        md.postprocessors.register(_PutBack(md, blocks), "briefing_html", 10)  # after everything else


def makeExtension(**kwargs: object) -> PassThrough:  # noqa: N802 (Python-Markdown's entry point)
    return PassThrough(**kwargs)
