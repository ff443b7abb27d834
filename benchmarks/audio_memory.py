"""Peak memory of `publish audio` against article length: articles of 2,500, 5,000 and
10,000 characters (our own text, repeated, a 小标题 every ~1,000 characters) read by the
offline engine, each in a fresh process (run by hand: `python benchmarks/audio_memory.py`).

Audio is streamed through scratch files to the encoders, so peak memory should stay flat
as articles grow (target, issue 5: flat in article length). Peak memory is the child's
maximum resident set; sizes run smallest first, so each figure is that size's.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PARAGRAPH = (
    "青梧市今年新建的三座社区图书馆已全部开放，市民凭身份证即可免费借阅。图书馆每天九点开门，晚上九点闭馆，"
    "周末还安排亲子阅读和老年人智能手机课堂。馆长介绍，开馆一个月来，累计接待读者两万余人次，借出图书八千多册。"
)
HEADING = "社区阅读点越来越多"

RUN = """
import sys
from pathlib import Path
import publish
from publish.speech.sound.editions import audio_editions
source, out = Path(sys.argv[1]), Path(sys.argv[2])
(article,) = publish.load(source)
run = audio_editions([article], out / "audio", engine="offline", cache=out / "cache")
print(run.issues[0].articles[0].duration)
"""


def article(chars: int) -> str:
    lines = ["青梧日报", "", "2026年11月25日", "", "社区图书馆开放首月接待读者两万人次", "", "本报记者 周明远", ""]
    size = 0
    while size < chars:
        if size and size % 1000 < len(PARAGRAPH):
            lines += [HEADING, ""]
        lines += [PARAGRAPH, ""]
        size += len(PARAGRAPH)
    return "\n".join(lines)


def main() -> None:
    print("chars   audio     time   peak RSS")
    with tempfile.TemporaryDirectory() as tmp:
        for chars in (2_500, 5_000, 10_000):
            source = Path(tmp) / f"article-{chars}.txt"
            source.write_text(article(chars), encoding="utf-8")
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", RUN, str(source), f"{tmp}/{chars}"], cwd=ROOT, capture_output=True, text=True
            )
            seconds = time.perf_counter() - started
            if done.returncode:
                sys.exit(done.stderr)
            audio = float(done.stdout.split()[-1])
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{chars:6,d} {audio / 60:5.1f} min {seconds:6.1f} s {peak:7.1f} MB")


if __name__ == "__main__":
    main()
