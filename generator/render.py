"""Render a Briefing into Markdown pages (Jinja2 templates of docs_templates/) and into briefing.json.

Article text is data: every value a template prints is escaped for Markdown and HTML by the environment's
`finalize`, unless render code built it as `Markup` from escaped parts. Text never runs as a template.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import heapq
import html
import json
import math
import posixpath
import re
import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup
from slugify import slugify

from . import __version__, templates_dir
from .incremental import Reads, Recorded, Tracker, Volatile
from .ingest import first_sentence
from .model import ACTOR_KINDS, PRECISIONS, Actor, Article, Briefing, Event, Paragraph, Quote, Reuse, Source, TimeRef

HOME, ACTORS, CHRONOLOGY, ARTICLES, NETWORK = "index.md", "actors/index.md", "chronology.md", "articles/index.md", "network.md"
NETWORK_NODES = 150
NEIGHBOURS = 8
HUBS = 3
TOP_ACTORS = 15
CHANGES_SHOWN = 8
SOURCE_LINKS = 12
"""Source links shown for one statement or one article on an actor page; the rest are counted."""
LATEST_EVENTS = 10
KEY_DATES = 5
FEED_ENTRIES = 500
NETWORK_EDGES = 3000
"""The strongest links drawn on the network page; the page stays small whatever the corpus."""
ON_ACTOR_PAGE = 50
"""Events, quotes and articles listed on an actor's page (the latest); longer lists go on pages of their own."""
LIST_PAGE = 300
"""Items on one of an actor's list pages."""
CHRONOLOGY_PAGE = 400
"""Events on one chronology page: a longer chronology becomes an index of months, each on its own page(s)."""
QUOTES_PAGE = 300
INDEX_PAGE = 1000
"""Articles or actors listed on one index page: longer indexes are grouped (by month, by kind) on pages of their own."""
KIND_LABELS = {"person": "People", "organization": "Organizations", "country": "Countries", "place": "Places", "media": "Media"}

_ALWAYS = {c: f"&#{ord(c)};" for c in "\\`*_{}[]|~^$#+="}
_ALWAYS.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\x1a": "", "\x1b": ""})  # the last two: ROOT, SITE_ROOT
_ALWAYS_RE = re.compile("[" + re.escape("".join(_ALWAYS)) + "]")
_LINE_START = re.compile(r"^(\s*)(?:([-+=:!?%])|(\d+)([.)]))")
SAFE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~!$&'*+,;=:@%/?#-]*)?")
"""Addresses made into links: http(s), no spaces, quotes, brackets or parentheses."""
_SHORTCODE = re.compile(r":(?=[\w+-])")


def escape_markdown(text: object) -> str:
    """`text` as inline Markdown that renders to exactly that text (whitespace folded), whatever extensions are on."""
    if isinstance(text, Markup):
        return str(text)
    return _escape_text(str(text))


@functools.lru_cache(maxsize=1 << 17)
def _escape_text(text: str) -> str:
    """escape_markdown of plain text; the same names and labels are escaped on page after page."""
    return _escape_line_start(_escape_inline(text).strip())


def front_matter(title: str, boost: float | None = None) -> Markup:
    """YAML front matter that sets the page's title, HTML-escaped: Material prints `page.meta.title` unescaped
    into <title> and the header, while the title MkDocs takes from the H1 reaches <title> unescaped by striptags."""
    meta: dict[str, object] = {"title": html.escape(" ".join(title.split()), quote=False)}
    if boost is not None:
        meta["search"] = {"boost": boost}
    dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False)
    return Markup(f"---\n{dumped}---\n")


MEMO_BYTES = 160_000_000
"""Memory for rendered pieces (source links, events' items) kept for later pages of one render: every item of
10,000 articles, about half of 20,000's (a large build's peak memory leaves no more room)."""


class Memo:
    """Pieces rendered for one page that later pages take as they are, within MEMO_BYTES: when full, no more.
    Blocks (an event's item: on the chronology and on each of its actors' pages, far apart in a large briefing)
    are compressed once half the budget is used, so that more of them fit: re-rendering the ones let go was a
    quarter of the render of 10,000 articles (and compressing and taking them back costs a tenth of it: not done
    when all fit, as at 5,000 articles). An item is about 300 bytes, 200 compressed, beside ~120 of key and slot;
    at 20,000 articles (580,000 events) not all of them fit."""

    ENTRY = 120
    """Bytes an entry costs besides its text: its key, the dict slot, the object."""

    def __init__(self) -> None:
        self.budget = MEMO_BYTES
        self.entries: dict[tuple, tuple[Markup | bytes, tuple[int, ...]]] = {}
        """key → (the piece, compressed or not; what it read of the briefing: see `incremental.Reads`)."""
        self.size = 0

    def get(self, key: tuple, make: Callable[[], Markup], reads: Reads | None = None, packed: bool = False) -> Markup:
        """`make()`, or what it gave for `key` before; either way, what it read is added to `reads`."""
        reads = reads or Reads()
        found = self.entries.get(key)
        if found is not None:
            piece, read = found
            reads.extend(read)
            return Markup(zlib.decompress(piece).decode()) if isinstance(piece, bytes) else piece
        reads.push()
        made = make()
        read = reads.pop()
        kept: Markup | bytes = zlib.compress(made.encode(), 1) if packed and self.size > self.budget // 2 else made
        size = len(kept) + self.ENTRY + 8 * len(read)
        if self.size + size <= self.budget:  # when full, what is kept stays: emptying it for pieces that come
            self.entries[key] = (kept, read)  # round again in the same order would keep none of them in time
            self.size += size
        return made


