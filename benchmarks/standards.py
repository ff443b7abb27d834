"""What each PDF standard costs: the 100-article broadsheet issue of `issue_pages.py` made as a
plain PDF untagged, plain tagged (the default), press (PDF/X-4, the bundled CGATS21_CRPC1
profile, photos separated) and archive (PDF/A-2u), each in a fresh process on one core, best
of N: wall time, peak memory and the PDF's size; then the examples (they have photos) the same
way. Run by hand (`make bench`); compare the ratios within one run.
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

ISSUE = """
import dataclasses, datetime, sys
import publish
from publish.config import PdfSettings
from publish.fsutil import atomic_write_bytes
from publish.pipeline import pdfs
shared, target, standard, tagged = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
corpus = publish.load(shared + "/corpus")
articles = []
for n in range(100):
    article = dataclasses.replace(corpus[n % len(corpus)], id=f"bench-{n}")
    article.paper = dataclasses.replace(article.paper, name="基准日报", date=datetime.date(2026, 11, 25), page=None, page_name=None)
    articles.append(article)
[made] = pdfs(articles, PdfSettings(standard=standard, tagged=tagged, jobs=1, previews=False))
atomic_write_bytes(target, made.data)
"""

EXAMPLES = """
import sys
import publish
from publish.config import PdfSettings
from publish.fsutil import atomic_write_bytes
from publish.pipeline import pdfs
root, target, standard, tagged = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
made = pdfs(publish.load(root + "/examples"), PdfSettings(standard=standard, tagged=tagged, jobs=1, previews=False))
atomic_write_bytes(target, b"".join(m.data for m in made))
"""

KINDS = [
    ("plain, untagged", "plain", "0"),
    ("plain (default)", "plain", "1"),
    ("press", "press", "1"),
    ("archive", "archive", "1"),
]


def run(command: list[str], rounds: int) -> tuple[float, float]:
    """Best wall time over `rounds` fresh processes on one core, and the peak RSS (MB) of that child."""
    best, peak = float("inf"), 0.0
    for _ in range(rounds):
        wrapped = [sys.executable, "-c", "import os, resource, subprocess, sys; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
                   "subprocess.run(sys.argv[1:], check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)", *command]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(wrapped, capture_output=True, text=True, cwd=ROOT)
        seconds = time.perf_counter() - start
        if done.returncode:
            sys.exit(f"failed: {' '.join(command)}\n{done.stderr}")
        best, peak = min(best, seconds), max(peak, int(done.stdout.split()[-1]) / 1024)
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    with tempfile.TemporaryDirectory() as tmp:
        for name, script, source in (("100-article issue", ISSUE, str(args.shared)), ("examples (3 PDFs)", EXAMPLES, str(ROOT))):
            print(name)
            base = None
            for label, standard, tagged in KINDS:
                target = Path(tmp) / f"{standard}-{tagged}.pdf"
                seconds, peak = run([sys.executable, "-c", script, source, str(target), standard, tagged], args.rounds)
                base = base or seconds
                size = target.stat().st_size / 1e6
                print(f"  {label:16s} {seconds:6.3f} s ({seconds / base:4.2f}×), peak {peak:5.0f} MB, {size:6.2f} MB of PDF")


if __name__ == "__main__":
    main()
