"""Put the corpus together: events, quotes, co-occurrence and the links of every mention.

Everything here needs the whole corpus (the same event or quote in several articles is shown once), so it
runs after every article has been read and resolved, before any page is written.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import functools
import hashlib
import heapq
import itertools
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Protocol

from rapidfuzz import fuzz

from .model import PRECISIONS, Actor, Article, ArticleAnalysis, Briefing, Event, Quote, Reuse, Sentence, Source, TimeRef, value_digest
from .resolve import ActorIndex, reported_on, resolve_date
from .reuse import find_reuse

SAME_EVENT = 80
"""rapidfuzz token-sort similarity from which two statements of compatible dates are one event."""
SAME_DATED_EVENT = 80
"""rapidfuzz token-set similarity from which two dated statements of compatible dates are one event."""
RARE_WORDS = 3
"""An event or quote is indexed under its rarest words, rarest in English at large (`_rarest`), not in the corpus:
an event's keys are then its own, and merging goes on from where the last build left it (`MergeRecord`)."""
WORDLIST = "small"
CANDIDATES = 12
"""At most this many earlier events, those sharing the most index keys, are compared with a statement."""
COMMON_KEY = 200
"""A key (month and actor or word) shared by more events than this no longer tells events apart: it is not
scanned, so the work per statement stays bounded however large the corpus."""
REPORT_LAG_DAYS = 31
"""An undated statement may report something that happened up to this long before the article."""
SAME_QUOTE = 90
QUOTE_MARKS = re.compile(r"[\"“”]")


class Analyses(Protocol):
    """The articles' analyses, each taken once (`extract.Analyses`, or a dict)."""

    def pop(self, id: str, /) -> ArticleAnalysis: ...


@dataclass(frozen=True)
class ArticleStatements:
    """What one article gave the last build: a build whose article and resolution answers (`_inputs`) are the
    same takes its statements' digest and its quotes from here, without reading its analysis or making its
    events again, unless merging needs them (`_merge`)."""

    inputs: bytes
    """Digest of the article and of what resolution answered for it (`_inputs`)."""
    names: tuple[str, ...]
    """The speaker and outlet names its quotations credit, which `_inputs` looks up."""
    digest: bytes
    """Of its statements (`_group_digest`)."""
    count: int
    """How many statements it gave."""
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class MergeRecord:
    """Event merging as the last build left it, before sorting: a build whose statements begin with the same ones
    (an article added after the others, as a story develops) merges only the statements after them."""

    table: str
    """The word list `_rarest` read (`_table_id`): another list gives other keys."""
    count: int
    """Statements merged."""
    digest: bytes
    """Of those statements, article by article (`_chain`)."""
    state: bytes
    """The merged events, their spans, the index and the events' digests (`_merge`), pickled: read only when merging goes on
    from them, not when a build's statements begin otherwise."""
    articles: Mapping[str, ArticleStatements] = field(default_factory=dict)
    """Article id → what it gave (`assemble`)."""

    def unpickled(self) -> tuple[list[Event], list[tuple[dt.date, dt.date]], dict, list[bytes]]:
        """`state` unpickled: the one `prepare` read ahead, taken (merging goes on in it, changing it), or read now."""
        ahead = self.__dict__.pop("_ahead", None)
        return ahead if ahead is not None else pickle.loads(self.state)

    def read_ahead(self) -> None:
        object.__setattr__(self, "_ahead", pickle.loads(self.state))


def prepare(merging: MergeRecord | None) -> None:
    """Read what merging will read: the word list and the last build's state. Called where the build has time
    to spare (waiting for new articles' analyses), so that merging does not read them then."""
    _frequencies()
    if merging is not None and merging.table == _table_id():
        merging.read_ahead()


