"""Run the language model over every paragraph and keep what later stages need, cached per article.

The cache key is the article's content hash with the model's and this module's versions, so an unchanged
article is never parsed twice and a new model or extraction rule never reuses stale results.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import gc
import hashlib
import importlib.metadata
import itertools
import logging
import multiprocessing
import os
import pickle
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is imported where a text is parsed: a build that parses nothing does not load it
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

from .ingest import content_hash
from .knowledge import Knowledge, knowledge
from .model import Article, ArticleAnalysis, Mention, Quotation, Sentence

EXTRACT_VERSION = "8"
"""Bump when what `analyse` produces changes, so cached results are recomputed."""

PIECE_CHARS = 20_000
"""Longer paragraphs are parsed in pieces: spaCy's memory grows with the length of one text."""
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME"})
SPEECH_LEMMAS = frozenset(
    "say state add tell remark note stress emphasise emphasize declare insist warn claim write ask explain "
    "argue announce reiterate indicate comment reply respond assert affirm confirm deny suggest".split()
)
BELIEF_LEMMAS = frozenset("expect believe think hope fear predict estimate forecast anticipate".split())
MEDIA_AFTER = re.compile(r"^\s*(?:news agency|agency|newspaper|daily|broadcaster|news channel|tv|television|reported|reports)\b", re.I)
PLACE_BEFORE = re.compile(r"\b(?:in|near|outside|across|visit|visits|visited|visiting|capital,)\s+(?:the\s+)?$", re.I)
MEDIA_BEFORE = re.compile(r"\b(?:as per|as reported by|reported by)\s+(?:the\s+)?$", re.I)
QUOTE = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
ACRONYM = re.compile(r"\(([A-Z][A-Za-z0-9&.\-]{1,11})\)")
CONNECTORS = frozenset({"of", "for", "and", "in", "the", "on", "de", "du", "des", "&"})
PRONOUNS = frozenset({"he", "she"})
FUTURE_AUXILIARIES = frozenset({"will", "would", "shall", "'ll", "wo"})

