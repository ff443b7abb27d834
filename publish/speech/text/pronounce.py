"""Pronunciation fixes per engine: what is sent so that each engine says the intended reading.

edge-tts takes no phoneme markup, so a character the service is likely to misread is replaced
by a common character that has only the intended reading (行 háng → 航; `homophones.py`).
Likely to misread (`at_risk`): names and places (单 shàn as a surname, 六安), words the service
is known to misread, lexicon words read unusually, and the rest of such a word. A substitute
that would make a word with its neighbours is passed over; neutral tones and syllables with no
common substitute are reported, not guessed. The offline engine (espeak-ng) reads pinyin: the
same words, and any word it would say with other syllables, are sent as pinyin. Subtitles keep
the printed text: a fix changes only the text sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

from ...errors import SpeechError
from ..espeak import PINYIN_VOICE, phonemes
from .readings import WANTS_READING, PinyinReader, Reading, words

# Characters whose tone the engine changes by what follows (一, 不): a substitute would lose that.
NEVER = frozenset("一不")
WINDOW = 4  # the longest neighbour word checked when placing a substitute
_ALNUM = re.compile(r"[0-9A-Za-z]")


@dataclass(frozen=True)
class Fix:
    """One character the engine would likely misread: its reading, why, and what is sent for it."""

    at: int  # position in the text
    char: str
    reading: str  # TONE3
    reason: str  # name | misread | word; offline: espeak would say other syllables
    sent: str | None = None  # the substitute (edge) or pinyin (offline); None: no fix possible
    problem: str = ""  # why there is no fix

    @property
    def mark(self) -> str:
        """How the narration script shows it: 行[háng→航], or 得[de ✗ neutral tone]."""
        said = tone_marks(self.reading)
        return f"{self.char}[{said}→{self.sent}]" if self.sent else f"{self.char}[{said} ✗ {self.problem}]"


@dataclass(frozen=True)
class Fixed:
    """A text, what is sent for it, and the fixes between the two."""

    text: str
    sent: str
    fixes: tuple[Fix, ...] = ()
    unread: tuple[int, ...] = ()  # where a character without a reading stands (sent as it is)

    @property
    def marked(self) -> str:
        """The text with each fix shown after its character: 银行[háng→航]长."""
        out, last = [], 0
        for fix in self.fixes:
            out += [self.text[last : fix.at], fix.mark]
            last = fix.at + 1
        out.append(self.text[last:])
        return "".join(out)

    @property
    def unfixed(self) -> list[Fix]:
        return [f for f in self.fixes if f.sent is None]


def tone_marks(tone3: str) -> str:
    """háng for hang2, de for de5."""
    from pypinyin.contrib.tone_convert import to_tone

    return to_tone(tone3)


class Pronouncer:
    """Fixes texts for one engine (`edge` or `offline`); `reader` gives the intended readings."""

    def __init__(self, engine: str, reader: PinyinReader | None = None):
        if engine not in ("edge", "offline"):
            raise ValueError(f"no pronunciation fixes for engine {engine!r}")
        self.engine = engine
        self.reader = reader or PinyinReader()

    def fix(self, text: str, names: Iterable[str] = ()) -> Fixed:
        return self.fix_many([text], names)[0]

    def fix_many(self, texts: Iterable[str], names: Iterable[str] = ()) -> list[Fixed]:
        texts = list(texts)
        read = self.reader.read_many(texts, names)
        method = self._edge if self.engine == "edge" else self._offline
        fixed = [method(text, readings) for text, readings in zip(texts, read, strict=True)]
        return [
            replace(f, unread=tuple(at for at, r in enumerate(readings) if r.pinyin is None and WANTS_READING.match(r.char)))
            for f, readings in zip(fixed, read, strict=True)
        ]

    def _edge(self, text: str, readings: list[Reading]) -> Fixed:
        from .homophones import substitutes_for

        risky = at_risk(readings)
        if not risky:
            return Fixed(text, text)
        sent = list(text)
        phrases = words()
        fixes = []
        for at, reason in risky:
            reading = readings[at].pinyin
            assert reading is not None
            if reading.endswith("5"):
                fixes.append(Fix(at, text[at], reading, reason, problem="neutral tone: no character has only this reading"))
                continue
            try:
                options = substitutes_for(reading)
            except (SpeechError, OSError) as problem:  # espeak-ng, which verifies substitutes, cannot run
                fixes.append(Fix(at, text[at], reading, reason, problem=f"no substitute can be verified ({problem})"))
                continue
            if not options:
                fixes.append(Fix(at, text[at], reading, reason, problem="no common character has only this reading"))
                continue
            chosen = next((c for c in options if not _makes_word(sent, at, c, phrases)), None)
            if chosen is None:
                fixes.append(
                    Fix(at, text[at], reading, reason, problem=f"{'/'.join(options)} would make a word with a neighbour")
                )
                continue
            sent[at] = chosen
            fixes.append(Fix(at, text[at], reading, reason, chosen))
        return Fixed(text, "".join(sent), tuple(fixes))

    def _offline(self, text: str, readings: list[Reading]) -> Fixed:
        reasons = dict(at_risk(readings))
        risky = {readings[at].word for at in reasons}
        spans = sorted({r.word for r in readings if r.polyphone and r.pinyin and r.char not in NEVER})
        wrong = _merged(
            [
                (a, b)
                for a, b in spans
                if (a, b) in risky or not _espeak_agrees(text[a:b], tuple(r.pinyin or "" for r in readings[a:b]))
            ]
        )
        if not wrong:
            return Fixed(text, text)
        out: list[str] = []
        fixes: list[Fix] = []
        last = 0
        for a, b in wrong:
            out.append(text[last:a])
            said = [r.pinyin for r in readings[a:b]]
            left = " " if a and (_ALNUM.match(text[a - 1]) or (a == last and fixes)) else ""
            right = " " if b < len(text) and _ALNUM.match(text[b]) else ""
            out.append(left + " ".join(p or text[a + k] for k, p in enumerate(said)) + right)
            fixes += [
                Fix(a + k, text[a + k], p, reasons.get(a + k, "offline"), p)
                for k, p in enumerate(said)
                if p and readings[a + k].polyphone
            ]
            last = b
        out.append(text[last:])
        return Fixed(text, "".join(out), tuple(fixes))


def at_risk(readings: list[Reading]) -> list[tuple[int, str]]:
    """(position, reason) of each character the engine is likely to misread: a name or place
    from the lexicons or a surname, read otherwise than the character's usual way (it cannot
    know them); a word known to be misread (`[misread]`); a lexicon word read neither the usual
    way nor as the phrase dictionary reads it; and the other polyphones in the word of any of
    those (航长 alone would be read háng cháng).

    Not where only the context model decides against the dictionary: measured on the corpus,
    such decisions were right about half the time (为 wéi in 为他人服务, 分 fēn in 充分), and
    the service's own reading is at least as good there."""
    found: dict[int, str] = {}
    for at, r in enumerate(readings):
        if not r.polyphone or r.pinyin is None or r.char in NEVER:
            continue
        unusual = r.pinyin != usual(r.char)
        if r.kind == "misread" and unusual:
            found[at] = "misread"
        elif (r.source == "surname" or r.kind == "name") and unusual:
            found[at] = "name"
        elif r.kind == "word" and unusual and r.pinyin != r.plain and not r.pinyin.endswith("5"):
            found[at] = "word"
    for at in list(found):
        start, end = readings[at].word
        for other in range(start, end):
            r = readings[other]
            if other not in found and r.polyphone and r.pinyin and r.char not in NEVER:
                found[other] = "word"
    return sorted(found.items())


