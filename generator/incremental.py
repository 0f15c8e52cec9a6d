"""What a render read, so that the next render of the same set-up re-renders only the pages whose inputs changed.

A page is a function of its template context and of what the template's helpers read of the briefing while it
rendered (an actor's name for a link, an article's text and mention spans for a paragraph, where a date's
chronology page is, …). Each render records, for every page, a digest of its context and the keys it read; the
next render keeps a page as it is when its context digest is the same and none of those keys' values changed.
The keys are recorded as they are read, so a template that reads something new records it too; a page that
reads the briefing other than through the recorded helpers is rendered every time (`Reads.volatile`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import itertools
import pickle
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .model import Actor, Article, Briefing, Event, Quote, value_digest

Key = tuple[str, str]
"""What a page read: (kind, id). Kinds: "article" (an article as ingested: title, date, outlet, paragraphs),
"spans" and "reuse" (an article's mention spans, its re-used paragraphs), "name" (an actor's name and kind, or
that it does not exist), "actor" (all of an actor), "co" (an actor's co-occurrence), "where" (the chronology
page of a date anchor)."""

SHARED = (Event, Quote, Actor, Article)
"""Objects of the briefing that many pages' contexts hold: each digested once a render."""


PIECES = 64
"""Render pieces whose digest is kept for the pages after (an actor's list pages each hold all of its parts)."""


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass(frozen=True)
class RenderRecord:
    """What a render read: its key table with each key's value digest, and for every page its context digest and
    the keys it read (indexes into the table). A page whose context digest is None is rendered every time."""

    keys: list[Key]
    values: list[bytes]
    pages: dict[str, tuple[bytes | None, bytes]]
    """src_uri → (context digest, the indexes of the keys read, packed: see `_packed`)."""


class Reads:
    """The keys one page's render read (indexes into the render's key table). Frames nest: a shared piece rendered
    once for many pages (see `render.Memo`) keeps its own reads, and every page that takes it adds them."""

    __slots__ = ("frames", "volatile")

    def __init__(self) -> None:
        self.frames: list[set[int]] = [set()]
        self.volatile = False

    def add(self, index: int) -> None:
        self.frames[-1].add(index)

    def extend(self, indexes: Iterable[int]) -> None:
        self.frames[-1].update(indexes)

    def push(self) -> None:
        self.frames.append(set())

    def pop(self) -> tuple[int, ...]:
        """The reads of the frame pushed last, added to the frame around it."""
        inner = self.frames.pop()
        self.frames[-1].update(inner)
        return tuple(inner)


class Volatile:
    """An object as a template sees it: reading any attribute marks the page as reading outside the recorded keys."""

    __slots__ = ("_target", "_reads")

    def __init__(self, target: object, reads: Reads) -> None:
        self._target = target
        self._reads = reads

    def __getattr__(self, name: str) -> object:
        self._reads.volatile = True
        return getattr(self._target, name)


class Recorded(Mapping):
    """A mapping of the briefing (id → actor or article) as a template sees it: each item read is recorded."""

    def __init__(self, data: Mapping, kind: str, tracker: Tracker, reads: Reads) -> None:
        self._data, self._kind, self._tracker, self._reads = data, kind, tracker, reads

    def __getitem__(self, key: str) -> object:
        self._reads.add(self._tracker.index((self._kind, key)))
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self._reads.add(self._tracker.index((self._kind, key)))
        return key in self._data

    def __iter__(self):
        self._reads.volatile = True
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.volatile = True
        return len(self._data)


