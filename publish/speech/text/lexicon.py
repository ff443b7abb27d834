"""Lexicons: readings the team, a paper or a user fixes by word — places, names, news words,
and the reading of a character as a surname.

A lexicon is TOML: `"word" = "tone3 tone3 …"` entries (one syllable per character; neutral
tone 5, ü as v), at the top of the file (common words, like `[words]`) or in tables. An entry can be limited to a context: `"朝阳" = { reading = "chao2 yang2",
after = "区|路|门" }` applies only where the word is followed by one of those (`before`: preceded; `not_after`,
`not_before`: not where followed or preceded by one of those);
a list gives a word several: `"分子" = [{ reading = "fen4 zi3", before = "罪|法" }, "fen1 zi3"]`.

* `[surnames]` applies at the start of a person's name;
* `[words]` are common words (their reading is fixed, the engines know them);
* `[misread]` are words a speech engine is known to get wrong: always sent with a fix;
* every other table (`[places]`, `[names]`, …) holds proper names, which an engine cannot be
  expected to know: sent with a fix wherever a character is not read its usual way.

Lexicons stack: the built-in news lexicon, a paper's `publish-lexicon.toml` (the nearest one in
the input's folder or above), the user's (`$PUBLISH_LEXICON`, else
`~/.config/publish/lexicon.toml`), then files given with `--lexicon`; a later entry wins.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ...errors import LexiconError
from ...fsutil import read_toml

SYLLABLE = re.compile(r"[a-z]+v?[a-z]*[1-5]")
SURNAMES = "surnames"
WORDS = "words"
MISREAD = "misread"
PAPER_LEXICON = "publish-lexicon.toml"


@dataclass(frozen=True)
class Entry:
    """How a word is read, where (`before`/`after`: what must precede or follow it; empty:
    anywhere) and what kind of word it is: name, word or misread."""

    reading: tuple[str, ...]
    kind: str = "name"
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    not_after: tuple[str, ...] = ()

    @property
    def contextual(self) -> bool:
        return bool(self.before or self.after or self.not_before or self.not_after)

    def fits(self, text: str, start: int, end: int) -> bool:
        if self.before and not any(text.endswith(b, 0, start) for b in self.before):
            return False
        if self.after and not any(text.startswith(a, end) for a in self.after):
            return False
        if any(text.endswith(b, 0, start) for b in self.not_before):
            return False
        return not any(text.startswith(a, end) for a in self.not_after)


@dataclass
class Lexicon:
    words: dict[str, list[Entry]] = field(default_factory=dict)  # context entries first
    surnames: dict[str, list[str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @classmethod
    def load(cls, *paths: Path, builtin: bool = True) -> Lexicon:
        lexicon = cls()
        if builtin:
            source = resources.files("publish.speech.text") / "data" / "news.toml"
            with resources.as_file(source) as path:
                lexicon.add(path)
        for path in paths:
            lexicon.add(path)
        return lexicon

    def add(self, path: Path) -> None:
        """The entries of one lexicon file, over those already here: a word this file reads
        without a context replaces every earlier entry for it; one with a context goes first."""
        data, text = read_toml(path, LexiconError)
        self.files.append(path)
        for table, entries in data.items():
            if not isinstance(entries, dict) or "reading" in entries:  # a top-level "word" = "reading": a word
                self._add_word(table, entries, "word", path, text)
                continue
            for word, value in entries.items():
                if table == SURNAMES:
                    entry = _entry(word, value, "name", path, text)
                    if entry.contextual:
                        raise LexiconError(
                            f"{word!r}: a surname has no context (it applies at the start of a name)",
                            file=path,
                            line=_line(text, word),
                        )
                    self.surnames[word] = list(entry.reading)
                    continue
                self._add_word(word, value, {WORDS: "word", MISREAD: "misread"}.get(table, "name"), path, text)

    def _add_word(self, word: str, value: object, kind: str, path: Path, text: str) -> None:
        """One word's entries (a reading, a reading with a context, or a list of those)."""
        new = [_entry(word, item, kind, path, text) for item in (value if isinstance(value, list) else [value])]
        earlier = [] if any(not e.contextual for e in new) else self.words.get(word, [])
        kept = [e for e in earlier if _context(e) not in {_context(n) for n in new}]
        self.words[word] = [e for e in new if e.contextual] + [e for e in new if not e.contextual] + kept
        self.words[word].sort(key=lambda e: not e.contextual)

    def matches(self, text: str, fits: Callable[[int, int], bool] | None = None) -> list[tuple[int, str, Entry]]:
        """(position, word, entry) of every lexicon word in `text` whose context fits, longest
        first where they overlap; an entry without a context only where `fits(start, end)` accepts
        it (an entry with one says itself where the word stands: 极地 after 积 is 积极｜地)."""
        found, at = [], 0
        longest = max((len(w) for w in self.words), default=0)
        starts = {w[0] for w in self.words}
        while at < len(text):
            if text[at] not in starts:
                at += 1
                continue
            for size in range(min(longest, len(text) - at), 0, -1):
                word = text[at : at + size]
                entry = next((e for e in self.words.get(word, ()) if e.fits(text, at, at + size)), None)
                if entry is not None and (fits is None or entry.contextual or fits(at, at + size)):
                    found.append((at, word, entry))
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