def assemble(
    articles: list[Article],
    analyses: Analyses,
    index: ActorIndex,
    reused: dict[Source, Reuse] | None = None,
    merging: MergeRecord | None = None,
    record: list[MergeRecord] | None = None,
    digests: dict[int, bytes] | None = None,
) -> Briefing:
    """The briefing of the corpus. Takes each article's analysis once (`pop`): held ones are let go once read,
    so the events and quotes built from them do not stand in memory beside all of them.
    `reused`: the articles' re-used paragraphs when already found (`find_reuse`). `merging`: the last build's
    event merging, gone on from when this build's statements begin with its; its own is appended to `record`.
    `digests` is given the `value_digest` of every event, by its `id()`: those merging kept from the last build
    are not digested again (the render compares pages' contexts by them)."""
    known = merging.articles if merging is not None else {}
    groups: list[_Group] = []
    quotes: list[Quote] = []
    kept: dict[str, ArticleStatements] = {}
    for article in articles:
        before = known.get(article.id)
        if before is not None and before.inputs == _inputs(article, index, before.names):
            kept[article.id] = before
            quotes.extend(before.quotes)
            if before.count:
                groups.append(_Group(before.digest, before.count, functools.partial(_statements, article, analyses, index)))
            continue
        events, found, names = _statements(article, analyses, index, with_quotes=True)
        quotes.extend(found)
        digest = _group_digest(events) if record is not None or merging is not None else b""  # no state kept or read: no digest
        if record is not None:
            kept[article.id] = ArticleStatements(_inputs(article, index, names), names, digest, len(events), tuple(found))
        if events:
            groups.append(_Group(digest, len(events), events))
    merged = _merge(groups, merging, record, digests)
    if record:
        record[-1] = dataclasses.replace(record[-1], articles=kept)
    return Briefing(
        articles=tuple(articles),
        actors=tuple(index.actors),
        events=tuple(merged),
        quotes=tuple(_merge_quotes(quotes)),
        cooccurrence=_cooccurrence(index),
        mention_spans=_mention_spans(index),
        reused=find_reuse(articles) if reused is None else reused,
    )


@dataclass(frozen=True)
class _Group:
    """One article's statements to merge: their digest and count, and the statements, or how to make them (an
    article whose statements come before the point where merging goes on is not read)."""

    digest: bytes
    count: int
    events: list[Event] | Callable[[], list[Event]]

    def made(self) -> list[Event]:
        return self.events if isinstance(self.events, list) else self.events()


def _statements(article: Article, analyses: Analyses, index: ActorIndex, with_quotes: bool = False):
    """The events of one article, in order (one per statement, before merging); `with_quotes`: with its quotes
    and the names they credit, as (events, quotes, names)."""
    text_paragraphs = {p.n for p in article.paragraphs if p.kind == "text"}
    events: list[Event] = []
    quotes: list[Quote] = []
    names: dict[str, None] = {}
    previous: Event | None = None
    for source, sentence in analyses.pop(article.id).sourced():
        if sentence.paragraph not in text_paragraphs:
            continue
        event = _event(sentence, source, article, index)
        if event and event.reported and previous and _continues(sentence, previous, source):
            event = dataclasses.replace(event, when=previous.when, reported=False, unread=())
        if event:
            events.append(event)
            previous = event
        if with_quotes:
            quotes.extend(_quotes(sentence, source, index))
            for quotation in sentence.quotations:
                names.update((name, None) for name in (quotation.speaker, quotation.via) if name is not None)
    return (events, quotes, tuple(names)) if with_quotes else events


def _inputs(article: Article, index: ActorIndex, names: tuple[str, ...]) -> bytes:
    """What an article's statements and quotes are made of besides its analysis (which the article fixes, in
    one set-up): the article, the actors resolution put on its mentions and their kinds, and the actors the
    names its quotations credit are found as."""
    spans = [index.spans.get(Source(article.id, p.n)) for p in article.paragraphs]
    actors = sorted({actor for found in spans if found for _, _, actor in found})
    kinds = [index.kinds.get(actor) for actor in actors]
    finds = [index.find(name) for name in names]
    return hashlib.blake2b(pickle.dumps((article, spans, actors, kinds, finds), protocol=pickle.HIGHEST_PROTOCOL), digest_size=16).digest()


def _event(sentence: Sentence, source: Source, article: Article, index: ActorIndex) -> Event | None:
    """A statement of what happened: a sentence with a main verb and an actor, or with a subject and a date
    ("The harbour authority closed two piers on Friday"); quotes apart."""
    if not sentence.has_verb or QUOTE_MARKS.search(sentence.text):
        return None
    actors = _actors_of(sentence, source, index)
    when = _when(sentence, article)
    if not actors and (when is None or not sentence.subject):
        return None
    end = sentence.start + len(sentence.text.rstrip())
    return Event(
        id=_stable_id("e", source, sentence.start),
        when=when or reported_on(article.date),
        text=sentence.text.rstrip(),
        actors=actors,
        sources=(source,),
        reported=when is None,
        span=(sentence.start, end),
        statements=((source, sentence.start, end),),
        unread=() if when else tuple(m.text for m in sentence.mentions if m.label in ("DATE", "TIME")),
    )


