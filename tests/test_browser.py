"""The built seeds site in headless Chromium (Debian's, driven by Playwright), served on 127.0.0.1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .conftest import SHARDED_WORDS, serve

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, served_site: str) -> Iterator[Page]:
    """A page that records every request leaving the local server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.outside = []  # type: ignore[attr-defined]
    page.on("request", lambda r: None if r.url.startswith(served_site) else page.outside.append(r.url))
    yield page
    assert page.outside == [], "requests left the site"  # type: ignore[attr-defined]
    context.close()


def most_mentioned_person(site: Path) -> dict:
    data = json.loads((site / "briefing.json").read_text(encoding="utf-8"))
    return next(a for a in data["actors"] if a["kind"] == "person")


def test_search_a_name_then_follow_a_source_to_its_paragraph(page: Page, served_site: str, seeds_site: Path) -> None:
    person = most_mentioned_person(seeds_site)
    page.goto(served_site)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially(person["name"].split()[-1], delay=30)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    first.click()
    page.wait_for_url(f"**/actors/{person['id']}.html*")
    assert page.locator("h1").inner_text().rstrip("¶") == person["name"]

    source = page.locator("article a[href*='../articles/'][href*='#p']").first
    href = source.get_attribute("href")
    source.click()
    anchor = urldefrag(href).fragment
    page.wait_for_url(f"**#{anchor}")
    paragraph = page.locator(f"[id='{anchor}']")
    assert paragraph.is_visible() and paragraph.evaluate("e => e.matches(':target')")
    box = paragraph.bounding_box()
    assert box is not None and 0 <= box["y"] < 900
    names = [person["name"], *person["aliases"]]
    assert any(name in paragraph.inner_text() for name in names)


def test_every_internal_link_resolves(page: Page, served_site: str) -> None:
    seen: set[str] = set()
    queue = [served_site + "index.html"]
    ids: dict[str, set[str]] = {}
    links: list[tuple[str, str]] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.ok, url
        ids[url] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            target = urljoin(url, href)
            if urlparse(target).scheme not in ("http", "https") or not target.startswith(served_site):
                continue
            links.append((url, target))
            base = urldefrag(target).url
            if base.endswith(".html") and base not in seen:
                queue.append(base)
    assert len(seen) > 10
    for origin, target in links:
        base, anchor = urldefrag(target)
        if base.endswith("/"):
            base += "index.html"
        assert base in ids or page.goto(base).ok, f"{origin} → {target}"
        if anchor and base in ids:
            assert anchor in ids[base], f"{origin} → {target}: no such anchor"


@pytest.fixture(scope="module")
def served_hostile(hostile_site) -> Iterator[str]:
    yield from serve(hostile_site.site)


def test_hostile_site_runs_no_script_from_articles(browser: Browser, served_hostile: str, hostile_site) -> None:
    """Every page of the hostile site, and search results for its hostile words: no dialog, nothing fetched
    from elsewhere, titles shown as written."""
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    outside: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: None if r.url.startswith(served_hostile) else outside.append(r.url))
    site = hostile_site.site
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "big.html")
    for path in pages:
        page.goto(served_hostile + path)
    page.goto(served_hostile + "articles/script.html")
    assert page.title() == 'Officials in Varnholt said <script>alert("lead")</script> was found on Monday - Briefing'
    page.goto(served_hostile + "articles/front-matter.html")
    assert page.title() == "Front </title><script>alert(6)</script> matter - Briefing"
    for term in ("alert", "script", "onerror", "javascript", "iframe", "Varnholt"):
        page.locator("label.md-search__icon, .md-search__input").first.click()
        box = page.locator("input.md-search__input")
        box.fill("")
        box.press_sequentially(term, delay=20)
        page.locator(".md-search-result__meta").wait_for()
        page.wait_for_timeout(300)
        page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    context.close()
    assert len(pages) > 30
    assert dialogs == [] and outside == []


def test_timeline_bars_lead_to_their_dates(page: Page, served_site: str) -> None:
    page.goto(served_site + "chronology.html")
    bars = page.locator("#briefing-timeline rect.briefing-timeline__bar")
    groups = page.locator("article h3[id]")
    assert bars.count() == groups.count() > 3
    anchors = [bars.nth(i).get_attribute("data-anchor") for i in range(bars.count())]
    assert anchors == [groups.nth(i).get_attribute("id") for i in range(groups.count())]
    bars.last.click()
    page.wait_for_url(f"**#{anchors[-1]}")
    box = page.locator(f"[id='{anchors[-1]}']").bounding_box()
    assert box is not None and 0 <= box["y"] < 900


