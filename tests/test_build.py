"""Real MkDocs builds: the seeds in strict mode, another folder through BRIEFING_ARTICLES, bad articles,
the extraction cache, config errors and `mkdocs serve` picking up a new article."""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest

from generator.extract import EXTRACT_VERSION, extract
from generator.ingest import read_articles

from .conftest import MODEL, ROOT, SEEDS, mkdocs_build


def test_seeds_site_has_every_page(seeds_site: Path) -> None:
    data = json.loads((seeds_site / "briefing.json").read_text(encoding="utf-8"))
    for page in ("index.html", "actors/index.html", "chronology.html", "articles/index.html", "404.html"):
        assert (seeds_site / page).is_file(), page
    assert data["actors"] and data["events"] and data["quotes"]
    for actor in data["actors"]:
        assert (seeds_site / "actors" / f"{actor['id']}.html").is_file()
    for article in data["articles"]:
        assert (seeds_site / "articles" / f"{article['id']}.html").is_file()
    assert sorted(a["file"] for a in data["articles"]) == sorted(p.name for p in SEEDS.iterdir())


def test_briefing_json_follows_its_schema(seeds_site: Path) -> None:
    schema = json.loads((seeds_site / "briefing.schema.json").read_text(encoding="utf-8"))
    data = json.loads((seeds_site / "briefing.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)
    ids = {a["id"] for a in data["actors"]}
    paragraphs = {(a["id"], p["n"]) for a in data["articles"] for p in a["paragraphs"]}
    cited = [s for kind in ("events", "quotes") for item in data[kind] for s in item["sources"]]
    cited += [s for a in data["actors"] for r in a["roles"] for s in r["sources"]]
    assert cited and all((s["article"], s["paragraph"]) in paragraphs for s in cited)
    assert all(set(e["actors"]) <= ids for e in data["events"])
    assert all(q["speaker"] is None or q["speaker"] in ids for q in data["quotes"])


def test_navigation_lists_sections_only(seeds_site: Path) -> None:
    html = (seeds_site / "index.html").read_text(encoding="utf-8")
    nav = re.findall(r'class="md-tabs__link"[^>]*>\s*([^<]+?)\s*<', html)
    assert nav == ["Home", "Actors", "Chronology", "Articles", "Network"]
    assert "actors/russia" not in "".join(re.findall(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S))


def test_site_refers_to_nothing_outside_itself(seeds_site: Path) -> None:
    for page in seeds_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html), page


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_another_folder_through_the_environment(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write(articles, "one.txt", " date 2024-05-06\nPrime Minister Lena Ortiz said on Monday that Valdoria would join the talks.")
    write(articles, "desk/two.md", "---\ndate: 2024-05-08\ntitle: Talks open\nsource: Wire Desk\n---\nThe talks opened in Geneva.\n")
    result = mkdocs_build(tmp_path / "site", articles, tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "site" / "briefing.json").read_text(encoding="utf-8"))
    assert [(a["file"], a["title"]) for a in data["articles"]] == [
        ("one.txt", "Prime Minister Lena Ortiz said on Monday that Valdoria would join the talks"),
        ("desk/two.md", "Talks open"),
    ]
    assert (tmp_path / "site" / "articles" / "desk-two.html").is_file()


def test_bad_articles_are_named_and_fail_strict_builds(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write(articles, "good.txt", " date 2024-05-06 The council met in Lisbon on Monday.")
    write(articles, "nodate.txt", "The council met.\n")
    (articles / "latin1.txt").write_bytes(" date 2024-05-06 Caf\xe9 society.\n".encode("latin-1"))
    lenient = mkdocs_build(tmp_path / "site", articles, tmp_path / "cache", strict=False)
    assert lenient.returncode == 0, lenient.stderr
    warnings = [line for line in lenient.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 2, lenient.stderr
    assert warnings == [
        f"WARNING -  briefing: {articles}/latin1.txt:1: is not UTF-8 text (byte 0xe9 at offset 20); skipped",
        f"WARNING -  briefing: {articles}/nodate.txt:1: no date line: the first line must be ' date YYYY-MM-DD '; skipped",
    ]
    assert (tmp_path / "site" / "articles" / "good.html").is_file()
    strict = mkdocs_build(tmp_path / "strict", articles, tmp_path / "cache", strict=True)
    assert strict.returncode != 0 and "Aborted with 2 warnings in strict mode" in strict.stdout + strict.stderr


def test_unchanged_articles_are_not_parsed_again(tmp_path: Path, nlp) -> None:
    articles, _ = read_articles(SEEDS)
    first = extract(articles, lambda: nlp, tmp_path, MODEL)

    def no_model():
        raise AssertionError("the model was loaded although every article was cached")

    assert extract(articles, no_model, tmp_path, MODEL) == first
    edited = dataclasses.replace(articles[0], paragraphs=articles[0].paragraphs[:2])
    second = extract([edited, *articles[1:]], lambda: nlp, tmp_path, MODEL)
    assert second[articles[1].id] == first[articles[1].id] and second[edited.id] != first[edited.id]
    assert len(list(tmp_path.rglob("*.pickle"))) == len(articles) + 1


def _versioned(data: bytes) -> bytes:
    version, analysis = pickle.loads(data)
    return pickle.dumps(("0", analysis))


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda data: data[:100], "truncated"),
        (_versioned, "written by extractor version '0'"),
        (lambda data: pickle.dumps([]), "not enough values to unpack"),
        (lambda data: pickle.dumps((EXTRACT_VERSION, "text")), "it holds something else"),
    ],
)
def test_a_damaged_cache_entry_is_reported_and_recomputed(tmp_path: Path, nlp, caplog, damage, reason: str) -> None:
    """Damaged before the build or while it runs (between finding the entry and reading it), an entry is
    logged and the article analysed again; the entry is written again."""
    articles, _ = read_articles(SEEDS)
    first = extract(articles, lambda: nlp, tmp_path, MODEL)
    victim = sorted(tmp_path.rglob("*.pickle"))[0]
    whole = victim.read_bytes()
    (id,) = [a.id for a in articles if pickle.loads(whole)[1] == first[a.id]]
    for when in ("before", "during"):
        if when == "before":
            victim.write_bytes(damage(whole))
        with caplog.at_level("INFO", logger="mkdocs.plugins.briefing"):
            analyses = extract(articles, lambda: nlp, tmp_path, MODEL)
            if when == "during":
                victim.write_bytes(damage(whole))
            assert analyses == first
        (record,) = caplog.records
        assert record.getMessage().startswith(f"briefing: cache entry {victim} is unreadable (") and reason in record.getMessage()
        caplog.clear()
        assert pickle.loads(victim.read_bytes())[1] == first[id] and extract(articles, lambda: nlp, tmp_path, MODEL) == first
        assert not caplog.records


