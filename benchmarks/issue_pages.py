"""A broadsheet issue from 25, 50 and 100 articles: wall time and peak memory of `publish pdf`
on one core, and how time grows with the number of articles (run by hand: `make bench`).

The articles are the corpus ones, repeated with new ids, all given one paper, one date and no
版次, so they flow into one issue as modules, fill its pages and jump between them (100
articles make about 16 broadsheet pages). Each size runs as a fresh process (imports, reading
the corpus, composing, laying out, writing the PDF) on one core, best of N; peak memory is
the process's maximum resident set.
Target (issue 4): 100 articles within 2 s and 200 MB, time linear in articles.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from benchmarks.machine import machine  # noqa: E402

BUILD = """
import dataclasses, datetime, sys
import publish
from publish.fsutil import atomic_write_bytes
from publish.pipeline import newspaper_pdfs
count, shared, target = int(sys.argv[1]), sys.argv[2], sys.argv[3]
corpus = publish.load(shared + "/corpus")
articles = []
for n in range(count):
    article = dataclasses.replace(corpus[n % len(corpus)], id=f"bench-{n}")
    article.paper = dataclasses.replace(article.paper, name="基准日报", date=datetime.date(2026, 11, 25), page=None, page_name=None)
    articles.append(article)
[issue] = newspaper_pdfs(articles, jobs=1)
atomic_write_bytes(target, issue.data)
"""


def run(command: list[str], rounds: int) -> tuple[float, float]:
    """Best wall time (s) over `rounds` fresh processes, and the peak RSS (MB) of the largest
    child so far (sizes run smallest first, so it is this size's)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best, peak = float("inf"), 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
        best = min(best, time.perf_counter() - start)
        if done.returncode:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr}")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {machine()}")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (25, 50, 100):
            target = Path(tmp) / f"issue-{count}.pdf"
            command = [sys.executable, "-c", BUILD, str(count), str(args.shared), str(target)]
            seconds, peak = run(command, args.rounds)
            pages = PdfReader(str(target)).get_num_pages()
            results[count] = (seconds, peak, pages)
            print(f"{count:4d} articles: {pages:3d} pages, {seconds:6.3f} s, peak {peak:6.1f} MB")
    (t25, _, _), (t50, _, _), (t100, _, _) = results[25], results[50], results[100]
    print(
        f"each further article: {(t50 - t25) / 25 * 1000:.1f} ms from 25 to 50, {(t100 - t50) / 50 * 1000:.1f} ms from 50 to 100 (linear when equal)"
    )
    seconds, peak, pages = results[100]
    print(f"100 articles: {seconds:.2f} s (target ≤ 2 s), {peak:.0f} MB (target ≤ 200 MB), {pages} pages")
    print(f"pages per core-second: {pages / seconds:.1f} (one process, start-up included)")


if __name__ == "__main__":
    main()
