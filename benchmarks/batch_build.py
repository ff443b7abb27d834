"""Batch build speed and memory (issue 7; run by hand: `python benchmarks/batch_build.py`).

The 70 corpus articles are repeated to N articles (default 1,000), each copy with its own id
and its issues moved to other dates, so the batch has many issues as an archive does. The
batch is built PDF-only (no previews) by worker processes, with 1 and with 2 workers in the
same run; each build starts from an empty output folder. Reported: wall time, speed-up, and
each build's peak memory per worker (the largest worker's maximum resident set). Then the
cost per page and per issue, and what a 10-worker cluster would take for ten years of a daily
8-page paper. Target: speed-up ≥ 1.7× on 2 cores; memory per worker flat in N.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def articles(shared: Path, count: int) -> list:
    from publish import load

    base = load(shared / "corpus", errors="skip")
    made = []
    for copy_number in range(count // len(base) + 1):
        for article in base:
            if len(made) == count:
                return made
            twin = copy.deepcopy(article)
            twin.id = f"{article.id or 'a'}-{copy_number}"
            if twin.paper.date is not None:
                twin.paper.date = twin.paper.date + dt.timedelta(days=400 * copy_number)
            else:
                twin.paper.date = dt.date(2000, 1, 1) + dt.timedelta(days=copy_number)
            made.append(twin)
    return made


def worker_run(shared: Path, count: int, jobs: int, pages: str = "auto") -> dict:
    """One build in this process's children: wall seconds, pages, issues, peak worker memory."""
    from publish.batch import plan
    from publish.batch.workers import run_processes
    from publish.config import BuildSettings

    batch = articles(shared, count)
    settings = BuildSettings(pdf=True, audio=False, previews=False, pages=pages, web=False)
    with tempfile.TemporaryDirectory() as folder:
        tasks = plan(batch, Path(folder), settings)
        outcomes = []
        started = time.perf_counter()
        run_processes(tasks, settings, jobs, lambda task, outcome: outcomes.append(outcome))
        seconds = time.perf_counter() - started
    failed = [o for o in outcomes if o.status != "built"]
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "articles": len(batch),
        "issues": len(tasks),
        "pages": sum(o.detail.get("pages", 0) for o in outcomes),
        "seconds": seconds,
        "failed": len(failed),
        "peak_mb": peak_kb / 1024,
    }


def measure(shared: Path, count: int, jobs: int, pages: str = "auto") -> dict:
    """`worker_run` in a fresh process, so peak memory is this build's alone."""
    code = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from benchmarks.batch_build import worker_run; import json, pathlib; "
    code += f"print(json.dumps(worker_run(pathlib.Path({str(shared)!r}), {count}, {jobs}, {pages!r})))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--pages", choices=("auto", "keep"), default="auto", help="How 版次 become pages (publish pdf --pages).")
    args = parser.parse_args()
    from benchmarks.machine import machine

    print(f"{machine()}; PDF-only builds of {args.articles:,} articles (the corpus repeated), no previews, --pages {args.pages}")
    small = measure(args.shared, args.articles // 4, 1, args.pages)
    one = measure(args.shared, args.articles, 1, args.pages)
    two = measure(args.shared, args.articles, 2, args.pages)
    for label, m in (("1 process ", one), ("2 processes", two)):
        print(
            f"{label}: {m['seconds']:.1f} s for {m['issues']} issues, {m['pages']} pages "
            f"({m['articles'] / m['seconds']:.1f} articles/s), {m['failed']} failed, peak {m['peak_mb']:.0f} MB per worker"
        )
    print(f"speed-up with 2 processes: {one['seconds'] / two['seconds']:.2f}× (target ≥ 1.7× on 2 cores)")
    print(
        f"memory per worker: {small['peak_mb']:.0f} MB for {small['articles']} articles, {one['peak_mb']:.0f} MB for {one['articles']}"
    )
    per_page = one["seconds"] / max(one["pages"], 1)
    print(
        f"per article: {one['seconds'] / one['articles'] * 1000:.1f} ms on one core; pages per core-second: {one['pages'] / one['seconds']:.1f}"
    )
    per_issue = per_page * 8
    issues = 10 * 365
    efficiency = one["seconds"] / two["seconds"] / 2
    minutes = issues * per_issue / (10 * efficiency) / 60
    print(
        f"cost: {per_page * 1000:.0f} ms per page on one core; a daily 8-page paper for 10 years is {issues:,} issues "
        f"× {per_issue:.2f} s = {issues * per_issue / 60:.0f} core-minutes; on 10 workers at the measured "
        f"{efficiency:.0%} parallel efficiency about {minutes:.1f} minutes (PDF only, no previews; audio is bound "
        f"by the service's rate, see benchmarks/audio_requests.py)"
    )


if __name__ == "__main__":
    main()