def _shorten(words: str, limit: int = 25) -> str:
    split = words.split()
    return words if len(split) <= limit else " ".join(split[:limit]) + " …"


@functools.lru_cache(maxsize=65536)
def _relative(path: str, directory: str) -> str:
    return posixpath.relpath(path, directory or ".")


def _depth(here: str, directory_urls: bool) -> int:
    """How many folders deep the built page of `here` (a src_uri) is."""
    if not directory_urls or posixpath.basename(here) == "index.md":
        return here.count("/")
    return here.count("/") + 1


ROOT = "\x1a"
"""Stands for the way up from a page to the site's root ("../../") in the raw HTML links render writes: every
page links alike, so a piece rendered for one page (an event, a source link) serves all the others, and each
page's text is given its own way up once it is whole (`_rooted`). A control character: ingest drops them from
articles and escaping drops them from anything else a page prints, so no text can stand for it."""
SITE_ROOT = "\x1b"
"""After ROOT, a link to the site's root itself: "./" on a page at the root, "../" one folder down."""


def _rooted(text: str, depth: int) -> str:
    """`text` of a page `depth` folders deep, with the way up to the site's root written out."""
    up = "../" * depth
    return text.replace(ROOT + SITE_ROOT, up or "./").replace(ROOT, up)


@functools.lru_cache(maxsize=1 << 15, typed=True)  # typed: Markup text is not escaped again, str text is
def _link(text: object, target: str, data_actor: str | None, directory_urls: bool) -> Markup:
    """`Pages.link`, the same on every page (the way up to the root is `ROOT`): the same names link to the same
    pages on page after page."""
    extra = f' data-actor="{html.escape(data_actor)}"' if data_actor else ""
    return Markup(f'<a href="{html.escape(_site_href(target, directory_urls))}"{extra}>{escape_markdown(text)}</a>')


def _site_href(target: str, directory_urls: bool) -> str:
    """The URL of page `target` (a src_uri, optionally with #anchor) from any page, the way up to the site's
    root left as `ROOT`."""
    path, _, anchor = target.partition("#")
    return (_html_url(path, directory_urls) if path else "") + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=1 << 17)
def _html_url(target: str, directory_urls: bool) -> str:
    """The URL of page `target` (a src_uri) from any built page, as MkDocs writes the site: up to the site's
    root (`ROOT`, written out per page by `_rooted`), then down to the target."""
    if not target:
        return ""
    if not target.endswith(".md"):
        there = target
    elif not directory_urls:
        there = target.removesuffix(".md") + ".html"
    else:
        there = target.removesuffix(".md")
        there = posixpath.dirname(there) if posixpath.basename(there) == "index" else there
        there = there + "/" if there else ""
    return ROOT + (there or SITE_ROOT)


@functools.lru_cache(maxsize=1 << 17)
def _escape_inline(text: str) -> str:
    """Escape a piece of a line: whitespace folded, one space kept at either end where there was some."""
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() and text.strip() else ""
    inner = _ALWAYS_RE.sub(lambda m: _ALWAYS[m.group(0)], " ".join(text.split()))
    return lead + _SHORTCODE.sub("&#58;", inner) + trail


def _escape_line_start(text: str) -> str:
    """Block syntax (lists, admonitions, definitions) only starts a line: escape it there."""
    return _LINE_START.sub(
        lambda m: m.group(1) + (f"&#{ord(m.group(2))};" if m.group(2) else f"{m.group(3)}&#{ord(m.group(4))};"), text
    )


def make_environment(override: Path | None = None, bytecode: Path | None = None) -> jinja2.Environment:
    """The page environment: templates from `override` first, then the packaged ones; compiled templates kept
    under `bytecode` (`cache_bytecode`)."""
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(templates_dir()))]
    if override is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(override)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=escape_markdown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["when"] = format_when
    env.filters["day"] = format_day
    env.filters["count"] = count
    env.filters["anchor"] = anchor_of
    env.globals["front_matter"] = front_matter
    env.globals["period_size"] = lambda period: sum(len(events) for _, _, events in period.groups)
    if bytecode is not None:
        cache_bytecode(env, bytecode)
    return env


BYTECODE_OPTIONS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
    "newline_sequence", "keep_trailing_newline", "optimized", "is_async", "sandboxed",
)
"""Environment settings that change what a template compiles to (Jinja's bytecode cache checks only the source)."""


def cache_bytecode(env: jinja2.Environment, folder: Path) -> None:
    """Keep `env`'s compiled templates under `folder`, so that a rebuild does not compile them again (43 templates,
    about 0.3 s a build). Jinja makes a template again when its source changed; the sub-folder is of this Jinja
    version and of the settings the compiled code depends on, so that another environment never reads them. An
    environment whose autoescape is a function (`select_autoescape`) keeps none: Jinja compiles what that function
    answers for each template, which no folder name can fix."""
    if callable(env.autoescape):
        return
    settings = [jinja2.__version__, type(env).__qualname__, repr(env.autoescape), repr(env.finalize is not None), repr(getattr(env.finalize, "jinja_pass_arg", None))]
    settings += [repr(getattr(env, name, None)) for name in BYTECODE_OPTIONS]
    settings += sorted(env.extensions)
    key = hashlib.sha256("\0".join(settings).encode()).hexdigest()[:16]
    (folder / key).mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder / key))


@dataclass(frozen=True)
class Site:
    """What every page of one render shares."""

    briefing: Briefing
    actors: dict[str, Actor]
    articles: dict[str, Article]
    directory_urls: bool = False
    """MkDocs' use_directory_urls: how links written in raw HTML must look."""
    where: dict[str, str] = dataclasses.field(default_factory=dict)
    """Anchor of a date heading → the chronology page it is on."""
    memo: Memo = dataclasses.field(default_factory=Memo)
    """Pieces rendered for an earlier page that a later one can take as they are."""
    tracker: Tracker = dataclasses.field(default_factory=Tracker)
    """What each page reads, for the next render (see `incremental`)."""


class Pages:
    """Helpers a template uses to link from the page at `uri`. What they read of the briefing beyond the page's
    context is recorded in `reads`, so that the next render can keep the page when none of it changed."""

    def __init__(self, uri: str, site: Site, reads: Reads | None = None) -> None:
        self.uri = uri
        self.site = site
        self.reads = reads or Reads()
        self.directory_urls = site.directory_urls
        self.depth = _depth(uri, site.directory_urls)

    def _read(self, kind: str, name: str) -> None:
        self.reads.add(self.site.tracker.index((kind, name)))

    @functools.cached_property
    def briefing(self) -> Volatile:
        """The whole briefing, for a template that needs more than the helpers give: the page then reads what is
        not recorded, and is rendered every time."""
        return Volatile(self.site.briefing, self.reads)

    @functools.cached_property
    def actors(self) -> Recorded:
        return Recorded(self.site.actors, "actor", self.site.tracker, self.reads)

    @functools.cached_property
    def articles(self) -> Recorded:
        return Recorded(self.site.articles, "article", self.site.tracker, self.reads)

    def _name(self, actor_id: str) -> Actor | None:
        """The actor `actor_id`, whose name and kind (only) the page shows."""
        self._read("name", actor_id)
        return self.site.actors.get(actor_id)

    def _article(self, article_id: str) -> Article:
        self._read("article", article_id)
        return self.site.articles[article_id]

    def cached(self, *key: object, caller: Callable[[], str]) -> Markup:
        """`{% call pages.cached(...) %}…{% endcall %}`: the block rendered once for every page (its links are
        alike on all, see `ROOT`); `key` must name everything else the block shows."""
        return self.site.memo.get(("block", *key), lambda: Markup(caller()), self.reads, packed=True)

    def chronology(self, when: TimeRef) -> str:
        """The src_uri#anchor of a date in the chronology."""
        anchor = anchor_of(when)
        self._read("where", anchor)
        return f"{self.site.where.get(anchor, CHRONOLOGY)}#{anchor}"

    def html_url(self, target: str) -> str:
        """The URL of page `target` (a src_uri, optionally with #anchor) from this page, as the built site spells
        it, for raw HTML."""
        return _rooted(_site_href(target, self.directory_urls), self.depth)

    def neighbours(self, actor: Actor) -> Markup:
        """A small SVG of the actor and the actors it appears with most, linked to their pages."""
        self._read("co", actor.id)
        named = ((self._name(p), n) for p, n in self.site.briefing.cooccurrence.get(actor.id, ()))
        partners = [(other, n) for other, n in named if other is not None][:NEIGHBOURS]
        if not partners:
            return Markup("")
        width, height, cx, cy = 640, 300, 320, 150
        most = max(n for _, n in partners)
        parts = [f'<svg class="briefing-neighbours" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">']
        nodes = []
        for i, (other, n) in enumerate(partners):
            angle = 2 * math.pi * i / len(partners) - math.pi / 2
            x, y = cx + 230 * math.cos(angle), cy + 115 * math.sin(angle)
            parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.0f}" y2="{y:.0f}" stroke-width="{1 + 5 * n / most:.1f}"/>')
            nodes.append((other, x, y, n))
        for other, x, y, n in nodes:
            href = html.escape(self.html_url(f"actors/{other.id}.md"))
            name = html.escape(other.name)
            parts.append(
                f'<a href="{href}" class="briefing-kind-{other.kind}"><circle cx="{x:.0f}" cy="{y:.0f}" r="7"/>'
                f'<text x="{x:.0f}" y="{y + 20:.0f}" text-anchor="middle">{name} ({n})</text></a>'
            )
        parts.append(
            f'<g class="briefing-kind-{actor.kind}"><circle cx="{cx}" cy="{cy}" r="10"/>'
            f'<text x="{cx}" y="{cy - 16}" text-anchor="middle">{html.escape(actor.name)}</text></g></svg>'
        )
        return Markup("".join(parts))

    def url(self, target: str) -> Markup:
        """Relative link from this page to the page `target` (a src_uri, optionally with #anchor)."""
        path, _, anchor = target.partition("#")
        relative = _relative(path, posixpath.dirname(self.uri)) if path else ""
        return Markup(relative + (f"#{anchor}" if anchor else ""))

    def link(self, text: object, target: str, data_actor: str | None = None) -> Markup:
        """A link to the page `target` (a src_uri, optionally with #anchor), written as HTML with the built
        site's URL, so that it can stand in the raw HTML blocks of long lists (and Markdown links cost MkDocs a
        path lookup each, on pages that hold thousands)."""
        return _link(text, target, data_actor, self.directory_urls)

    def external(self, text: object, url: str | None) -> Markup:
        """A link to a web address given in front matter; only plain http(s) addresses become links."""
        if url and SAFE_URL.fullmatch(url):
            return Markup(f"[{escape_markdown(text)}](<{url}>)")
        return Markup(escape_markdown(url or ""))

    def actor(self, actor_id: str | None) -> Markup:
        actor = None if actor_id is None else self._name(actor_id)
        if actor is None:
            return Markup(escape_markdown(actor_id or "unknown"))
        return self.link(actor.name, f"actors/{actor_id}.md")

    def via(self, via: str | None) -> Markup:
        return self.actor(via) if via is not None and self._name(via) is not None else Markup(escape_markdown(via or ""))

    def source(self, source: Source) -> Markup:
        return self.site.memo.get(("source", source), lambda: self._source(source), self.reads)

    def _source(self, source: Source) -> Markup:
        article = self._article(source.article)
        label = f"{format_day(article.date, short=True)} ¶{source.paragraph}"
        if article.outlet:
            label = f"{article.outlet}, {label}"
        return self.link(label, f"articles/{source.article}.md#p{source.paragraph}")

    def reuse(self, article: Article, paragraph: Paragraph) -> Reuse | None:
        self._read("reuse", article.id)
        return self.site.briefing.reused.get(Source(article.id, paragraph.n))

    def first_sentence(self, article: Article, paragraph: Paragraph) -> Markup:
        """The paragraph's first sentence, actors linked."""
        source = Source(article.id, paragraph.n)
        return self.linked(source, (0, len(first_sentence(paragraph.text))))

    def new_paragraphs(self, article: Article) -> list[Paragraph]:
        self._read("reuse", article.id)
        reused = self.site.briefing.reused
        return [p for p in article.paragraphs if p.kind == "text" and Source(article.id, p.n) not in reused]

    def changes(self, reuse: Reuse, limit: int = CHANGES_SHOWN) -> Markup:
        """The word-level edits from the earlier paragraph: <del>removed</del> <ins>added</ins>."""
        parts = []
        for removed, added in reuse.changes[:limit]:
            edit = " ".join(f"<{tag}>{_escape_inline(_shorten(words))}</{tag}>" for tag, words in (("del", removed), ("ins", added)) if words)
            parts.append(edit)
        more = len(reuse.changes) - limit
        return Markup(" · ".join(parts) + (f" · and {more} more" if more > 0 else ""))

    def source_of(self, article: Article, paragraph: Paragraph) -> Source:
        return Source(article.id, paragraph.n)

    def more(self, word: str, pages: ListPages) -> Markup:
        """"The latest 50 of 812 events are shown; all of them, oldest first: page 1 · 2 · 3"."""
        links = " · ".join(str(self.link(part.n, part.uri)) for part in pages.parts)
        return Markup(f"*The latest {len(pages.shown)} of {count(pages.total, word)} are shown; all of them, oldest first:* page {links}")

    def paragraph_links(self, article_id: str, paragraphs: list[int], limit: int = SOURCE_LINKS) -> Markup:
        """"¶2, ¶5, ¶9": links to the first `limit` of an article's paragraphs; the rest are counted."""
        shown = ", ".join(self.link(f"¶{n}", f"articles/{article_id}.md#p{n}") for n in paragraphs[:limit])
        more = len(paragraphs) - limit
        return Markup(shown + (f" and {more} more" if more > 0 else ""))

    def sources(self, sources: tuple[Source, ...] | list[Source], limit: int = SOURCE_LINKS) -> Markup:
        """Links to the first `limit` sources; the rest are counted (briefing.json lists them all)."""
        shown = " · ".join(self.source(s) for s in sources[:limit])
        more = len(sources) - limit
        return Markup(shown + (f" · and {more} more" if more > 0 else ""))

    def linked(self, source: Source, span: tuple[int, int] | None = None) -> Markup:
        """The paragraph of `source` (or the `span` of it) with every actor mention linked to its page. Not kept
        for later pages: a paragraph is shown on its article's page, a statement within its event's item."""
        text = self._article(source.article).paragraphs[source.paragraph - 1].text
        self._read("spans", source.article)
        start, end = span or (0, len(text))
        parts, cursor, linked = [], start, set()
        for m_start, m_end, actor_id in self.site.briefing.mention_spans.get(source, ()):
            if m_start < start or m_end > end or actor_id in linked:
                continue
            linked.add(actor_id)
            parts.append(_escape_inline(text[cursor:m_start]))
            parts.append(str(self.link(text[m_start:m_end], f"actors/{actor_id}.md")))
            cursor = m_end
        parts.append(_escape_inline(text[cursor:end]))
        return Markup(_escape_line_start("".join(parts).strip()))


