"""Styled text → atoms: the units a line is built from (a Han character, a punctuation mark
with its compressible blank halves, a Latin word, a —— or …… pair, a space).

Which side of a full-width mark is blank comes from the font's own ink extents, so any
font with mainland (GB) punctuation positions compresses correctly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..clreq import CLOSING, DASHES, ELLIPSES, MIDDLE, NO_END_GB, NO_START_BASIC, OPENING, PAUSES, STOPS
from ..ingest.chars import AMBIGUOUS, CJK
from .fonts import IGNORABLE, MISSING_MARK, Face, FontStack

HAN, PUNCT, LATIN, SPACE, DASH = range(5)

LONG_WORD = 6.0  # ems: a web address wider than this may break after . / -
_URL_PUNCT = "./-_?&=#:"
_URL_BREAK = re.compile(r"(?<=[./\-_?&=#])(?=[^./\-_?&=#])")


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
    joined: bool = False  # a piece of a longer word: no Han–Latin gap, no spreading before it


def make_atoms(runs: list[tuple[str, str, float]], fonts: FontStack, strict: bool = False, context: str = "") -> list[Atom]:
    """Atoms for runs of (text, role, size); Latin words and numbers stay whole."""
    atoms: list[Atom] = []
    append = atoms.append
    for text, role, size in runs:
        classes = fonts.cache.setdefault(("atoms", role), {})  # per role: what each character is, per em
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
                shown = MISSING_MARK if entry[3] else ch  # a character no font has prints as 〓
                append(
                    Atom(shown, face, size, advance * size, kind, lblank * size, rblank * size, stop, opening, no_start, no_end)
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
                    for n, piece in enumerate(p for p in _URL_BREAK.split(word) if p):  # break after . / - if it must
                        piece_width = sum(face.advance(c) for c in piece) * size
                        append(Atom(piece, face, size, piece_width, LATIN, no_start=piece[0] in _URL_PUNCT, joined=n > 0))
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
                        )
                    )
                i = j
            elif what is _REPEAT:
                j = i
                while j < length and text[j] == ch:
                    j += 1
                append(_repeated(text[i:j], face, size, strict))
                i = j
            elif what is _IGNORE:  # a variation selector or joiner: left out of the line
                i += 1
            else:  # white space
                j = i
                while j < length and text[j].isspace():
                    j += 1
                width = size * (1.0 if "\u3000" in text[i:j] else face.advance(" "))
                append(Atom(" ", face, size, width, SPACE))
                i = j
    return atoms


_SINGLE, _WORD, _REPEAT, _SPACE, _IGNORE = "single", "word", "repeat", "space", "ignore"


def trim_spaces(atoms: list[Atom]) -> list[Atom]:
    """The atoms without spaces at either end (a line never starts or ends with one)."""
    start, end = 0, len(atoms)
    while start < end and atoms[start].kind == SPACE:
        start += 1
    while end > start and atoms[end - 1].kind == SPACE:
        end -= 1
    return atoms[start:end]


def _is_address(word: str) -> bool:
    """A web or mail address (letters and . / @), which may break after its punctuation; numbers
    such as 0851-86627000 or CN52-0017 never break."""
    return bool(_URL_BREAK.search(word)) and any(c.isascii() and c.isalpha() for c in word) and any(c in "./@" for c in word)


def _classify(ch: str, face: Face) -> tuple:
    """(what, face, prototype, absent): absent when no font has `ch` (`face` is then the one
    that draws 〓 in its place), so that each article that uses it reports it."""
    if ch.isspace():
        return (_SPACE, face, None, False)
    if IGNORABLE.match(ch):  # a variation selector, joiner or bidi control: never drawn
        return (_IGNORE, face, None, False)
    if not face.covers(ch):
        return (_SINGLE, face, _mark_or_han(MISSING_MARK, face), True)
    if ch in DASHES or ch in ELLIPSES:
        return (_REPEAT, face, None, False)
    if _is_latin(ch, face):
        return (_WORD, face, None, False)
    return (_SINGLE, face, _mark_or_han(ch, face), False)


def _is_latin(ch: str, face: Face) -> bool:
    """Letters, digits and Western symbols: they form words that are never broken. Symbols a
    Chinese font draws a full em wide (● ① ★ ※) behave like Han characters instead."""
    if CJK.match(ch) or ch in AMBIGUOUS:  # (spaces, dashes and ellipses are classified first)
        return False
    if ch.isascii():
        return True
    return not (unicodedata.east_asian_width(ch) in "WFA" and face.advance(ch) >= 0.9)


def _mark_or_han(ch: str, face: Face) -> tuple:
    """The prototype of a single-character atom, per em: (kind, advance, left blank, right
    blank, stop, opening, no start, no end)."""
    kind, lblank, rblank = HAN, 0.0, 0.0
    opening = ch in OPENING
    if opening or ch in CLOSING or ch in PAUSES or ch in STOPS or ch in MIDDLE:
        kind = PUNCT
        metrics = face.punctuation.get(ch)
        if metrics and metrics[0] >= 900:  # a full-width mark: find its blank half from the ink
            full, ink_min, ink_max = metrics
            if opening and ink_min >= 0.4 * full:
                lblank = min(0.5, ink_min / 1000)
            elif not opening and ch not in MIDDLE and full - ink_max >= 0.4 * full:
                rblank = min(0.5, (full - ink_max) / 1000)
    return (kind, face.advance(ch), lblank, rblank, ch in STOPS, opening, ch in NO_START_BASIC, ch in NO_END_GB)


def _repeated(text: str, face: Face, size: float, strict: bool) -> Atom:
    """A —— or …… run: one unit, each mark exactly one em (scaled if the font draws it narrower)."""
    natural = face.advance(text[0])
    scale = 1.0 / natural if natural and text[0] in DASHES and natural < 1.0 else 1.0
    width = len(text) * size * (natural * scale if natural else 1.0)
    return Atom(text, face, size, width, DASH, hscale=scale, no_start=strict)
