"""The page search's time per page (issue 16: ≤ 0.1 s for one page on one core; run by hand).

Lays out the corpus issues (with their 版次, `--pages auto`) and one flowing issue of 100
corpus articles, on one core, timing each page's search (the article options it measures and
the search over divisions, runs and depths) apart from composing and drawing. Prints the
machine, the pages, the mean and the slowest page.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from machine import machine  # noqa: E402  (benchmarks/machine.py, beside this script)

import publish  # noqa: E402
from publish.layout import newspaper  # noqa: E402
from publish.pipeline import newspaper_pdfs  # noqa: E402


def timed_pages(articles: list) -> list[float]:
    """Seconds each page's search took while the articles are laid out."""
    times: list[float] = []
    plan = newspaper.IssueLayout.plan

    def timed(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return plan(self, *args, **kwargs)
        finally:
            times.append(time.perf_counter() - started)

    newspaper.IssueLayout.plan = timed
    try:
        newspaper_pdfs(articles, jobs=1)
    finally:
        newspaper.IssueLayout.plan = plan
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    args = parser.parse_args()
    corpus = publish.load(args.shared / "corpus")
    flowing = []
    for n in range(100):
        article = dataclasses.replace(corpus[n % len(corpus)], id=f"bench-{n}")
        article.paper = dataclasses.replace(article.paper, name="基准日报", date=dt.date(2026, 11, 25), page=None, page_name=None)
        flowing.append(article)
    print(f"machine: {machine()}")
    for name, articles in (("corpus issues (their 版次, --pages auto)", corpus), ("100 articles flowing", flowing)):
        times = timed_pages(articles)
        mean = sum(times) / len(times)
        print(f"{name}: {len(times)} pages, search {mean * 1000:.0f} ms a page on average, slowest {max(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
