"""Time real `mkdocs build` runs of an articles folder (default: seeds/): cold (empty extraction cache) and
warm (nothing changed), with the peak memory of the build process. Prints its figures; asserts nothing.

    .venv/bin/python bench/build_seeds.py [ARTICLES_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(articles: Path, cache: Path, site: Path) -> tuple[float, int]:
    env = dict(os.environ, BRIEFING_ARTICLES=str(articles), BRIEFING_CACHE=str(cache), NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        sys.exit(f"mkdocs build failed with status {status}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=Path, default=ROOT / "seeds")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    count = sum(1 for p in args.articles.rglob("*") if p.suffix in (".txt", ".md"))
    words = sum(len(p.read_text(encoding="utf-8", errors="replace").split()) for p in args.articles.rglob("*") if p.suffix in (".txt", ".md"))
    print(f"corpus: {args.articles} ({count} articles, {words} words); {os.cpu_count()} cores")
    cold, warm, rss = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            seconds, peak = build(args.articles, Path(tmp) / "cache", Path(tmp) / "site")
            cold.append(seconds)
            rss.append(peak)
            seconds, peak = build(args.articles, Path(tmp) / "cache", Path(tmp) / "site")
            warm.append(seconds)
            rss.append(peak)
    print(f"cold build (empty cache): median {statistics.median(cold):.2f} s over {args.runs} runs")
    print(f"warm build (nothing changed): median {statistics.median(warm):.2f} s over {args.runs} runs")
    print(f"peak RSS of a build: {max(rss) / 1024:.0f} MB")


if __name__ == "__main__":
    main()