def test_network_filters_and_opens_actor_pages(page: Page, served_site: str, seeds_site: Path) -> None:
    page.goto(served_site + "network.html")
    data = json.loads(page.locator("#briefing-network-data").text_content())
    nodes = page.locator(".briefing-network__node")
    assert nodes.count() == len(data["nodes"]) > 5
    page.locator("input[name=kind][value=person]").uncheck()
    people = [n["id"] for n in data["nodes"] if n["kind"] == "person"]
    assert people and nodes.count() == len(data["nodes"]) - len(people)
    assert page.locator(".briefing-kind-person.briefing-network__node").count() == 0
    page.locator("input[name=kind][value=person]").check()
    page.locator("input[name=hubs]").check()
    assert data["hubs"] and nodes.count() == len(data["nodes"]) - len(data["hubs"])
    target = nodes.first.get_attribute("data-actor")
    nodes.first.dispatch_event("click")
    page.wait_for_url(f"**/actors/{target}.html")
    assert page.locator(".briefing-neighbours a").count() > 0


def rare_word(site: Path) -> tuple[str, str, int]:
    """A word of one article paragraph found nowhere else in the corpus (no actor's name): (word, article, n)."""
    data = json.loads((site / "briefing.json").read_text(encoding="utf-8"))
    names = " ".join(" ".join([a["name"], *a["aliases"]]) for a in data["actors"]).casefold()
    where: dict[str, set[tuple[str, int]]] = {}
    words: dict[str, str] = {}
    for article in data["articles"]:
        for p in article["paragraphs"]:
            for word in re.findall(r"[a-z]+", p["text"].casefold()):
                where.setdefault(word[:6], set()).add((article["id"], p["n"]))  # the search stems words
                words.setdefault(word[:6], word)
    for stem, places in sorted(where.items()):
        word = words[stem]
        if len(places) == 1 and len(word) >= 9 and stem not in names:
            (article, n), = places
            return word, article, n
    raise AssertionError("no rare word in the corpus")


def test_a_search_hit_in_an_article_opens_its_paragraph(page: Page, served_site: str, seeds_site: Path) -> None:
    word, article, n = rare_word(seeds_site)
    page.goto(served_site)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(word, delay=30)
    hit = page.locator(f".md-search-result__item a[href*='articles/{article}.html']").first
    hit.wait_for(timeout=15000)
    assert hit.get_attribute("href").endswith(f"#p{n}")
    assert word in hit.locator("mark").first.inner_text().casefold()
    hit.click()
    page.wait_for_url(f"**#p{n}")
    paragraph = page.locator(f"[id='p{n}']")
    assert paragraph.evaluate("e => e.matches(':target')") and word in paragraph.inner_text().casefold()


def record_requests(page: Page, fetched: list[str], selector: str, mark: str) -> None:
    """Append the path of every request of `page` to `fetched`, and `mark` when the search results list
    first holds an element matching `selector`."""
    page.on("request", lambda r: fetched.append(urlparse(r.url).path))
    page.expose_function("briefingMark", lambda: fetched.append(mark))
    page.evaluate("""selector => {
        const list = document.querySelector(".md-search-result__list");
        new MutationObserver((_, observer) => {
            if (list.querySelector(selector)) { observer.disconnect(); window.briefingMark(); }
        }).observe(list, { childList: true });
    }""", selector)


