"""Display lines (headlines, kickers, headings, bylines): broken only between phrases, balanced.

A source headline marks its phrases with spaces (``稳就业 惠民生 办好家门口的招聘会``);
punctuation ends a phrase too. The fewest lines are used, and among those the break that
makes the longest line shortest — never 做 / 好 in the middle of a word. Only a phrase
wider than the measure is broken inside, at the places the body composer would allow, and a
Latin word wider than the measure inside itself (as the body composer does when it must).
"""

from __future__ import annotations

from bisect import bisect_right

from .atoms import PUNCT, SPACE, Atom, breakable, make_atoms, trim_spaces
from .compose import EPS, Line, Settings, _allowed, _Arrays, _measure, set_line
from .fonts import FontStack


def compose_display(
    text: str,
    role: str,
    size: float,
    measure: float,
    fonts: FontStack,
    context: str = "",
    align: str = "center",
) -> list[Line]:
    """Balanced display lines for `text` at `size`, each no wider than `measure`."""
    atoms = trim_spaces(make_atoms([(text, role, size)], fonts, context=context))
    if not atoms:
        return []
    settings = Settings(measure=measure, size=size, indent=0.0, align=align)
    arr = _Arrays(atoms)
    allowed = _phrase_breaks(atoms)
    ranges = _balanced(atoms, arr, settings, allowed)
    if ranges is None:  # a phrase wider than the measure: break inside that phrase only
        ranges = _balanced(atoms, arr, settings, _inside_long_phrases(atoms, arr, settings, allowed))
    whole = atoms
    for anywhere in (False, True):  # a Latin word wider than the measure: break inside it too
        if ranges is None:
            atoms = breakable(whole, measure, anywhere)
            arr = _Arrays(atoms)
            ranges = _balanced(atoms, arr, settings, _inside_long_phrases(atoms, arr, settings, _phrase_breaks(atoms)))
    ranges = ranges or [(0, len(atoms))]
    return [set_line(arr, i, j, settings, first=False, last=True) for i, j in ranges]


def _phrase_breaks(atoms: list[Atom]) -> list[int]:
    """Boundaries between phrases: at spaces, and after a mark that ends a phrase."""
    out = []
    for k in range(1, len(atoms)):
        before, here = atoms[k - 1], atoms[k]
        if here.kind == SPACE or (before.kind == PUNCT and not before.opening and not here.no_start and here.kind != SPACE):
            out.append(k)
    return out


def _inside_long_phrases(atoms, arr, settings, phrase_breaks: list[int]) -> list[int]:
    """Phrase breaks, plus the body composer's breaks inside phrases wider than the measure."""
    anywhere = {k for k, ok in enumerate(_allowed(atoms)) if ok and 0 < k < len(atoms)}
    allowed = set(phrase_breaks)
    edges = [0, *phrase_breaks, len(atoms)]
    for start, end in zip(edges, edges[1:], strict=False):
        first = start + 1 if start and atoms[start].kind == SPACE else start
        if first < end and _measure(arr, first, end, False, settings).natural > settings.measure + EPS:
            allowed.update(k for k in anywhere if first < k < end)
    return sorted(allowed)


def _lines_within(atoms, arr, settings, allowed: list[int], limit: float) -> list[tuple[int, int]] | None:
    """Greedy lines no wider than `limit` using only `allowed` breaks (None if a piece is wider)."""
    n = len(atoms)
    ranges = []
    start = 0
    candidates = [*allowed, n]
    while start < n:
        end = None
        for k in candidates[bisect_right(candidates, start) :]:
            if _measure(arr, start, k, False, settings).natural <= limit + EPS:
                end = k
            else:
                break
        if end is None:
            return None
        ranges.append((start, end))
        start = end + 1 if end < n and atoms[end].kind == SPACE else end
    return ranges


def _balanced(atoms, arr, settings, allowed: list[int]) -> list[tuple[int, int]] | None:
    """The fewest lines, then the smallest widest line (binary search on the width limit)."""
    fewest = _lines_within(atoms, arr, settings, allowed, settings.measure)
    if fewest is None:
        return None
    if len(fewest) == 1:
        return fewest
    low, high = 0.0, settings.measure
    best = fewest
    for _ in range(30):
        mid = (low + high) / 2
        ranges = _lines_within(atoms, arr, settings, allowed, mid)
        if ranges is not None and len(ranges) == len(fewest):
            best, high = ranges, mid
        else:
            low = mid
        if high - low < 0.05:
            break
    return best