@pytest.mark.parametrize(
    "options, message",
    [
        ("articles_dir: /no/such/folder", "The path '/no/such/folder' isn't an existing directory."),
        ("articles_dir: seeds\n      colour: red", "Unrecognised configuration name: colour"),
        ("articles_dir: seeds\n      n_process: two", "Expected type: <class 'int'> but received: <class 'str'>"),
        ("articles_dir: seeds\n      search_shard_mb: 0", "Expected a number of megabytes above 0"),
    ],
)
def test_config_errors_name_the_option(tmp_path: Path, options: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"site_name: t\ndocs_dir: {ROOT / 'docs'}\ntheme: {{name: material, font: false}}\nplugins:\n  - briefing:\n      {options}\n",
        encoding="utf-8",
    )
    (tmp_path / "seeds").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(tmp_path / "site")],
        capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
    )
    assert result.returncode != 0
    assert "Config value 'plugins': Plugin 'briefing' option" in result.stderr and message in result.stderr, result.stderr


def test_serve_rebuilds_when_an_article_is_added(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    write(articles, "one.txt", " date 2024-05-06 The council met in Lisbon on Monday.")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, BRIEFING_ARTICLES=str(articles), BRIEFING_CACHE=str(tmp_path / "cache"), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(ROOT / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/articles/index.html"
        assert _wait_for(url, "The council met in Lisbon on Monday")
        write(articles, "two.txt", " date 2024-05-07 The assembly voted in Porto on Tuesday.")
        assert _wait_for(url, "The assembly voted in Porto on Tuesday")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url: str, text: str, seconds: float = 90) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def test_atom_feed_lists_dated_events(seeds_site: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(seeds_site / "feed.xml").getroot()
    data = json.loads((seeds_site / "briefing.json").read_text(encoding="utf-8"))
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == sum(1 for e in data["events"] if not e["reported"]) > 0
    ids = [e.find(f"{atom}id").text for e in entries]
    assert len(set(ids)) == len(ids)
    dates = [e.find(f"{atom}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    chronology = (seeds_site / "chronology.html").read_text(encoding="utf-8")
    for entry in entries:
        page, _, anchor = entry.find(f"{atom}link").get("href").partition("#")
        assert page == "chronology.html" and f'id="{anchor}"' in chronology
    assert '<link rel="alternate" type="application/atom+xml" title="Briefing: events" href="../feed.xml">' in (
        seeds_site / "actors" / "index.html"
    ).read_text(encoding="utf-8")
