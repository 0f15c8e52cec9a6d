"""Turn entity mentions into actors: one per real person, organisation, country, place or outlet.

A first resolution across the whole corpus:
- names normalised (leading "the", possessives, honorifics and titles stripped);
- names the data files know (countries, international organisations, news agencies) mapped to one name;
- acronyms joined to the expansion the text gives ("… in Europe (OSCE)");
- first-name transliterations of one surname joined ("Andrei"/"Andrey");
- a surname alone joined to the one full name using it in the corpus;
- the kind decided by votes over every mention, with the data files overruling the model's labels.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from slugify import slugify

from ..knowledge import Knowledge, knowledge
from ..model import Actor, ActorKind, Article, ArticleAnalysis, Mention, Role, Source

ACTOR_LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "demonym"}
"""spaCy labels → kinds. Demonyms ("French") vote against a name being an actor at all."""
MEDIA_CUE_VOTES = 2
PLACE_CUE_VOTES = 2
"""A name the text puts a place preposition before ("in X") counts as two votes for a place."""
OWNER_VOTES = 3
"""A name that owns a role ("director at X") is an institution: people do not employ people."""
TRANSLITERATIONS = (("ey", "ei"), ("y", "i"), ("ks", "x"), ("kh", "h"), ("ou", "u"), ("j", "i"), ("ph", "f"))
FIRST_NAME_SIMILARITY = 90
DOMINANT_SHARE = 0.9
"""Share of the articles naming any bearer of a surname from which one of them is taken for the surname alone."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One actor mention with where it stands."""

    mention: Mention
    source: Source
    order: int
    """Position in the corpus (articles by date), for choosing the earliest form."""
    name: str
    """The mention's name, normalised (`normalize_name`)."""
    key: str
    """Its name key (`_canonical_key`): worked out once, read by every pass."""


@dataclass
class ActorIndex:
    """The actors of a corpus and how to find the actor a name or a mention refers to."""

    actors: list[Actor]
    by_name: dict[str, str]
    """Normalised name key → actor id."""
    kinds: dict[str, ActorKind] = field(default_factory=dict)
    spans: dict[Source, list[tuple[int, int, str]]] = field(default_factory=dict)
    """For each paragraph, the (start, end, actor id) of its mentions, in order."""

    def actor_at(self, source: Source, start: int) -> str | None:
        """The actor of the mention starting at character `start` of paragraph `source`, if it is one."""
        for begin, _, actor in self.spans.get(source, ()):
            if begin == start:
                return actor
        return None

    def find(self, name: str | None) -> str | None:
        """The actor a surface name refers to, if any."""
        return None if name is None else self.by_name.get(name_key(normalize_name(name, knowledge())))


MEMO_SIZE = 1 << 18


def normalize_name(text: str, facts: Knowledge) -> str:
    """"the United States'" → "United States"; "Mr. Holt's" → "Holt"."""
    found = facts.memo.get(("normalize", text))
    if found is None:
        if len(facts.memo) >= MEMO_SIZE:
            facts.memo.clear()
        found = facts.memo[("normalize", text)] = _normalize_name(text, facts)
    return found


def _normalize_name(text: str, facts: Knowledge) -> str:
    name = " ".join(text.replace("’", "'").split()).strip(" ,;:\"“”()")
    name = re.sub(r"'s?$", "", name)
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in facts.honorifics:
        words.pop(0)
    return " ".join(words)


def name_key(name: str) -> str:
    return re.sub(r"[.\s]+", " ", name.casefold()).strip()


def resolve_actors(articles: list[Article], analyses: Mapping[str, ArticleAnalysis]) -> ActorIndex:
    facts = knowledge()
    occurrences = list(_occurrences(articles, analyses))
    groups = _UnionFind()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for occ in occurrences:
        groups.add(occ.key)
        forms[occ.key][occ.name] += 1
        if occ.mention.acronym:
            groups.union(occ.key, _canonical_key(occ.mention.acronym, facts))
    votes = _votes(occurrences, facts)
    ambiguous = _join_people(groups, forms, votes, occurrences, facts)
    roots, notes = _attribute(occurrences, groups, ambiguous, facts)
    return _build(occurrences, roots, groups, votes, notes, facts)