def _continues(sentence: Sentence, previous: Event, source: Source) -> bool:
    """"She further added that …" goes on with the statement before it, in the same paragraph: same date."""
    return sentence.reporting and sentence.pronoun_subject and previous.sources[0] == source and not previous.reported


def _actors_of(sentence: Sentence, source: Source, index: ActorIndex) -> tuple[str, ...]:
    """The actors a statement is about; an outlet cited for it ("as per X", "X reported") is not one of them,
    an outlet the news is about ("Reuters opened a bureau") is."""
    found = []
    for mention in sentence.mentions:
        actor = index.actor_at(source, mention.start)
        cited = index.kinds.get(actor) == "media" and (mention.media_cue or _cited(sentence, mention))
        if actor and not cited and actor not in found:
            found.append(actor)
    return tuple(found)


def _cited(sentence: Sentence, mention) -> bool:
    """The outlet is named as the source: "told X", "according to X", "X said" after a comma."""
    before = sentence.text[: mention.start - sentence.start].rstrip().casefold()
    after = sentence.text[mention.end - sentence.start :].lstrip().casefold()
    return before.endswith(("told", "according to", "to")) or after.startswith(("said", "says", "reported", "reports"))


def _when(sentence: Sentence, article: Article) -> TimeRef | None:
    """The date of the statement, or None when the text gives none.

    A date on the main verb dates it ("X said on Friday that Y will meet on Monday" is Friday). Otherwise,
    when the main verb reports speech or belief, the statement is the saying: a date in what was said dates
    it only when it is past (what was reported to have happened), never a forecast. Otherwise the first date
    the sentence gives ("The storm, which hit on Wednesday night, flooded the market")."""
    resolved = []
    for mention in sentence.mentions:
        if mention.label in ("DATE", "TIME"):
            found = resolve_date(mention.text, article.date, mention.future)
            if found:
                resolved.append((mention, found))
    main = [found for mention, found in resolved if mention.main]
    if main:
        return main[0]
    if sentence.reporting:
        past = [found for mention, found in resolved if mention.past and found.start <= article.date]
        return past[0] if past else None
    return resolved[0][1] if resolved else None


def _quotes(sentence: Sentence, source: Source, index: ActorIndex) -> Iterable[Quote]:
    for quotation in sentence.quotations:
        via = index.find(quotation.via) or quotation.via
        yield Quote(
            id=_stable_id("q", source, sentence.start),
            text=quotation.text,
            speaker=index.find(quotation.speaker),
            via=via,
            sources=(source,),
        )


def _merge_events(events: list[Event], merging: MergeRecord | None = None, record: list[MergeRecord] | None = None) -> list[Event]:
    """`_merge` of statements in order, taken article by article (a run of statements of one article is one
    group)."""
    groups = [list(run) for _, run in itertools.groupby(events, key=lambda e: e.sources[0].article)]
    return _merge([_Group(_group_digest(run), len(run), run) for run in groups], merging, record)


def _merge(
    groups: list[_Group], merging: MergeRecord | None = None, record: list[MergeRecord] | None = None, digests: dict[int, bytes] | None = None
) -> list[Event]:
    """One event per statement, citing every article that reports it, dated with the most precise date.

    Two statements are one event when their wording is close and their dates can be the same time ("on
    Friday" in one article, "last week" in the next). Candidates come from an index by month and by each
    statement's actors and rarest words, not from comparing all pairs: only the few earlier events sharing the
    most keys are compared, and keys too common to tell events apart are passed over.

    Each statement is merged with the ones before it only, so that when `merging` (the last build's state)
    merged the statements the groups begin with (the same digests, in order: `_chain`), merging goes on from
    it: the same result, for the new statements' work; the groups before that point are not made. The state
    reached is appended to `record`, with the `value_digest` of each merged event, which `digests` is given
    (by `id()`): an event the statements after that point did not change keeps the digest it had."""
    chain = _chain(groups)
    resume = None
    if merging is not None and merging.table == _table_id():
        resume = next((n for n, (digest, count) in enumerate(chain) if count == merging.count and digest == merging.digest), None)
    if resume is not None:
        merged, spans, index, digested = merging.unpickled()
    else:
        merged, spans, index, digested, resume = [], [], {}, [], 0
    changed: set[int] = set()
    # spans: the time each merged event can be in (`_span`), beside it: compared with every candidate
    for group in groups[resume:]:
        for event in group.made():
            first, last = span = _span(event)
            keys = _index_keys(event, span)
            pool: list[int] = []
            for key in keys:
                postings = index.get(key)
                if postings is not None and len(postings) <= COMMON_KEY:
                    pool += postings
            shared = Counter(pool)
            candidates = _most_shared(shared)
            match = next((i for i in candidates if first <= spans[i][1] and spans[i][0] <= last and _same_event(merged[i], event)), None)
            if match is None:
                match = len(merged)
                merged.append(event)
                spans.append(span)
                digested.append(b"")
            else:
                merged[match] = _combine(merged[match], event)
                spans[match] = _span(merged[match])
            changed.add(match)
            for key in keys:
                postings = index.setdefault(key, [])
                if len(postings) <= COMMON_KEY and match not in postings:
                    postings.append(match)  # each event once per key: a count of shared keys, not of mentions
    if record is not None or digests is not None:
        for i in changed:
            digested[i] = value_digest(merged[i])
        if digests is not None:
            digests.update(zip(map(id, merged), digested))
    if record is not None:
        state = pickle.dumps((merged, spans, index, digested), protocol=pickle.HIGHEST_PROTOCOL)
        digest, count = chain[-1]
        record.append(MergeRecord(_table_id(), count, digest, state))
    return sorted(merged, key=lambda e: (e.when.start, PRECISIONS.index(e.when.precision), e.sources[0], e.id))


