"""Paragraphs that articles re-use from earlier ones, found by MinHash-style blocking and checked word by word.

Each paragraph is keyed by the smallest hashes of its word 4-grams; paragraphs sharing a key are
compared word by word (longest common subsequence, rapidfuzz), so the work grows with the corpus, not with its square.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import math
import re
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

from .ingest import content_hash
from .model import Article, Reuse, Source

SHINGLE = 4
KEYS = 8
MIN_SHARED_KEYS = 2
"""Paragraphs sharing fewer of their smallest shingle hashes are too different to compare word by word."""
CANDIDATES = 5
"""This many earlier paragraphs, those sharing the most keys, are compared word by word; and those tied with the
last of them, up to TIED more."""
TIED = 30
COMMON_KEY = 64
"""A shingle hash kept by more paragraphs than this (boilerplate) keeps only its earliest ones: the earliest
publication is what is looked for, and the lists stay bounded."""
MIN_WORDS = 8
"""Shorter paragraphs (datelines, one-line headings) are too common to call re-used."""
REUSED_SHARE = 0.6
"""Share of a paragraph's words found, in order, in an earlier paragraph, from which it counts as re-used."""
WORD = re.compile(r"\S+")
SPLIT_CACHE = 4096
"""Earlier paragraphs whose words are kept while re-use is looked for (a few megabytes)."""


@dataclass(frozen=True)
class ReuseRecord:
    """What `find_reuse` read and found, article by article in date order. What is found in an article depends
    only on the paragraphs of the articles before it that share a key with its own, so a later build takes an
    article's findings as they are when it is unchanged and none of its keys is a key of a paragraph added,
    edited or removed before it (a developing story gains newer articles: all before them are taken). An
    unchanged article that does share a key with one is looked at again paragraph by paragraph: a paragraph
    whose candidates (see `_likely`) are those it had, with the same texts in the same order, keeps its
    finding without being compared word by word again."""

    articles: list[tuple[str, str]]
    """(id, `content_hash`: its paragraphs' kinds and texts) of each article."""
    keys: list[bytes]
    """Each article's compared paragraphs: (number, word count, key count, keys…) as an array('I')'s bytes."""
    found: list[tuple[Reuse, ...]]
    """What each article re-uses."""
    marks: list[bytes]
    """Each compared paragraph's `_mark` (8 bytes each, in the order of `keys`)."""


def find_reuse(articles: list[Article]) -> dict[Source, Reuse]:
    """For every text paragraph that appeared earlier (articles in date order), where it first appeared."""
    return find_reuse_after(articles, None)[0]


def find_reuse_after(articles: list[Article], previous: ReuseRecord | None) -> tuple[dict[Source, Reuse], ReuseRecord]:
    """`find_reuse`, taking from `previous` (a record of an earlier call) the findings that cannot have changed
    (see `ReuseRecord`); and the record of this call."""
    index: dict[int, list[int]] = defaultdict(list)
    """Shingle hash → positions in `seen` of the paragraphs keyed by it."""
    seen: list[tuple[Source, str, int]] = []
    """Every paragraph so far: where, its text, how many words `shared_share` counts in it (the words themselves
    would hold hundreds of megabytes in a large corpus: split again when compared)."""
    found: dict[Source, Reuse] = {}
    order = {article.id: i for i, article in enumerate(articles)}
    record = ReuseRecord([(a.id, content_hash(a)) for a in articles], [], [], [])
    split = functools.lru_cache(maxsize=SPLIT_CACHE)(str.split)
    """The words of an earlier paragraph: the same paragraphs are candidates again and again (those re-used
    most); a paragraph's text is one string object, whose hash Python keeps. Let go with this call."""
    texts = dict(record.articles)
    carried = _carried(record, previous)
    changed: set[int] = set() if previous is None else _removed_keys(record, previous)
    """Keys of the paragraphs removed (articles removed or edited), then of those added so far."""
    for i, article in enumerate(articles):
        own: list[tuple[int, int]] = []
        before = carried.get(i)
        compared = None if before is None else _unpack(previous.keys[before])  # type: ignore[union-attr]
        if compared is not None and not any(k in changed for _, _, keys in compared for k in keys):
            reused, marks = previous.found[before], previous.marks[before]  # type: ignore[union-attr,index]
        else:
            was = None if compared is None else _findings(previous, before, compared)  # type: ignore[arg-type]
            compared, reused, marks = _compare(article, index, seen, order, split, texts, was)
            if before is None:
                changed.update(k for _, _, keys in compared for k in keys)
        for n, count, keys in compared:
            own.extend((k, len(seen)) for k in keys)
            seen.append((Source(article.id, n), article.paragraphs[n - 1].text, count))
        for key, position in own:
            if len(index[key]) < COMMON_KEY:
                index[key].append(position)
        found.update((reuse.source, reuse) for reuse in reused)
        record.keys.append(previous.keys[before] if before is not None else _pack(compared))  # type: ignore[union-attr]
        record.found.append(reused)
        record.marks.append(marks)
    return found, record