log = logging.getLogger("mkdocs.plugins.briefing")
"""MkDocs shows this logger's records (and counts its warnings in strict mode)."""


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off while the pipeline builds millions of small objects that hold no cycles:
    each full collection walks every object alive, a sixth of the time of reading a large corpus's analyses
    back. Not for spaCy's own work (its objects do hold cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def gc_frozen() -> Iterator[None]:
    """The objects alive now (a large briefing) left out of cycle collection while many short-lived ones are
    made: collections then walk only the new objects, and cycles among those are still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def load_model(name: str) -> Language:
    """The installed spaCy pipeline `name`; never downloads."""
    import spacy

    return spacy.load(name, exclude=["senter"])


def model_id(name: str) -> str:
    """Name and versions of the model, without loading it (nor importing spaCy): part of every cache key."""
    try:
        installed = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        installed = "local"
    return f"{name}-{installed}-spacy{importlib.metadata.version('spacy')}"


class Analyses(Mapping[str, ArticleAnalysis]):
    """The articles' analyses by article id, in the articles' order. Those in the cache are read from it each
    time one is asked for, never all held: a large corpus's analyses held beside the briefing made from them
    were most of a build's peak memory, and once let go most of it stayed with the process (an arena of
    Python's allocator is given back only when nothing in it lives; 5,000 articles: 544 MB after assembling,
    154 MB of it free in arenas). Without a cache, or where it cannot be written, they are held."""

    def __init__(
        self,
        order: list[str],
        files: dict[str, Path],
        held: dict[str, ArticleAnalysis],
        again: Callable[[str], ArticleAnalysis],
        waiting: set[str] | None = None,
        collect: Callable[[], None] | None = None,
    ) -> None:
        self._order = order
        self._files = files
        self._held = held
        self._again = again
        """Analyses article `id` again (its cache entry became unreadable after it was found)."""
        self._waiting = waiting or set()
        """Articles being parsed in the background: asking for one waits for them all (`collect`)."""
        self._collect = collect

    @property
    def waiting(self) -> bool:
        """Analyses are being made in the background."""
        return bool(self._waiting)

    def __getitem__(self, id: str) -> ArticleAnalysis:
        if id in self._waiting and self._collect is not None:
            collect, self._collect = self._collect, None
            collect()
            self._waiting.clear()
        found = self._held.get(id)
        if found is not None:
            return found
        path = self._files[id]
        return _read_cache(path, id) or self._again(id)

    def pop(self, id: str) -> ArticleAnalysis:
        """The analysis of article `id`, let go when held (its cache entry stays)."""
        found = self._held.pop(id, None)
        return self[id] if found is None else found

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def extract(
    articles: list[Article],
    get_nlp: Callable[[], Language],
    cache_dir: Path | None,
    model_name: str,
    n_process: int = 1,
    progress: Callable[[Iterable[Doc], int], Iterable[Doc]] | None = None,
    background: bool = False,
) -> Analyses:
    """Analyses of `articles` by id; only articles missing from the cache are parsed. `background`: a few
    articles to parse (not enough for more processes) are parsed by a process of its own (`Parsing`), model
    `model_name`, while the build goes on reading the cached analyses; the first analysis of theirs asked for
    waits for them."""
    files: dict[str, Path] = {}
    held: dict[str, ArticleAnalysis] = {}
    todo: list[Article] = []
    by_id = {a.id: a for a in articles}
    model = model_id(model_name)  # once: it looks up the installed packages (0.2 ms an article when it was per article: 4 s at 20,000)
    paths = {a.id: _cache_path(cache_dir, _cache_key(a, model)) for a in articles} if cache_dir else {}
    for article in articles:
        path = paths.get(article.id)
        if path is not None and path.is_file():
            files[article.id] = path
        else:
            todo.append(article)

    def keep(analysis: ArticleAnalysis) -> ArticleAnalysis:
        path = paths.get(analysis.article)
        if path is not None and _write_cache(path, analysis):
            files[analysis.article] = path
        else:
            held[analysis.article] = analysis
        return analysis

    def again(id: str) -> ArticleAnalysis:  # not holding the model: the build's later stages need its memory
        return keep(next(analyse([by_id[id]], get_nlp())))

    if cache_dir:
        _prune_entries(cache_dir, {path.name for path in paths.values()})
    if todo:
        processes = n_process if n_process > 0 else _processes_for(todo)
        parsing = Parsing.start(todo, model_name) if background and processes == 1 else None
        if parsing is not None:

            def collect() -> None:
                parsed = parsing.results()
                if parsed is None:
                    log.info("briefing: parsing %d articles here instead", len(todo))
                    parsed = list(analyse(todo, get_nlp()))
                for analysis in parsed:
                    keep(analysis)

            return Analyses([a.id for a in articles], files, held, again, {a.id for a in todo}, collect)
        parse = analyse if processes == 1 else analyse_in_processes
        for analysis in parse(todo, get_nlp(), processes, progress):
            keep(analysis)
    return Analyses([a.id for a in articles], files, held, again)


class Parsing:
    """Articles parsed by a process of its own (`python -m generator.extract`), which imports spaCy and loads the
    model (about a second) while this one reads the cached analyses of the others; articles and analyses go
    through files in a temporary folder."""

    def __init__(self, process: subprocess.Popen, folder: tempfile.TemporaryDirectory, ids: list[str]) -> None:
        self.process = process
        self.folder = folder
        self.ids = ids
        """The articles' ids, in order: what the analyses must be of."""

    @classmethod
    def start(cls, articles: list[Article], model_name: str) -> Parsing | None:
        """The parse of `articles` started; None when no process can be started."""
        folder = tempfile.TemporaryDirectory(prefix="briefing-parse-")
        given, made = Path(folder.name) / "articles.pickle", Path(folder.name) / "analyses.pickle"
        try:
            with open(given, "wb") as handle:
                pickle.dump(articles, handle, protocol=pickle.HIGHEST_PROTOCOL)
            with open(Path(folder.name) / "errors.txt", "wb") as errors:
                command = [sys.executable, "-m", __spec__.name, model_name, str(given), str(made)]
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors)
        except OSError:
            folder.cleanup()
            return None
        return cls(process, folder, [a.id for a in articles])

    def results(self) -> list[ArticleAnalysis] | None:
        """The analyses, once the process has made them; None when it failed (its error is logged)."""
        try:
            if self.process.wait() != 0:
                errors = (Path(self.folder.name) / "errors.txt").read_text(encoding="utf-8", errors="replace").strip()
                log.info("briefing: the parsing process failed: %s", errors.splitlines()[-1] if errors else f"exit status {self.process.returncode}")
                return None
            with open(Path(self.folder.name) / "analyses.pickle", "rb") as handle:
                parsed = pickle.load(handle)
            if not isinstance(parsed, list) or [getattr(a, "article", None) for a in parsed] != self.ids:
                log.info("briefing: the parsing process gave analyses of other articles")
                return None
            return parsed
        except UNREADABLE:
            return None
        finally:
            self.folder.cleanup()