@lru_cache(maxsize=4096)
def usual(char: str) -> str | None:
    """The character's first reading in pypinyin's data (its commonest, mostly), TONE3."""
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_tone3

    readings = PINYIN_DICT.get(ord(char))
    return to_tone3(readings.split(",")[0], neutral_tone_with_five=True, v_to_u=False) if readings else None


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping ones joined (为了 and 了解 in 为了解: one span)."""
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def mandarin(voice: str | None) -> bool:
    """Whether a voice speaks Mandarin, which the fixes are for (not Cantonese zh-HK or yue, not
    Shanghainese wuu). None: the engine's default voice, which does."""
    name = (voice or "").lower()
    return not (name.startswith(("zh-hk", "yue", "wuu", "zh-yue")) or "-yue" in name)


def _makes_word(sent: list[str], at: int, char: str, phrases) -> bool:
    """Whether `char` at `at` would make a dictionary word with the characters around it."""
    for start in range(max(0, at - WINDOW + 1), at + 1):
        for end in range(max(at + 1, start + 2), min(len(sent), start + WINDOW) + 1):
            if "".join(sent[start:at]) + char + "".join(sent[at + 1 : end]) in phrases:
                return True
    return False


_TONES = re.compile(r"[0-9]")


@lru_cache(maxsize=65536)
def _espeak_agrees(word: str, pinyin: tuple[str, ...]) -> bool:
    """Whether espeak-ng reads `word` with the syllables of `pinyin` (tones aside: espeak's
    tone sandhi and neutral tones are speech, not misreadings; 行 xíng for háng is one)."""
    from .homophones import same_sound

    ours = _TONES.sub("", phonemes(" ".join(pinyin), voice=PINYIN_VOICE))
    return same_sound(_TONES.sub("", phonemes(word, voice="cmn")), ours)