def render(
    briefing: Briefing,
    env: jinja2.Environment,
    directory_urls: bool = False,
    layout: ChronologyLayout | None = None,
    sink: Callable[[str, str], None] | None = None,
    tracker: Tracker | None = None,
) -> dict[str, str]:
    """Every page of the site, src_uri → Markdown; or, given a `sink`, each page handed to it as it is rendered
    (and none kept). Long lists (the chronology, the indexes, an actor's events) are spread over pages so that
    no page grows with the corpus. A `tracker` made with the previous render's record keeps the pages whose
    inputs did not change (they are not handed to the sink) and records this render's for the next."""
    actors = {a.id: a for a in briefing.actors}
    articles = {a.id: a for a in briefing.articles}
    layout = layout or chronology_layout(briefing)
    events_of: dict[str, list[Event]] = defaultdict(list)
    for event in briefing.events:
        for actor in event.actors:
            events_of[actor].append(event)
    quotes_of: dict[str, list[Quote]] = defaultdict(list)
    for quote in briefing.quotes:
        if quote.speaker:
            quotes_of[quote.speaker].append(quote)
    rendered: dict[str, str] = {}
    tracker = tracker or Tracker()
    tracker.start(briefing, layout.where)
    site = Site(briefing, actors, articles, directory_urls, layout.where, Memo(), tracker)

    def page(uri: str, template: str, **context: object) -> None:
        digest = functools.cache(lambda: tracker.context(template, uri, context))  # made only when it is needed
        if tracker.unchanged(uri, digest):
            return
        helpers = Pages(uri, site)
        text = env.get_template(template).render(pages=helpers, briefing=Volatile(briefing, helpers.reads), **context)
        text = _rooted(text, helpers.depth)
        tracker.rendered(uri, digest, helpers.reads)
        if sink is None:
            rendered[uri] = text
        else:
            sink(uri, text)

    page(
        HOME,
        "home.md.j2",
        top_actors=briefing.actors[:TOP_ACTORS],
        latest=_latest(briefing.events),
        key_dates=_key_dates(briefing.events),
        newest=briefing.articles[-1] if briefing.articles else None,
        layout_quotes=layout.quote_pages[0].uri if layout.quote_pages else f"{CHRONOLOGY}#quotes",
    )
    _index_pages(page, ACTORS, "actors.md.j2", "actors/kinds", _by_kind(briefing.actors), labels=KIND_LABELS)
    _index_pages(page, ARTICLES, "articles.md.j2", "articles/months", _by_month(briefing.articles))
    page(CHRONOLOGY, "chronology.md.j2", layout=layout)
    outline = [_outline(part) for part in layout.pages]  # a page's context is what it shows: not the others' events
    for i, part in enumerate(layout.pages):
        before, after = outline[i - 1] if i else None, outline[i + 1] if i + 1 < len(outline) else None
        page(part.uri, "chronology_part.md.j2", part=part, previous_part=before, next_part=after)
    quote_pages = [_outline(part) for part in layout.quote_pages]
    for part in layout.quote_pages:
        page(part.uri, "quotes.md.j2", part=part, quote_pages=quote_pages)
    page(NETWORK, "network.md.j2", network=network_data(briefing), labels=KIND_LABELS)
    for actor in briefing.actors:
        lists = {
            "events": _list_pages(f"actors/{actor.id}", "events", events_of[actor.id]),
            "quotes": _list_pages(f"actors/{actor.id}", "quotes", quotes_of[actor.id]),
            "articles": _list_pages(f"actors/{actor.id}", "articles", _group_sources(actor.sources)),
        }
        # the actor's page shows the latest items and links the list pages: it holds their outlines, not their items
        shown = {what: dataclasses.replace(pages, parts=[_outline(part) for part in pages.parts]) for what, pages in lists.items()}
        page(f"actors/{actor.id}.md", "actor.md.j2", actor=actor, lists=shown, partners=briefing.cooccurrence.get(actor.id, ()))
        named = Named(actor.id, actor.name, actor.kind)  # a list page shows no more of the actor: not its mentions
        for what, pages in lists.items():
            for part in pages.parts:
                page(part.uri, "actor_list.md.j2", actor=named, what=what, parts=shown[what].parts, part=part)
    mentioned: dict[str, list[str]] = defaultdict(list)
    for (source, spans) in briefing.mention_spans.items():
        for _, _, actor_id in spans:
            if actor_id not in mentioned[source.article]:
                mentioned[source.article].append(actor_id)
    for article in briefing.articles:
        page(f"articles/{article.id}.md", "article.md.j2", article=article, actor_ids=mentioned[article.id])
    _link.cache_clear()  # MkDocs's build comes next: its memory
    return rendered


@dataclass(frozen=True)
class Named:
    """An actor as a page that only names it sees it."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Part:
    """One page of a long list: where it is, what it is called, what it lists, and which of how many it is."""

    uri: str
    title: str
    items: list
    n: int = 1
    of: int = 1


@dataclass(frozen=True)
class ListPages:
    """A list shown in part on its owner's page (`shown`, the latest) and whole over `parts` when longer."""

    total: int
    shown: list
    parts: list[Part]


def _outline(part: Part) -> Part:
    """`part` without its items: where it is and what it is called, for the links of the pages beside it."""
    return dataclasses.replace(part, items=[])


def _list_pages(folder: str, what: str, items: list) -> ListPages:
    if len(items) <= ON_ACTOR_PAGE:
        return ListPages(len(items), items, [])
    chunks = _chunks(items, LIST_PAGE)
    parts = [Part(f"{folder}/{what}-{i}.md", what, chunk, i, len(chunks)) for i, chunk in enumerate(chunks, 1)]
    return ListPages(len(items), items[-ON_ACTOR_PAGE:], parts)


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _index_pages(page, uri: str, template: str, folder: str, groups: list[tuple[str, list]], **context: object) -> None:
    """An index (of actors by kind, of articles by month) on one page, or, when longer than INDEX_PAGE, an
    index of its groups with each group on its own page(s)."""
    if sum(len(items) for _, items in groups) <= INDEX_PAGE:
        page(uri, template, groups=groups, parts=None, part=None, siblings=None, **context)
        return
    parts: list[tuple[str, int, list[Part]]] = []
    for key, items in groups:
        chunks = _chunks(items, INDEX_PAGE)
        slug = slugify(key)
        group_parts = [Part(f"{folder}/{slug}{'' if i == 1 else f'-{i}'}.md", key, chunk, i, len(chunks)) for i, chunk in enumerate(chunks, 1)]
        parts.append((key, len(items), group_parts))
    page(uri, template, groups=groups, parts=parts, part=None, siblings=None, **context)
    for _, _, group_parts in parts:
        for part in group_parts:
            page(part.uri, template, groups=[(part.title, part.items)], parts=None, part=part, siblings=group_parts, **context)


