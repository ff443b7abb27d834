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

LONG_WORD = 6.0  # ems: a web address wider than this may always break at its punctuation
HYPHENATE_MIN = 6  # letters: shorter words are never hyphenated
SPLIT_WORD = 1e4  # demerits for breaking a word at its punctuation or a hyphenation point (about one line spread 0.1 em)
SPLIT_ANYWHERE = 1e5  # … between any two of its characters, when nothing better fits (about one line spread 0.2 em)
ANYWHERE_MIN = 3  # characters kept together on each side of such a break
# Where a web or mail address may break (Chicago 6.80, no hyphen added): after / (not inside //),
# after - and @, before . ? # & = _ ~ % — so that a line end never looks like the address's end.
_URL_BREAK = re.compile(r"(?<=[/\-@])(?=[^/\-@.?#&=_~%])|(?<=[^/\-@.?#&=_~%:])(?=[.?#&=_~%])")
_AFTER_DOT = re.compile(r"(?<=[^\W_]\.)(?=[^\W_])")  # www.|example: fine in Chinese text (its full stop is 。), but
SPLIT_AFTER_DOT = 3e4  # a dot ending a line may still read as the address's end, so it costs more than a break before it
_HYPHEN_BREAK = re.compile(r"(?<=[^\W_]-)(?=[^\W_])")  # after a hyphen between letters or digits (Wi-Fi, 0851-86627000)


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
    joined: bool = False  # a piece of a longer word, set right after the piece before it
    hyphen: float = 0.0  # width of the hyphen drawn when a line ends after this piece (a hyphenated word), pt
    penalty: float = 0.0  # demerits for a line break just before this piece (SPLIT_WORD, SPLIT_ANYWHERE)


def make_atoms(runs: list[tuple[str, str, float]], fonts: FontStack, strict: bool = False, context: str = "") -> list[Atom]:
    """Atoms for runs of (text, role, size); Latin words and numbers stay whole."""
    atoms: list[Atom] = []
    for text, role, size in runs:
        made = fonts.cache.get(("atom", role, size))  # per role and size: the atom of each single character met
        if made is None:
            made = fonts.cache[("atom", role, size)] = {}
        got = list(map(made.get, text))
        if all(got):  # Han text and its marks, every character met before: the atoms made then (they never change)
            atoms += got
        else:
            _run_atoms(atoms, text, got, made, role, size, fonts, strict, context)
    return atoms


def _run_atoms(
    atoms: list[Atom], text: str, got: list, made: dict, role: str, size: float, fonts: FontStack, strict: bool, context: str
) -> None:
    """The atoms of one run appended to `atoms`; `got` holds those already `made` for its characters."""
    append = atoms.append
    classes = fonts.cache.setdefault(("atoms", role), {})  # per role: what each character is, per em
    i = 0
    length = len(text)
    while i < length:
        atom = got[i]
        if atom is not None:
            append(atom)
            i += 1
            continue
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
            atom = Atom(shown, face, size, advance * size, kind, lblank * size, rblank * size, stop, opening, no_start, no_end)
            if not entry[3]:  # (one no font has is looked up each time: each article reports it)
                made[ch] = atom
            append(atom)
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
            whole = Atom(word, face, size, width, LATIN, no_start=word[0] in "%‰℃,.;:!?)]}", no_end=word[-1] in "([{")
            if width > LONG_WORD * size and _is_address(word):
                atoms += _pieces(whole, *_address_breaks(word))  # it may break if it must
            else:
                append(whole)
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
    """A web or mail address (letters and . / @), which may break at its punctuation; numbers
    such as 0851-86627000 or CN52-0017 stay whole unless nothing else fits."""
    return bool(_URL_BREAK.search(word)) and any(c.isascii() and c.isalpha() for c in word) and any(c in "./@" for c in word)


def _address_breaks(word: str) -> tuple[list[tuple[int, bool]], dict[int, float]]:
    """Where an address may break (no hyphen added) and what breaking costs where it is not SPLIT_WORD."""
    after_dot = {m.start(): SPLIT_AFTER_DOT for m in _AFTER_DOT.finditer(word)}
    breaks = sorted({m.start() for m in _URL_BREAK.finditer(word)} | set(after_dot))
    return [(i, False) for i in breaks], after_dot


