"""Golden files: the rendered Markdown of every page of the seeds. Regenerate with `pytest --update-goldens`
after a deliberate change, and read the diff before committing it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.pipeline import Build

GOLDENS = Path(__file__).parent / "goldens" / "seeds"


def outputs(build: Build) -> dict[str, str]:
    pages = {f"pages/{uri}": text for uri, text in build.pages.items()}
    data = json.loads(build.json)
    data["generator"]["version"] = "*"
    pages["briefing.json"] = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return pages


def test_goldens(seeds_build: Build, update_goldens: bool) -> None:
    produced = outputs(seeds_build)
    if update_goldens:
        shutil.rmtree(GOLDENS, ignore_errors=True)
        for name, text in produced.items():
            (GOLDENS / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDENS / name).write_text(text, encoding="utf-8")
    stored = {p.relative_to(GOLDENS).as_posix(): p.read_text(encoding="utf-8") for p in GOLDENS.rglob("*") if p.is_file()}
    assert sorted(produced) == sorted(stored), "pages added or removed: run pytest --update-goldens and review"
    for name in sorted(produced):
        assert produced[name] == stored[name], f"{name} differs from its golden: run pytest --update-goldens and review"


def test_headings_stand_apart(seeds_build: Build) -> None:
    """Template whitespace slips show as headings glued to the line before; Markdown then renders them as text."""
    for uri, text in seeds_build.pages.items():
        lines = text.split("\n")
        for i, line in enumerate(lines[1:], start=1):
            if line.startswith("#") and lines[i - 1].strip() and lines[i - 1] != "---":
                pytest.fail(f"{uri}:{i + 1}: heading glued to the line before: {line!r}")