def _findings(previous: ReuseRecord, j: int, compared: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, list[int], bytes, Reuse | None]]:
    """Each compared paragraph of article `j` of `previous` (`compared`: its `keys` unpacked): (number, word
    count, keys, `_mark`, finding)."""
    reused = {reuse.source.paragraph: reuse for reuse in previous.found[j]}
    marks = previous.marks[j]
    return [(n, count, keys, marks[8 * i : 8 * i + 8], reused.get(n)) for i, (n, count, keys) in enumerate(compared)]


def _mark(candidates: list[tuple[Source, str, int]], order: dict[str, int], texts: dict[str, str]) -> bytes:
    """What `_first` reads of a paragraph's candidates: which they are, in their articles' order, and the text
    of those articles (`content_hash`)."""
    digest = hashlib.blake2b(digest_size=8)
    for source, _, _ in sorted(candidates, key=lambda c: (order[c[0].article], c[0].paragraph)):
        digest.update(f"{source.article}\0{source.paragraph}\0{texts[source.article]}\0".encode())
    return digest.digest()


def _carried(record: ReuseRecord, previous: ReuseRecord | None) -> dict[int, int]:
    """Position in `record` → position in `previous` of the articles both hold unchanged (same id and text),
    when they stand in the same order in both; else only those of the run both begin with (an article's date
    changed: which articles stand before which is not what it was)."""
    if previous is None:
        return {}
    was = {entry: j for j, entry in enumerate(previous.articles)}
    both = {i: was[entry] for i, entry in enumerate(record.articles) if entry in was}
    ordered = list(both.values())
    if all(a < b for a, b in zip(ordered, ordered[1:])):
        return both
    same = 0
    while same < min(len(previous.articles), len(record.articles)) and previous.articles[same] == record.articles[same]:
        same += 1
    return {i: i for i in range(same)}


def _removed_keys(record: ReuseRecord, previous: ReuseRecord) -> set[int]:
    """The keys of the paragraphs of `previous`'s articles that `record` does not hold unchanged."""
    now = set(record.articles)
    return {k for j, entry in enumerate(previous.articles) if entry not in now for _, _, keys in _unpack(previous.keys[j]) for k in keys}


