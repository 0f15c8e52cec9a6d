"""The MkDocs plugin: wires the pipeline into `mkdocs build` and `mkdocs serve`; no logic of its own."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import assets_dir, search
from .config import BriefingConfig
from .pagecache import CachedPage, PageCache, output_fingerprint, setup_fingerprint
from .pipeline import Build, build_briefing
from .render import alias_slugs, atom_feed, cache_bytecode, redirect_html

log = get_plugin_logger("briefing")

SECTIONS = [
    {"Home": "index.md"},
    {"Actors": "actors/index.md"},
    {"Chronology": "chronology.md"},
    {"Articles": "articles/index.md"},
    {"Network": "network.md"},
]
SECTION_PAGES = {uri for section in SECTIONS for uri in section.values()}
STYLESHEET = "assets/briefing/briefing.css"
TIMELINE = "assets/briefing/timeline.js"
NETWORK = "assets/briefing/network.js"
IFRAME_SHIM = "assets/briefing/iframe-worker-shim.js"
SEARCH = "assets/briefing/search.js"
ASSETS = {
    STYLESHEET: "briefing.css",
    TIMELINE: "timeline.js",
    NETWORK: "network.js",
    IFRAME_SHIM: "iframe-worker-shim.js",
    SEARCH: "search.js",
}
"""Files the site serves from itself, from the package's assets/."""
FEED = "feed.xml"
THEME_TEMPLATES = "theme-templates"
"""The theme's templates, compiled (Jinja bytecode), under the cache folder."""


