"""Compose a paragraph into justified lines with exact glyph positions, to clreq.

Breaks are chosen for the whole paragraph at once (optimal fit in the spirit of
Knuth–Plass): every allowed break is a node, each candidate line is priced by how far it
must be squeezed or spread, and the cheapest path through the paragraph wins — so spacing
stays even instead of one loose line after a greedy fill.

Per line, in clreq's order: line-end marks are set half width and adjacent marks close to
1.5 em (always). A line too long gives up, in turn, the blanks of brackets and ，、；：
and Western spaces (to ¼ em), Han–Latin gaps (to ⅛ em), the blanks of 。？！, and last a
little tracking inside numbers (at most 0.08 em a gap). A line too short
spreads Western spaces (to ½ em) and Han–Latin gaps (to ⅓ em) first, then every
inter-character gap equally — never inside —— or ……. The last line keeps its natural
width and never holds a single character (孤字不成行).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import partial
from itertools import accumulate, repeat
from typing import NamedTuple

from ..clreq import HAN_LATIN_MAX, HAN_LATIN_MIN, MAX_EXPANSION, WORD_SPACE_MAX, WORD_SPACE_MIN
from .atoms import DASH, HAN, LATIN, PUNCT, SPACE, Atom, breakable, make_atoms, trim_spaces
from .fonts import FontStack

INFEASIBLE = float("inf")
EPS = 1e-6
TRACK_SHRINK = 0.08  # em a gap inside a number may close (numbers too wide for a column)
RAGGED = 1e7  # badness of a line that cannot be justified at all
GAP, HAN_LATIN = 1, 2  # the glue between two atoms: an inter-character gap, a Han–Latin gap (or none: 0)


@dataclass(frozen=True)
class Settings:
    """How to set a paragraph."""

    measure: float  # line length, pt
    size: float = 9.0  # the body size: ems are counted in it
    indent: float = 2.0  # first-line indent, ems
    hang: float = 0.0  # indent of the other lines, ems (a list item's text hangs after its bullet)
    align: str = "justify"  # justify | left | center | right (last lines are set at natural width)
    strict: bool = False  # clreq strict: no —— or …… at a line start either
    han_latin: float = 0.25  # Han–Latin gap, ems
    min_last_line: int = 2  # characters a last line must hold (孤字不成行)


class Glyph(NamedTuple):
    """A drawn unit: text at origin x (pt from the line's left edge) in a face and size. A tuple:
    a page holds tens of thousands, and they cross process boundaries."""

    text: str
    font: str
    size: float
    x: float
    width: float  # the advance as drawn, tracking included
    hscale: float = 1.0
    tracking: float = 0.0  # extra space between the characters of a word, pt
    artifact: bool = False  # drawn but not text: the hyphen a hyphenated word ends a line with


@dataclass
class Line:
    glyphs: list[Glyph]
    measure: float
    natural: float  # width before justification, pt
    expansion: float  # added space per inter-character gap, in ems of the body size
    first: bool = False
    last: bool = False
    right: float = 0.0  # where the set line ends (a half-width mark at the end counts half)
    strained: bool = False  # spread beyond 0.25 em because no break sequence avoided it

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs if not g.artifact)

    def __reduce__(self):
        # glyphs as plain tuples: pickling named tuples one by one costs more than composing them
        glyphs = list(map(tuple, self.glyphs))
        fields = (self.measure, self.natural, self.expansion, self.first, self.last, self.right, self.strained)
        return (_unpickle_line, (glyphs, *fields))


_new_glyph = partial(tuple.__new__, Glyph)


def _unpickle_line(glyphs: list[tuple], *fields) -> Line:
    return Line(list(map(_new_glyph, glyphs)), *fields)


def _numeric(word: str) -> bool:
    """Numbers (3,000  12.5%  9:30  CN52-0017's digits) may be tracked tighter; letters may not,
    their ink would touch."""
    return sum(ch.isdigit() for ch in word) * 2 >= len(word)


class _Arrays:
    """Per-atom and prefix-sum arrays that price a candidate line in constant time."""

    def __init__(self, atoms: list[Atom]):
        n = len(atoms)
        self.atoms = atoms
        lrem = [a.lblank for a in atoms]
        rrem = [a.rblank for a in atoms]
        pair = [0.0] * (n + 1)  # compression at boundary k (between atoms k-1 and k)
        hl = [0] * (n + 1)
        gaps = [0] * (n + 1)
        for k in range(1, n):
            a, b = atoms[k - 1], atoms[k]
            ak, bk = a.kind, b.kind
            if ak == PUNCT and bk == PUNCT and rrem[k - 1] + lrem[k] > EPS:
                pair[k] = min(rrem[k - 1] + lrem[k], 0.5 * max(a.size, b.size))
                rrem[k - 1] = lrem[k] = 0.0  # the pair stays at 1.5 em: its inner blanks are spent
            if b.joined:  # the pieces of a broken word: spaced as the letters inside a word
                gaps[k] = int(ak == LATIN and bk == LATIN)
            elif ak != SPACE and bk != SPACE:
                if (ak == HAN and bk == LATIN) or (ak == LATIN and bk == HAN):
                    hl[k] = 1  # a Han–Latin gap: its own glue, not letter-spaced
                else:
                    gaps[k] = 1
        g1 = [0.0] * n
        g3 = [0.0] * n
        inner = [0] * n
        inner_size = [0.0] * n
        spaces = [0] * n
        space_width = [0.0] * n
        content = [0] * n
        for k, a in enumerate(atoms):
            kind = a.kind
            if kind in (HAN, DASH):
                content[k] = 1
            elif kind == PUNCT:
                if a.stop:
                    g3[k] = lrem[k] + rrem[k]
                else:
                    g1[k] = lrem[k] + rrem[k]
            elif kind == LATIN:
                content[k] = len(a.text)  # characters: a word or number alone is no 孤字
                inner[k] = len(a.text) - 1
                if inner[k] and _numeric(a.text):
                    inner_size[k] = inner[k] * a.size
            elif kind == SPACE:
                spaces[k] = 1
                space_width[k] = a.width
        self.lrem, self.rrem = lrem, rrem
        self.steps = [GAP if g else HAN_LATIN if h else 0 for g, h in zip(gaps, hl, strict=True)]  # the glue before each atom
        self.pairs = [k for k in range(1, n) if pair[k]]  # the boundaries where a pair of marks closes up
        self.width = [0.0, *accumulate([a.width for a in atoms])]
        self.pair = list(accumulate(pair))  # boundaries i+1 … j-1 of a line: pair[j-1] - pair[i]
        self.hl = list(accumulate(hl)) if any(hl) else hl  # (a paragraph of Han text alone has no Latin, no spaces)
        self.gaps = list(accumulate(gaps))
        self.g1 = [0.0, *accumulate(g1)]
        self.g3 = [0.0, *accumulate(g3)]
        latin = any(inner)
        self.inner = [0, *accumulate(inner)] if latin else [0] * (n + 1)
        self.inner_size = [0.0, *accumulate(inner_size)] if latin else [0.0] * (n + 1)
        self.spaces = [0, *accumulate(spaces)] if any(spaces) else [0] * (n + 1)
        self.space_width = [0.0, *accumulate(space_width)] if any(space_width) else [0.0] * (n + 1)
        self.content = [0, *accumulate(content)]


@dataclass(slots=True)
class _Measure:
    """A candidate line priced: natural width and what it can give or take, in pt."""

    natural: float
    shrink1: float  # brackets, ，、；：, Western spaces
    shrink2: float  # Han–Latin gaps
    shrink_track: float  # inside Latin words
    shrink3: float  # 。？！
    stretch: float  # Western spaces and Han–Latin gaps
    gaps: int  # inter-character gaps spread equally (Latin words' inner gaps included)
    hl: int

    @property
    def shrink(self) -> float:
        return self.shrink1 + self.shrink2 + self.shrink_track + self.shrink3


def _measure(arr: _Arrays, i: int, j: int, first: bool, s: Settings) -> _Measure:
    """Price the line of atoms [i, j): boundaries i+1 … j-1 are inside it."""
    atoms = arr.atoms
    em = s.size
    inside = j - 1 > i
    hl = arr.hl[j - 1] - arr.hl[i] if inside else 0
    inner = arr.inner[j] - arr.inner[i]
    gaps = (arr.gaps[j - 1] - arr.gaps[i] if inside else 0) + inner
    spaces = arr.spaces[j] - arr.spaces[i]
    natural = arr.width[j] - arr.width[i] - (arr.pair[j - 1] - arr.pair[i] if inside else 0.0)
    end, start = atoms[j - 1], atoms[i]
    natural -= end.rblank  # a mark ending a line is set half width
    natural += end.hyphen if j < len(atoms) else 0.0  # a hyphenated word's piece: its hyphen
    shrink1 = arr.g1[j] - arr.g1[i]
    shrink3 = arr.g3[j] - arr.g3[i]
    if end.kind == PUNCT:  # its right blank is spent already
        if end.stop:
            shrink3 -= arr.rrem[j - 1]
        else:
            shrink1 -= arr.rrem[j - 1]
    if start.kind == PUNCT and not start.stop:  # the whole left blank, not what a pair left of it
        shrink1 += _start_blank(start, first) - arr.lrem[i]
    if start.opening and not first:
        natural -= start.lblank  # an opening bracket at a line start loses its blank half
    natural += hl * s.han_latin * em
    natural += (s.indent if first else s.hang) * em
    space_natural = arr.space_width[j] - arr.space_width[i]
    shrink1 += max(0.0, space_natural - spaces * WORD_SPACE_MIN * em)
    shrink2 = hl * (s.han_latin - HAN_LATIN_MIN) * em
    shrink_track = (arr.inner_size[j] - arr.inner_size[i]) * TRACK_SHRINK
    stretch = max(0.0, spaces * WORD_SPACE_MAX * em - space_natural) + hl * (HAN_LATIN_MAX - s.han_latin) * em
    return _Measure(natural, max(0.0, shrink1), shrink2, shrink_track, max(0.0, shrink3), stretch, gaps, hl)


def _start_blank(atom: Atom, first: bool) -> float:
    """Left blank a line's first atom still has to give (none once a line start took it)."""
    return 0.0 if atom.opening and not first else atom.lblank


def _allowed(atoms: list[Atom]) -> list[bool]:
    """Boundary k (before atom k) may break: not before a no-start mark nor after a no-end one;
    at a space the space itself is the break (and disappears)."""
    n = len(atoms)
    allowed = [False] * (n + 1)
    allowed[n] = True
    for k in range(1, n):
        a, b = atoms[k - 1], atoms[k]
        if b.kind == SPACE or a.kind == SPACE:
            allowed[k] = b.kind == SPACE
        else:
            allowed[k] = not (b.no_start or a.no_end)
    return allowed


def break_lines(arr: _Arrays, s: Settings) -> tuple[_Arrays, list[tuple[int, int]]]:
    """The atoms as set (Latin words broken if they had to be) and the (start, end) ranges of
    the lines of least total demerits.

    A first pass keeps Latin words and numbers whole and only takes lines whose spacing stays
    within 0.25 em. When no such way through exists (a word wider than the column, a long
    number after a bracket in a narrow column), the words become breakable — addresses at their
    punctuation, words after their hyphens or where English hyphenation allows, anything wider
    than a line anywhere — and the passes run again: capped, then taking any line (the lines it
    spreads further are marked `strained`). Only if that fails too does a single character (孤字)
    end the paragraph: the prohibitions outrank it.
    """
    if not arr.atoms:
        return arr, []
    ranges = _optimal(arr, _allowed(arr.atoms), s, capped=True)
    if ranges:
        return arr, ranges
    narrowest = s.measure - max(s.indent, s.hang, 0.0) * s.size
    atoms = breakable(arr.atoms, narrowest)
    if len(atoms) != len(arr.atoms):  # some word could break: try again within 0.25 em
        arr = _Arrays(atoms)
        ranges = _optimal(arr, _allowed(atoms), s, capped=True)
        if ranges:
            return arr, ranges
    allowed = _allowed(arr.atoms)
    return arr, (
        _optimal(arr, allowed, s, capped=False)
        or (s.min_last_line > 1 and _optimal(arr, allowed, replace(s, min_last_line=1), capped=False))
        or _greedy(arr, s)
    )


def _optimal(arr: _Arrays, allowed: list[bool], s: Settings, capped: bool) -> list[tuple[int, int]] | None:
    """Least-demerit breaks by dynamic programming over the allowed boundaries. The inner loop
    prices each candidate line as `_measure` would, written out because it runs for every
    candidate (tests/typeset/test_compose.py holds the plain reference it must agree with).

    Only boundaries some line reaches are tried as line starts (`starts`, in order, each with the
    prefix sums a line from it subtracts), latest first, until a start leaves the line too wide."""
    atoms = arr.atoms
    n = len(atoms)
    measure, em = s.measure, s.size
    indent, hang = s.indent * em, s.hang * em
    width, pair, hls, gaps_at, g1, g3 = arr.width, arr.pair, arr.hl, arr.gaps, arr.g1, arr.g3
    inner, inner_size, spaces_at, space_width, content = arr.inner, arr.inner_size, arr.spaces, arr.space_width, arr.content
    hl_width, hl_shrink, hl_stretch = s.han_latin * em, (s.han_latin - HAN_LATIN_MIN) * em, (HAN_LATIN_MAX - s.han_latin) * em
    lrem, rrem = arr.lrem, arr.rrem
    # The widest each prefix can be set (every gap at its limit): a line whose start leaves it
    # narrower than the measure even so cannot be justified within 0.25 em, and is skipped.
    reach = [
        width[k] + hls[k] * HAN_LATIN_MAX * em + (gaps_at[k] + inner[k]) * MAX_EXPANSION * em + spaces_at[k] * WORD_SPACE_MAX * em
        for k in range(n + 1)
    ]
    # per line start i (not the paragraph's): a mark's left blank still to give, an opening bracket's cut
    start_g1 = [(_start_blank(a, False) - lrem[k]) if a.kind == PUNCT and not a.stop else 0.0 for k, a in enumerate(atoms)]
    start_cut = [a.lblank if a.opening else 0.0 for a in atoms]
    start_g1.append(0.0)  # (a start at n, after a closing space: no line from there)
    start_cut.append(0.0)
    prefix = (width, pair, hls, gaps_at, g1, g3, spaces_at, space_width, inner, inner_size, content)
    at_start = list(zip(*prefix, start_g1, start_cut, repeat(hang), strict=False))
    a = atoms[0]
    first_g1 = (a.lblank - lrem[0]) if a.kind == PUNCT and not a.stop else 0.0
    starts = [(*at_start[0][:11], first_g1, 0.0, indent)]  # the first line: its indent, its opening bracket whole
    starts_b, starts_i, starts_best, starts_reach = [0], [0], [0.0], [reach[0]]
    # per line end j (atoms[j - 1] ends it): what a line to j adds, how its last mark is set, a word broken there
    end_cut = [a.rblank - a.hyphen for a in atoms]
    end_cut[-1] = atoms[-1].rblank  # the paragraph's end: no hyphen
    end_g1 = [rrem[k] if a.kind == PUNCT and not a.stop else 0.0 for k, a in enumerate(atoms)]
    end_g3 = [rrem[k] if a.stop else 0.0 for k, a in enumerate(atoms)]
    split_at = [a.penalty for a in atoms[1:]] + [0.0]
    at_end = zip(
        width[1:], pair, hls, gaps_at, g1[1:], g3[1:], spaces_at[1:], space_width[1:], inner[1:], inner_size[1:], content[1:],
        end_cut, end_g1, end_g3, split_at, reach[1:], strict=False,
    )  # fmt: skip
    total_content, min_last = content[n], s.min_last_line
    ragged = s.align != "justify"  # left, right or centred lines are not spread
    window = capped and not ragged
    too_short = hang - measure + 1e-3
    back = [-1] * (n + 1)
    best_n = INFEASIBLE
    for j, ends in enumerate(at_end, 1):
        if not allowed[j]:
            continue
        wj, pj, hj, gj, g1j, g3j, spj, swj, innj, innsj, cj, ec, eg1, eg3, split, reach_j = ends
        last = j == n
        best_j, back_j = INFEASIBLE, -1
        index = len(starts) - 1
        if not last and window:  # skip the starts that leave the line too short
            index = min(index, bisect_right(starts_reach, reach_j + too_short) - 1)
            if index < 0 and reach_j + indent >= measure - 1e-3:
                index = 0
        if index >= 0 and starts_i[index] >= j:  # from after a space just before j: no line
            index -= 1
        while index >= 0:
            wi, pi, hli, gi, g1i, g3i, spi, swi, inni, innsi, ci, sg1, sc, lead = starts[index]
            before = starts_best[index]
            index -= 1
            hl = hj - hli
            if hl or spj != spi or innsj != innsi:
                natural = wj - wi + lead - (pj - pi) - ec + hl * hl_width - sc
                shrink1 = g1j - g1i - eg1 + sg1
                stretch = hl * hl_stretch
                spaces = spj - spi
                if spaces:
                    natural_spaces = swj - swi
                    extra = natural_spaces - spaces * WORD_SPACE_MIN * em
                    if extra > 0.0:
                        shrink1 += extra
                    extra = spaces * WORD_SPACE_MAX * em - natural_spaces
                    if extra > 0.0:
                        stretch += extra
                if shrink1 < 0.0:
                    shrink1 = 0.0
                shrink2 = hl * hl_shrink
                shrink3 = g3j - g3i - eg3
                if shrink3 < 0.0:
                    shrink3 = 0.0
                track = (innsj - innsi) * TRACK_SHRINK
            else:  # no Han–Latin gap, word space or number in the line: their terms are all 0.0
                natural = wj - wi + lead - (pj - pi) - ec - sc
                shrink1 = g1j - g1i - eg1 + sg1
                if shrink1 < 0.0:
                    shrink1 = 0.0
                shrink3 = g3j - g3i - eg3
                if shrink3 < 0.0:
                    shrink3 = 0.0
                stretch = shrink2 = track = 0.0
            slack = measure - natural
            if slack + shrink1 + shrink2 + shrink3 + track < -EPS:
                break  # starting earlier only makes the line wider
            if last and total_content >= min_last and cj - ci < min_last:
                continue  # 孤字不成行
            if slack < -EPS:  # squeezed: the marks first, then Han–Latin gaps, 。？！, numbers
                need = -slack
                use = shrink1 if shrink1 < need else need
                badness = 20 * use / em
                need -= use
                if shrink2:
                    use = shrink2 if shrink2 < need else need
                    badness += 60 * use / em
                    need -= use
                if shrink3:
                    use = shrink3 if shrink3 < need else need
                    badness += 200 * use / em
                    need -= use
                if track:
                    use = track if track < need else need
                    badness += 400 * use / em
                cost = (1 + badness) ** 2
            elif last:
                cost = 1.0
            elif ragged:  # set at natural width: short lines cost a little, a split address more
                cost = (1 + slack / em) ** 2
            else:
                rest = slack - stretch
                if rest <= EPS:
                    cost = (1 + 10 * slack / em) ** 2 if slack > EPS else 1.0
                else:
                    gaps = gj - gi + innj - inni
                    if gaps == 0:
                        if capped:
                            continue
                        cost = (1 + RAGGED * (1 + rest / em)) ** 2
                    else:
                        expansion = rest / gaps / em
                        if expansion > MAX_EXPANSION + EPS and capped:
                            continue
                        badness = 100 * (expansion / 0.1) ** 3
                        if expansion > MAX_EXPANSION:
                            badness += 1e5 * (1 + (expansion - MAX_EXPANSION) / 0.05)
                        cost = (1 + badness) ** 2
            total = before + cost + split
            if total < best_j:
                best_j, back_j = total, index + 1
        if back_j < 0:
            continue  # no line ends here
        back[j] = starts_b[back_j]
        if last:
            best_n = best_j
            break
        i = j + 1 if atoms[j].kind == SPACE else j
        starts.append(at_start[i])
        starts_b.append(j)
        starts_i.append(i)
        starts_best.append(best_j)
        starts_reach.append(reach[i])
    if best_n == INFEASIBLE:
        return None
    ranges: list[tuple[int, int]] = []
    j = n
    while j > 0:
        b = back[j]
        ranges.append((b + 1 if b and atoms[b].kind == SPACE else b, j))
        j = b
    ranges.reverse()
    return ranges


def _greedy(arr: _Arrays, s: Settings) -> list[tuple[int, int]]:
    """No break sequence fits (a word wider than the measure): fill greedily; the wide word
    overflows its line, and the preflight check reports it."""
    atoms = arr.atoms
    ranges: list[tuple[int, int]] = []
    n = len(atoms)
    i = 0
    while i < n:
        j = i + 1
        while j < n:
            m = _measure(arr, i, j + 1, not ranges, s)
            if m.natural - m.shrink > s.measure + EPS:
                break
            j += 1
        ranges.append((i, j))
        i = j + 1 if j < n and atoms[j].kind == SPACE else j
    return ranges


def compose(runs: list[tuple[str, str, float]], s: Settings, fonts: FontStack, context: str = "") -> list[Line]:
    """Lines of a paragraph given as runs of (text, font role, size)."""
    arr, ranges = break_lines(_Arrays(trim_spaces(make_atoms(runs, fonts, s.strict, context))), s)
    return [set_line(arr, i, j, s, first=index == 0, last=index == len(ranges) - 1) for index, (i, j) in enumerate(ranges)]


def set_line(arr: _Arrays, i: int, j: int, s: Settings, first: bool, last: bool) -> Line:
    """Place the atoms of one line: compress, then justify in clreq order."""
    atoms = arr.atoms
    em = s.size
    m = _measure(arr, i, j, first, s)
    slack = s.measure - m.natural
    cut_left = [0.0] * (j - i)  # blank removed on each side of each atom
    cut_right = [0.0] * (j - i)
    pairs = arr.pairs
    for k in pairs[bisect_right(pairs, i) : bisect_left(pairs, j)]:  # (elsewhere no pair closes up: take is 0.0)
        take = arr.pair[k] - arr.pair[k - 1]
        if take > EPS:
            from_left = min(atoms[k - 1].rblank, take)
            cut_right[k - 1 - i] += from_left
            cut_left[k - i] += take - from_left
    cut_right[-1] += atoms[j - 1].rblank
    if atoms[i].opening and not first:
        cut_left[0] += atoms[i].lblank
    hl_width = s.han_latin * em
    spread = 0.0
    tracking = 0.0
    spaces = [k for k in range(i, j) if atoms[k].kind == SPACE] if arr.spaces[j] != arr.spaces[i] else []
    if slack < -EPS:
        need = _squeeze(arr, i, j, cut_left, cut_right, -slack, first, stops=False)
        if need > EPS and spaces:
            room = sum(max(0.0, atoms[k].width - WORD_SPACE_MIN * em) for k in spaces)
            take = min(need, room)
            for k in spaces:
                cut_right[k - i] += take * max(0.0, atoms[k].width - WORD_SPACE_MIN * em) / room if room else 0.0
            need -= take
        if need > EPS and m.hl:
            take = min(need, m.shrink2)
            hl_width -= take / m.hl
            need -= take
        if need > EPS:
            need = _squeeze(arr, i, j, cut_left, cut_right, need, first, stops=True)
        if need > EPS and m.shrink_track:
            take = min(need, m.shrink_track)
            tracking = -TRACK_SHRINK * take / m.shrink_track * em
            need -= take
    elif slack > EPS and not last and s.align == "justify":
        rest = slack
        if spaces:
            room = sum(max(0.0, WORD_SPACE_MAX * em - atoms[k].width) for k in spaces)
            take = min(rest, room)
            for k in spaces:
                cut_right[k - i] -= take * max(0.0, WORD_SPACE_MAX * em - atoms[k].width) / room if room else 0.0
            rest -= take
        if rest > EPS and m.hl:
            take = min(rest, m.hl * (HAN_LATIN_MAX * em - hl_width))
            hl_width += take / m.hl
            rest -= take
        if rest > EPS and m.gaps:
            spread = rest / m.gaps
            tracking = spread
    glyphs, x = _place(arr, i, j, (s.indent if first else s.hang) * em, cut_left, cut_right, (spread, hl_width, tracking), em)
    line = Line(
        glyphs, s.measure, m.natural, spread / em, first=first, last=last, right=x, strained=spread / em > MAX_EXPANSION + EPS
    )
    if s.align in ("center", "right"):
        shift = (s.measure - line.right) / (2 if s.align == "center" else 1)
        line.glyphs = [g._replace(x=g.x + shift) for g in glyphs]
        line.right += shift
    return line


def _place(
    arr: _Arrays, i: int, j: int, x: float, cut_left: list[float], cut_right: list[float], spacing: tuple, em: float
) -> tuple[list[Glyph], float]:
    """The glyphs of atoms i…j-1 from `x` on, with the blanks cut and the (spread, Han–Latin gap,
    tracking) chosen; a hyphen after a hyphenated word's piece. Also where the line ends."""
    atoms = arr.atoms
    spread, hl_width, tracking = spacing
    steps = arr.steps[i:j]
    steps[0] = 0  # (the glue before the line's first atom is not in it)
    glyphs = []
    append = glyphs.append
    for a, step, left, right in zip(atoms[i:j], steps, cut_left, cut_right, strict=True):
        if step == GAP:
            x += spread
        elif step == HAN_LATIN:
            x += hl_width
        origin = x - left
        width = a.width
        track = 0.0
        if a.kind == LATIN and len(a.text) > 1 and tracking and (tracking > 0 or _numeric(a.text)):
            track = tracking if tracking > 0 else tracking * a.size / em
            width += track * (len(a.text) - 1)
        append(_new_glyph((a.text, a.face.name, a.size, origin, width, a.hscale, track, False)))
        x = origin + width - right
    end = atoms[j - 1]
    if end.hyphen and j < len(atoms):  # a word hyphenated here: the hyphen is drawn, not text
        glyphs.append(Glyph("-", end.face.name, end.size, x, end.hyphen, artifact=True))
        x += end.hyphen
    return glyphs, x


def _squeeze(
    arr: _Arrays, i: int, j: int, cut_left: list[float], cut_right: list[float], need: float, first: bool, stops: bool
) -> float:
    """Take up to `need` pt from the blanks still left in the line's marks (the stops, or the
    others), evenly; return what is still needed."""
    atoms = arr.atoms
    pool = []
    for k in range(i, j):
        a = atoms[k]
        if a.kind != PUNCT or a.stop != stops:
            continue
        left = _start_blank(a, first) if k == i else arr.lrem[k]
        right = 0.0 if k == j - 1 else arr.rrem[k]
        if left > EPS:
            pool.append((k, True, left))
        if right > EPS:
            pool.append((k, False, right))
    room = sum(r for _, _, r in pool)
    if room <= EPS:
        return need
    take = min(need, room)
    for k, is_left, r in pool:
        if is_left:
            cut_left[k - i] += take * r / room
        else:
            cut_right[k - i] += take * r / room
    return need - take
