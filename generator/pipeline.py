"""The whole pipeline as one function of plain values: ingest → extract → resolve → assemble → render."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from .assemble import assemble
from .extract import extract, load_model
from .ingest import read_articles
from .model import Briefing, Problem
from .render import briefing_json, make_environment, render
from .resolve import resolve_actors


@dataclass(frozen=True)
class Build:
    briefing: Briefing
    pages: dict[str, str]
    """src_uri → Markdown of every generated page."""
    json: str
    """briefing.json, serialised."""
    problems: list[Problem]
    """Files left out or read with a problem: build warnings."""
    notes: list[Problem]
    """Things worth knowing that are not problems: build information."""

    @property
    def updated(self) -> str:
        """The date of the newest article (not dated ahead of today), as the site's update date, where MkDocs
        would put the build's date: the same input gives the same site."""
        dates = [a.date for a in self.briefing.articles if a.date <= dt.date.today()]
        return max(dates).isoformat() if dates else "1970-01-01"


def build_briefing(
    articles_dir: Path,
    cache_dir: Path | None,
    model: str,
    templates: Path | None = None,
    n_process: int = 1,
    directory_urls: bool = False,
) -> Build:
    articles, problems = read_articles(articles_dir, today=dt.date.today())
    analyses = extract(articles, functools.partial(load_model, model), cache_dir, model, n_process)
    briefing = assemble(articles, analyses, resolve_actors(articles, analyses))
    pages = render(briefing, make_environment(templates), directory_urls)
    data = json.dumps(briefing_json(briefing), ensure_ascii=False, indent=1) + "\n"
    linked = {source.article for source, spans in briefing.mention_spans.items() if spans}
    notes = [Problem(a.file, None, "no names found in it; built without actor links") for a in articles if a.id not in linked]
    return Build(briefing, pages, data, problems, notes)