class BriefingPlugin(BasePlugin[BriefingConfig]):
    def __init__(self) -> None:
        self.build: Build | None = None
        self.updated = "1970-01-01"
        self.search_plan: search.SearchPlan | None = None
        self.indexed = search.IndexedPages()
        self.handed_in: set[str] = set()
        """src_uri of the pages handed to the search indexes before MkDocs writes them."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.build = None
        if not self.config.enabled:
            return config
        if config.nav is None:
            config.nav = SECTIONS
        config.theme.dirs.append(str(assets_dir() / "theme"))  # the template of a page whose output is kept
        for extension in ("attr_list", "toc", "generator.passthrough"):
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        config.extra_css.append(STYLESHEET)
        config.extra_javascript.extend([TIMELINE, NETWORK])
        if self.config.search:
            config.extra_javascript.append(SEARCH)
            if "material/search" in config.plugins:
                log.warning("both Material's search and briefing's search are on: remove `search` from `plugins` in mkdocs.yml, or set the briefing option `search: false`")
        polyfills = config.extra.get("polyfills", [])
        config.extra["polyfills"] = [IFRAME_SHIM if "iframe-worker" in str(p) else p for p in polyfills]
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        base = Path(config.config_file_path).parent
        self.page_cache = PageCache(base / self.config.cache_dir / "html", setup_fingerprint(config))
        try:
            self.build = build_briefing(
                articles_dir=Path(self.config.articles_dir),
                cache_dir=base / self.config.cache_dir,
                model=self.config.model,
                templates=Path(self.config.templates_dir) if self.config.templates_dir else None,
                n_process=self.config.n_process,
                directory_urls=config.use_directory_urls,
                whole_briefing=False,  # the pages are written: the briefing is let go before MkDocs reads them
            )
        except OSError as error:
            raise PluginError(f"briefing: {error}") from error
        self.updated = self.build.updated  # once: it looks at every article (it was once per page: quadratic)
        shown = _shown_path(Path(self.config.articles_dir), base)
        for problem in self.build.problems:
            log.warning("%s/%s", shown, problem)
        for note in self.build.notes:
            log.info("%s/%s", shown, note)
        pages = self.build.pages
        kinds = self.build.search_kinds
        article_bytes = sum(pages.size(uri) for uri, kind in kinds.items() if kind == "article")
        self.search_plan = search.SearchPlan.of(kinds, article_bytes, self.config.search_shard_mb * 1e6)
        self.indexed = search.IndexedPages(Path(config.site_dir), self.search_plan.counts(), base / self.config.cache_dir / "pagefind")
        # an index's pages together, those rendered by this build first (its others are handed in by their kept
        # outputs before MkDocs writes any page): it is made while MkDocs writes the rest
        for uri in sorted(pages, key=lambda uri: (self.search_plan.rank(uri), uri not in pages.written)):
            if files.get_file_from_path(uri) is not None:
                log.info("%s in docs_dir is replaced by the generated page", uri)
                files.remove(files.get_file_from_path(uri))
            inclusion = InclusionLevel.INCLUDED if uri in SECTION_PAGES else InclusionLevel.NOT_IN_NAV
            if pages.folder is None:
                file = File.generated(config, uri, content=pages[uri], inclusion=inclusion)
            else:  # read by MkDocs when it converts the page, not held in memory
                file = File.generated(config, uri, abs_src_path=str(pages.path(uri)), inclusion=inclusion)
            files.append(file)
            if inclusion is InclusionLevel.NOT_IN_NAV:
                CachedPage(file, config, self.page_cache)
        for uri, name in ASSETS.items():
            files.append(File.generated(config, uri, abs_src_path=str(assets_dir() / name)))

        def url_of(uri: str) -> str:
            file = files.get_file_from_path(uri)
            return file.url if file else uri

        feed = atom_feed(self.build.briefing, self.build.chronology_where, url_of, config.site_url)
        files.append(File.generated(config, FEED, content=feed))
        return files

    @event_priority(100)  # before any plugin changes it: what the theme wrote
    def _keep_output(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.build is not None and isinstance(page, CachedPage):
            page.keep(output)
        return output

    def _post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if self.build is None:
            return output
        if "</head>" not in output:
            return output
        href = get_relative_url(FEED, page.url)
        link = f'<link rel="alternate" type="application/atom+xml" title="Briefing: events" href="{href}">'
        output = output.replace("</head>", f"  {link}\n  </head>", 1)
        if self.config.search and self.search_plan is not None:
            index = self.search_plan.index_of(page.file.src_uri)
            output = search.with_search_box(output, index is not None, self.search_plan.names)
            if index is not None and page.file.src_uri not in self.handed_in:
                key = page.output_key if isinstance(page, CachedPage) else None
                self.indexed.add(index, page.file.dest_uri, output, key)
        return output

    on_post_page = CombinedEvent(_keep_output, _post_page)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.build is not None:
            self.page_cache.output = output_fingerprint(config, nav, BriefingPlugin)
        return nav

    def on_env(self, env, /, *, config: MkDocsConfig, files: Files):
        """The theme's compiled templates are kept in the cache folder. Every page is converted: hand the search
        indexes the pages whose kept outputs MkDocs writes again."""
        self.handed_in = set()
        if self.build is not None:
            cache_bytecode(env, Path(config.config_file_path).parent / self.config.cache_dir / THEME_TEMPLATES)
        if self.build is None or not self.config.search or self.search_plan is None:
            return env
        for file in files.documentation_pages():
            page = file.page
            index = self.search_plan.index_of(file.src_uri)
            if index is not None and isinstance(page, CachedPage) and page.output_kept and page.output_key is not None:
                if self.indexed.add_kept(index, file.dest_uri, page.output_key):
                    self.handed_in.add(file.src_uri)
        return env

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page:
        if self.build is not None:
            page.update_date = self.updated
        return page

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder) -> LiveReloadServer:
        if self.config.enabled:
            server.watch(self.config.articles_dir)
            if self.config.templates_dir:
                server.watch(self.config.templates_dir)
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.build is None:
            return
        self.page_cache.prune()
        site = Path(config.site_dir)
        self.build.write_json(site / "briefing.json")
        for slug, actor_id in alias_slugs(self.build.briefing).items():
            if config.use_directory_urls:
                path, target = site / "actors" / slug / "index.html", f"../{actor_id}/"
            else:
                path, target = site / "actors" / f"{slug}.html", f"{actor_id}.html"
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(redirect_html(target), encoding="utf-8")
        (site / "briefing.schema.json").write_bytes((assets_dir() / "briefing.schema.json").read_bytes())
        if self.config.search:
            (site / search.TITLES).write_text(search.titles_script(self.build.briefing, config.use_directory_urls), encoding="utf-8")
            try:
                self.indexed.finish()
            except search.SearchIndexError as error:
                raise PluginError(f"briefing: {error}") from error


def _shown_path(folder: Path, base: Path) -> str:
    """The articles folder as a user would type it: relative to mkdocs.yml when inside it."""
    try:
        return folder.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return folder.as_posix()
