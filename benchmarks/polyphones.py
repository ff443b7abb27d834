"""Polyphone accuracy and speed on the CPP splits (run by hand:
`python benchmarks/polyphones.py [--shared ../shared]`).

Two splits, each printed: `cpp/dev.*`, which the readings' rules and constants were chosen on,
and `cpp/test.*`, which they never saw (CPP's test split; the same format: one sentence a line,
the polyphone wrapped in U+2581, its reading in `test.lb`). A split whose files are missing is
said to be missing. Within dev, the rules added in issue 15 were chosen on the even lines and
checked on the odd ones: both halves are printed.

Every sentence is converted whole, the way `publish pinyin --tone3` reads a file; accuracy is
scored at the one marked polyphone of each sentence; speed is Han characters per second of
CPU on one core (model loading and a short warm-up excluded), for publish's reader and for
pypinyin alone, in the same run. Then the command itself: `publish pinyin --tone3` over the
whole split as one file, in a process pinned to one core, scored from its output and timed
from start to exit (start-up included).
Target (issues 6 and 15): ≥ 97.5 % on sentences never tuned to, at ≥ 50,000 Han characters/s.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from publish.speech.text.readings import HAN, PinyinReader  # noqa: E402

SPLITS = {"dev": "tuned on", "test": "never tuned to"}


def load(shared: Path, split: str = "dev") -> tuple[list[str], list[int], list[str]]:
    """A CPP split's sentences (marks removed), the marked polyphone's place in each, and its
    reading (TONE3, ü as v)."""
    sentences, marks = [], []
    for line in (shared / "cpp" / f"{split}.sent").read_text(encoding="utf-8").splitlines():
        at = line.index("\u2581")
        sentences.append(line.replace("\u2581", ""))
        marks.append(at)
    gold = [g.strip().replace("u:", "v") for g in (shared / "cpp" / f"{split}.lb").read_text(encoding="utf-8").splitlines()]
    return sentences, marks, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--no-command", action="store_true", help="Skip timing the publish pinyin command.")
    args = parser.parse_args()
    reader = PinyinReader()
    started = time.process_time()
    reader.read_many(["行长在银行工作。"] * 50)
    print(f"start-up (pypinyin, the model, the word lists): {time.process_time() - started:.2f} s")
    for split, how in SPLITS.items():
        if not (args.shared / "cpp" / f"{split}.sent").is_file():
            print(f"CPP {split} ({how}): not in {args.shared / 'cpp'} ({split}.sent and {split}.lb): not measured")
            continue
        sentences, marks, gold = load(args.shared, split)
        measure(reader, f"CPP {split} ({how})", sentences, marks, gold, halves=split == "dev")
        if not args.no_command:
            command(sentences, marks, gold)
    news(reader)


def _plain(lazy_pinyin, style, sentence: str) -> list[str | None]:
    """pypinyin alone, one reading per character; a sentence it crashes on (a Han character it
    has no reading for, such as 㘃) scores as wrong, as a user would meet it."""
    try:
        return lazy_pinyin(sentence, style=style, neutral_tone_with_five=True, errors=lambda x: [None] * len(x))
    except TypeError:
        return [None] * len(sentence)


def measure(reader: PinyinReader, name: str, sentences: list[str], marks: list[int], gold: list[str], halves: bool) -> None:
    """Accuracy and speed of pypinyin alone and of publish's reader on one split, same run."""
    from pypinyin import Style, lazy_pinyin

    han = sum(1 for s in sentences for c in s if HAN.match(c))
    lazy_pinyin(sentences[0], style=Style.TONE3, neutral_tone_with_five=True)
    started = time.process_time()
    plain = [_plain(lazy_pinyin, Style.TONE3, s) for s in sentences]
    plain_seconds = time.process_time() - started
    started = time.process_time()
    ours = reader.read_many(sentences)
    our_seconds = time.process_time() - started
    plain_right = [p[m] == g for p, m, g in zip(plain, marks, gold, strict=True)]
    our_right = [r[m].pinyin == g for r, m, g in zip(ours, marks, gold, strict=True)]
    print(f"{name}: {len(sentences):,} sentences, {han:,} Han characters")
    print(f"  pypinyin alone: {_share(plain_right)} at the marked polyphone, {han / plain_seconds:,.0f} Han chars/s")
    print(
        f"  publish:        {_share(our_right)} at the marked polyphone, {han / our_seconds:,.0f} Han chars/s (target ≥ 50,000/s)"
    )
    if halves:
        print(
            f"  halves: even lines (issue 15's rules chosen on) {_share(our_right[0::2])}, "
            f"odd lines (checked on) {_share(our_right[1::2])}; pypinyin alone {_share(plain_right[0::2])}, "
            f"{_share(plain_right[1::2])}"
        )


def _share(right: list[bool]) -> str:
    return f"{sum(right) / len(right):.2%}"


MARK = re.compile(r"\[([^|\]]+)\|([^\]]+)\]")


def news(reader: PinyinReader) -> None:
    """The team's news sets: the test set (fitted: read 100 % right) and the held-out one."""
    from pypinyin import Style, lazy_pinyin

    for path in (ROOT / "tests" / "speech" / "data" / "news_readings.txt", ROOT / "benchmarks" / "news_heldout.txt"):
        texts, checks = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            line = line.lstrip("!").split("  # ")[0]
            texts.append(MARK.sub(lambda m: m.group(1), line))
            found, shift = [], 0
            for m in MARK.finditer(line):
                at = m.start() - shift
                found.append((at, m.group(1), m.group(2).split()))
                shift += len(m.group(0)) - len(m.group(1))
            checks.append(found)
        ours = reader.read_many(texts)
        plain = [lazy_pinyin(t, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda x: [None] * len(x)) for t in texts]
        total = sum(len(c) for c in checks)
        right = sum([r.pinyin for r in read[a : a + len(w)]] == g for read, c in zip(ours, checks, strict=True) for a, w, g in c)
        alone = sum(p[a : a + len(w)] == g for p, c in zip(plain, checks, strict=True) for a, w, g in c)
        print(f"{path.name}: {len(texts)} sentences, {right}/{total} readings right (pypinyin alone {alone}/{total})")


def command(sentences: list[str], marks: list[int], gold: list[str]) -> None:
    """`publish pinyin --tone3 FILE` as a user runs it, on one core."""
    han = sum(1 for s in sentences for c in s if HAN.match(c))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "dev.txt"
        source.write_text("".join(s + "\n" for s in sentences), encoding="utf-8")
        pin = ["taskset", "-c", "0"] if os.path.exists("/usr/bin/taskset") else []
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [*pin, sys.executable, "-c", "from publish.cli import main; main()", "pinyin", "--tone3", str(source)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    lines = done.stdout.splitlines()
    right = 0
    for sentence, mark, expected, line in zip(sentences, marks, gold, lines, strict=True):
        index = sum(1 for c in sentence[:mark] if HAN.match(c))  # the mark's place among the Han characters
        right += line.split()[index] == expected
    print(
        f"  publish pinyin --tone3 (one core, start-up included): {right / len(sentences):.2%}, "
        f"{han / wall:,.0f} Han chars/s wall, {han / cpu:,.0f} per CPU second ({wall:.1f} s)"
    )


if __name__ == "__main__":
    main()
