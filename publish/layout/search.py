"""The page search: which articles a page takes, in which stacks of columns, how wide and how
tall each module is — chosen by a cost over empty cells, jumps, headline order and 碰题.

A page is divided (`structures`) into stacks of whole columns from its top, the first headed by
the lead; or the lead stands across its first columns (across the page: 通栏) over stacks of
those columns — its headline alone, when its body heads the first stack under it (an L) —
beside stacks from the top. The articles after the lead go down the stacks as consecutive runs
in weight order: the stacks from the top first, left to right, then those under the lead (区序:
upper right outranks lower left). Every module is elastic: its photo may grow or shrink by the
crop it allows, space may open round its headline and between its paragraphs, and the last
article of a page with more copy after it may be cut (a jump). All stacks end at one depth: the
page's foot when there is copy enough, higher on an issue's last page, whose modules then end
level instead of leaving holes. Every division and every split of the articles over it is
scored with prefix sums, so one page costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

# costs, per cell of one column by one row unless said otherwise
HOLE = 12.0  # a cell no module covers, inside the page's depth
TAIL = 6.0  # a cell under the page's depth on a page that had copy to fill it
TAIL_LAST = 0.4  # … on an issue's last page: its modules end level instead
TAIL_OWN = 2.0  # … on a page with no other copy to take: space round headlines first, then level
COARSE = 500.0  # a photo that would print below 150 ppi at that width
PAD = 2.5  # a row of space opened round a headline or between paragraphs
GROW = 0.8  # a row a photo grows or shrinks by (within its crop): cheaper than space, dearer than nothing
JUMP = 60.0  # per jump (whole)
AVOIDABLE = 3000.0  # a jump the page could have done without
COLLIDE = 1500.0  # two headlines side by side (碰题)
SHALLOW = 2.5  # per cell short of SHALLOW_ROWS body rows in a module's columns
SHALLOW_ROWS = 8
NARROW_LEAD = 400.0  # the lead narrower than its page wants
WIDER_LIGHTER = 15.0  # per column a lighter story is wider than the lead
WIDE_OTHER = 60.0  # per column a story other than the lead spans beyond half the page
STACKS = 4  # at most this many stacks on a page


@dataclass(frozen=True)
class Option:
    """One article's module heights at each width (index = columns; 0 unused): natural, fewest
    (photo shrunk), most (photo grown, space round the headline); the rows its body needs in one
    column; and what a start needs if it is cut (headline, photo, three lines)."""

    natural: tuple[int, ...]
    fewest: tuple[int, ...]
    most: tuple[int, ...]
    photo_room: tuple[int, ...]  # rows of `most - natural` a photo gives (cheap growth)
    body: tuple[int, ...]  # body rows at each width
    start: tuple[int, ...]  # rows a cut module needs at least
    lead: bool = False  # the page's lead (weight 0)
    penalty: tuple[float, ...] = ()  # what setting it at each width costs beyond space (a photo printing too coarse)
    head: tuple[int, ...] = ()  # rows of its headline block at each width
    photo: tuple[int, ...] = ()  # rows of its photos (and captions) at each width


@dataclass(frozen=True)
class Slot:
    """Where the search put one option: its index, first column, width, top row and rows."""

    option: int
    column: int
    width: int
    row: int
    rows: int
    top_of_stack: bool
    cut: bool = False
    under: bool = False  # its stack starts under the lead (whose columns it shares), not at the page's top
    body: bool = False  # the lead's body alone, under its headline (no headline of its own)

    @property
    def photo_first(self) -> bool:
        """Whether its photo (if it has one) comes before its headline: at the top of a stack
        other than the lead's, where its headline would stand beside another's (碰题)."""
        return (self.column > 0 or self.under) and self.top_of_stack


@dataclass
class Plan:
    """The search's answer for one page: the options it takes (a prefix of those offered), where
    each goes, the depth the stacks end at, and the cost."""

    taken: int
    slots: list[Slot]
    depth: int
    cost: float
    band: bool = False  # the lead stands over stacks of its own columns (across the page: a 通栏 band)
    lead_width: int = 0
    split: int = 0  # the lead's headline over the stacks, its body in this many columns under it


@lru_cache(maxsize=64)
def patterns(columns: int, most: int = STACKS, least: int = 1) -> tuple[tuple[int, ...], ...]:
    """Every way to divide `columns` into at most `most` stacks of at least `least` columns."""
    out: list[tuple[int, ...]] = []
    for parts in range(1, min(most, columns) + 1):
        for cuts in combinations(range(1, columns), parts - 1):
            edges = (0, *cuts, columns)
            widths = tuple(edges[i + 1] - edges[i] for i in range(parts))
            if min(widths) >= least:
                out.append(widths)
    return tuple(out)


@dataclass(frozen=True)
class Structure:
    """A page's division: stacks of columns from the page's top, the first holding the lead; or
    the lead across its first `lead` columns over stacks of those columns (`under`), beside stacks
    from the top. Stacks are listed in the order they take the articles after the lead: those
    from the page's top left to right (upper right outranks lower left: 区序), then those under it."""

    stacks: tuple[tuple[int, int, bool], ...]  # (first column, width, under the lead)
    lead: int = 0  # columns of the lead over its own stacks (0: the lead heads the first stack)
    split: int = 0  # the lead's headline alone over the stacks, its body in the first `split` columns under it (an L)


@lru_cache(maxsize=16)
def structures(columns: int) -> tuple[Structure, ...]:
    """The divisions the search tries: stacks of two columns or more (on pages of six or more;
    a one-column stack only at the right edge), at most STACKS beside the lead."""
    least = 2 if columns >= 6 else 1
    out: list[Structure] = []

    def plain(widths: tuple[int, ...], start: int, under: bool) -> tuple[tuple[int, int, bool], ...]:
        stacks, x = [], start
        for w in widths:
            stacks.append((x, w, under))
            x += w
        return tuple(stacks)

    tops = [p for p in patterns(columns, STACKS, 1) if all(w >= least for w in p[:-1]) and (p[-1] >= least or len(p) > 1)]
    for pattern in tops:
        out.append(Structure(plain(pattern, 0, False)))
        lead = pattern[0]
        if lead < 2 * least:
            continue
        for below in patterns(lead, STACKS, least):
            if len(below) < 2 or len(below) + len(pattern) - 1 > STACKS:
                continue
            out.append(Structure(plain(pattern[1:], lead, False) + plain(below, 0, True), lead))
            if len(below) == 2:  # the lead's headline over its body and one stack beside it: no headline beside another
                beside = plain(pattern[1:], lead, False) + plain(below[1:], below[0], True)
                out.append(Structure(beside, lead, below[0]))
                out.append(Structure((*beside, (0, below[0], True)), lead, below[0]))  # more stories under the lead's body
    return tuple(out)


class _Sums:
    """Prefix sums of each option's heights at each width, so a run's total is one subtraction."""

    def __init__(self, options: list[Option], columns: int):
        self.n = len(options)
        self.nat, self.lo, self.hi, self.room = ([[0] * (self.n + 1) for _ in range(columns + 1)] for _ in range(4))
        self.fixed = [[0.0] * (self.n + 1) for _ in range(columns + 1)]
        for w in range(1, columns + 1):
            for i, o in enumerate(options):
                self.nat[w][i + 1] = self.nat[w][i] + o.natural[w]
                self.lo[w][i + 1] = self.lo[w][i] + o.fewest[w]
                self.hi[w][i + 1] = self.hi[w][i] + o.most[w]
                self.room[w][i + 1] = self.room[w][i] + o.photo_room[w]
                self.fixed[w][i + 1] = self.fixed[w][i] + _fixed(o, w, columns, lead=i == 0)

    def fixed_cost(self, w: int, a: int, b: int) -> float:
        """What the modules of options a…b-1 cost at width `w` whatever their place."""
        return self.fixed[w][b] - self.fixed[w][a]

    def run(self, w: int, a: int, b: int) -> tuple[int, int, int, int]:
        gaps = b - a - 1
        return (
            self.nat[w][b] - self.nat[w][a] + gaps,
            self.lo[w][b] - self.lo[w][a] + gaps,
            self.hi[w][b] - self.hi[w][a] + gaps + 2 * gaps,  # space above each module but the first
            self.room[w][b] - self.room[w][a],
        )


def _splits(count: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Ways to cut range(count) into `parts` non-empty consecutive runs: the run boundaries."""
    for cuts in combinations(range(1, count), parts - 1):
        yield (0, *cuts, count)


def search(
    options: list[Option],
    columns: int,
    rows: int,
    must: int,
    may_cut: bool,
    lead_columns: int,
    takes: Iterator[int] | list[int] | None = None,
    tail: float = TAIL,
    allowed: tuple[tuple[int, ...], ...] = (),
) -> Plan | None:
    """The cheapest plan for a page `columns` × `rows` taking a prefix of `options` (at least
    `must` of them); the last one taken may be cut when `may_cut`. `tail`: what a cell under the
    modules' level costs when they end above the page's foot — below TAIL (TAIL_LAST on an
    issue's last page, TAIL_OWN on a page with nothing else to take) they may. None when not
    even the first fits."""
    last = tail < TAIL
    if not options:
        return None
    sums = _Sums(options, columns)
    counts = sorted(set(takes)) if takes is not None else list(range(max(1, must), len(options) + 1))
    best: Plan | None = None
    for taken in counts:
        if taken < max(1, must) or taken > len(options):
            continue
        # a page that leaves options over is not the last: it fills to its foot and may jump
        ending = (last, tail) if taken == len(options) else (False, TAIL)
        cut = may_cut or taken < len(options)
        for structure in structures(columns):
            if allowed and top_pattern(structure) not in allowed:
                continue
            plan = _best_for(options, sums, structure, taken, columns, rows, cut, ending, lead_columns)
            if plan is not None:
                plan.cost += COLLIDE * collisions(options, plan.slots)
                if best is None or plan.cost < best.cost - 1e-9:
                    best = plan
    return best


def top_pattern(structure: Structure) -> tuple[int, ...]:
    """The widths of a division's stacks across the page's top, the lead's first (`[5, 3]`)."""
    widths = tuple(w for _, w, under in structure.stacks if not under)
    return ((structure.lead,) if structure.lead else ()) + widths


def head_rows_of(options: list[Option], slot: Slot) -> tuple[int, int]:
    """The rows a slot's headline block spans (its first and past its last), as the search sees
    it: under its photo when a photo leads the module (anywhere but at the page's top left)."""
    option = options[slot.option]
    head = option.head[slot.width] if option.head and not slot.body else 0
    first = slot.row + (option.photo[slot.width] if option.photo and slot.photo_first else 0)
    return first, first + head


def collisions(options: list[Option], slots: list[Slot]) -> int:
    """Pairs of modules side by side whose headlines overlap by half the shorter or more (碰题)."""
    count = 0
    heads = [(s, *head_rows_of(options, s)) for s in slots]
    for i, (a, a0, a1) in enumerate(heads):
        if a1 <= a0:
            continue
        for b, b0, b1 in heads[i + 1 :]:
            if b1 <= b0 or (a.column + a.width != b.column and b.column + b.width != a.column):
                continue
            overlap = min(a1, b1) - max(a0, b0)
            if overlap > 0 and overlap * 2 >= min(a1 - a0, b1 - b0):
                count += 1
    return count


def _best_for(options, sums, structure: Structure, taken, columns, rows, may_cut, ending, lead_columns) -> Plan | None:
    """The best split of the first `taken` options over the stacks of `structure`."""
    first = 1 if structure.lead else 0
    top = options[0].natural[structure.lead] + 1 if structure.lead else 0
    if structure.split:
        top = options[0].head[structure.lead] + 1
    if structure.lead and top >= rows - 3:
        return None
    count = taken - first
    if len(structure.stacks) > count:
        return None
    best = None
    for bounds in _splits(count, len(structure.stacks)):
        found = _evaluate(options, sums, structure, top, first, bounds, taken, columns, rows, may_cut, ending, lead_columns)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    if best is None:
        return None
    cost, depth, stacks = best
    slots = _slots(options, stacks, structure, top, depth)
    lead_width = structure.lead or structure.stacks[0][1]
    return Plan(taken, slots, depth, cost, bool(structure.lead), lead_width, structure.split)


def _evaluate(options, sums, structure, top, first, bounds, taken, columns, rows, may_cut, ending, lead_columns):
    """(cost, depth, stacks) of one arrangement; None when it cannot be set. Rows here count
    from the page's top; a stack under the lead starts `top` rows down."""
    last, tail = ending
    stacks = []  # [width, a, b, nat, lo, hi, room, cut, start, rows of the lead's body heading it]
    for s, (_column, width, under) in enumerate(structure.stacks):
        a, b = first + bounds[s], first + bounds[s + 1]
        nat, lo, hi, room = sums.run(width, a, b)
        start = top if under else 0
        stacks.append([width, a, b, nat + start, lo + start, hi + start, room, False, start, 0])
    if structure.split:  # the lead's body heads its own stack under its headline
        lead, w = options[0], structure.split
        head = lead.head[w]
        pad = 3 if head else 0  # its 留白 (columns.AIR) stays with the headline
        body = (lead.natural[w] - head, lead.fewest[w] - head, lead.most[w] - head - pad)
        if structure.stacks[-1][0] == 0:  # that stack takes stories of its own under the lead's body
            stacks[-1][3:6] = [v + b + 1 for v, b in zip(stacks[-1][3:6], body, strict=True)]
            stacks[-1][6] += lead.photo_room[w]
            stacks[-1][9] = body[1] + 1
        else:
            stacks.insert(0, [w, 0, 1, body[0] + top, body[1] + top, body[2] + top, lead.photo_room[w], False, top, 0])
    cost = 0.0
    if may_cut:
        last_stack = stacks[-1]
        w, a, b, start = last_stack[0], last_stack[1], last_stack[2], last_stack[8] + last_stack[9]
        before = start + (sums.run(w, a, b - 1)[1] + 1 if b - 1 > a else 0)
        if options[b - 1].natural[w] + before > rows:  # it does not fit: cut it at the foot
            if before + options[b - 1].start[w] > rows:
                return None
            last_stack[4] = last_stack[5] = rows
            last_stack[7] = True
    lowest = max(st[4] for st in stacks)
    if lowest > rows:
        return None
    depth = rows
    if last and not stacks[-1][7]:
        depth = max(lowest, min(min(st[5] for st in stacks), rows))
    lead_width = structure.lead or structure.stacks[0][1]
    for width, a, b, nat, _lo, hi, room, cut, start, lead_rows in stacks:
        cost += sums.fixed_cost(width, a, b) if a or not structure.split else 0.0
        if width > lead_width:
            cost += WIDER_LIGHTER * (width - lead_width) * (b - a - (a == 0))
        if cut:
            o = options[b - 1]
            cost += JUMP
            whole = start + lead_rows + (sums.run(width, a, b - 1)[0] + 1 if b - 1 > a else 0) + o.natural[width]
            if whole <= rows + 2 or o.body[width] - (rows - (whole - o.body[width])) <= 3:
                cost += AVOIDABLE
            continue
        if depth > hi:
            cost += (depth - hi) * width * HOLE
            grow = hi - nat
        else:
            grow = depth - nat
        if grow >= 0:
            cheap = min(grow, room)
            cost += (cheap * GROW + (grow - cheap) * PAD) * width
        else:
            cost += -grow * GROW * width
    cost += (rows - depth) * columns * tail
    if structure.lead:
        cost += _fixed(options[0], structure.lead, columns, lead=True)
    if lead_width < lead_columns:
        cost += NARROW_LEAD * (lead_columns - lead_width)
    return cost, depth, stacks


def _fixed(option: Option, width: int, columns: int, lead: bool) -> float:
    """What a module costs at `width` wherever it stands: columns too shallow, a photo too
    coarse, a story other than the lead spanning most of the page."""
    cost = _shallow(option, width) + _penalty(option, width)
    if not lead and 2 * width > columns + 1:
        cost += WIDE_OTHER * (2 * width - columns - 1) / 2
    return cost


def _penalty(option: Option, width: int) -> float:
    return option.penalty[width] if option.penalty else 0.0


def _shallow(option: Option, width: int) -> float:
    """What a module costs for columns shorter than an editor likes (a long article set
    across the page in a few lines is a strip, not a module)."""
    body = option.body[width]
    if width == 1 or body >= SHALLOW_ROWS or body == option.body[1]:
        return 0.0
    return (SHALLOW_ROWS - body) * width * SHALLOW


def _slots(options, stacks, structure: Structure, top: int, depth: int) -> list[Slot]:
    """Each option's place: the lead over its stacks first, then down each stack; heights are
    natural here and shared out to the depth when the page is placed."""
    out: list[Slot] = []
    if structure.lead:
        rows = top - 1 if structure.split else options[0].natural[structure.lead]
        out.append(Slot(0, 0, structure.lead, 0, rows, True))
    own = structure.split and structure.stacks[-1][0] == 0  # the lead's body heads the last stack
    places = ((0, structure.split, True), *structure.stacks) if structure.split and not own else structure.stacks
    for n, ((column, width, under), (_w, a, b, _nat, _lo, _hi, _room, cut, start, _lead)) in enumerate(
        zip(places, stacks, strict=True)
    ):
        row = start
        if own and n == len(stacks) - 1:
            height = options[0].natural[width] - options[0].head[width]
            out.append(Slot(0, column, width, row, height, True, under=True, body=True))
            row += height + 1
        for i in range(a, b):
            is_cut = cut and i == b - 1
            height = depth - row if is_cut else options[i].natural[width]
            if structure.split and i == 0:  # the lead's body under its headline
                height -= options[0].head[width]
            out.append(
                Slot(i, column, width, row, height, row == start, cut=is_cut, under=under, body=structure.split > 0 and i == 0)
            )
            row += height + 1
    return out
