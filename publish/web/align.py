"""Subtitle cues ↔ printed text, for the article view's highlighting: which stretch of each
printed part (引题, 主题, 副题, byline, each block) a cue of the article's audio reads.

Cues carry the narration's text (`speech.text.script`), which differs from the print in small
ways: white space, a photo credit read in brackets (`（本报记者 许晴 摄）` for ` 本报记者 许晴
摄`), a list marker read as written (`-` printed `●`), marks merged into the cue before them.
So a cue is looked for with white space ignored, else by its letters and digits alone, always
forward from the last cue found; one that cannot be found is left out (its text shows, plain).
Pure functions: the site calls them while it writes each article's page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..speech.sound.subtitles import cue_id

LOOKAHEAD = 1  # cues after one found out of place that may show it is not where it seems


@dataclass(frozen=True)
class Cue:
    """One subtitle cue: its identifier (`s3`, the sentence span's id) and times in seconds."""

    id: str
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Run:
    """A stretch of a printed part: plain text (cue None) or text a cue reads."""

    text: str
    cue: Cue | None = None


# ---- reading WebVTT ----------------------------------------------------------------------

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})"
_TIMING = re.compile(rf"^\s*{_TIME}\s+-->\s+{_TIME}(?:\s.*)?$")
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(amp|lt|gt|nbsp|lrm|rlm));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "nbsp": "\u00a0", "lrm": "\u200e", "rlm": "\u200f"}


