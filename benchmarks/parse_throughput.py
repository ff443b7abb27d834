"""Parse throughput on the real corpus (MB/s on one core), run by hand: `make bench`.

Reads every file once into memory, then times decode + format detection + parsing of all
of them, several rounds, and reports the best round. Also times one long synthetic article
(the corpus paragraphs joined into a ~1 MB dump) to show that cost grows linearly.
Target (issue 2): >= 2 MB/s.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publish.ingest.decode import decode_bytes  # noqa: E402
from publish.ingest.document import Document  # noqa: E402
from publish.ingest.registry import detect  # noqa: E402


def parse_all(blobs: list[tuple[str, bytes]]) -> int:
    articles = 0
    for name, data in blobs:
        decoded = decode_bytes(data, name)
        doc = Document(name, decoded.text, decoded.encoding)
        articles += len(detect(doc).read(doc))
    return articles


def best_seconds(blobs: list[tuple[str, bytes]], rounds: int) -> tuple[float, int]:
    best, count = float("inf"), 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = parse_all(blobs)
        best = min(best, time.perf_counter() - start)
    return best, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    corpus = sorted((args.shared / "corpus").glob("*/*.txt")) + sorted((args.shared / "corpus").glob("*/*.json"))
    seed = sorted((args.shared / "seed").glob("*.txt"))
    if not corpus:
        sys.exit(f"no corpus under {args.shared}; pass --shared PATH")
    blobs = [(str(p), p.read_bytes()) for p in corpus + seed]
    size = sum(len(b) for _, b in blobs)

    seconds, count = best_seconds(blobs, args.rounds)
    print(f"python {platform.python_version()} on {platform.machine()}, best of {args.rounds} rounds")
    print(
        f"corpus: {len(blobs)} files, {size / 1e6:.3f} MB, {count} articles: {seconds * 1000:.1f} ms -> {size / 1e6 / seconds:.2f} MB/s"
    )

    paragraphs = [line for _, data in blobs if _.endswith(".txt") for line in data.decode("utf-8").splitlines() if len(line) > 40]
    body = []
    while sum(len(p.encode()) for p in body) < 1_000_000:
        body.extend(paragraphs)
    text = "标题 长文测试\n\n□ 作者名\n\n" + "\n\n".join(body) + "\n"
    big = [("long.txt", text.encode("utf-8"))]
    seconds, _ = best_seconds(big, max(2, args.rounds // 2))
    print(
        f"one long article: {len(big[0][1]) / 1e6:.2f} MB, {len(body):,} paragraphs: {seconds * 1000:.0f} ms -> {len(big[0][1]) / 1e6 / seconds:.2f} MB/s"
    )


if __name__ == "__main__":
    main()
