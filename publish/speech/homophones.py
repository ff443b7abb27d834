"""Homophone substitutes: for each toned syllable, a common character with that one reading.

edge-tts accepts no phoneme markup, so the only way to have it say 行 as háng where it would
say xíng is to send a character that can only be read háng (航). The table is built from
data, not by hand: candidates are the characters pypinyin knows with a single, non-neutral
reading; the most common one per syllable wins, commonness being how many entries of
pypinyin's phrase dictionary use the character. An entry is kept only if the offline engine
(espeak-ng) reads the character exactly as it reads the syllable itself.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_NOISE = re.compile(r"['_|,\s]")


def candidates() -> dict[str, str]:
    """TONE3 syllable → the most common character with that reading and no other."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_tone3

    use: Counter[str] = Counter()
    for phrase in PHRASES_DICT:
        use.update(set(phrase))
    best: dict[str, tuple[int, int]] = {}
    for code, readings in PINYIN_DICT.items():
        char = chr(code)
        options = {to_tone3(r, neutral_tone_with_five=True, v_to_u=False) for r in readings.split(",")}
        if len(options) != 1 or use[char] == 0:
            continue
        (syllable,) = options
        if syllable[-1] not in "1234":
            continue  # neutral tones have no substitute: 了 le5 stays as it is
        score = (use[char], -code)  # ties: the lower code point, so builds agree
        if syllable not in best or score > best[syllable]:
            best[syllable] = score
    return {s: chr(-code) for s, (_, code) in best.items()}


def same_sound(phonemes: str, other: str) -> bool:
    """Whether two espeak phoneme strings are the same sound (stress, pauses, spaces aside)."""
    return _NOISE.sub("", phonemes) == _NOISE.sub("", other)


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """The verified table: candidates the offline engine reads as their syllable."""
    from .engines.offline import PINYIN_VOICE, OfflineEngine

    engine = OfflineEngine()
    return {
        syllable: char
        for syllable, char in sorted(candidates().items())
        if same_sound(engine.phonemes(char, voice="cmn"), engine.phonemes(syllable, voice=PINYIN_VOICE))
    }