def read_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file as `subtitles.vtt` writes it (identifier, timing, text) or as
    a person edited it: blocks that are not cues (NOTE, STYLE, a broken timing line, an end
    before the start) are skipped. A cue without an identifier, or with one used before, gets
    `s<n>` (n: its place among the cues read) or, when that is taken too, `<id>-<n>`: ids
    stay unique, as the article view's span ids must."""
    cues: list[Cue] = []
    used: set[str] = set()
    blocks = re.split(r"\n[ \t]*\n", text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    for block in blocks:
        read = _cue(block)
        if read is None:
            continue
        ident, start, end, words = read
        ident = _unique(ident, len(cues) + 1, used)
        used.add(ident)
        cues.append(Cue(ident, start, end, words))
    return cues


def _unique(ident: str, number: int, used: set[str]) -> str:
    """The cue's own identifier, or `s<number>`, or `<id>-<number>`: the first not used yet."""
    for candidate in (ident, cue_id(number), f"{ident or 's'}-{number}"):
        if candidate and candidate not in used:
            return candidate
    suffix = 2
    while f"{ident or 's'}-{number}-{suffix}" in used:
        suffix += 1
    return f"{ident or 's'}-{number}-{suffix}"


def _cue(block: str) -> tuple[str, float, float, str] | None:
    """(identifier, start, end, text) of one block, None when it is not a cue."""
    lines = block.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    ident = ""
    if "-->" not in lines[0]:
        ident, lines = lines[0].strip(), lines[1:]
        if ident.startswith(("WEBVTT", "NOTE", "STYLE", "REGION")) or not lines:
            return None
    found = _TIMING.match(lines[0])
    if found is None:
        return None
    numbers = found.groups()
    start, end = _seconds(numbers[:4]), _seconds(numbers[4:])
    if end < start:
        return None
    return ident, start, end, _unescape("\n".join(lines[1:]).strip())


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = (int(p or 0) for p in parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _unescape(text: str) -> str:
    """Cue text as plain text: tags (<v Name>, <b>, timestamps) dropped, the entities WebVTT
    has (&amp; &lt; &gt; &nbsp; &lrm; &rlm; and numbered ones) replaced by their characters."""

    def entity(found: re.Match[str]) -> str:
        decimal, hexadecimal, name = found.groups()
        if name:
            return _NAMED[name]
        code = int(decimal) if decimal else int(hexadecimal, 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _ENTITY.sub(entity, _TAG.sub("", text))


# ---- aligning cues with the printed parts ---------------------------------------------------


@dataclass(frozen=True)
class _Printed:
    """The parts' characters other than white space, in order, with where each came from; and
    the letters and digits among them (the key a cue is matched by when its marks differ)."""

    chars: str  # every non-space character of the parts, in order
    where: list[tuple[int, int]]  # (part, offset in it) of each of `chars`
    key: str  # the letters and digits of `chars`
    key_at: list[int]  # the index in `chars` of each character of `key`

    @classmethod
    def of(cls, parts: list[str]) -> _Printed:
        chars, where, key, key_at = [], [], [], []
        for number, part in enumerate(parts):
            for offset, char in enumerate(part):
                if char.isspace():
                    continue
                if char.isalnum():
                    key.append(char)
                    key_at.append(len(chars))
                chars.append(char)
                where.append((number, offset))
        return cls("".join(chars), where, "".join(key), key_at)


def align(cues: list[Cue], parts: list[str]) -> list[list[Run]]:
    """Each part cut into runs, plain or read by a cue: the runs of a part joined give the part
    exactly. Cues are found in order, each after the one before; a cue found in no part is left
    out, and one that crosses from a part into the next gives a run in each (the same cue)."""
    printed = _Printed.of(parts)
    spans: list[tuple[int, int, Cue]] = []
    cursor = 0
    for index, cue in enumerate(cues):
        span = _find(printed, cue.text, cursor)
        if span is None or _out_of_place(printed, cues[index + 1 : index + 1 + LOOKAHEAD], cursor, span):
            continue
        spans.append((*span, cue))
        cursor = span[1]
    return _runs(parts, printed, spans)


def _out_of_place(printed: _Printed, following: list[Cue], cursor: int, span: tuple[int, int]) -> bool:
    """Whether a cue found after printed letters no cue read is really elsewhere: the next cue
    is found before it (a short cue like `他说。` met again further on, its own text edited)."""
    skipped = bisect.bisect_left(printed.key_at, span[0]) - bisect.bisect_left(printed.key_at, cursor)
    if skipped == 0:
        return False
    for cue in following:
        found = _find(printed, cue.text, cursor)
        if found is not None and found[1] <= span[0]:
            return True
    return False


def _find(printed: _Printed, text: str, cursor: int) -> tuple[int, int] | None:
    """Where in `printed.chars` (from `cursor` on) the cue's text is: [start, end). Its text
    with white space dropped; or, when that is not there or comes later, its letters and digits
    (with the marks it starts and ends with that the print has there too)."""
    squeezed = "".join(text.split())
    exact = printed.chars.find(squeezed, cursor) if squeezed else -1
    letters = "".join(ch for ch in squeezed if ch.isalnum())
    loose = None
    if letters:
        first_key = bisect.bisect_left(printed.key_at, cursor)
        at = printed.key.find(letters, first_key)
        if at >= 0:
            start, end = printed.key_at[at], printed.key_at[at + len(letters) - 1] + 1
            loose = _with_marks(printed.chars, squeezed, start, end, cursor)
    if exact >= 0 and (loose is None or exact <= loose[0]):
        return exact, exact + len(squeezed)
    return loose


def _with_marks(chars: str, squeezed: str, start: int, end: int, cursor: int) -> tuple[int, int]:
    """A loose match widened over the marks next to it in print that the cue has at that end
    (the opening quote before a sentence, its full stop and closing quote after it)."""
    leading = squeezed[: len(squeezed) - len(squeezed.lstrip(_marks(squeezed)))]
    trailing = squeezed[len(squeezed.rstrip(_marks(squeezed))) :]
    while start > cursor and not chars[start - 1].isalnum() and chars[start - 1] in leading:
        start -= 1
    while end < len(chars) and not chars[end].isalnum() and chars[end] in trailing:
        end += 1
    return start, end


def _marks(text: str) -> str:
    """The characters of `text` that are not letters or digits."""
    return "".join(sorted({ch for ch in text if not ch.isalnum()}))


def _runs(parts: list[str], printed: _Printed, spans: list[tuple[int, int, Cue]]) -> list[list[Run]]:
    """Each part's runs from the cue spans over `printed.chars` (white space inside a span goes
    with the cue; between spans and at a part's ends it is plain)."""
    pieces: list[list[tuple[int, int, Cue]]] = [[] for _ in parts]  # (from, to) offsets in the part
    for start, end, cue in spans:
        first_part, first_at = printed.where[start]
        last_part, last_at = printed.where[end - 1]
        for number in range(first_part, last_part + 1):
            part = parts[number]
            begin = first_at if number == first_part else len(part) - len(part.lstrip())
            finish = last_at + 1 if number == last_part else len(part.rstrip())
            if finish > begin:
                pieces[number].append((begin, finish, cue))
    runs: list[list[Run]] = []
    for part, found in zip(parts, pieces, strict=True):
        out: list[Run] = []
        at = 0
        for begin, finish, cue in found:
            begin = max(begin, at)
            if begin > at:
                out.append(Run(part[at:begin]))
            if finish > begin:
                out.append(Run(part[begin:finish], cue))
                at = finish
        if at < len(part):
            out.append(Run(part[at:]))
        runs.append(out)
    return runs