def _parse_main(model_name: str, given: str, made: str) -> None:
    """The parsing process of `Parsing`: the articles in `given` parsed with `model_name`, their analyses
    written to `made`."""
    with open(given, "rb") as handle:
        articles = pickle.load(handle)
    parsed = list(analyse(articles, load_model(model_name)))
    with open(made, "wb") as handle:
        pickle.dump(parsed, handle, protocol=pickle.HIGHEST_PROTOCOL)


PARALLEL_FROM_WORDS = 60_000
"""Below this many words to read, starting more processes costs more than it saves."""


def _processes_for(articles: list[Article]) -> int:
    """Processes for `articles`: every core the machine lets this process use when there is enough to read."""
    words = sum(len(p.text.split()) for a in articles for p in a.paragraphs)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores) if words >= PARALLEL_FROM_WORDS else 1


def analyse(
    articles: list[Article],
    nlp: Language,
    n_process: int = 1,
    progress: Callable[[Iterable[Doc], int], Iterable[Doc]] | None = None,
) -> Iterator[ArticleAnalysis]:
    """Parse every heading and text paragraph with `nlp.pipe`, yielding one analysis per article in order."""
    facts = knowledge()
    items = [
        (piece, (i, p.n, offset))
        for i, article in enumerate(articles)
        for p in article.paragraphs
        if p.kind != "credit"
        for offset, piece in pieces(p.text)
    ]
    docs: Iterable[tuple[Doc, tuple[int, int, int]]] = nlp.pipe(items, as_tuples=True, batch_size=64, n_process=n_process)
    if progress:
        docs = progress(docs, len(items))
    current, sentences, last_person = -1, [], None
    for doc, (index, number, offset) in docs:
        if index != current:
            if current >= 0:
                yield ArticleAnalysis(articles[current].id, tuple(sentences))
            current, sentences, last_person = index, [], None
        paragraph_sentences, last_person = analyse_paragraph(doc, number, facts, last_person)
        sentences.extend(_shifted(s, offset) for s in paragraph_sentences)
    if current >= 0:
        yield ArticleAnalysis(articles[current].id, tuple(sentences))


CHUNK_WORDS = 5_000
"""Articles go to the worker processes in chunks of about this many words (a longer article in a chunk of its own):
small enough that the last chunks keep both cores busy to the end (a chunk is about a second of parsing)."""
_WORKER_NLP: Language | None = None
"""The model, for the worker processes forked from the one that loaded it."""


def analyse_in_processes(
    articles: list[Article],
    nlp: Language,
    n_process: int,
    progress: Callable[[Iterable[object], int], Iterable[object]] | None = None,
) -> Iterator[ArticleAnalysis]:
    """`analyse` over `n_process` processes, each parsing whole articles and sending back their analyses, in order.

    spaCy's own `n_process` sends every parsed Doc back to the parent, which rebuilt and analysed it there: a
    third busy process on two cores (200 synthetic articles: 13.1 s so, 11.3 s here, 11.7 s for `nlp.pipe`
    alone). Here the parent only collects analyses (a few kilobytes an article). The workers are forked from
    this process, the model loaded (as spaCy's are)."""
    global _WORKER_NLP
    chunks: list[list[Article]] = [[]]
    sizes = [0]
    words = 0
    for article in articles:
        if words >= CHUNK_WORDS:
            chunks.append([])
            sizes.append(0)
            words = 0
        chunks[-1].append(article)
        sizes[-1] += sum(1 for p in article.paragraphs if p.kind != "credit" for _ in pieces(p.text))
        words += sum(len(p.text.split()) for p in article.paragraphs)
    sizes = [max(1, size) for size in sizes]  # a chunk moves the bar one step at least
    _WORKER_NLP = nlp
    try:
        with concurrent.futures.ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork")) as pool:

            def results() -> Iterator[list[ArticleAnalysis] | None]:
                for analyses, size in zip(pool.map(_analyse_chunk, chunks), sizes):
                    yield from itertools.repeat(None, size - 1)  # a progress bar counts paragraphs
                    yield analyses

            for done in progress(results(), sum(sizes)) if progress else results():
                if done is not None:
                    yield from done  # type: ignore[misc]
    finally:
        _WORKER_NLP = None


def _analyse_chunk(articles: list[Article]) -> list[ArticleAnalysis]:
    assert _WORKER_NLP is not None, "a worker process forked without the model"
    return list(analyse(articles, _WORKER_NLP, 1))


def pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """`text` in pieces of at most `limit` characters, cut after a sentence where one ends, with their offsets."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        cut = cut + 2 if cut > limit // 2 else (window.rfind(" ") + 1 or limit)
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def _shifted(sentence: Sentence, offset: int) -> Sentence:
    if offset == 0:
        return sentence
    mentions = tuple(dataclasses.replace(m, start=m.start + offset, end=m.end + offset) for m in sentence.mentions)
    return dataclasses.replace(sentence, start=sentence.start + offset, end=sentence.end + offset, mentions=mentions)


def analyse_paragraph(
    doc: Doc, number: int, facts: Knowledge, last_person: str | None
) -> tuple[list[Sentence], str | None]:
    """Sentences of one paragraph; `last_person` carries the person last named, for pronoun speakers."""
    expansions = _acronym_expansions(doc.text)
    quotations = _quotations(doc, last_person)
    sentences = []
    for sent in doc.sents:
        mentions = tuple(_mentions(sent, expansions, facts))
        in_sentence = tuple(q for start, q in quotations if sent.start_char <= start < sent.end_char)
        root = sent.root
        sentences.append(
            Sentence(
                paragraph=number,
                start=sent.start_char,
                end=sent.end_char,
                text=sent.text,
                mentions=mentions,
                has_verb=root.pos_ in ("VERB", "AUX"),
                reporting=root.lemma_ in SPEECH_LEMMAS | BELIEF_LEMMAS,
                subject=any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in root.children),
                pronoun_subject=any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in root.children),
                quotations=in_sentence,
            )
        )
        people = [m.text for m in mentions if m.label == "PERSON"]
        if people:
            last_person = people[-1]
    return sentences, last_person


def _mentions(sent: Span, expansions: list[tuple[int, int, str]], facts: Knowledge) -> Iterator[Mention]:
    text = sent.doc.text
    seen: set[tuple[int, int]] = set()
    for ent in sent.ents:
        if ent.label_ not in ENTITY_LABELS or (ent.label_ != "PERSON" and _only_title_words(ent, facts)):
            continue
        start, end, acronym = _repair(ent, expansions)
        if (start, end) in seen:
            continue
        seen.add((start, end))
        title, title_of = (None, None)
        is_date = ent.label_ in ("DATE", "TIME")
        verb = _verb_of(ent.root) if is_date else None
        if ent.label_ == "PERSON":
            start, title, title_of = _title(sent, ent, start, facts)
        yield Mention(
            text=sys.intern(text[start:end]),
            label=sys.intern(ent.label_),
            start=start,
            end=end,
            title=title and sys.intern(title),
            title_of=title_of and sys.intern(title_of),
            acronym=acronym,
            media_cue=bool(MEDIA_AFTER.match(text[end:]) or MEDIA_BEFORE.search(text[: start])),
            place_cue=bool(PLACE_BEFORE.search(text[max(0, start - 40) : start])),
            future=verb is not None and _future(verb),
            main=verb is not None and verb in (sent.root, *sent.root.conjuncts),
            past=verb is not None and verb.tag_ in ("VBD", "VBN"),
        )
    for start, end, acronym in expansions:
        if sent.start_char <= start < sent.end_char and not any(s <= start < e for s, e in seen):
            yield Mention(sys.intern(text[start:end]), "ORG", start, end, acronym=sys.intern(acronym))
            seen.add((start, end))


def _verb_of(token: Token) -> Token:
    """The verb (or the root) `token` depends on."""
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return token


def _future(verb: Token) -> bool:
    """`verb` is future or future-in-the-past ("will meet", "would reopen")."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUXILIARIES for c in verb.children) or (
        verb.lower_ in FUTURE_AUXILIARIES
    )


