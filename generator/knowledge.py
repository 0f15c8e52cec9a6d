"""World knowledge kept as data: titles, news agencies, international organisations, countries."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

import pycountry
import yaml


@dataclass(frozen=True)
class Knowledge:
    title_words: frozenset[str]
    honorifics: frozenset[str]
    media: dict[str, str]
    """Casefolded name or alias → the outlet's name."""
    organizations: dict[str, str]
    """Casefolded name or alias → the organisation's name."""
    countries: dict[str, str]
    """Casefolded name, alias or ISO code → the country's short English name."""
    memo: dict = field(default_factory=dict, compare=False, repr=False)
    """Names already normalised against these facts (the same names recur thousands of times)."""

    def media_name(self, name: str) -> str | None:
        return self.media.get(name.casefold())

    def organization_name(self, name: str) -> str | None:
        return self.organizations.get(name.casefold())

    def country_name(self, name: str) -> str | None:
        return self.countries.get(name.casefold())


def _load(name: str) -> object:
    return yaml.safe_load(resources.files("generator.data").joinpath(name).read_text(encoding="utf-8"))


def _named_aliases(entries: list[dict]) -> dict[str, str]:
    table = {}
    for entry in entries:
        for form in [entry["name"], *entry.get("aliases", [])]:
            table[form.casefold()] = entry["name"]
    return table


def _countries(data: dict) -> dict[str, str]:
    display: dict[str, str] = data["display"]
    table = {}
    for country in pycountry.countries:
        shown = display.get(country.alpha_2) or getattr(country, "common_name", None) or country.name
        for form in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            if form:
                table[form.casefold()] = shown
    for alias, code in data["aliases"].items():
        table[alias.casefold()] = display.get(code) or pycountry.countries.get(alpha_2=code).name
    return table


@functools.cache
def knowledge() -> Knowledge:
    titles = _load("titles.yml")
    return Knowledge(
        title_words=frozenset(titles["words"]),
        honorifics=frozenset(titles["honorifics"]),
        media=_named_aliases(_load("news_agencies.yml")),
        organizations=_named_aliases(_load("organizations.yml")),
        countries=_countries(_load("countries.yml")),
    )
