"""An article's body as column items, and how a module's columns take them: filled under the
keep rules (never a 小标题 without two of its lines, never a paragraph's last line alone at a
column top), balanced, cut at a stack's foot, and spaced out to fill a stack.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..article import Article, BlockKind, Photo
from ..typeset.compose import Line
from ..typeset.fonts import FontStack
from .blocks import compose_block
from .grid import Grid
from .page import Tag
from .photos import MOST_PHOTOS, printable
from .template import Template


@dataclass
class Item:
    """A body line of an article, as it goes into a module column."""

    line: Line
    rows: int
    space: int = 0  # blank rows before it (none at a column top)
    heading: bool = False
    widow: bool = False  # the last line of a paragraph of two or more lines
    opens: bool = False  # the first line of a block
    block: int = -1  # its block's index in the article (its element in a tagged PDF)


def body_items(
    article: Article, fonts: FontStack, grid: Grid, template: Template, context: str, strict: bool = False
) -> list[Item]:
    """The article's body (and its end notes) composed at column measure; the captions of its
    photos are not in it (they print under the photos)."""
    items: list[Item] = []
    sizes = template.sizes
    under_photos = placed_captions(article)
    for index, block in enumerate(article.blocks):
        if index in under_photos:
            continue
        made = compose_block(block, fonts, grid.measure, grid.size, context, strict, sizes["heading"], sizes["note"])
        if made is None:
            continue
        lines, line_size, space = made
        heading = block.kind is BlockKind.HEADING
        for n, line in enumerate(lines):
            widow = not heading and n == len(lines) - 1 and n > 0
            space_before = space if n == 0 and items else 0
            items.append(
                Item(line, grid.rows_for(line_size), space_before, heading=heading, widow=widow, opens=n == 0, block=index)
            )
    return items


def placed_photos(article: Article) -> list[Photo]:
    """The article's photos that print: those whose file was found and read, of a shape that
    prints within the crop limit, the first MOST_PHOTOS of them (the others' captions stay in
    the text, and the layout says so)."""
    return [p for p in article.photos if p.file and printable(p.width, p.height)][:MOST_PHOTOS]


def placed_captions(article: Article) -> set[int]:
    """Indices of the caption blocks that print under a photo rather than in the body."""
    return {p.block for p in placed_photos(article) if p.block is not None}


def _breakable(items: list[Item], k: int, start: int) -> bool:
    """May a column that items[start] opened end before item k? Not before a paragraph's
    last line, and not within two lines after a 小标题."""
    if k <= start:
        return False
    if k >= len(items):
        return True
    if items[k].widow or items[k - 1].heading:
        return False
    return not (k - 2 >= start and items[k - 2].heading)


def rows_of(items: list[Item], start: int, end: int) -> int:
    """The grid rows items[start:end] take in one column (no space before the first)."""
    return sum(it.rows + (it.space if k > start else 0) for k, it in enumerate(items[start:end], start))


def _fill(items: list[Item], start: int, height: int, strict: bool = False) -> int:
    """The end of a column that starts at `start` and holds at most `height` rows. Where the
    keep rules leave no break, the column takes what fits — unless `strict` (then it takes none)."""
    used, k = 0, start
    while k < len(items):
        need = items[k].rows + (items[k].space if k > start else 0)
        if used + need > height:
            break
        used += need
        k += 1
    if k >= len(items):
        return k
    end = k
    while end > start and not _breakable(items, end, start):
        end -= 1
    return end if end > start or strict else k


def _fits(items: list[Item], start: int, columns: int, height: int, strict: bool = False) -> bool:
    k = start
    for _ in range(columns):
        if k >= len(items):
            return True
        k = _fill(items, k, height, strict)
    return k >= len(items)


def min_rows(items: list[Item], start: int, columns: int) -> int:
    """The fewest rows that hold items[start:] in `columns` columns under the keep rules (the
    height `balance` finds, without placing the columns): what the page search measures."""
    total = rows_of(items, start, len(items))
    if total == 0:
        return 0
    height = max(1, math.ceil(total / columns))
    while not _fits(items, start, columns, height, True):
        if height > total:
            return total
        height += 1
    return height


def balance(items: list[Item], start: int, columns: int, limit: int) -> tuple[list[tuple[int, int]], int] | None:
    """Columns holding all of items[start:] as evenly as the keep rules allow, none taller
    than `limit` rows: (start, end) per column and the tallest column's rows — or None. A
    taller module that keeps the rules wins over a shorter one that breaks them."""
    total = rows_of(items, start, len(items))
    if total == 0:
        return [], 0
    for strict in (True, False):
        first = max(1, math.ceil(total / columns))
        height = next((h for h in range(first, limit + 1) if _fits(items, start, columns, h, strict)), None)
        if height is not None:
            break
    else:
        return None
    even = _even_spans(items, start, columns, height, strict)
    if even is not None:
        return even, max(rows_of(items, a, b) for a, b in even)
    spans, k = [], start
    for c in range(columns):
        if k >= len(items):
            break
        share = rows_of(items, k, len(items)) / (columns - c)
        ends = {_fill(items, k, target, strict) for target in range(1, height + 1)} - {k}
        good = [e for e in ends if _fits(items, e, columns - c - 1, height, strict)] or [_fill(items, k, height)]
        end = min(good, key=lambda e: (abs(rows_of(items, k, e) - share), -e))  # nearest the even share
        spans.append((k, end))
        k = end
    return spans, max(rows_of(items, a, b) for a, b in spans)


EVEN_SLACK = 6  # rows short of the height a column end is tried at when evening the feet


def _even_spans(items: list[Item], start: int, columns: int, height: int, strict: bool) -> list[tuple[int, int]] | None:
    """Column ends for items[start:] in `columns` columns of at most `height` rows, under the keep
    rules, whose shortest column is as long as it can be (no column stops far above the others);
    None when there is no such split (the caller falls back to filling column by column)."""
    rows = [0]
    for k in range(start, len(items)):
        rows.append(rows[-1] + items[k].rows + items[k].space)

    def span_rows(a: int, b: int) -> int:  # rows of items[a:b] in one column (no space before the first)
        return rows[b - start] - rows[a - start] - items[a].space if b > a else 0

    memo: dict[tuple[int, int], tuple[int, tuple[int, ...]] | None] = {}

    def best(c: int, k: int) -> tuple[int, tuple[int, ...]] | None:
        if k >= len(items):
            return (0, ()) if c == columns else (height, ())  # an empty column counts as short as it gets
        if c == columns:
            return None
        if (c, k) in memo:
            return memo[(c, k)]
        found = None
        end = k
        while end < len(items) and span_rows(k, end + 1) <= height:
            end += 1
        for e in range(end, k, -1):
            used = span_rows(k, e)
            if used < height - EVEN_SLACK:
                break
            if e < len(items) and not (_breakable(items, e, k) or (not strict and e == end)):
                continue
            rest = best(c + 1, e)
            if rest is not None and (found is None or max(height - used, rest[0]) < found[0]):
                found = (max(height - used, rest[0]), (e, *rest[1]))
        memo[(c, k)] = found
        return found

    result = best(0, start)
    if result is None:
        return None
    spans, k = [], start
    for e in result[1]:
        spans.append((k, e))
        k = e
    return spans


@dataclass
class Piece:
    """An article's body from item `start` on, as it goes into the next module."""

    article: int
    items: list[Item]
    start: int = 0
    from_page: str | None = None  # continued from this page
    rest: Piece | None = None  # where it goes on after its 下转 line
    headless: bool = False  # goes on in the next stack of the same page: no headline, no jump