def _only_title_words(ent: Span, facts: Knowledge) -> bool:
    """"State" in "Secretary of State" is part of a title, not an organisation."""
    return all(t.lower_ in facts.title_words for t in ent if not t.is_punct)


def _acronym_expansions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, acronym) of every "Long Name (LN)" whose capitals spell the acronym."""
    found = []
    for match in ACRONYM.finditer(text):
        acronym = match.group(1)
        letters = [c for c in acronym if c.isupper()]
        words = list(re.finditer(r"[^\s()]+", text[: match.start()]))
        needed = len(letters)
        first = None
        for word in reversed(words):
            token = word.group(0).strip(",;:\"“”")
            if needed == 0:
                break
            if token.lower() in CONNECTORS and first is not None:
                continue
            initials = [part[0] for part in token.split("-") if part and part[0].isupper()]
            if not initials or initials[-1] != letters[needed - 1]:
                break
            take = min(len(initials), needed)
            if initials[-take:] != letters[needed - take : needed]:
                take = 1
            needed -= take
            first = word
        if needed == 0 and first is not None:
            end = words[-1].end() if words else 0
            found.append((first.start(), end, acronym))
    return found


def _repair(ent: Span, expansions: list[tuple[int, int, str]]) -> tuple[int, int, str | None]:
    """The entity's span, stretched to the acronym expansion it overlaps; drops a leading "the"."""
    start, end = ent.start_char, ent.end_char
    for e_start, e_end, acronym in expansions:
        if start < e_end and e_start < end:
            return e_start, e_end, acronym
    if ent[0].lower_ == "the" and len(ent) > 1:
        start = ent[1].idx
    return start, end, None


def _title(sent: Span, ent: Span, start: int, facts: Knowledge) -> tuple[int, str | None, str | None]:
    """Strip titles the model put inside a person's span; read the title written before or after it."""
    tokens = list(ent)
    lead: list[Token] = []
    while len(tokens) > 1 and (tokens[0].lower_.rstrip(".") in facts.title_words | facts.honorifics or tokens[0].text == "-"):
        lead.append(tokens.pop(0))
    start = tokens[0].idx
    title_tokens = _title_before(sent, ent.start) + [t for t in lead if t.lower_.rstrip(".") not in facts.honorifics]
    if title_tokens:
        title = _join(title_tokens)
        owner = _owner_before(sent, title_tokens[0].i)
        return start, title, owner
    title, owner = _title_after(sent, ent.end, facts)
    return start, title, owner