def _chain(groups: list[_Group]) -> list[tuple[bytes, int]]:
    """The digest and count of the statements of the first n groups, for n from 0 to all: each digest that of the
    one before it and of the next group's."""
    digest, count = hashlib.blake2b(digest_size=16).digest(), 0
    chain = [(digest, count)]
    for group in groups:
        digest = hashlib.blake2b(digest + group.digest, digest_size=16).digest()
        count += group.count
        chain.append((digest, count))
    return chain


class _Hashing:
    """A file that keeps only the digest of what is written to it."""

    def __init__(self) -> None:
        self.hash = hashlib.blake2b(digest_size=16)

    def write(self, data: bytes) -> None:
        self.hash.update(data)


def _group_digest(events: list[Event]) -> bytes:
    """The digest of `events`, pickled one after the other, each on its own: what objects events share (the
    same string, or equal ones) varies from build to build, most in `mkdocs serve`, which builds in one
    process. The same digest is the same statements."""
    out = _Hashing()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    for event in events:
        pickler.dump(event)
        pickler.clear_memo()
    return out.hash.digest()


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]{5,}", text.casefold())]


@functools.cache
def _frequencies() -> dict[str, float]:
    import wordfreq  # where it is read: a build that merges nothing does not load it

    return wordfreq.get_frequency_dict("en", wordlist=WORDLIST)


@functools.cache
def _table_id() -> str:
    return f"wordfreq {version('wordfreq')} en {WORDLIST}"


def _rarest(words: Iterable[str]) -> list[str]:
    """The RARE_WORDS rarest of `words` in English (a word the list lacks, a name, rarest of all); ties go
    to the first in alphabetical order."""
    frequency = _frequencies()
    return sorted(set(words), key=lambda w: (frequency.get(w, 0.0), w))[:RARE_WORDS]


def _index_keys(event: Event, span: tuple[dt.date, dt.date]) -> list[tuple[int, str]]:
    """(month, actor or rare word) for every month the event's date can fall in (its `_span`); a month is
    counted from year 0 (`_month`)."""
    if event.when.precision == "year":
        first = event.when.start.year * 12
        months = list(range(first, first + 12))
    else:
        months = sorted({_month(span[0]), _month(event.when.start), _month(span[1])})
    return [(month, key) for month in months for key in (*event.actors, *_rarest(_words(event.text)))]


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _most_shared(shared: Counter[int]) -> list[int]:
    """The CANDIDATES events (indexes) of `shared` with the highest counts, the earliest first among equal
    counts, in index order; without sorting every item (there are hundreds, mostly counted once)."""
    if len(shared) <= CANDIDATES:
        return sorted(shared)
    least = sorted(shared.values(), reverse=True)[CANDIDATES - 1]
    above = [i for i, count in shared.items() if count > least]
    tied = [i for i, count in shared.items() if count == least]
    return sorted(above + heapq.nsmallest(CANDIDATES - len(above), tied))