@dataclass(frozen=True)
class ChronologyLayout:
    """Where the chronology's events and quotes are: all on the chronology page, or, for a long chronology,
    the chronology page as an index of months with each month on its own page(s) and the quotes on theirs."""

    split: bool
    periods: list[Period]
    pages: list[Part]
    """Month (or year) pages; items are the Periods on the page (one, or one's share of a long month)."""
    quote_pages: list[Part]
    where: dict[str, str]
    """Anchor of every date heading → the page it is on."""


def chronology_layout(briefing: Briefing) -> ChronologyLayout:
    periods = _periods(briefing.events)
    if len(briefing.events) <= CHRONOLOGY_PAGE:
        where = {anchor: CHRONOLOGY for p in periods for _, anchor, _ in p.groups}
        where.update({p.anchor: CHRONOLOGY for p in periods})
        return ChronologyLayout(False, periods, [], [], where)
    pages: list[Part] = []
    where = {}
    for period in periods:
        shares = _split_groups(period.groups, CHRONOLOGY_PAGE)
        for i, groups in enumerate(shares, 1):
            uri = f"chronology/{period.anchor}{'' if i == 1 else f'-{i}'}.md"
            pages.append(Part(uri, period.title, [Period(period.title, period.anchor, groups)], i, len(shares)))
            for _, anchor, _ in groups:
                where.setdefault(anchor, uri)
        where[period.anchor] = f"chronology/{period.anchor}.md"
    chunks = _chunks(list(briefing.quotes), QUOTES_PAGE)
    quote_pages = [Part(f"chronology/quotes-{i}.md", "Quotes", chunk, i, len(chunks)) for i, chunk in enumerate(chunks, 1)]
    return ChronologyLayout(True, periods, pages, quote_pages, where)


def _split_groups(groups: list[tuple[str, str, list[Event]]], limit: int) -> list[list[tuple[str, str, list[Event]]]]:
    """Dated groups in shares of at most `limit` events, cut between groups where one fits, else within one."""
    shares: list[list[tuple[str, str, list[Event]]]] = [[]]
    size = 0
    for heading, anchor, events in groups:
        for n, chunk in enumerate(_chunks(events, limit)):
            if size and size + len(chunk) > limit:
                shares.append([])
                size = 0
            shares[-1].append((heading if n == 0 else f"{heading} (continued)", anchor, chunk))
            size += len(chunk)
    return shares