def _compare(
    article: Article,
    index: dict[int, list[int]],
    seen: list[tuple[Source, str, int]],
    order: dict[str, int],
    split: Callable[[str], list[str]],
    texts: dict[str, str],
    was: list[tuple[int, int, list[int], bytes, Reuse | None]] | None = None,
) -> tuple[list[tuple[int, int, list[int]]], tuple[Reuse, ...], bytes]:
    """The article's paragraphs long enough to compare, with their word counts and keys; those of them that
    re-use an earlier paragraph; and their `_mark`s (`texts`: article id → `content_hash`). `was`: the
    same article in an earlier build, each compared paragraph's (number, word count, keys, mark, finding),
    taken for the paragraphs whose mark is the same."""
    compared: list[tuple[int, int, list[int]]] = []
    reused: list[Reuse] = []
    marks: list[bytes] = []
    if was is None:
        todo = []
        for paragraph in article.paragraphs:
            words = WORD.findall(paragraph.text.casefold())
            if paragraph.kind == "text" and len(words) >= MIN_WORDS:
                todo.append((paragraph.n, len(paragraph.text.split()), _keys(words), b"", None))
    else:
        todo = was  # the same text: the same paragraphs, word counts and keys
    for n, count, keys, mark_then, found_then in todo:
        pool: list[int] = []
        for key in keys:
            pool += index.get(key, ())
        candidates = [seen[c] for c in _likely(Counter(pool))]
        mark = _mark(candidates, order, texts)
        if was is not None and mark == mark_then:
            if found_then is not None:
                reused.append(found_then)
        else:
            paragraph = article.paragraphs[n - 1]
            earlier = _first(paragraph.text.split(), candidates, order, split)
            if earlier is not None:
                reused.append(_reuse(Source(article.id, n), paragraph.text, *earlier))
        compared.append((n, count, keys))
        marks.append(mark)
    return compared, tuple(reused), b"".join(marks)


def _pack(compared: list[tuple[int, int, list[int]]]) -> bytes:
    return array("I", [x for n, count, keys in compared for x in (n, count, len(keys), *keys)]).tobytes()


def _unpack(packed: bytes) -> list[tuple[int, int, list[int]]]:
    values, compared, i = array("I", packed), [], 0
    while i < len(values):
        n, count, size = values[i : i + 3]
        compared.append((n, count, list(values[i + 3 : i + 3 + size])))
        i += 3 + size
    return compared


def _likely(shared: Counter[int]) -> list[int]:
    """Positions of the earlier paragraphs to compare word by word: the CANDIDATES sharing the most keys (the
    earliest first among equals), then those sharing as many as the last of them, up to TIED more; so an added
    article does not push a paragraph's source out of a tie it stood in."""
    ranked = sorted([(-n, position) for position, n in shared.items() if n >= MIN_SHARED_KEYS])
    head, rest = ranked[:CANDIDATES], ranked[CANDIDATES : CANDIDATES + TIED]
    tied = [item for item in rest if head and item[0] == head[-1][0]]
    return [position for _, position in head + tied]


def _keys(words: list[str]) -> list[int]:
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = sorted(map(zlib.crc32, map(str.encode, shingles)))  # stable across runs, unlike hash(); blocking only
    return hashes[:KEYS]


def _first(
    words: list[str], candidates: list[tuple[Source, str, int]], order: dict[str, int], split: Callable[[str], list[str]]
) -> tuple[Source, str, float] | None:
    """The earliest publication among the candidates that the paragraph of `words` re-uses (`shared_share`; a
    candidate too short to hold enough of its words is not compared)."""
    needed = math.floor(REUSED_SHARE * len(words))  # at most the words in common that make a re-use
    scored = [
        (100 * _share(split(other), words, needed), source, other)
        for source, other, other_count in candidates
        if other_count >= needed
    ]
    good = [item for item in scored if item[0] >= 100 * REUSED_SHARE]
    if not good:
        return None
    score, source, other = min(good, key=lambda item: (order[item[1].article], -item[0], item[1].paragraph))
    return source, other, score


def _reuse(source: Source, text: str, earlier: Source, earlier_text: str, score: float) -> Reuse:
    return Reuse(source, earlier, round(score, 1), word_changes(earlier_text, text))


def shared_share(old: str, new: str) -> float:
    """Share of the words of `new` that stand, in order, in `old`."""
    return _share(old.split(), new.split())


def _share(old: list[str], new: list[str], at_least: int = 0) -> float:
    """`shared_share` of split texts; 0 when fewer than `at_least` words are shared (rapidfuzz stops early)."""
    return LCSseq.similarity(old, new, score_cutoff=at_least) / len(new) if new else 0.0


def word_changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The word-level edits that turn `old` into `new`, as (removed, added) pairs."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return tuple(
        (" ".join(a[i1:i2]), " ".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )
