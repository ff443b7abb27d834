"""Display lines (headlines, kickers, headings, bylines): broken between phrases, then words, balanced.

A source headline marks its phrases with spaces (``稳就业 惠民生 办好家门口的招聘会``);
punctuation ends a phrase too. A phrase wider than the measure breaks between its words
(publish.words: 溪口镇首家智慧 / 农贸市场开业, never 农 / 贸); only a word wider than the measure
breaks inside, where the body composer would allow, and a Latin word wider than the measure
inside itself (as the body composer does when it must), and only marks that may neither end
nor start a line, wider than the measure together, break where the rules forbid. The fewest lines are used; among them
the most even ones, the first line not the shorter, at the best breaks (`_balanced`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter

from ..clreq import MIDDLE
from ..words import word_edges
from .atoms import HAN, PUNCT, SPACE, Atom, breakable, make_atoms, trim_spaces
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
    ranges = _balanced(atoms, arr, settings, _breaks(atoms, arr, settings))
    whole = atoms
    for anywhere in (False, True):  # a Latin word wider than the measure: break inside it too
        if ranges is None:
            atoms = breakable(whole, measure, anywhere)
            arr = _Arrays(atoms)
            ranges = _balanced(atoms, arr, settings, _breaks(atoms, arr, settings))
    if ranges is None:  # marks no line may start or end with, wider than the measure together (“““““)
        ranges = _lines_within(atoms, _Widths(arr, settings), list(range(1, len(atoms))), measure) or [(0, len(atoms))]
    return [set_line(arr, i, j, settings, first=False, last=True) for i, j in ranges]


PHRASE, WORD, BESIDE_SINGLE, CLINGING, INSIDE = range(5)  # how good a break is, best first
CLING_LEFT = frozenset("的地得了着过们等之吗呢吧啊")  # particles that end the phrase before them: never start a line
CLING_RIGHT = frozenset("在对把被向从与和及将让给由于以")  # prepositions and conjunctions: never end a line


def _breaks(atoms: list[Atom], arr, settings) -> dict[int, int]:
    """The breaks display lines may use, each with its grade: between phrases; inside a phrase
    wider than the measure, between its words; inside a word only where one is wider than it.
    Words are looked up only when a phrase is too wide (most display lines need none)."""
    allowed = _allowed(atoms)
    grades = {k: PHRASE for k in range(1, len(atoms)) if allowed[k] and _ends_phrase(atoms[k - 1], atoms[k])}
    for wanted in ((WORD, BESIDE_SINGLE, CLINGING), (INSIDE,)):
        edges = [0, *sorted(grades), len(atoms)]
        wide = []
        for start, end in zip(edges, edges[1:], strict=False):
            first = start + 1 if start and atoms[start].kind == SPACE else start
            if first < end and _measure(arr, first, end, False, settings).natural > settings.measure + EPS:
                wide.append((first, end))
        if not wide:
            break
        inner = _inner_grades(atoms, allowed)
        for first, end in wide:
            grades.update((k, inner[k]) for k in range(first + 1, end) if inner.get(k) in wanted)
    return dict(sorted(grades.items()))


def _ends_phrase(before: Atom, here: Atom) -> bool:
    """A boundary between phrases: at a space, after a mark that ends a phrase, before an opening one."""
    return here.kind == SPACE or (before.kind == PUNCT and not before.opening and before.text not in MIDDLE) or here.opening


def _inner_grades(atoms: list[Atom], allowed: list[bool]) -> dict[int, int]:
    """Each boundary inside a phrase that the clreq rules allow, graded: between two words of two
    or more characters (WORD), next to a one-character word (BESIDE_SINGLE), before 的 or after
    在 (CLINGING), inside a word (INSIDE)."""
    words = _words(atoms)
    length = Counter()  # characters per word
    for word, atom in zip(words, atoms, strict=True):
        length[word] += len(atom.text)
    grades = {}
    for k in range(1, len(atoms)):
        before, here = atoms[k - 1], atoms[k]
        if not allowed[k] or _ends_phrase(before, here):
            continue
        if here.joined or before.text in MIDDLE or words[k - 1] == words[k]:
            grades[k] = INSIDE  # a piece of a Latin word, a name with a middle dot (阿卜杜勒·阿齐兹), a word
        elif (length[words[k]] == 1 and here.text in CLING_LEFT) or (length[words[k - 1]] == 1 and before.text in CLING_RIGHT):
            grades[k] = CLINGING
        elif length[words[k - 1]] == 1 or length[words[k]] == 1:
            grades[k] = BESIDE_SINGLE
        else:
            grades[k] = WORD
    return grades


def _words(atoms: list[Atom]) -> list[int]:
    """For each atom, the number of the word it belongs to: Han characters grouped by the word
    list (publish.words), every other atom a word of its own."""
    text = "".join(atom.text[0] if atom.kind == HAN and atom.text else "\0" for atom in atoms)
    edges = word_edges(text)
    out, word = [], 0
    for k, atom in enumerate(atoms):
        if k and (atom.kind != HAN or atoms[k - 1].kind != HAN or k in edges):
            word += 1
        out.append(word)
    return out


def _lines_within(atoms, width, allowed: list[int], limit: float) -> list[tuple[int, int]] | None:
    """Greedy lines no wider than `limit` using only `allowed` breaks (None if a piece is wider)."""
    n = len(atoms)
    ranges = []
    start = 0
    candidates = [*allowed, n]
    while start < n:
        end = None
        for k in candidates[bisect_right(candidates, start) :]:
            if width(start, k) <= limit + EPS:
                end = k
            else:
                break
        if end is None:
            return None
        ranges.append((start, end))
        start = end + 1 if end < n and atoms[end].kind == SPACE else end
    return ranges


def _balanced(atoms, arr, settings, breaks: dict[int, int]) -> list[tuple[int, int]] | None:
    """The fewest lines; then, of the line sets whose widest line is at most one em more than
    the narrowest possible, the one with the least imbalance (ems between its longest and its
    shortest line, and half of each em a line is longer than the one above) plus the cost of its
    breaks' grades; then the one with the longest first lines."""
    allowed = sorted(breaks)
    width = _Widths(arr, settings)
    fewest = _lines_within(atoms, width, allowed, settings.measure)
    if fewest is None:
        return None
    if len(fewest) == 1:
        return fewest
    low, high = 0.0, settings.measure
    best = fewest
    for _ in range(30):
        mid = (low + high) / 2
        ranges = _lines_within(atoms, width, allowed, mid)
        if ranges is not None and len(ranges) == len(fewest):
            best, high = ranges, mid
        else:
            low = mid
        if high - low < 0.05:
            break
    if len(fewest) > MOST_CHOSEN:
        return best
    limit = min(settings.measure, high + settings.size)
    return _least_cost(atoms, width, settings.size, breaks, len(fewest), limit) or best