def _title_before(sent: Span, index: int) -> list[Token]:
    words = knowledge().title_words
    taken: list[Token] = []
    i = index - 1
    while i >= sent.start:
        token = sent.doc[i]
        if token.lower_ in words or (token.text == "-" and taken) or (
            token.lower_ == "of" and taken and taken[0].lower_ in words and i - 1 >= sent.start and sent.doc[i - 1].lower_ in words
        ):
            taken.insert(0, token)
            i -= 1
        else:
            break
    while taken and taken[0].lower_ in ("of", "-"):
        taken.pop(0)
    return taken


def _owner_before(sent: Span, index: int) -> str | None:
    """The capitalised words (or possessive) right before a title: "Russia's", "Russian Foreign Ministry"."""
    taken: list[Token] = []
    i = index - 1
    while i >= sent.start:
        token = sent.doc[i]
        if token.text in ("'s", "’s", "'") and not taken:
            i -= 1
            continue
        if token.is_title or token.is_upper or (token.text == "-" and taken):
            if token.lower_ == "the" or (token.is_sent_start and token.pos_ not in ("PROPN", "ADJ")):
                break
            taken.insert(0, token)
            i -= 1
        else:
            break
    return _join(taken) if taken else None


def _title_after(sent: Span, index: int, facts: Knowledge) -> tuple[str | None, str | None]:
    """An apposition: "Name, a senior director at Baltic Freight," → ("senior director", "Baltic Freight")."""
    doc = sent.doc
    if index + 2 >= sent.end or doc[index].text != "," or doc[index + 1].lower_ not in ("a", "an", "the"):
        return None, None
    i, words = index + 2, []
    while i < sent.end and len(words) < 5 and doc[i].pos_ in ("ADJ", "NOUN", "PROPN") and not doc[i].ent_type_:
        words.append(doc[i])
        i += 1
    if not words or words[-1].lower_ not in facts.title_words:
        return None, None
    owner = None
    if i < sent.end and doc[i].lower_ in ("at", "of", "for", "with", "in"):
        j, owner_tokens = i + 1, []
        if j < sent.end and doc[j].lower_ == "the":
            j += 1
        while j < sent.end and (doc[j].is_title or doc[j].is_upper) and doc[j].pos_ in ("PROPN", "NOUN", "ADJ"):
            owner_tokens.append(doc[j])
            j += 1
        owner = _join(owner_tokens) if owner_tokens else None
    return _join(words), owner


def _join(tokens: list[Token]) -> str:
    doc = tokens[0].doc
    return doc.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def _quotations(doc: Doc, last_person: str | None) -> list[tuple[int, Quotation]]:
    """Quoted spans of the paragraph with the speaker and outlet the text around them credits."""
    found = []
    for match in QUOTE.finditer(doc.text):
        tail_span = doc.char_span(match.end(), _sentence_end(doc, match.end()), alignment_mode="expand")
        head_span = doc.char_span(_sentence_start(doc, match.start()), match.start(), alignment_mode="expand")
        speaker = _speaker(tail_span, last_person) or _speaker(head_span, last_person)
        people_before = [e.text for e in doc.ents if e.label_ == "PERSON" and e.end_char <= match.start()]
        if speaker in PRONOUNS or (speaker and speaker.lower() in PRONOUNS):
            speaker = people_before[-1] if people_before else last_person
        via = _via(tail_span) or _via(head_span)
        found.append((match.start(), Quotation(match.group(1).strip().rstrip(","), speaker, via)))
    return found