@dataclass(frozen=True)
class HeadLine:
    """A line of a module's headline block: the rows it takes, and whether it is page furniture
    (a continuation's repeated headline and 上接 line) rather than article text."""

    line: Line
    rows: int
    artifact: bool
    title: bool = False  # a line of the 主题
    tag: Tag | None = None  # its element in the article's structure (tagged PDF); None for furniture


def head_rows(head: list[HeadLine]) -> int:
    """The rows a headline block takes, with the blank row under it."""
    return sum(h.rows for h in head) + (1 if head else 0)


@dataclass
class PhotoSlot:
    """A photo in a module, across its columns: the rows it fills (between the fewest and most
    its crop allows) and its caption lines under it."""

    photo: Photo
    rows: int
    fewest: int
    most: int
    caption: list[HeadLine] = field(default_factory=list)
    columns: int = 0  # the photo's width in columns when narrower than its module (centred); 0: the module's
    alt: str = ""  # its caption's text: the photo's alternative text in a tagged PDF

    @property
    def total(self) -> int:
        """Rows with the caption and the blank row under it."""
        return self.rows + sum(c.rows for c in self.caption) + 1


@dataclass
class Module:
    """A module being built: its headline block over the body in balanced columns (a photo, when
    it has one, between the two — or over the headline, `photo_first`)."""

    piece: Piece
    head: list[HeadLine]
    spans: list[tuple[int, int]]  # per column: items[start:end]
    body_rows: int
    complete: bool  # False: cut at the stack's foot, its last row holds the 下转 line
    pad: int = 0  # rows added under the headline block to fill a stack
    pad_above: int = 0  # rows added above it, likewise
    extra: dict[int, int] = field(default_factory=dict)  # item → blank rows added before it (a 小标题)
    photos: list[PhotoSlot] = field(default_factory=list)
    photo_first: bool = False
    title_size: float = 0.0
    weight: int = 0  # rank on its page: 0 is the page's lead
    split: bool = False  # a lead's headline alone: its body is a module of its own under it
    avoidable: bool = False  # cut although what goes on would have fitted on this page

    @property
    def head_rows(self) -> int:
        return head_rows(self.head)

    @property
    def photo_rows(self) -> int:
        return sum(p.total for p in self.photos)

    @property
    def rows(self) -> int:
        return self.pad_above + self.head_rows + self.photo_rows + self.pad + self.body_rows

    @property
    def short_foot(self) -> int:
        """Rows the shortest column stops above the module's foot (a cut module's columns are full)."""
        if not self.complete or not self.spans:
            return 0
        items = self.piece.items
        return self.body_rows - min(rows_of(items, a, b) + sum(self.extra.get(k, 0) for k in range(a, b)) for a, b in self.spans)

    def even_feet(self, tolerance: int = 2) -> None:
        """A column the keep rules left more than `tolerance` rows short takes those rows before
        its 小标题 and between its paragraphs, a row at a time in turn and at most two in one place,
        so that its foot lines up with the others (vertical justification, as a desk would do it
        by hand) without one tall gap; what no place can take stays at the foot."""
        items = self.piece.items
        for a, b in self.spans:
            short = self.body_rows - rows_of(items, a, b)
            if short <= tolerance:
                continue
            heads = [k for k in range(a + 1, b) if items[k].heading and not items[k - 1].heading]
            places = heads + [k for k in range(a + 1, b) if items[k].opens and k not in heads]
            turn = 0
            while short > 0 and places:
                place = places[turn % len(places)]
                self.extra[place] = self.extra.get(place, 0) + 1
                short -= 1
                if self.extra[place] >= 2:
                    places.remove(place)
                else:
                    turn += 1

    def body_room(self) -> int:
        """Rows the body can grow by with no more than two added before any one paragraph."""
        items = self.piece.items
        room = []
        for a, b in self.spans:
            places = sum(1 for k in range(a + 1, b) if items[k].opens)
            room.append(2 * places - (self.body_rows - rows_of(items, a, b)))
        return max(0, min(room, default=0))

    @property
    def hole(self) -> int:
        """The tallest blank in the module's text, in rows: between its paragraphs or at a column's foot."""
        return max(self.short_foot, *self.extra.values(), 0)

    @property
    def air(self) -> int:
        """The tallest space opened round its headline (留白), in rows."""
        return max(self.pad_above, self.pad, 0)


