"""The team's news test set (tests/speech/data/news_readings.txt): every hand-checked reading right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish.ingest.bylines import parse_dateline
from publish.speech.text.readings import PinyinReader

DATA = Path(__file__).parent / "data" / "news_readings.txt"
MARK = re.compile(r"\[([^|\]]+)\|([^\]]+)\]")


def load() -> list[tuple[int, str, list[tuple[int, str, list[str]]], str]]:
    """(line number, sentence, [(position, word, readings)], reason it is a known limit or "")."""
    cases = []
    for number, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        limit = ""
        if line.startswith("!"):
            line, _, limit = line[1:].partition("  # ")
        text, checks, last = [], [], 0
        for found in MARK.finditer(line):
            text.append(line[last : found.start()])
            word, reading = found.group(1), found.group(2).split()
            checks.append((len("".join(text)), word, reading))
            text.append(word)
            last = found.end()
        text.append(line[last:])
        cases.append((number, "".join(text), checks, limit.strip()))
    return cases


CASES = load()


def test_the_set_is_big_and_well_formed():
    assert len(CASES) >= 200
    assert sum(len(checks) for _, _, checks, _ in CASES) >= 250
    for number, text, checks, _ in CASES:
        assert checks, f"line {number} checks nothing"
        for at, word, reading in checks:
            assert text[at : at + len(word)] == word
            assert len(reading) == len(word), f"line {number}: {word} needs one syllable per character"
            assert all(re.fullmatch(r"[a-z]+[1-5]", s) for s in reading), f"line {number}: {reading}"


@pytest.fixture(scope="module")
def read():
    reader = PinyinReader()
    names = [[p.name for p in d.people] if (d := parse_dateline(text)) else [] for _, text, _, _ in CASES]
    return {number: reader.readings(text, people) for (number, text, _, _), people in zip(CASES, names, strict=True)}


@pytest.mark.parametrize(
    ("number", "text", "checks"),
    [
        pytest.param(n, t, c, id=f"line{n}", marks=[pytest.mark.xfail(strict=True, reason=limit)] if limit else [])
        for n, t, c, limit in CASES
    ],
)
def test_sentence_reads_right(read, number, text, checks):
    found = read[number]
    wrong = [
        f"{word}: {' '.join(reading)} expected, read {' '.join(str(r.pinyin) for r in found[at : at + len(word)])}"
        for at, word, reading in checks
        if [r.pinyin for r in found[at : at + len(word)]] != reading
    ]
    assert not wrong, f"{text}: " + "; ".join(wrong)