def test_search_fetches_only_pieces_of_the_index(page: Page, served_site: str, seeds_site: Path) -> None:
    """The first results, for a name, come from the actor index alone: Pagefind's loader and the pieces of
    the index the query needs (fetched by its worker too); the article index is fetched after them."""
    person = most_mentioned_person(seeds_site)
    fetched: list[str] = []
    page.goto(served_site + "chronology.html")
    page.wait_for_load_state("networkidle")
    record_requests(page, fetched, ".md-search-result__item", "FIRST RESULT")
    page.keyboard.press("s")
    page.locator("input.md-search__input").press_sequentially(person["name"], delay=30)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    assert first.get_attribute("href").endswith(f"actors/{person['id']}.html")
    page.locator(".md-search-result__item a[href*='articles/']").first.wait_for(timeout=15000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sum(h.endswith(f"actors/{person['id']}.html") for h in hrefs) == 1  # not again among the articles
    before, after = fetched[: fetched.index("FIRST RESULT")], fetched[fetched.index("FIRST RESULT") + 1 :]
    assert any(p.endswith("/pagefind/actors/pagefind.js") for p in before)
    assert any("/pagefind/actors/index/" in p for p in before)
    assert not any("/pagefind/articles-" in p for p in before)
    assert any("/pagefind/articles-1/index/" in p for p in after)
    assert not any(p.endswith("search_index.json") for p in fetched)


def test_search_finds_articles_in_every_shard(browser: Browser, sharded_site: Path) -> None:
    """The article index in shards (a few kilobytes each here): the browser merges them, and a word of any
    article finds it, opening its paragraph."""
    assert len(list((sharded_site / "pagefind").glob("articles-*"))) > 2
    data = json.loads((sharded_site / "briefing.json").read_text(encoding="utf-8"))
    context = browser.new_context()
    page = context.new_page()
    for base in serve(sharded_site):
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
        for word in SHARDED_WORDS:
            article = next(a for a in data["articles"] if any(word in p["text"] for p in a["paragraphs"]))
            page.goto(base)
            page.keyboard.press("/")
            page.locator("input.md-search__input").press_sequentially(word, delay=20)
            hit = page.locator(f".md-search-result__item a[href*='articles/{article['id']}.html']").first
            hit.wait_for(timeout=15000)
            assert hit.get_attribute("href").endswith("#p2")
            assert page.locator(".md-search-result__item a[href*='articles/']").count() == 1
        assert outside == []
    context.close()


def test_article_hits_come_first_from_one_shard_then_from_all(browser: Browser, sharded_site: Path) -> None:
    """A word every article has: the first article hits are shown once the first shard has answered, before
    any other shard's pieces are fetched; then the other shards' hits follow, and "More results" reaches every
    article once."""
    data = json.loads((sharded_site / "briefing.json").read_text(encoding="utf-8"))
    shards = sorted(p.name for p in (sharded_site / "pagefind").glob("articles-*"))
    first_shard = min(shards, key=lambda name: int(name.rsplit("-", 1)[1]))
    context = browser.new_context()
    page = context.new_page()
    for base in serve(sharded_site):
        fetched: list[str] = []
        page.goto(base)
        page.wait_for_load_state("networkidle")
        record_requests(page, fetched, "a[href*='articles/']", "FIRST ARTICLE")
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially("budget", delay=20)
        page.locator(".md-search-result__list[aria-busy=false]").wait_for(state="attached", timeout=15000)
        assert page.locator(".md-search-result__meta").inner_text() == f"{len(data['articles'])} articles"
        items = page.locator(".md-search-result__item a")
        while page.locator(".briefing-search__more button").count():
            shown = items.count()
            page.locator(".briefing-search__more button").click()
            page.wait_for_function(f"() => document.querySelectorAll('.md-search-result__item a').length > {shown}", timeout=15000)
        hrefs = page.locator(".md-search-result__item a[href*='articles/']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert sorted(h.split("#")[0].rsplit("/", 1)[-1] for h in hrefs) == sorted(f"{a['id']}.html" for a in data["articles"])
        before = fetched[: fetched.index("FIRST ARTICLE")]
        assert any(f"/pagefind/{first_shard}/index/" in p for p in before)
        assert not any(f"/pagefind/{name}/" in p for p in before for name in shards if name != first_shard), before
        assert any(f"/pagefind/{name}/index/" in p for p in fetched for name in shards if name != first_shard)
    context.close()


def test_search_from_disk_finds_names_and_titles(browser: Browser, seeds_site: Path) -> None:
    """Opened as files, where browsers refuse Pagefind's index, the box searches names and titles instead."""
    person = most_mentioned_person(seeds_site)
    context = browser.new_context()
    page = context.new_page()
    page.goto((seeds_site / "articles" / "index.html").as_uri())
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially(person["aliases"][0] if person["aliases"] else person["name"], delay=30)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    assert "opened from disk" in page.locator(".md-search-result__meta").inner_text()
    first.click()
    page.wait_for_url(f"**/actors/{person['id']}.html")
    assert page.locator("h1").inner_text().rstrip("¶") == person["name"]
    context.close()