class _Widths:
    """The natural width of a display line of atoms start…end-1, each measured once: balancing
    tries the same lines again and again."""

    def __init__(self, arr: _Arrays, settings: Settings):
        self.arr, self.settings = arr, settings
        self.known: dict[tuple[int, int], float] = {}

    def __call__(self, start: int, end: int) -> float:
        width = self.known.get((start, end))
        if width is None:
            width = self.known[(start, end)] = _measure(self.arr, start, end, False, self.settings).natural
        return width


MOST_CHOSEN = 4  # lines: a display text set in more is balanced by its widest line alone
GROWTH = 0.5  # imbalance an em of a line longer than the one above it counts as (the first line the same or longer)
COST = {PHRASE: 0.0, WORD: 0.0, BESIDE_SINGLE: 1.0, CLINGING: 5.0, INSIDE: 8.0}  # ems of imbalance a break of each grade is worth


def _least_cost(atoms, width, em: float, breaks: dict[int, int], count: int, limit: float) -> list[tuple[int, int]] | None:
    """Of every way to set `count` lines no wider than `limit`, the one `_balanced` prefers."""
    n = len(atoms)
    candidates = sorted(breaks)
    found: list[tuple[tuple, list[tuple[int, int]]]] = []

    def extend(start: int, ranges: list[tuple[int, int]], widths: list[float], cost: float) -> None:
        if len(ranges) == count - 1:
            last = width(start, n)
            if last <= limit + EPS:
                widths = [*widths, last]
                growth = sum(
                    max(0.0, b - a) for a, b in zip(widths, widths[1:], strict=False)
                )  # a line longer than the one above
                score = round((max(widths) - min(widths) + GROWTH * growth) / em + cost, 6)
                found.append(((score, [-end for _, end in ranges]), [*ranges, (start, n)]))
            return
        for k in candidates[bisect_right(candidates, start) :]:
            line = width(start, k)
            if line > limit + EPS:
                break
            after = k + 1 if atoms[k].kind == SPACE else k
            if width(after, n) > (count - len(ranges) - 1) * limit + EPS:
                continue  # the rest cannot fit the lines left
            extend(after, [*ranges, (start, k)], [*widths, line], cost + COST[breaks[k]])

    extend(0, [], [], 0.0)
    return min(found)[1] if found else None
