"""The intended reading (pinyin, TONE3) of every Han character in a text.

pypinyin reads every character; where a character is a polyphone, the g2pM model decides
from its context, except inside a word pypinyin's phrase dictionary knows (行长, 长大, 觉得),
where the dictionary's reading stands unless the model is all but certain otherwise.
Measured on the CPP dev split: pypinyin alone 87.5 %, the model alone 97.4 %, together
97.8 % (`benchmarks/polyphones.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .lexicon import Lexicon

# Above this confidence the model overrules a phrase-dictionary reading. The one number
# chosen on CPP dev: accuracy stays within 97.7–97.8 % for any value from 0.9 to 0.999.
OVERRULE_PHRASE = 0.999
# Characters the model reads by their commonest reading whatever the word (了 as le5 even in
# 了解, with 0.99999 confidence): inside a dictionary word, the dictionary always wins.
PHRASE_FIRST = frozenset("了")

HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]*")


@dataclass(frozen=True)
class Reading:
    """One character and how it is read; `source` says who decided: phrase, model, single."""

    char: str
    pinyin: str | None  # TONE3 (neutral tone 5, ü as v); None for a non-Han character
    polyphone: bool = False
    source: str = ""


class Reader:
    """Reads texts; loads pypinyin and the model on first use (about 0.3 s). A lexicon's
    words and surnames (see `lexicon.py`) override both."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon if lexicon is not None else Lexicon.load()

    @cached_property
    def _pinyin(self):
        from pypinyin.converter import UltimateConverter
        from pypinyin.core import Pinyin

        class Recording(Pinyin):
            """pypinyin that remembers how it segmented the last text."""

            segments: tuple[str, ...] = ()

            def post_seg(self, hans, seg_data, **kwargs):
                self.segments = seg_data
                return seg_data

        return Recording(UltimateConverter(neutral_tone_with_five=True))

    @cached_property
    def _phrases(self):
        from pypinyin.constants import PHRASES_DICT

        return PHRASES_DICT

    @cached_property
    def model(self):
        from .g2pm import PolyphoneModel

        return PolyphoneModel()

    def readings(self, text: str, names: Iterable[str] = ()) -> list[Reading]:
        """A Reading per character of `text`, in order; `names` are people the article names
        (their surnames get the surname reading)."""
        return self.read_many([text], names)[0]

    def read_many(self, texts: Iterable[str], names: Iterable[str] = ()) -> list[list[Reading]]:
        """Readings of many texts at once (the model runs batched: much faster than one by one)."""
        from pypinyin import Style

        pieces: list[str] = []
        owners: list[int] = []
        texts = list(texts)
        for number, text in enumerate(texts):
            for found in _SENTENCE.finditer(text):
                if found.group():
                    pieces.append(found.group())
                    owners.append(number)
        converter, phrases, model = self._pinyin, self._phrases, self.model
        firsts, settled, positions = [], [], []
        for piece in pieces:
            firsts.append(converter.lazy_pinyin(piece, style=Style.TONE3, errors=lambda x: [None] * len(x)))
            mask = bytearray(len(piece))
            at = 0
            for segment in converter.segments:
                if len(segment) > 1 and segment in phrases:
                    mask[at : at + len(segment)] = b"\x01" * len(segment)
                at += len(segment)
            settled.append(mask)
            positions.append([i for i, c in enumerate(piece) if model.knows(c)])
        decided = model.predict(pieces, positions)
        out: list[list[Reading]] = [[] for _ in texts]
        for piece, first, mask, where, choices, owner in zip(pieces, firsts, settled, positions, decided, owners, strict=True):
            chosen = dict(zip(where, choices, strict=True))
            for i, char in enumerate(piece):
                reading = first[i] if HAN.match(char) else None
                if i in chosen:
                    pinyin, confidence = chosen[i]
                    if mask[i] and (confidence < OVERRULE_PHRASE or char in PHRASE_FIRST):
                        out[owner].append(Reading(char, reading, True, "phrase"))
                    else:
                        out[owner].append(Reading(char, pinyin, True, "model"))
                else:
                    out[owner].append(Reading(char, reading, False, "phrase" if mask[i] else "single"))
        people = [n for n in names if n]
        for text, made in zip(texts, out, strict=True):
            self._apply_lexicon(text, made, people)
        return out

    def _apply_lexicon(self, text: str, found: list[Reading], names: list[str]) -> None:
        lexicon = self.lexicon
        for at, word in lexicon.matches(text):
            for k, syllable in enumerate(lexicon.words[word]):
                found[at + k] = Reading(word[k], syllable, found[at + k].polyphone, "lexicon")
        for name in names:
            surname = lexicon.surname(name)
            if surname is None:
                continue
            for start in (m.start() for m in re.finditer(re.escape(name), text)):
                for k, syllable in enumerate(lexicon.surnames[surname]):
                    found[start + k] = Reading(surname[k], syllable, found[start + k].polyphone, "surname")

    def tone3_lines(self, text: str, names: Iterable[str] = ()) -> list[str]:
        """One line per input line: the TONE3 readings of its Han characters, space-separated."""
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        return [" ".join(r.pinyin for r in line if r.pinyin) for line in self.read_many(lines, names)]
