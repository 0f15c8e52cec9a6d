"""Compiled templates kept between builds: a rebuild renders from them what it renders from the sources, never
reads templates compiled with other settings, and compiles a template again when its source changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from generator import templates_dir
from generator.render import cache_bytecode, make_environment, render


def no_compiling(env: jinja2.Environment) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a template was compiled again")

    env.compile = refuse  # type: ignore[method-assign]


def test_a_render_from_kept_bytecode_is_the_render_from_the_sources(seeds_build, tmp_path: Path) -> None:
    reference = render(seeds_build.briefing, make_environment())
    first = render(seeds_build.briefing, make_environment(bytecode=tmp_path))
    assert first == reference
    kept = make_environment(bytecode=tmp_path)
    no_compiling(kept)
    assert render(seeds_build.briefing, kept) == reference
    assert len(list(tmp_path.glob("*/*.cache"))) >= 5


def test_other_settings_and_changed_sources_compile_again(tmp_path: Path) -> None:
    override = tmp_path / "templates"
    shutil.copytree(templates_dir(), override)
    env = make_environment(override, tmp_path / "bytecode")
    env.get_template("article.md.j2")
    trimmed = make_environment(override)
    trimmed.trim_blocks = False
    cache_bytecode(trimmed, tmp_path / "bytecode")
    assert trimmed.bytecode_cache.directory != env.bytecode_cache.directory  # type: ignore[union-attr]
    trimmed.get_template("article.md.j2")  # compiled for its own settings: not refused below
    assert len(list((tmp_path / "bytecode").iterdir())) == 2

    again = make_environment(override, tmp_path / "bytecode")
    no_compiling(again)
    again.get_template("article.md.j2")
    source = override / "article.md.j2"
    source.write_text(source.read_text(encoding="utf-8") + "\n{# changed #}\n", encoding="utf-8")
    changed = make_environment(override, tmp_path / "bytecode")
    no_compiling(changed)
    with pytest.raises(AssertionError, match="compiled again"):
        changed.get_template("article.md.j2")


def test_an_autoescape_function_keeps_no_bytecode(tmp_path: Path) -> None:
    """Jinja compiles what a `select_autoescape` function answers for each template: two such functions answer
    differently under one name, so their compiled templates are not kept (a bool autoescape's are)."""
    for env in (jinja2.Environment(autoescape=jinja2.select_autoescape()), jinja2.Environment(autoescape=jinja2.select_autoescape(["md"]))):
        cache_bytecode(env, tmp_path / "escaping")
        assert env.bytecode_cache is None
    assert not (tmp_path / "escaping").exists()
    plain = jinja2.Environment(autoescape=True)
    cache_bytecode(plain, tmp_path / "plain")
    assert plain.bytecode_cache is not None and len(list((tmp_path / "plain").iterdir())) == 1