def set_module(piece: Piece, head: list[HeadLine], columns: int, room: int) -> Module | None:
    """The module of `piece` under `head` in `columns` columns with `room` rows for its body:
    all of it balanced, or cut at the foot (the last column keeping a row for 下转) — or None
    when not even two lines fit."""
    if room < 1:
        return None
    items = piece.items
    done = balance(items, piece.start, columns, room)
    if done is not None:
        spans, rows = done
        module = Module(piece, head, spans, rows, complete=True)
        module.even_feet()
        return module
    if room < 3:  # two lines and the jump line at least
        return None
    spans, k = [], piece.start
    for c in range(columns):
        end = _fill(items, k, room - 1 if c == columns - 1 else room)  # the last column keeps a row for 下转
        spans.append((k, end))
        k = end
    if k > piece.start and (rows_of(items, piece.start, k) >= 2 or k >= len(items)):
        return Module(piece, head, spans, room, complete=False)
    return None


AIR = 3  # rows of 留白 a headline may take under it before space goes anywhere else


def spread(stack: list[Module], rows: int) -> None:
    """Share `rows` out, one at a time, as space under each headline, above each module but the
    first, and inside each whole module's body (between its paragraphs), each place taking at
    most two rows while any place has room — so that no gap grows taller than it must."""
    slots: list[tuple[Module, str, int]] = []  # module, what grows, by how much it may
    for n, module in enumerate(stack):
        slots += [(module, "pad_above", 2)] if n else []
        slots += [(module, "pad", AIR)] if module.head else []
        if module.complete:
            slots.append((module, "body_rows", module.body_room()))
    if not slots:
        return
    grown = [0] * len(slots)
    turn = 0
    airy = [i for i, slot in enumerate(slots) if slot[1] != "body_rows"] or list(range(len(slots)))
    for _ in range(rows):
        # past every place's share, the rest goes round the headlines (留白), never into the text
        free = [i for i in range(len(slots)) if grown[i] < slots[i][2]] or airy
        pick = next((i for i in free if i >= turn), free[0])
        module, where, _ = slots[pick]
        setattr(module, where, getattr(module, where) + 1)
        grown[pick] += 1
        turn = pick + 1
    for module in stack:
        if module.complete:
            module.extra.clear()
            module.even_feet(tolerance=0)