def _occurrences(articles: list[Article], analyses: Mapping[str, ArticleAnalysis]) -> Iterable[Occurrence]:
    facts = knowledge()
    order = 0
    for article in articles:
        for source, sentence in analyses[article.id].sourced():
            for mention in sentence.mentions:
                if mention.label in ACTOR_LABELS:
                    name = normalize_name(mention.text, facts)
                    if name:
                        yield Occurrence(mention, source, order, name, _canonical_key(name, facts))
                        order += 1


def _canonical_key(name: str, facts: Knowledge) -> str:
    found = facts.memo.get(("key", name))
    if found is None:
        known = facts.media_name(name) or facts.organization_name(name) or facts.country_name(name)
        found = facts.memo[("key", name)] = name_key(known or name)
    return found


def _votes(occurrences: list[Occurrence], facts: Knowledge) -> dict[str, Counter[str]]:
    """Kind votes per name key, before groups are joined."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for occ in occurrences:
        key = occ.key
        kind = ACTOR_LABELS[occ.mention.label]
        if kind == "place" and facts.country_name(occ.name):
            kind = "country"
        votes[key][kind] += 1
        if occ.mention.media_cue:
            votes[key]["media"] += MEDIA_CUE_VOTES
        if occ.mention.place_cue and kind == "person":
            votes[key]["place"] += PLACE_CUE_VOTES
        if occ.mention.title_of:
            owner = normalize_name(occ.mention.title_of, facts)
            if not facts.country_name(owner):
                votes[_canonical_key(owner, facts)]["organization"] += OWNER_VOTES
    return votes


def _gazetteer_kind(names: Iterable[str], facts: Knowledge) -> ActorKind | None:
    for name in names:
        if facts.media_name(name):
            return "media"
        if facts.country_name(name):
            return "country"
        if facts.organization_name(name):
            return "organization"
    return None


def _join_people(
    groups: _UnionFind,
    forms: dict[str, Counter[str]],
    votes: dict[str, Counter[str]],
    occurrences: list[Occurrence],
    facts: Knowledge,
) -> dict[str, list[str]]:
    """Join first-name variants of one surname, and a surname alone to the one person bearing it.

    Returns the surnames that more than one person bears, with those people: each mention of such a surname
    alone is attributed by its context (`_attribute`), never wholesale."""
    person_keys = [k for k in forms if votes[k]["person"] > 0 and _gazetteer_kind(forms[k], facts) is None]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for key in sorted(k for k in person_keys if " " in k):
        by_surname[key.split(" ")[-1]].append(key)
    for keys in by_surname.values():
        for a, b in itertools.combinations(keys, 2):
            if _same_first_name(a, b):
                groups.union(a, b)
    articles_of: dict[str, set[str]] = defaultdict(set)
    for occ in occurrences:
        articles_of[occ.key].add(occ.source.article)
    ambiguous: dict[str, list[str]] = {}
    for key in sorted(forms):
        if " " in key or key not in by_surname or _gazetteer_kind(forms[key], facts) is not None:
            continue
        people = sorted({groups.find(k) for k in by_surname[key]})
        if len(people) > 1:
            ambiguous[key] = people
        elif votes[key]["person"] > 0 or any(articles_of[k] & articles_of[key] for k in by_surname[key]):
            groups.union(key, people[0])
    return ambiguous


def _attribute(
    occurrences: list[Occurrence], groups: _UnionFind, ambiguous: dict[str, list[str]], facts: Knowledge
) -> tuple[list[str], dict[str, list[str]]]:
    """The actor root of every occurrence. A surname that several people bear goes to the one whose title it
    carries ("Minister Jansen"), else to the one of them named last before it in the same article, else to the
    only one of them the article names at all (after it), else to the one the corpus names far most often (in
    DOMINANT_SHARE of the articles naming any of them, as a reader takes a well-known surname), else stays a
    page of its own. Notes say so on the pages. So a namesake named once elsewhere does not move the mentions
    of a well-known person."""
    titles: dict[str, set[str]] = defaultdict(set)
    named_in: set[tuple[str, str]] = set()
    """(article, person) for every person named in full in an article."""
    for occ in occurrences:
        key = occ.key
        if occ.mention.title:
            titles[groups.find(key)].update(_title_words(occ.mention.title, facts))
        if key not in ambiguous:
            named_in.add((occ.source.article, groups.find(key)))
    articles_naming = Counter(person for _, person in named_in)
    dominant: dict[str, str] = {}
    for key, people in ambiguous.items():
        most = max(people, key=lambda p: (articles_naming[p], p))
        if articles_naming[most] >= DOMINANT_SHARE * sum(articles_naming[p] for p in people):
            dominant[key] = most
    roots: list[str] = []
    last_seen: dict[tuple[str, str], int] = {}
    attributed: dict[tuple[str, str], int] = defaultdict(int)
    for occ in occurrences:
        key = occ.key
        root = groups.find(key)
        if key in ambiguous:
            people = ambiguous[key]
            by_title = [p for p in people if occ.mention.title and titles[p] & _title_words(occ.mention.title, facts)]
            named = [p for p in people if (occ.source.article, p) in last_seen]
            anywhere = [p for p in people if (occ.source.article, p) in named_in]
            if len(by_title) == 1:
                root = by_title[0]
            elif named:
                root = max(named, key=lambda p: last_seen[(occ.source.article, p)])
            elif len(anywhere) == 1:
                root = anywhere[0]
            elif not anywhere and key in dominant:
                root = dominant[key]
            if root != groups.find(key):
                attributed[(root, key)] += 1
        last_seen[(occ.source.article, root)] = occ.order
        roots.append(root)
    notes: dict[str, list[str]] = defaultdict(list)
    for (root, key), n in sorted(attributed.items()):
        notes[root].append(
            f"“{key.title()}” alone was attributed here {n} time{'s' if n > 1 else ''}, by the title it carries, "
            f"the person of that surname named before it (or the only one named) in the same article, or as the one "
            f"these articles name far most often ({len(ambiguous[key])} people in them bear the surname)."
        )
    return roots, notes


GENERIC_TITLE_WORDS = frozenset({"senior", "deputy", "acting", "vice", "chief", "head", "former", "first"})


def _title_words(title: str, facts: Knowledge) -> frozenset[str]:
    found = facts.memo.get(("title", title))
    if found is None:
        words = re.split(r"[\s-]+", title.casefold())
        found = facts.memo[("title", title)] = frozenset(w for w in words if w in facts.title_words and w not in GENERIC_TITLE_WORDS)
    return found


def _same_first_name(a: str, b: str) -> bool:
    first_a, first_b = _fold(a.rsplit(" ", 1)[0]), _fold(b.rsplit(" ", 1)[0])
    return first_a == first_b or fuzz.ratio(first_a, first_b) >= FIRST_NAME_SIMILARITY


def _fold(name: str) -> str:
    for old, new in TRANSLITERATIONS:
        name = name.replace(old, new)
    return name


def _build(
    occurrences: list[Occurrence],
    roots: list[str],
    groups: _UnionFind,
    votes: dict[str, Counter[str]],
    notes: dict[str, list[str]],
    facts: Knowledge,
) -> ActorIndex:
    root_forms: dict[str, Counter[str]] = defaultdict(Counter)
    root_keys: dict[str, list[str]] = defaultdict(list)
    for occ, root in zip(occurrences, roots):
        key = occ.key
        root_forms[root][occ.name] += 1
        if groups.find(key) == root and key not in root_keys[root]:
            root_keys[root].append(key)
    ids: dict[str, str] = {}
    kinds: dict[str, ActorKind] = {}
    names: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    dropped: set[str] = set()
    taken: set[str] = set()  # the ids given so far (a set made again for each actor was quadratic)
    for root, group_forms in root_forms.items():
        keys = root_keys[root] or [root]
        kind = _gazetteer_kind(group_forms, facts) or _vote(keys, votes)
        if kind == "demonym":
            dropped.add(root)
            continue
        first = {name_key(f): i for i, f in enumerate(group_forms)}
        name = _display_name(keys, group_forms, first, kind, facts)
        ids[root] = _unique_slug(name, kind, taken)
        taken.add(ids[root])
        kinds[root], names[root] = kind, name  # type: ignore[assignment]
        aliases[root] = sorted({f for f in group_forms if f != name}, key=str.casefold)
    sources: dict[str, list[Source]] = defaultdict(list)
    counts: Counter[str] = Counter()
    spans: dict[Source, list[tuple[int, int, str]]] = defaultdict(list)
    for occ, root in zip(occurrences, roots):
        if root in dropped:
            continue
        spans[occ.source].append((occ.mention.start, _linked_end(occ.mention), ids[root]))
        counts[root] += 1
        if not sources[root] or sources[root][-1] != occ.source:
            sources[root].append(occ.source)
    by_name: dict[str, str] = {}
    for root, keys in root_keys.items():
        if root not in dropped:
            for key in keys:
                by_name.setdefault(key, ids[root])
    for root, name in names.items():
        by_name.setdefault(name_key(name), ids[root])
        for alias in aliases[root]:
            by_name.setdefault(name_key(alias), ids[root])
    roles = _roles(occurrences, roots, ids, by_name, facts)
    actors = [
        Actor(
            id=ids[root],
            name=names[root],
            kind=kinds[root],
            aliases=tuple(aliases[root]),
            mentions=counts[root],
            sources=tuple(sources[root]),
            roles=roles.get(ids[root], ()),
            notes=tuple(notes.get(root, ())),
        )
        for root in names
    ]
    actors.sort(key=lambda a: (-a.mentions, a.name.casefold(), a.id))
    return ActorIndex(actors, by_name, {ids[r]: k for r, k in kinds.items()}, dict(spans))


def _vote(keys: list[str], votes: dict[str, Counter[str]]) -> str:
    """The kind most mentions vote for; "demonym" when adjective uses outnumber all the rest."""
    total: Counter[str] = Counter()
    for key in keys:
        total.update(votes[key])
    if total["demonym"] > sum(n for kind, n in total.items() if kind != "demonym"):
        return "demonym"
    preference = ("media", "person", "country", "organization", "place")
    return max(preference, key=lambda kind: (total[kind], -preference.index(kind)))


def _display_name(
    keys: list[str], group_forms: Counter[str], first_seen: dict[str, int], kind: ActorKind, facts: Knowledge
) -> str:
    for form in group_forms:
        known = facts.media_name(form) or facts.organization_name(form) or facts.country_name(form)
        if known:
            return known
    candidates = group_forms
    if kind == "person":
        full = Counter({f: n for f, n in group_forms.items() if " " in f})
        candidates = full or group_forms
    else:
        long = Counter({f: n for f, n in group_forms.items() if not f.isupper()})
        candidates = long or group_forms
    order = {f: first_seen.get(name_key(f), 0) for f in candidates}
    return max(candidates, key=lambda f: (candidates[f], -order[f], f))


def _unique_slug(name: str, kind: str, taken: set[str]) -> str:
    base = slugify(name, max_length=80, word_boundary=True) or kind
    if base in ("index", "network"):
        base = f"{base}-{kind}"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _roles(
    occurrences: list[Occurrence], roots: list[str], ids: dict[str, str], by_name: dict[str, str], facts: Knowledge
) -> dict[str, tuple[Role, ...]]:
    found: dict[str, dict[tuple[str, str], list]] = defaultdict(dict)
    for occ, root in zip(occurrences, roots):
        actor = ids.get(root)
        if not occ.mention.title or actor is None:
            continue
        title = occ.mention.title
        of = normalize_name(occ.mention.title_of, facts) if occ.mention.title_of else None
        key = (re.sub(r"[\s-]+", " ", title.casefold()), name_key(of) if of else "")
        entry = found[actor].setdefault(key, [title, of, {}])
        entry[2][occ.source] = None  # a dict keeps the order and finds a source in constant time (a list: quadratic)
    return {
        actor: tuple(
            Role(title, of, by_name.get(_canonical_key(of, facts)) if of else None, tuple(sources))
            for title, of, sources in entries.values()
        )
        for actor, entries in found.items()
    }


def _linked_end(mention: Mention) -> int:
    """Where a mention's link ends: a plural possessive's apostrophe, which the language model takes into the
    name ("the United States' reply"), is not part of it."""
    return mention.end - 1 if mention.text.endswith(("s'", "s’")) else mention.end


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: str) -> str:
        parent = self.parent
        up = parent.setdefault(key, key)
        while up != key:
            parent[key] = parent[up]
            key, up = parent[up], parent[parent[up]]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
