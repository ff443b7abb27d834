"""Styled text → atoms: the units a line is built from (a Han character, a punctuation mark
with its compressible blank halves, a Latin word, a —— or …… pair, a space).

Which side of a full-width mark is blank comes from the font's own ink extents, so any
font with mainland (GB) punctuation positions compresses correctly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..ingest.chars import CJK
from .fonts import LAST_RESORT as LAST_RESORT_KEY
from .fonts import Face, FontStack

HAN, PUNCT, LATIN, SPACE, DASH = range(5)

OPENING = frozenset("“‘（〔［｛〈《「『【〖〘〚")
CLOSING = frozenset("”’）〕］｝〉》」』】〗〙〛")
PAUSES = frozenset("，、；：")  # compressed with brackets (clreq order)
STOPS = frozenset("。？！．")  # compressed last
MIDDLE = frozenset("·・")
# clreq line-start prohibition, GB level: closing marks, pauses, stops, interpuncts, iteration
# marks and units that follow numbers.
NO_START_BASIC = CLOSING | PAUSES | STOPS | MIDDLE | frozenset("々〻ゝゞヽヾー℃℉％‰′″")
NO_END_BASIC = OPENING
NO_END_GB = NO_END_BASIC | frozenset("／")
DASHES = frozenset("—―")
LONG_WORD = 6.0  # ems: a web address wider than this may break after . / -
_URL_PUNCT = "./-_?&=#:"
_URL_BREAK = re.compile(r"(?<=[./\-_?&=#])(?=[^./\-_?&=#])")
ELLIPSES = frozenset("…⋯")


@dataclass(slots=True)
class Atom:
    """One unbreakable unit of a line, with its natural width and what it may do at a break."""

    text: str
    face: Face
    size: float  # pt
    width: float  # natural advance, pt
    kind: int  # HAN, PUNCT, LATIN, SPACE, DASH
    lblank: float = 0.0  # compressible blank on the left, pt (opening marks)
    rblank: float = 0.0  # compressible blank on the right, pt (closing marks, pauses, stops)
    stop: bool = False  # 。？！: compressed last
    opening: bool = False
    no_start: bool = False
    no_end: bool = False
    hscale: float = 1.0  # horizontal scale when drawn (a —— pair is stretched to exactly 2 em)
    source: int = 0  # index of the first character in the paragraph text
    joined: bool = False  # a piece of a longer word: no Han–Latin gap, no spreading before it


def make_atoms(runs: list[tuple[str, str, float]], fonts: FontStack, strict: bool = False, context: str = "") -> list[Atom]:
    """Atoms for runs of (text, role, size); Latin words and numbers stay whole."""
    atoms: list[Atom] = []
    append = atoms.append
    offset = 0
    for text, role, size in runs:
        classes = _classes(fonts, role, context)
        i = 0
        length = len(text)
        while i < length:
            ch = text[i]
            entry = classes.get(ch)
            if entry is None:
                entry = classes[ch] = _classify(ch, fonts.for_char(ch, role, context))
            elif entry[3]:
                fonts.report(ch, role, context)  # no font has it: report it for this article too
            what, face, proto, _ = entry
            if what is _SINGLE:
                kind, advance, lblank, rblank, stop, opening, no_start, no_end = proto
                append(
                    Atom(
                        ch,
                        face,
                        size,
                        advance * size,
                        kind,
                        lblank * size,
                        rblank * size,
                        stop,
                        opening,
                        no_start,
                        no_end,
                        1.0,
                        offset + i,
                    )
                )
                i += 1
            elif what is _WORD:
                j = i + 1
                while j < length:
                    nxt = classes.get(text[j])
                    if nxt is None:
                        nxt = classes[text[j]] = _classify(text[j], fonts.for_char(text[j], role, context))
                    if nxt[0] is not _WORD or nxt[1] is not face:
                        break
                    if nxt[3]:
                        fonts.report(text[j], role, context)
                    j += 1
                word = text[i:j]
                width = sum(face.advance(c) for c in word) * size
                if width > LONG_WORD * size and _is_address(word):
                    start = offset + i
                    for n, piece in enumerate(p for p in _URL_BREAK.split(word) if p):  # break after . / - if it must
                        piece_width = sum(face.advance(c) for c in piece) * size
                        append(
                            Atom(
                                piece, face, size, piece_width, LATIN, no_start=piece[0] in _URL_PUNCT, joined=n > 0, source=start
                            )
                        )
                        start += len(piece)
                else:
                    append(
                        Atom(
                            word,
                            face,
                            size,
                            width,
                            LATIN,
                            no_start=word[0] in "%‰℃,.;:!?)]}",
                            no_end=word[-1] in "([{",
                            source=offset + i,
                        )
                    )
                i = j
            elif what is _REPEAT:
                j = i
                while j < length and text[j] == ch:
                    j += 1
                append(_repeated(text[i:j], face, size, strict, offset + i))
                i = j
            else:  # white space
                j = i
                while j < length and text[j].isspace():
                    j += 1
                width = size * (1.0 if "\u3000" in text[i:j] else face.advance(" "))
                append(Atom(" ", face, size, width, SPACE, source=offset + i))
                i = j
        offset += len(text)
    return atoms


_SINGLE, _WORD, _REPEAT, _SPACE = "single", "word", "repeat", "space"


def _is_address(word: str) -> bool:
    """A web or mail address (letters and . / @), which may break after its punctuation; numbers
    such as 0851-86627000 or CN52-0017 never break."""
    return bool(_URL_BREAK.search(word)) and any(c.isascii() and c.isalpha() for c in word) and any(c in "./@" for c in word)


def _classes(fonts: FontStack, role: str, context: str) -> dict[str, tuple]:
    """Per role, what each character is and its metrics per em (cached on the font stack)."""
    return fonts.cache.setdefault(("atoms", role), {})


def _classify(ch: str, face: Face) -> tuple:
    """(what, face, prototype, absent): absent when `face` is the last resort drawing a
    character it does not have, so that each article that uses it reports it."""
    absent = face.key == LAST_RESORT_KEY and not face.covers(ch) and not ch.isspace()
    if ch in DASHES or ch in ELLIPSES:
        return (_REPEAT, face, None, absent)
    if ch.isspace():
        return (_SPACE, face, None, False)
    if _is_latin(ch, face):
        return (_WORD, face, None, absent)
    atom = _mark_or_han(ch, face, 1.0, False, 0)
    proto = (atom.kind, atom.width, atom.lblank, atom.rblank, atom.stop, atom.opening, atom.no_start, atom.no_end)
    return (_SINGLE, face, proto, absent)


def _is_latin(ch: str, face: Face) -> bool:
    """Letters, digits and Western symbols: they form words that are never broken. Symbols a
    Chinese font draws a full em wide (● ① ★ ※) behave like Han characters instead."""
    if ch.isspace() or CJK.match(ch) or ch in "“”‘’…—―·•⋯":
        return False
    if ch.isascii():
        return True
    return not (unicodedata.east_asian_width(ch) in "WFA" and face.advance(ch) >= 0.9)


def _mark_or_han(ch: str, face: Face, size: float, strict: bool, source: int) -> Atom:
    advance = face.advance(ch) * size
    atom = Atom(ch, face, size, advance, HAN, source=source)
    if ch in OPENING or ch in CLOSING or ch in PAUSES or ch in STOPS or ch in MIDDLE:
        atom.kind = PUNCT
        atom.opening = ch in OPENING
        atom.stop = ch in STOPS
        metrics = face.punctuation.get(ch)
        if metrics and metrics[0] >= 900:  # a full-width mark: find its blank half from the ink
            full, ink_min, ink_max = metrics
            half = 0.5 * size
            if atom.opening and ink_min >= 0.4 * full:
                atom.lblank = min(half, ink_min / 1000 * size)
            elif not atom.opening and ch not in MIDDLE and full - ink_max >= 0.4 * full:
                atom.rblank = min(half, (full - ink_max) / 1000 * size)
    atom.no_start = ch in NO_START_BASIC
    atom.no_end = ch in NO_END_GB
    return atom


def _repeated(text: str, face: Face, size: float, strict: bool, source: int) -> Atom:
    """A —— or …… run: one unit, each mark exactly one em (scaled if the font draws it narrower)."""
    natural = face.advance(text[0])
    scale = 1.0 / natural if natural and text[0] in DASHES and natural < 1.0 else 1.0
    width = len(text) * size * (natural * scale if natural else 1.0)
    return Atom(text, face, size, width, DASH, hscale=scale, no_start=strict, source=source)