def _same_event(a: Event, b: Event) -> bool:
    """Of two statements whose dates are compatible (their `_span`s meet): close wording; or dated (not undated)
    statements, about the same actors or unnamed ones, that share most of their words ("The fund will open on
    July 3" / "The Eastport fund opened on Monday, July 3, the governor said")."""
    if fuzz.token_sort_ratio(a.text, b.text) >= SAME_EVENT:
        return True
    dated = not a.reported and not b.reported
    related = not a.actors or not b.actors or bool(set(a.actors) & set(b.actors))
    long_enough = min(len(a.text.split()), len(b.text.split())) >= 6
    return dated and related and long_enough and fuzz.token_set_ratio(a.text, b.text) >= SAME_DATED_EVENT


def _span(event: Event) -> tuple[dt.date, dt.date]:
    """The first and last day the event can have happened on: two statements can be of the same time when
    their spans meet (an undated report can be of anything shortly before it)."""
    return event.when.start - dt.timedelta(days=REPORT_LAG_DAYS if event.reported else 0), _end(event.when)


def _end(when: TimeRef) -> dt.date:
    if when.precision == "day":
        return when.start
    if when.precision == "week":
        return when.start + dt.timedelta(days=6)
    if when.precision == "month":
        return dt.date(when.start.year, when.start.month, calendar.monthrange(when.start.year, when.start.month)[1])
    return dt.date(when.start.year, 12, 31)


def _combine(kept: Event, other: Event) -> Event:
    """`kept` citing `other` too, with the more precise (then more certain) of their dates."""
    better = (not other.reported and kept.reported) or (
        other.reported == kept.reported
        and (PRECISIONS.index(other.when.precision), other.when.confidence) > (PRECISIONS.index(kept.when.precision), kept.when.confidence)
    )
    return dataclasses.replace(
        kept,
        when=other.when if better else kept.when,
        reported=other.reported if better else kept.reported,
        unread=other.unread if better else kept.unread,
        actors=_union(kept.actors, other.actors),
        sources=kept.sources + tuple(s for s in other.sources if s not in kept.sources),
        statements=kept.statements + other.statements,
    )


def _merge_quotes(quotes: list[Quote]) -> list[Quote]:
    """One quote per wording of one speaker, citing every article that carries it. Candidates are the earlier
    quotes of the same speaker sharing one of its rarest words (near-identical wordings share nearly all their
    words), not every earlier quote."""
    merged: list[Quote] = []
    index: dict[tuple[str | None, str], set[int]] = defaultdict(set)
    for quote in quotes:
        rare = _rarest(_words(quote.text))
        keys = [(quote.speaker, w) for w in rare] or [(quote.speaker, " ".join(quote.text.casefold().split()))]
        candidates = sorted(set().union(*(index.get(key, ()) for key in keys)))
        match = next((i for i in candidates if fuzz.ratio(merged[i].text, quote.text) >= SAME_QUOTE), None)
        if match is None:
            match = len(merged)
            merged.append(quote)
        else:
            kept = merged[match]
            variants = kept.variants + ((quote.text,) if quote.text != kept.text and quote.text not in kept.variants else ())
            merged[match] = dataclasses.replace(kept, via=kept.via or quote.via, sources=kept.sources + quote.sources, variants=variants)
        for key in keys:
            index[key].add(match)
    return merged


def _cooccurrence(index: ActorIndex) -> dict[str, tuple[tuple[str, int], ...]]:
    """Actors sharing a paragraph, counted once per paragraph; outlets are not participants."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for spans in index.spans.values():
        actors = {actor for _, _, actor in spans if index.kinds.get(actor) != "media"}
        for a in actors:
            for b in actors:
                if a != b:
                    counts[a][b] += 1
    return {a: tuple(sorted(c.items(), key=lambda item: (-item[1], item[0]))) for a, c in sorted(counts.items())}


def _mention_spans(index: ActorIndex) -> dict[Source, tuple[tuple[int, int, str], ...]]:
    """Non-overlapping spans to link, per paragraph."""
    result = {}
    for source, spans in index.spans.items():
        kept: list[tuple[int, int, str]] = []
        for start, end, actor in sorted(spans):
            if not kept or start >= kept[-1][1]:
                kept.append((start, end, actor))
        result[source] = tuple(kept)
    return result


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return a + tuple(x for x in b if x not in a)


def _stable_id(prefix: str, source: Source, offset: int) -> str:
    digest = hashlib.sha1(f"{source.article}\0{source.paragraph}\0{offset}".encode()).hexdigest()
    return f"{prefix}-{digest[:10]}"
