"""Article text reaches pages as text: whatever it contains, the rendered HTML shows exactly it and no markup."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import escape_markdown

# The site's extensions and the usual Material ones, so that no syntax they add can be smuggled in by text.
EXTENSIONS = [
    "attr_list", "toc", "admonition", "abbr", "def_list", "footnotes", "md_in_html", "tables",
    "pymdownx.caret", "pymdownx.mark", "pymdownx.tilde", "pymdownx.emoji", "pymdownx.keys",
    "pymdownx.critic", "pymdownx.inlinehilite", "pymdownx.superfences", "pymdownx.arithmatex",
    "pymdownx.betterem", "pymdownx.details",
]


def shown(text: str) -> str:
    """What a reader sees of `text` once escaped and rendered: the HTML of one paragraph, unwrapped."""
    rendered = markdown.markdown(escape_markdown(text), extensions=EXTENSIONS)
    if not rendered:
        return ""
    match = re.fullmatch(r"<p>(.*)</p>", rendered, re.DOTALL)
    assert match, f"not a single paragraph: {rendered!r}"
    assert "<" not in match.group(1), f"markup in {rendered!r}"
    return html.unescape(match.group(1))


@pytest.mark.parametrize(
    "text",
    [
        '<script>alert("x")</script>',
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://example.org'></iframe>",
        "[click](javascript:alert(1)) and ![img](data:text/html;base64,PHNjcmlwdD4=)",
        "<https://example.org> and <mailto:a@b.c>",
        "{{ config.site_name }} {% include 'x' %} {# comment #}",
        '!!! note "Admonition"',
        "??? note",
        "{: onclick=\"alert(1)\" } and {#id .class}",
        '--8<-- "/etc/passwd"',
        "&amp; &lt;b&gt; &#60;script&#62; &copy;",
        "# not a heading",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "*emphasis* __strong__ `code` ~~del~~ ==mark== ^^ins^^ ++ctrl+alt++",
        ":smile: :fontawesome-brands-github:",
        "term\n: definition",
        "a | table | row",
        "$x^2$ and $$y$$",
        "[^1] footnote and *[HTML]: abbr",
        "text\\ with \\backslashes\\",
        "    indented code",
        "line one\n\nline two",
    ],
)
def test_hostile_text_is_shown_as_text(text: str) -> None:
    assert shown(text) == " ".join(text.split())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(list("\\`*_{}[]()#+-.!<>&|~^=:$%\"' \n")), max_size=80))
def test_any_text_is_shown_as_text(text: str) -> None:
    assert shown(text) == " ".join(text.split())