def count(n: int, word: str) -> str:
    """"1 mention", "3 mentions"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@functools.lru_cache(maxsize=1 << 14)
def format_day(date: dt.date, short: bool = False) -> str:
    if short:
        return f"{date.day} {date:%b %Y}"
    return f"{date:%A} {date.day} {date:%B %Y}"


def format_when(when: TimeRef) -> str:
    if when.precision == "day":
        return format_day(when.start)
    if when.precision == "week":
        return f"Week of {when.start.day} {when.start:%B %Y}"
    if when.precision == "month":
        label = f"{when.start:%B %Y}"
        return f"{when.part.capitalize()} {label}" if when.part else label
    return f"{when.part.capitalize()} {when.value}" if when.part else when.value


def _latest(events: tuple[Event, ...]) -> list[Event]:
    dated = [e for e in events if not e.reported] or list(events)
    return sorted(dated, key=lambda e: (e.when.start, e.id), reverse=True)[:LATEST_EVENTS]


@dataclass(frozen=True)
class Network:
    nodes: list[Actor]
    hubs: list[Actor]
    data: Markup
    """The nodes and weighted edges as JSON, safe inside a <script> element."""


def network_data(briefing: Briefing) -> Network:
    """The most mentioned actors (outlets apart) and how often they share a paragraph; the hubs are the few
    actors in most articles, which a reader may hide to see the rest."""
    nodes = [a for a in briefing.actors if a.kind != "media"][:NETWORK_NODES]
    ids = {a.id for a in nodes}
    in_articles = {a.id: len({s.article for s in a.sources}) for a in nodes}
    hubs = sorted(nodes, key=lambda a: (-in_articles[a.id], -a.mentions, a.id))[:HUBS]
    hubs = [a for a in hubs if in_articles[a.id] * 2 >= len(briefing.articles)]
    edges = [
        [a, b, n] for a, partners in briefing.cooccurrence.items() if a in ids for b, n in partners if b in ids and a < b
    ]
    edges = sorted(sorted(edges, key=lambda edge: (-edge[2], edge[0], edge[1]))[:NETWORK_EDGES])
    data = {
        "nodes": [{"id": a.id, "name": a.name, "kind": a.kind, "mentions": a.mentions} for a in nodes],
        "edges": edges,
        "hubs": [a.id for a in hubs],
    }
    return Network(nodes, hubs, Markup(script_json(data, sort_keys=True)))


def script_json(data: object, **options: object) -> str:
    """`data` as JSON that cannot end the <script> element holding it, whatever its strings contain."""
    text = json.dumps(data, ensure_ascii=False, **options)
    for char in "&<>\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _key_dates(events: tuple[Event, ...]) -> list[tuple[TimeRef, int, list[Event]]]:
    """The days the most reports are about, as a journalist's timeline picks its dates: (day, reports, events
    most reported first). A day that only undated statements fall on is no key date."""
    days: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if event.when.precision == "day" and not event.reported:
            days[event.when.value].append(event)
    scored = sorted(days.values(), key=lambda group: (-sum(e.weight for e in group), group[0].when.start))[:KEY_DATES]
    return [
        (group[0].when, sum(e.weight for e in group), sorted(group, key=lambda e: -e.weight))
        for group in sorted(scored, key=lambda group: group[0].when.start)
    ]


def _by_kind(actors: tuple[Actor, ...]) -> list[tuple[str, list[Actor]]]:
    return [(kind, [a for a in actors if a.kind == kind]) for kind in ACTOR_KINDS if any(a.kind == kind for a in actors)]


def _by_month(articles: tuple[Article, ...]) -> list[tuple[str, list[Article]]]:
    months: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: (a.date, a.file), reverse=True):
        months[f"{article.date:%B %Y}"].append(article)
    return list(months.items())


@dataclass(frozen=True)
class Period:
    """A heading of the chronology (a month or a year) and its dated groups of events."""

    title: str
    anchor: str
    groups: list[tuple[str, str, list[Event]]]
    """(heading, anchor, events) for each day, week or the period as a whole."""


def _periods(events: tuple[Event, ...]) -> list[Period]:
    periods: dict[str, dict[tuple[str, str], list[Event]]] = defaultdict(lambda: defaultdict(list))
    titles: dict[str, str] = {}
    for event in events:
        when = event.when
        period = when.value[:4] if when.precision == "year" else f"{when.start:%Y-%m}"
        titles[period] = when.value if when.precision == "year" else f"{when.start:%B %Y}"
        periods[period][(when.value, when.part or "")].append(event)
    result = []
    for period in sorted(periods):
        groups = []
        for (value, _), group in sorted(periods[period].items(), key=lambda item: (item[1][0].when.start, PRECISIONS.index(item[1][0].when.precision), item[0])):
            when = group[0].when
            heading = format_when(when) if when.precision != "month" or when.part else f"During {format_when(when)}"
            groups.append((heading, anchor_of(when), group))
        result.append(Period(titles[period], period, groups))
    return result


def anchor_of(when: TimeRef) -> str:
    """The chronology's anchor for a date: its day or week, or its month or year with the part the text gave."""
    if when.precision in ("day", "week"):
        return when.value.lower()
    return f"{when.value}-{when.part or 'all'}"


def _group_sources(sources: tuple[Source, ...]) -> list[tuple[str, list[int]]]:
    grouped: dict[str, list[int]] = {}
    for source in sources:
        grouped.setdefault(source.article, []).append(source.paragraph)
    return list(grouped.items())


def _reused_from(briefing: Briefing, article: Article, paragraph: Paragraph) -> dict | None:
    reuse = briefing.reused.get(Source(article.id, paragraph.n))
    if reuse is None:
        return None
    return {"article": reuse.earlier.article, "paragraph": reuse.earlier.paragraph, "share": reuse.similarity}


def alias_slugs(briefing: Briefing) -> dict[str, str]:
    """Page slugs of every other form of an actor's name → the actor's id.

    Which form names an actor can change when articles are added; a redirect at each form's slug keeps
    the links and bookmarks made to an earlier build working."""
    ids = {a.id for a in briefing.actors}
    found: dict[str, str] = {}
    for actor in sorted(briefing.actors, key=lambda a: a.id):
        for form in (actor.name, *actor.aliases):
            slug = slugify(form, max_length=80, word_boundary=True)
            if slug and slug not in ids and slug not in found and slug not in ("index", "network"):
                found[slug] = actor.id
    return dict(sorted(found.items()))