class Tracker:
    """One render's bookkeeping: the key table (continuing the previous render's, so that its pages' indexes stay
    valid), the digests of page contexts, and which previous pages can be kept."""

    def __init__(
        self, previous: RenderRecord | None = None, keep: Callable[[str], bool] | None = None, known: Mapping[int, bytes] | None = None
    ) -> None:
        self.previous = previous
        self.keep_page = keep
        """Takes the previous render's page `uri` as it is (False when it cannot: its file is gone)."""
        self.known = known or {}
        """`id()` → `value_digest` of briefing objects whose digest is known already (events event merging kept:
        `assemble`), held by the briefing while the render lasts."""
        self.keys: list[Key] = list(previous.keys) if previous else []
        self.indexes: dict[Key, int] = {key: i for i, key in enumerate(self.keys)}
        self.pages: dict[str, tuple[bytes | None, bytes]] = {}
        self.kept = 0
        self._values: Values | None = None
        self._changed: bytes = b""
        self._current: list[bytes] = []
        """The digests of the previous render's keys now (the first keys of this render's table)."""
        self._shared: dict[int, bytes] = {}
        """id → digest of the briefing's objects (SHARED) digested so far; `_alive` holds them, so that no id is
        taken by another object while the render lasts."""
        self._alive: list[object] = []
        self._pieces: dict[int, tuple[object, bytes]] = {}
        """The same for the render's own pieces (a list page's parts, which each of its pages holds): the latest
        few, held with their digest, not every piece of the render."""

    def start(self, briefing: Briefing, where: Mapping[str, str]) -> None:
        """Read the briefing's current values; which of the previous render's keys changed."""
        self._values = Values(briefing, where)
        if self.previous is not None:
            self._current = self._values.digests(self.previous.keys)
            self._changed = bytes(old != new for old, new in zip(self.previous.values, self._current))

    def index(self, key: Key) -> int:
        found = self.indexes.get(key)
        if found is None:
            found = self.indexes[key] = len(self.keys)
            self.keys.append(key)
        return found

    def context(self, template: str, uri: str, context: Mapping[str, object]) -> bytes:
        """The digest of a page's template, address and context."""
        return digest(self._pickled((template, uri, sorted(context.items()))))

    def _pickled(self, obj: object) -> bytes:
        buffer = io.BytesIO()
        _Pickler(buffer, self._reduce).dump(obj)
        return buffer.getvalue()

    def _reduce(self, obj: object) -> object:
        """Shared model objects (and the render's own pieces: a list page's parts, a chronology period) pickled
        as their digest, made once a render. Not called for strings, numbers, lists, tuples and dicts."""
        if isinstance(obj, SHARED):
            found = self._shared.get(id(obj))
            if found is None:
                found = self._shared[id(obj)] = self.known.get(id(obj)) or value_digest(obj)
                self._alive.append(obj)
            return _ref, (found,)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            piece = self._pieces.get(id(obj))
            if piece is None:
                fields = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
                piece = self._pieces[id(obj)] = (obj, digest(self._pickled((type(obj).__qualname__, fields))))
                if len(self._pieces) > PIECES:
                    del self._pieces[next(iter(self._pieces))]
            return _ref, (piece[1],)
        return NotImplemented

    def unchanged(self, uri: str, context: Callable[[], bytes]) -> bool:
        """The previous render's page `uri` had this context (the digest `context()`) and nothing it read changed:
        it is kept. A page rendered every time is not digested."""
        before = self.previous.pages.get(uri) if self.previous else None
        if before is None or before[0] is None or before[0] != context():
            return False
        if any(map(self._changed.__getitem__, _unpacked(before[1]))):
            return False
        if self.keep_page is not None and not self.keep_page(uri):
            return False
        self.pages[uri] = before
        self.kept += 1
        return True

    def rendered(self, uri: str, context: Callable[[], bytes], reads: Reads) -> None:
        self.pages[uri] = (None if reads.volatile else context(), _packed(reads.frames[0]))

    def record(self) -> RenderRecord:
        """This render's record, for the next."""
        assert self._values is not None, "start() was not called"
        return RenderRecord(self.keys, self._current + self._values.digests(self.keys[len(self._current) :]), self.pages)


def _packed(indexes: Iterable[int]) -> bytes:
    """Key indexes, sorted, as the compressed differences between them: a page reads hundreds of keys."""
    ordered = sorted(indexes)
    return zlib.compress(array("I", (b - a for a, b in zip([0, *ordered], ordered))).tobytes(), 1)


def _unpacked(packed: bytes) -> Iterable[int]:
    return itertools.accumulate(array("I", zlib.decompress(packed)))


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, reduce: Callable[[object], object]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.reducer_override = reduce  # type: ignore[method-assign]


def _ref(digest: bytes) -> bytes:
    """What a digested object stands for in a pickled context (which is hashed, never loaded)."""
    return digest


class Values:
    """The current value of every key, as a digest."""

    def __init__(self, briefing: Briefing, where: Mapping[str, str]) -> None:
        self.briefing = briefing
        self.where = where
        self.articles = {a.id: a for a in briefing.articles}
        self.actors = {a.id: a for a in briefing.actors}
        self._spans: dict[str, list] | None = None
        self._reuse: dict[str, list] | None = None

    def digests(self, keys: list[Key]) -> list[bytes]:
        return [value_digest(self.value(key)) for key in keys]

    def value(self, key: Key) -> object:
        kind, name = key
        if kind == "article":
            return self.articles.get(name)
        if kind == "name":
            actor = self.actors.get(name)
            return None if actor is None else (actor.name, actor.kind)
        if kind == "actor":
            return self.actors.get(name)
        if kind == "co":
            return self.briefing.cooccurrence.get(name)
        if kind == "where":
            return self.where.get(name)
        if kind == "spans":
            if self._spans is None:
                self._spans = _by_article(self.briefing.mention_spans)
            return self._spans.get(name)
        if kind == "reuse":
            if self._reuse is None:
                self._reuse = _by_article(self.briefing.reused)
            return self._reuse.get(name)
        raise ValueError(f"unknown kind of key: {kind!r}")


def _by_article(by_source: Mapping) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for source, value in by_source.items():
        grouped[source.article].append((source.paragraph, value))
    return {article: sorted(items, key=lambda item: item[0]) for article, items in grouped.items()}
