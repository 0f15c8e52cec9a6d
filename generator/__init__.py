"""Briefing: a folder of news articles → a searchable MkDocs site of actors, events and articles."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def templates_dir() -> Path:
    """The page templates: inside the installed package, or `docs_templates/` beside it in a checkout."""
    packaged = Path(__file__).parent / "docs_templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "docs_templates"


def assets_dir() -> Path:
    """Stylesheets and scripts the site serves from itself."""
    return Path(__file__).parent / "assets"
