"""The typed data model every stage of the pipeline reads and writes.

ingest → Article; extract → ArticleAnalysis (Sentence, Mention, Quotation);
resolve → Actor, TimeRef; assemble → Briefing (Event, Quote, Role).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import operator
import pickle
from collections.abc import Callable, Iterator
from dataclasses import field
from typing import Literal, TypeVar, dataclass_transform

ParagraphKind = Literal["text", "heading", "credit"]
ActorKind = Literal["person", "organization", "country", "place", "media"]
Precision = Literal["day", "week", "month", "year"]

T = TypeVar("T", bound=type)


@dataclass_transform(frozen_default=True)
def frozen(cls: T | None = None, /, **options: bool) -> T | Callable[[T], T]:
    """A frozen dataclass with slots, pickled as its class and field values: dataclasses pickle a frozen slotted
    class through Python code for every object (`__getstate__`), which made pickling an event with its sources
    and date, or an actor with its mentions, two to six times slower (the build cache, the worker processes'
    analyses, the render's digests of page contexts)."""

    def make(cls: T) -> T:
        made = dataclasses.dataclass(cls, frozen=True, slots=True, **options)
        values = operator.attrgetter(*(f.name for f in dataclasses.fields(made)))
        if len(dataclasses.fields(made)) == 1:
            made.__reduce__ = lambda self: (made, (values(self),))
        else:
            made.__reduce__ = lambda self: (made, values(self))
        return made

    return make if cls is None else make(cls)


def value_digest(value: object) -> bytes:
    """The digest of a model value, pickled: what the render's bookkeeping compares an event, actor, quote or
    article by (`incremental.Tracker`), and what event merging keeps beside the events it keeps."""
    return hashlib.blake2b(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).digest()


ACTOR_KINDS: tuple[ActorKind, ...] = ("person", "organization", "country", "place", "media")
PRECISIONS: tuple[Precision, ...] = ("year", "month", "week", "day")
"""From the broadest to the most precise: `PRECISIONS.index` ranks them."""


@frozen(order=True)
class Source:
    """Where a statement comes from: one paragraph of one article."""

    article: str
    """Id of the article (its page slug)."""
    paragraph: int
    """1-based number of the paragraph in the article (its anchor is `#p<n>`)."""


@frozen
class Paragraph:
    n: int
    """1-based position in the article."""
    kind: ParagraphKind
    text: str
    """The text, whitespace folded to single spaces."""
    line: int
    """Line of the file where the paragraph starts, for messages."""


@frozen
class Article:
    id: str
    """Stable slug derived from the file name: the page is `articles/<id>.md`."""
    file: str
    """Path relative to the articles folder, with forward slashes."""
    date: dt.date
    title: str
    paragraphs: tuple[Paragraph, ...]
    outlet: str | None = None
    """The `source` of Markdown front matter, when given."""
    url: str | None = None


@frozen
class Problem:
    """Something wrong with one input file, reported as a build warning."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@frozen
class Mention:
    """A named-entity span found by the language model in one sentence."""

    text: str
    label: str
    """spaCy's entity label (PERSON, ORG, GPE, LOC, NORP, FAC, DATE, …)."""
    start: int
    end: int
    """Character offsets in the paragraph text."""
    title: str | None = None
    """A title written before or in apposition to the name ("Foreign Minister")."""
    title_of: str | None = None
    """What the title belongs to ("Valdoria", "Valdorian Foreign Ministry", "Baltic Freight")."""
    acronym: str | None = None
    """The acronym the text gives for this name: "… Organization (NATO)" → "NATO"."""
    media_cue: bool = False
    """The sentence presents this name as an outlet ("as per X", "X reported")."""
    place_cue: bool = False
    """The sentence presents this name as a place ("in X", "visited X", "the capital, X")."""
    future: bool = False
    """For dates: the verb the date belongs to is in the future ("will meet on Monday", "would reopen in April")."""
    main: bool = False
    """For dates: it belongs to the sentence's main verb, so it dates the statement itself."""
    past: bool = False
    """For dates: the verb it belongs to is in a past tense ("visited on June 10")."""


@frozen
class Quotation:
    """A quoted span and the names the sentence around it credits."""

    text: str
    speaker: str | None
    """Surface text of the speaker as written ("Holt", "She")."""
    via: str | None
    """Surface text of the outlet cited ("Sputnik", "the Tass news agency")."""


@frozen
class Sentence:
    paragraph: int
    start: int
    end: int
    text: str
    mentions: tuple[Mention, ...]
    has_verb: bool
    """The sentence has a finite main verb (a statement, not a label or a list)."""
    reporting: bool = False
    """The main verb reports speech or belief ("said", "expects"): the statement is the saying."""
    subject: bool = False
    """The main verb has a subject: someone or something did it."""
    pronoun_subject: bool = False
    """The subject is a pronoun ("She further added"): the sentence continues the one before."""
    quotations: tuple[Quotation, ...] = ()


@frozen
class ArticleAnalysis:
    """What the language model found in one article; cached by content hash."""

    article: str
    sentences: tuple[Sentence, ...]

    def sourced(self) -> Iterator[tuple[Source, Sentence]]:
        """Each sentence with the paragraph it stands in; one Source per paragraph, shared by its sentences
        (a large corpus has millions of sentences)."""
        source = None
        for sentence in self.sentences:
            if source is None or source.paragraph != sentence.paragraph:
                source = Source(self.article, sentence.paragraph)
            yield source, sentence


@frozen
class TimeRef:
    """A point or period in time, resolved from an expression against the article's date."""

    value: str
    """`YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM` or `YYYY`, by precision."""
    precision: Precision
    start: dt.date
    """First day of the period, for ordering."""
    expression: str
    """The text it was read from; empty when it is the article's date."""
    confidence: float
    part: str | None = None
    """"early", "mid" or "late" within the period, when the text says so."""


@frozen
class Role:
    title: str
    of: str | None
    of_actor: str | None
    """Id of the actor `of` names, when it is one."""
    sources: tuple[Source, ...]


@frozen
class Actor:
    id: str
    """Page slug: the page is `actors/<id>.md`."""
    name: str
    kind: ActorKind
    aliases: tuple[str, ...]
    """Every other form of the name seen in the corpus."""
    mentions: int
    sources: tuple[Source, ...]
    """Every paragraph that mentions the actor, in article order."""
    roles: tuple[Role, ...] = ()
    notes: tuple[str, ...] = ()
    """How the resolver decided what it did not read verbatim (surname joins)."""


@frozen
class Event:
    id: str
    when: TimeRef
    text: str
    actors: tuple[str, ...]
    sources: tuple[Source, ...]
    reported: bool = False
    """True when the text gives no date and the event is placed on the article's date."""
    span: tuple[int, int] = (0, 0)
    """Character range of `text` in the paragraph of `sources[0]`."""
    statements: tuple[tuple[Source, int, int], ...] = ()
    """Every sentence merged into the event: its paragraph and character range there."""
    unread: tuple[str, ...] = ()
    """Time expressions of an undated event that could not be read as dates ("in the coming years")."""

    @property
    def weight(self) -> int:
        """How many distinct articles report the event."""
        return len({s.article for s in self.sources})


@frozen
class Quote:
    id: str
    text: str
    speaker: str | None
    via: str | None
    """An actor id when the outlet resolved to one, else the outlet's text."""
    sources: tuple[Source, ...]
    variants: tuple[str, ...] = ()
    """Other wordings of the same quote in other articles."""


@frozen
class Reuse:
    """A paragraph that re-appears, nearly word for word, from an earlier article."""

    source: Source
    earlier: Source
    """Where it was first published."""
    similarity: float
    """Percentage of the paragraph's words that stand, in order, in the earlier one."""
    changes: tuple[tuple[str, str], ...]
    """Word-level edits from the earlier text: (removed, added), either may be empty."""


@frozen
class Briefing:
    articles: tuple[Article, ...]
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    quotes: tuple[Quote, ...]
    cooccurrence: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """For each actor id, the actors sharing a paragraph with it and how often, most first."""
    mention_spans: dict[Source, tuple[tuple[int, int, str], ...]] = field(default_factory=dict)
    """For each paragraph, the (start, end, actor id) spans to link on its article page."""
    reused: dict[Source, Reuse] = field(default_factory=dict)
    """Paragraphs re-used from an earlier article, by the later paragraph."""