def _speaker(span: Span | None, last_person: str | None) -> str | None:
    if span is None or not any(t.lemma_ in SPEECH_LEMMAS for t in span):
        return None
    for ent in span.ents:
        if ent.label_ in ("PERSON", "ORG", "GPE", "NORP") and not MEDIA_BEFORE.search(span.doc.text[: ent.start_char]):
            return ent.text
    for token in span:
        if token.lower_ in PRONOUNS and token.dep_ == "nsubj":
            return token.lower_
    return None


def _via(span: Span | None) -> str | None:
    if span is None:
        return None
    text = span.doc.text
    for ent in span.ents:
        if MEDIA_BEFORE.search(text[: ent.start_char]) or MEDIA_AFTER.match(text[ent.end_char :]):
            return ent.text
    return None


def _sentence_end(doc: Doc, char: int) -> int:
    token = doc.char_span(char, len(doc.text), alignment_mode="expand")
    if token is None or len(token) == 0:
        return len(doc.text)
    return token[0].sent.end_char


def _sentence_start(doc: Doc, char: int) -> int:
    before = doc.char_span(0, char, alignment_mode="expand")
    if before is None or len(before) == 0:
        return 0
    return before[-1].sent.start_char


def _cache_key(article: Article, model: str) -> str:
    """The cache key of the article's analysis by the model `model` (its `model_id`)."""
    return hashlib.sha256(f"{EXTRACT_VERSION}\0{model}\0{content_hash(article)}".encode()).hexdigest()


def _cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / f"{key}.pickle"


UNREADABLE = (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError)
"""What reading back one of the build's own pickled cache files raises when the file is damaged or stale."""
_ENTRY = re.compile(r"[0-9a-f]{64}\.(?:pickle|json)|tmp\w+\.tmp")
"""An analysis (JSON: of extractor versions before 8), or one being written, under an `_ENTRY_FOLDER`."""
_ENTRY_FOLDER = re.compile(r"[0-9a-f]{2}")


def _prune_entries(cache_dir: Path, used: set[str]) -> None:
    """Remove the analyses that are not of this build's articles as they are now (edited, removed, another
    model or extractor version) and writes left half-done: the folder holds one build's analyses, as its page
    caches do. Another build writing beside this one at the time loses an entry to it at worst: one article
    parsed again."""
    try:
        for folder in os.scandir(cache_dir):
            if _ENTRY_FOLDER.fullmatch(folder.name) and folder.is_dir():
                for entry in os.scandir(folder.path):
                    if _ENTRY.fullmatch(entry.name) and entry.name not in used:
                        os.unlink(entry.path)
    except OSError:
        pass  # an entry left behind only costs disk space


def _read_cache(path: Path, article: str) -> ArticleAnalysis | None:
    """The analysis cached in `path` (the build's own file, as its other caches) as article `article`'s (the
    entry is keyed by content: another file of the same text wrote it), or None when the entry is damaged or
    of another version (logged: it is analysed again)."""
    try:
        with open(path, "rb") as handle:
            version, analysis = pickle.load(handle)
        if version != EXTRACT_VERSION:
            raise ValueError(f"it was written by extractor version {version!r}")
        if not isinstance(analysis, ArticleAnalysis):
            raise ValueError("it holds something else")
        return analysis if analysis.article == article else ArticleAnalysis(article, analysis.sentences)
    except UNREADABLE as error:
        log.info("briefing: cache entry %s is unreadable (%s); recomputing it", path, error)
        return None


def _write_cache(path: Path, analysis: ArticleAnalysis) -> bool:
    """`analysis` cached in `path`, written whole or not at all; False when it could not be written."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((EXTRACT_VERSION, analysis), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        return True
    except BaseException as error:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if not isinstance(error, OSError):
            raise
        log.info("briefing: cannot write the cache entry %s (%s); keeping the analysis in memory", path, error)
        return False


if __name__ == "__main__":
    _parse_main(*sys.argv[1:4])