def _pieces(atom: Atom, breaks: list[tuple[int, bool]], penalties: dict[int, float] | None = None) -> list[Atom]:
    """A Latin atom cut at `breaks` (index, with a hyphen drawn there): pieces joined to each
    other, the first keeping where the atom may stand, the last what may follow it; a break
    costs SPLIT_WORD unless `penalties` says otherwise."""
    edges = [0, *(i for i, _ in breaks), len(atom.text)]
    hyphens = [h for _, h in breaks] + [False]
    penalties = penalties or {}
    face, size = atom.face, atom.size
    dash = face.advance("-") * size
    pieces = []
    for n, (start, end) in enumerate(zip(edges, edges[1:], strict=False)):
        text = atom.text[start:end]
        pieces.append(
            Atom(
                text,
                face,
                size,
                sum(face.advance(c) for c in text) * size,
                LATIN,
                no_start=atom.no_start if n == 0 else False,
                no_end=atom.no_end if end == len(atom.text) else False,
                joined=atom.joined if n == 0 else True,
                hyphen=dash if hyphens[n] else atom.hyphen if end == len(atom.text) else 0.0,
                penalty=atom.penalty if n == 0 else penalties.get(start, SPLIT_WORD),
            )
        )
    return pieces


def breakable(atoms: list[Atom], limit: float, anywhere: bool = True) -> list[Atom]:
    """The atoms with every Latin word made breakable, for paragraphs that cannot be set well
    with words whole: addresses at their punctuation, any word after its own hyphens, words of
    letters where English hyphenation allows (a hyphen drawn), and whatever is still wider than
    `limit` (pt, the narrowest line) between any two characters — so no line need overflow. As a
    last resort (SPLIT_ANYWHERE) a word with letters may break between any two characters, three
    kept on each side: a hyphen between two letters of a word, none in an address (not with
    `anywhere` false: display lines try the proper breaks alone first)."""
    out: list[Atom] = []
    for atom in _whole_words(atoms):
        if atom.kind != LATIN or len(atom.text) < 2:
            out.append(atom)
            continue
        word = atom.text
        if _is_address(word):
            breaks, penalties = _address_breaks(word)
        else:
            penalties = {}
            breaks = [(m.start(), False) for m in _HYPHEN_BREAK.finditer(word)]
            edges = [0, *(i for i, _ in breaks), len(word)]
            for start, end in zip(edges, edges[1:], strict=False):
                part = word[start:end].rstrip("-")
                if len(part) >= HYPHENATE_MIN and part.isalpha():
                    breaks += [(start + i, True) for i in _hyphenation(part)]
        letters = not _is_address(word)
        cheap = sorted(breaks)
        edges = [0, *(i for i, _ in cheap), len(word)]
        last_resort = [  # not in a number (3407|.76 would misread): it breaks only where it must
            (i, letters and word[i - 1].isalpha() and word[i].isalpha())
            for start, end in zip(edges, edges[1:], strict=False)
            for i in range(start + ANYWHERE_MIN, end - ANYWHERE_MIN + 1)
            if anywhere and any(c.isalpha() for c in word[start:end])
        ]
        penalties |= dict.fromkeys((i for i, _ in last_resort), SPLIT_ANYWHERE)
        breaks = sorted(cheap + last_resort)
        out += _narrow(_pieces(atom, breaks, penalties) if breaks else [atom], limit, letters)
    return out


def _whole_words(atoms: list[Atom]) -> list[Atom]:
    """The atoms with the pieces of an address split already put back together as one word."""
    out: list[Atom] = []
    for atom in atoms:
        if atom.joined and atom.kind == LATIN and out and out[-1].kind == LATIN and out[-1].face is atom.face:
            word = out[-1]
            out[-1] = Atom(
                word.text + atom.text,
                word.face,
                word.size,
                word.width + atom.width,
                LATIN,
                no_start=word.no_start,
                no_end=atom.no_end,
                joined=word.joined,
                penalty=word.penalty,
            )
        else:
            out.append(atom)
    return out


def _narrow(pieces: list[Atom], limit: float, letters: bool) -> list[Atom]:
    """Pieces no wider than `limit` (with their hyphen): a wider one is cut between characters,
    with a hyphen between two letters of a word (never in an address or a number)."""
    out: list[Atom] = []
    for piece in pieces:
        if piece.width + piece.hyphen <= limit or len(piece.text) < 2:
            out.append(piece)
            continue
        face, size, text = piece.face, piece.size, piece.text
        room = limit - max(face.advance("-") * size, piece.hyphen)  # whatever ends a piece, it fits
        breaks, width = [], 0.0
        for i, ch in enumerate(text):
            advance = face.advance(ch) * size
            if i and width + advance > room:
                breaks.append((i, letters and ch.isalpha() and text[i - 1].isalpha()))
                width = 0.0
            width += advance
        out += _pieces(piece, breaks, dict.fromkeys((i for i, _ in breaks), SPLIT_ANYWHERE))
    return out


def _hyphenation(word: str) -> list[int]:
    """Where English hyphenation (TeX's patterns, via pyphen) may break `word`: at least two
    letters before a break and three after."""
    global _HYPHENATOR
    if _HYPHENATOR is None:
        import pyphen

        _HYPHENATOR = pyphen.Pyphen(lang="en_US", left=2, right=3)
    return _HYPHENATOR.positions(word)


_HYPHENATOR = None  # loaded the first time a word must be hyphenated (about 80 ms)


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
