"""Homophone substitutes: for each toned syllable, common characters with that one reading.

edge-tts accepts no phoneme markup, so the only way to have it say 行 as háng where it would
say xíng is to send a character that can only be read háng (航). The table is built from
data, not by hand: candidates are the characters with one non-neutral reading in use (pypinyin's
first reading, and no word of its phrase dictionary reading them otherwise) that are common (level 1 of GB 2312, the 3,755 characters of everyday text: a
listener's engine knows them well, where a rare one like 泐 for lè may trip it); they are
ranked by how many entries of pypinyin's phrase dictionary use them. A candidate is kept only
if the offline engine (espeak-ng) reads it exactly as it reads the syllable itself.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from ..espeak import PINYIN_VOICE, phonemes

_NOISE = re.compile(r"['_|,\s]")
# How many substitutes per syllable are kept: a later one is used where the first would make
# a word with its neighbour.
KEEP = 4


def common(char: str) -> bool:
    """Whether `char` is in level 1 of GB 2312 (rows 16–55: the commonly used characters)."""
    try:
        code = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and 0xB0 <= code[0] <= 0xD7


def ranked() -> dict[str, list[str]]:
    """TONE3 syllable → common characters with that reading and no other, most used first."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_tone3

    from .readings import phrase_readings

    use: Counter[str] = Counter()
    for phrase in PHRASES_DICT:
        use.update(set(phrase))
    used = phrase_readings()
    found: dict[str, list[tuple[int, int]]] = {}
    for code, listed in PINYIN_DICT.items():
        char = chr(code)
        if not common(char):
            continue
        first = listed.split(",")[0]
        # one reading in use: the dictionary's first, and no word reads it otherwise (硬 lists
        # an archaic gěng beside yìng, which no engine says)
        if len(used.get(char, {first}) | {first}) != 1:
            continue
        syllable = to_tone3(first, neutral_tone_with_five=True, v_to_u=False)
        if syllable[-1] not in "1234":
            continue  # neutral tones have no substitute: 了 le5 stays as it is
        found.setdefault(syllable, []).append((-use[char], code))  # ties: the lower code point
    return {s: [chr(code) for _, code in sorted(options)] for s, options in found.items()}


def candidates() -> dict[str, str]:
    """TONE3 syllable → its best-ranked substitute (before verification)."""
    return {s: chars[0] for s, chars in ranked().items()}


def same_sound(phonemes: str, other: str) -> bool:
    """Whether two espeak phoneme strings are the same sound (stress, pauses, spaces aside)."""
    return _NOISE.sub("", phonemes) == _NOISE.sub("", other)


@lru_cache(maxsize=1)
def _ranked() -> dict[str, list[str]]:
    return ranked()


@cache
def substitutes_for(syllable: str) -> tuple[str, ...]:
    """Up to KEEP verified substitutes for one TONE3 syllable, best first (checked on first use)."""
    chars = _ranked().get(syllable, [])
    if not chars:
        return ()
    target = phonemes(syllable, voice=PINYIN_VOICE)
    return tuple(c for c in chars[: KEEP * 2] if same_sound(phonemes(c, voice="cmn"), target))[:KEEP]


def substitutes() -> dict[str, tuple[str, ...]]:
    """The verified table: per syllable, up to KEEP substitutes the offline engine reads as it."""
    return {s: found for s in sorted(_ranked()) if (found := substitutes_for(s))}


def table() -> dict[str, str]:
    """TONE3 syllable → the first verified substitute."""
    return {s: chars[0] for s, chars in substitutes().items()}