def redirect_html(target: str) -> str:
    """A page that sends the reader on to `target` (a relative URL)."""
    url = html.escape(target, quote=True)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Moved</title>\n'
        f'<link rel="canonical" href="{url}"><meta http-equiv="refresh" content="0; url={url}">\n'
        f'</head><body><p>This page is now <a href="{url}">{url}</a>.</p></body></html>\n'
    )


def site_summary(briefing: Briefing) -> Briefing:
    """What the site needs of a briefing besides its pages (actor names, article titles and dates, the feed's
    events), kept by the build cache instead of the whole briefing: a rebuild that changes nothing then reads
    kilobytes, not the gigabyte of a large corpus's events and spans."""
    return Briefing(
        articles=tuple(dataclasses.replace(a, paragraphs=()) for a in briefing.articles),
        actors=tuple(dataclasses.replace(a, sources=(), roles=()) for a in briefing.actors),
        events=tuple(feed_events(briefing)),
        quotes=(),
    )


def feed_events(briefing: Briefing) -> list[Event]:
    """The dated events of the feed, newest first."""
    return heapq.nlargest(FEED_ENTRIES, (e for e in briefing.events if not e.reported), key=lambda e: (e.when.start, e.id))


def atom_feed(briefing: Briefing, where: dict[str, str], url_of: Callable[[str], str], site_url: str | None) -> str:
    """An Atom feed of the dated events, newest first, each linking to its day in the chronology (`where`: the
    chronology page of each date anchor); `url_of` gives the site URL of a page's src_uri."""
    chronology_url = url_of(CHRONOLOGY)
    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)
    base = (site_url or "").rstrip("/") + "/" if site_url else ""
    dated = feed_events(briefing)
    feed = ET.Element(f"{{{atom}}}feed")
    updated = f"{dated[0].when.start.isoformat()}T00:00:00Z" if dated else "1970-01-01T00:00:00Z"
    feed_id = f"{base}feed.xml" if base else "urn:briefing:events"
    for tag, text in (("id", feed_id), ("title", "Briefing: events"), ("updated", updated)):
        ET.SubElement(feed, f"{{{atom}}}{tag}").text = text
    ET.SubElement(feed, f"{{{atom}}}link", rel="alternate", href=base + chronology_url)
    ET.SubElement(ET.SubElement(feed, f"{{{atom}}}author"), f"{{{atom}}}name").text = "Briefing"
    for event in dated:
        entry = ET.SubElement(feed, f"{{{atom}}}entry")
        words = event.text.split()
        title = f"{format_when(event.when)}: " + " ".join(words[:14]) + (" …" if len(words) > 14 else "")
        for tag, text in (("id", f"urn:briefing:event:{event.id}"), ("title", title), ("updated", f"{event.when.start.isoformat()}T00:00:00Z")):
            ET.SubElement(entry, f"{{{atom}}}{tag}").text = text
        ET.SubElement(entry, f"{{{atom}}}link", rel="alternate", href=f"{base}{url_of(where.get(anchor_of(event.when), CHRONOLOGY))}#{anchor_of(event.when)}")
        ET.SubElement(entry, f"{{{atom}}}content", type="text").text = event.text
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def write_briefing_json(briefing: Briefing, write: Callable[[str], object]) -> None:
    """briefing.json, the data behind the pages (generator, articles, actors, events, quotes), handed to
    `write` an item at a time, one item per line: at 10,000 articles the whole document, built as objects and
    then as one string, took the build's memory from 1.2 to 2.4 GB."""

    def sources(items: Iterable[Source]) -> list[dict]:
        return [{"article": s.article, "paragraph": s.paragraph} for s in items]

    sections: dict[str, Iterable[dict]] = {
        "articles": (
            {
                "id": a.id,
                "file": a.file,
                "date": a.date.isoformat(),
                "title": a.title,
                "outlet": a.outlet,
                "url": a.url,
                "paragraphs": [
                    {"n": p.n, "kind": p.kind, "text": p.text, "reused_from": _reused_from(briefing, a, p)} for p in a.paragraphs
                ],
            }
            for a in briefing.articles
        ),
        "actors": (
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "aliases": list(a.aliases),
                "roles": [
                    {"title": r.title, "of": r.of, "of_actor": r.of_actor, "sources": sources(r.sources)} for r in a.roles
                ],
                "mentions": a.mentions,
            }
            for a in briefing.actors
        ),
        "events": (
            {
                "id": e.id,
                "date": e.when.value,
                "precision": e.when.precision,
                "expression": e.when.expression,
                "reported": e.reported,
                "text": e.text,
                "weight": e.weight,
                "actors": list(e.actors),
                "sources": sources(e.sources),
            }
            for e in briefing.events
        ),
        "quotes": (
            {
                "id": q.id,
                "text": q.text,
                "speaker": q.speaker,
                "via": q.via,
                "variants": list(q.variants),
                "sources": sources(q.sources),
            }
            for q in briefing.quotes
        ),
    }
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    write('{\n "generator": ' + dumps({"name": "briefing", "version": __version__}))
    for name, items in sections.items():
        write(f',\n "{name}": [')
        separator = "\n  "
        for item in items:
            write(separator + dumps(item))
            separator = ",\n  "
        write("\n ]" if separator != "\n  " else "]")
    write("\n}\n")
