"""Pages kept between builds: a rebuild writes the site a build from nothing writes, and a page's kept theme
output is used only while the page and the site are what it was rendered from."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

from tests.conftest import ROOT, SEEDS, mkdocs_build

MARK = "<!-- kept by the last build -->"


def pages(site: Path) -> dict[str, bytes]:
    """Every HTML page of a built site (the search indexes apart: Pagefind's own files)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html") if "pagefind" not in p.parts}


def mark_kept_outputs(cache: Path) -> int:
    """Mark every theme output kept in the build cache, as a build would never write it; how many."""
    kept = list((cache / "html").glob("*/*.out.z"))
    for path in kept:
        html = zlib.decompress(path.read_bytes()).decode("utf-8")
        path.write_bytes(zlib.compress(html.replace("</body>", f"{MARK}</body>", 1).encode("utf-8")))
    return len(kept)


def test_a_rebuild_writes_what_a_build_from_nothing_writes_and_takes_kept_outputs_only_while_they_hold(tmp_path: Path) -> None:
    articles, cache, config = tmp_path / "articles", tmp_path / "cache", tmp_path / "mkdocs.yml"
    shutil.copytree(SEEDS, articles)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}")
    config.write_text(text, encoding="utf-8")
    first = mkdocs_build(tmp_path / "first", articles, cache, config=config)
    assert first.returncode == 0, first.stderr
    generated = [  # the generated pages outside the navigation (not the redirects of other names)
        uri for uri, html in pages(tmp_path / "first").items()
        if uri.startswith(("actors/", "articles/")) and not uri.endswith("index.html") and b'http-equiv="refresh"' not in html
    ]
    assert mark_kept_outputs(cache) >= len(generated) > 10
    assert list((cache / "theme-templates").glob("*/*.cache")) and list((cache / "templates").glob("*/*.cache"))  # the rebuilds read them

    again = mkdocs_build(tmp_path / "again", articles, cache, config=config)  # nothing changed: every generated page's output kept
    assert again.returncode == 0, again.stderr
    kept = pages(tmp_path / "again")
    assert all(MARK in kept[uri].decode() for uri in generated)
    assert {uri: html.replace(MARK.encode(), b"") for uri, html in kept.items()} == pages(tmp_path / "first")

    (articles / "zz-added.txt").write_text(" date 2022-03-01\nThe Kremlin said on Tuesday that talks with NATO would go on.", encoding="utf-8")
    added = mkdocs_build(tmp_path / "added", articles, cache, config=config)
    assert added.returncode == 0, added.stderr
    whole = mkdocs_build(tmp_path / "whole", articles, tmp_path / "whole-cache", config=config)
    assert whole.returncode == 0, whole.stderr
    built, reference = pages(tmp_path / "added"), pages(tmp_path / "whole")
    assert built.keys() == reference.keys()
    changed = [uri for uri in built if built[uri] != reference[uri]]
    assert all(MARK in built[uri].decode() for uri in changed)  # only pages kept as marked differ
    assert {uri: html.replace(MARK.encode(), b"") for uri, html in built.items()} == reference
    assert len(changed) < len(generated)  # the added article's actors' pages were rendered again

    config.write_text(  # the site changes (its name is on every page): every page is rendered again
        text.replace("site_name: Briefing", "site_name: Another briefing", 1), encoding="utf-8")
    mark_kept_outputs(cache)
    renamed = mkdocs_build(tmp_path / "renamed", articles, cache, config=config)
    assert renamed.returncode == 0, renamed.stderr
    assert not any(MARK in html.decode() for html in pages(tmp_path / "renamed").values())


def test_no_output_is_kept_while_another_plugin_can_change_a_page_on_its_way(tmp_path: Path) -> None:
    """Material's tags plugin handles the page_context event: with it on, every page goes through the theme."""
    config, cache = tmp_path / "mkdocs.yml", tmp_path / "cache"
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {ROOT / 'docs'}")
    assert "  - offline" in text
    config.write_text(text.replace("  - offline", "  - tags\n  - offline", 1), encoding="utf-8")
    result = mkdocs_build(tmp_path / "site", SEEDS, cache, config=config)
    assert result.returncode == 0, result.stderr
    assert list((cache / "html").glob("*/*.html")) and not list((cache / "html").glob("*/*.out.z"))
