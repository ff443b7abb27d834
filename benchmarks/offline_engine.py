"""Speed of the offline engine and the audio chain, run by hand:
`python benchmarks/offline_engine.py [--rounds N]`.

Synthesises about 400 characters of our own Chinese text (eight paragraphs, one request each,
as the edition sends them) with OfflineEngine and reports its real-time factor (synthesis
seconds / audio seconds; lower is faster) and characters per second, best of N rounds, plus
the cold first request (loading libespeak-ng). Then the same audio, repeated to 10 minutes,
goes through LoudnessMeter, Limiter and Mp3Writer in 0.5 s chunks, each reported in × real
time (audio seconds per second of work).
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publish.speech.sound.audio import RATE, Limiter, LoudnessMeter, Mp3Writer, clip_pcm  # noqa: E402
from publish.speech.sound.engines.base import Prosody  # noqa: E402
from publish.speech.sound.engines.offline import OfflineEngine  # noqa: E402

PARAGRAPHS = [
    "清晨六点，江边的步道上已经有不少人在跑步。卖早点的小店门口排起了队，热气腾腾的包子刚出笼就被买走了一半。",
    "区图书馆本周起延长开放时间，工作日晚上开到九点。馆里新添了两百多册少儿读物，还开设了每周一次的亲子阅读课。",
    "气象台预计，未来三天本市以多云为主，午后局部有雷阵雨，最高气温三十二度。外出请带好雨具，注意防暑。",
    "老街改造工程进入收尾阶段，石板路重新铺好，沿街的骑楼也修缮一新。附近居民说，晚饭后来这里散步的人越来越多了。",
    "社区志愿者每周六上午在广场设点，帮老人测血压、教大家用手机挂号缴费。不少老人说，现在办事方便多了。",
    "本届中学生科技节共收到作品一百二十件，从净水装置到校园垃圾分类小程序，题目大多来自同学们身边的问题。",
    "郊外的果园迎来采摘季，桃子和葡萄陆续成熟。园主提醒游客，采摘时请沿步道行走，不要攀折枝条。",
    "夜里十一点，公交调度室的灯还亮着。值班员盯着屏幕上的线路图，随时根据客流加开班次，保证末班车准点到站。",
]


async def synthesize_all(engine: OfflineEngine) -> tuple[float, list]:
    start = time.perf_counter()
    clips = [await engine.synthesize(text, "cmn", Prosody()) for text in PARAGRAPHS]
    return time.perf_counter() - start, clips


def chunks(pcm: np.ndarray, seconds: float = 0.5):
    step = round(seconds * RATE)
    for start in range(0, len(pcm), step):
        yield pcm[start : start + step]


def times_real_time(pcm: np.ndarray, work) -> float:
    start = time.perf_counter()
    work(pcm)
    return len(pcm) / RATE / (time.perf_counter() - start)


def meter(pcm: np.ndarray) -> None:
    m = LoudnessMeter()
    for chunk in chunks(pcm):
        m.add(chunk)
    m.integrated  # noqa: B018 (the gating is part of the work)


def limiter(pcm: np.ndarray) -> None:
    lim = Limiter()
    for chunk in chunks(pcm):
        lim.process(chunk)
    lim.flush()


def encode(pcm: np.ndarray) -> None:
    with tempfile.TemporaryDirectory() as folder, Mp3Writer(Path(folder) / "bench.mp3") as writer:
        for chunk in chunks(pcm):
            writer.write(chunk)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    chars = sum(len(p) for p in PARAGRAPHS)

    engine = OfflineEngine()
    cold = time.perf_counter()
    await engine.synthesize("你好。", "cmn", Prosody())
    cold = time.perf_counter() - cold
    best = float("inf")
    for _ in range(args.rounds):
        seconds, clips = await synthesize_all(engine)
        best = min(best, seconds)
    audio = sum(len(c.data) / 2 / c.sample_rate for c in clips)
    print(f"python {platform.python_version()} on {platform.machine()}, {engine.version}, best of {args.rounds} rounds")
    print(f"first request (loads the library): {cold * 1000:.0f} ms")
    print(
        f"offline engine: {chars} chars in {len(PARAGRAPHS)} requests -> {audio:.1f} s of audio in {best * 1000:.0f} ms:"
        f" real-time factor {best / audio:.4f} ({audio / best:.0f}x real time), {chars / best:,.0f} chars/s"
    )
    await engine.close()

    pcm = np.concatenate([clip_pcm(c) for c in clips])
    pcm = np.tile(pcm, int(np.ceil(600 * RATE / len(pcm))))[: 600 * RATE]
    for name, work in (("LoudnessMeter", meter), ("Limiter", limiter), ("Mp3Writer (64 kbps)", encode)):
        speed = max(times_real_time(pcm, work) for _ in range(max(1, args.rounds // 2)))
        print(f"{name}: {speed:,.0f}x real time (10 min of audio in {600 / speed:.2f} s)")


if __name__ == "__main__":
    asyncio.run(main())
