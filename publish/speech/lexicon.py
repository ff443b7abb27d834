"""Lexicons: readings the team, a paper or a user fixes by word — places, names, news words,
and the reading of a character as a surname.

A lexicon is TOML: tables of `"word" = "tone3 tone3 …"` (one syllable per character; neutral
tone 5, ü as v). `[surnames]` applies at the start of a person's name; every other table
(`[places]`, `[words]`, anything) applies wherever the word appears. The built-in news lexicon
comes first, then each file given; a later entry wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import PublishError
from ..fsutil import read_toml

SYLLABLE = re.compile(r"[a-z]+v?[a-z]*[1-5]")
SURNAMES = "surnames"


class LexiconError(PublishError):
    """A lexicon file that cannot be used: its file, line and the entry at fault."""


@dataclass
class Lexicon:
    words: dict[str, list[str]] = field(default_factory=dict)
    surnames: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, *paths: Path, builtin: bool = True) -> Lexicon:
        lexicon = cls()
        if builtin:
            source = resources.files("publish.speech") / "data" / "news.toml"
            with resources.as_file(source) as path:
                lexicon.add(path)
        for path in paths:
            lexicon.add(path)
        return lexicon

    def add(self, path: Path) -> None:
        """The entries of one lexicon file, over those already here."""
        data, text = read_toml(path, LexiconError)
        for table, entries in data.items():
            if not isinstance(entries, dict):
                raise LexiconError(f'[{table}] must be a table of "word" = "reading"', file=path, line=_line(text, table))
            target = self.surnames if table == SURNAMES else self.words
            for word, reading in entries.items():
                target[word] = _syllables(word, reading, path, text)

    def matches(self, text: str) -> list[tuple[int, str]]:
        """(position, word) of every lexicon word in `text`, longest first where they overlap."""
        found, at = [], 0
        longest = max((len(w) for w in self.words), default=0)
        starts = {w[0] for w in self.words}
        while at < len(text):
            if text[at] not in starts:
                at += 1
                continue
            for size in range(min(longest, len(text) - at), 0, -1):
                word = text[at : at + size]
                if word in self.words:
                    found.append((at, word))
                    at += size
                    break
            else:
                at += 1
        return found

    def surname(self, name: str) -> str | None:
        """The surname entry a name starts with (two-character surnames first)."""
        for size in (2, 1):
            if len(name) > size and name[:size] in self.surnames:
                return name[:size]
        return None


def _syllables(word: str, reading: object, path: Path, text: str) -> list[str]:
    syllables = reading.split() if isinstance(reading, str) else []
    if len(syllables) != len(word) or not all(SYLLABLE.fullmatch(s) for s in syllables):
        raise LexiconError(
            f'{word!r}: the reading must be one TONE3 syllable per character, like "hang2 zhang3" (found {reading!r})',
            file=path,
            line=_line(text, word),
        )
    return syllables


def _line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if f'"{key}"' in line or line.strip() == f"[{key}]":
            return number
    return None