def lexicon_files(inputs: Iterable[Path] = ()) -> list[Path]:
    """The lexicons that apply to articles read from `inputs`, in order: the paper's (nearest
    `publish-lexicon.toml` in or above each input's folder), then the user's."""
    found: list[Path] = []
    for source in inputs:
        folder = (source if source.is_dir() else source.parent).absolute()
        for place in [folder, *folder.parents]:
            candidate = place / PAPER_LEXICON
            if candidate.is_file():
                if candidate not in found:
                    found.append(candidate)
                break
    user = user_lexicon()
    if user is not None and user.is_file():
        found.append(user)
    elif user is not None and os.environ.get("PUBLISH_LEXICON"):
        raise LexiconError("no such lexicon file (set by $PUBLISH_LEXICON)", file=user)
    return found


def user_lexicon() -> Path | None:
    """`$PUBLISH_LEXICON`, else `$XDG_CONFIG_HOME/publish/lexicon.toml` (~/.config/…)."""
    if os.environ.get("PUBLISH_LEXICON"):
        return Path(os.environ["PUBLISH_LEXICON"]).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / "publish" / "lexicon.toml"


CONTEXTS = ("before", "after", "not_before", "not_after")


def _context(entry: Entry) -> tuple[tuple[str, ...], ...]:
    return tuple(getattr(entry, side) for side in CONTEXTS)


def _entry(word: str, value: object, kind: str, path: Path, text: str) -> Entry:
    context: dict[str, tuple[str, ...]] = {}
    reading = value
    if isinstance(value, dict):
        unknown = set(value) - {"reading", *CONTEXTS}
        if unknown or "reading" not in value:
            raise LexiconError(
                f'{word!r}: an entry is "reading" or {{ reading = "…", before = "…", after = "…", not_before = "…", '
                f'not_after = "…" }} (found {value!r})',
                file=path,
                line=_line(text, word),
            )
        reading = value["reading"]
        for side in CONTEXTS:
            options = value.get(side, "")
            if not isinstance(options, str):
                raise LexiconError(f'{word!r}: {side} must be text like "区|路"', file=path, line=_line(text, word))
            context[side] = tuple(o for o in options.split("|") if o)
    if not word or any(c.isspace() for c in word):
        raise LexiconError(f"{word!r}: a word must be characters without spaces", file=path, line=_line(text, word))
    syllables = reading.split() if isinstance(reading, str) else []
    if len(syllables) != len(word) or not all(SYLLABLE.fullmatch(s) for s in syllables):
        raise LexiconError(
            f'{word!r}: the reading must be one TONE3 syllable per character, like "hang2 zhang3" (found {reading!r})',
            file=path,
            line=_line(text, word),
        )
    return Entry(tuple(syllables), kind, *(context.get(side, ()) for side in CONTEXTS))


def _line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        if f'"{key}"' in line or f"'{key}'" in line or line.strip() == f"[{key}]":
            return number
    return None
