"""An issue's articles → newspaper pages: masthead, running heads, article modules, jumps.

Each page is divided into stacks of whole columns (the template's patterns: `[5, 3]` is a
five-column stack beside a three-column one). Articles go down the stacks as rectangular
modules: the headline block across the module, the body in the module's columns, balanced.
When a stack is full the article in it is cut at a line — never leaving a 小标题 without two
of its lines or a paragraph's last line alone at a column top — and jumps: `（下转第X版）`,
then `（上接第Y版）` under its repeated headline on the next page. Articles with a known 版次
go on their own page; the others follow, the longest (the lead) first on page 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..article import Article, BlockKind
from ..errors import LayoutError
from ..issue import Issue, page_number
from ..typeset.compose import Line
from ..typeset.display import compose_display
from ..typeset.fonts import FontStack
from .blocks import compose_block
from .lunar import issue_date_line, weekday_cn
from .template import Grid, Template

Colour = tuple[float, float, float]


@dataclass
class Item:
    """A body line of an article, as it goes into a module column."""

    line: Line
    rows: int
    space: int = 0  # blank rows before it (none at a column top)
    heading: bool = False
    widow: bool = False  # the last line of a paragraph of two or more lines
    opens: bool = False  # the first line of a block


@dataclass
class Drawn:
    """A composed line at its place on a page."""

    line: Line
    x: float
    baseline: float
    artifact: bool = False  # page furniture (masthead, running head, jump lines): not article text
    colour: Colour | None = None


@dataclass
class ModuleBox:
    article: int
    x: float
    top: float  # pt from the page bottom
    width: float
    height: float
    columns: int
    complete: bool
    continued: bool
    boxed: bool = False
    hole: int = 0  # the tallest blank in it, grid rows: spacing added around its headline, or a column's short foot


@dataclass
class Page:
    label: str  # 版次 as printed: "1", "2/3"
    name: str = ""  # 版名
    lines: list[Drawn] = field(default_factory=list)
    rules: list[tuple[float, float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1, width
    images: list[tuple[str, float, float, float, float]] = field(
        default_factory=list
    )  # file, x, y, width, height (fitted, centred)
    modules: list[ModuleBox] = field(default_factory=list)
    anchors: list[tuple[str, float]] = field(default_factory=list)  # destination key, y
    links: list[tuple[tuple[float, float, float, float], str]] = field(default_factory=list)
    outline: list[tuple[str, str]] = field(default_factory=list)  # article title, destination key
    filled: float = 0.0  # share of the type area's rows under modules
    full: bool = False  # the page's content went on past it (its stacks were all used)


@dataclass
class Laid:
    pages: list[Page]
    grid: Grid


@dataclass
class _Piece:
    article: int
    items: list[Item]
    start: int = 0
    from_page: str | None = None  # continued from this page
    rest: _Piece | None = None  # where it goes on after its 下转 line
    headless: bool = False  # goes on in the next stack of the same page: no headline, no jump


def body_items(
    article: Article, fonts: FontStack, grid: Grid, template: Template, context: str, strict: bool = False
) -> list[Item]:
    """The article's body (and its end notes) composed at column measure."""
    items: list[Item] = []
    sizes = template.sizes
    for block in article.blocks:
        made = compose_block(block, fonts, grid.measure, grid.size, context, strict, sizes["heading"], sizes["note"])
        if made is None:
            continue
        lines, line_size, space = made
        heading = block.kind is BlockKind.HEADING
        for n, line in enumerate(lines):
            widow = not heading and n == len(lines) - 1 and n > 0
            space_before = space if n == 0 and items else 0
            items.append(Item(line, grid.rows_for(line_size), space_before, heading=heading, widow=widow, opens=n == 0))
    return items


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


def _rows_of(items: list[Item], start: int, end: int) -> int:
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


def balance(items: list[Item], start: int, columns: int, limit: int) -> tuple[list[tuple[int, int]], int] | None:
    """Columns holding all of items[start:] as evenly as the keep rules allow, none taller
    than `limit` rows: (start, end) per column and the tallest column's rows — or None. A
    taller module that keeps the rules wins over a shorter one that breaks them."""
    total = _rows_of(items, start, len(items))
    if total == 0:
        return [], 0
    for strict in (True, False):
        first = max(1, math.ceil(total / columns))
        height = next((h for h in range(first, limit + 1) if _fits(items, start, columns, h, strict)), None)
        if height is not None:
            break
    else:
        return None
    spans, k = [], start
    for c in range(columns):
        if k >= len(items):
            break
        share = _rows_of(items, k, len(items)) / (columns - c)
        ends = {_fill(items, k, target, strict) for target in range(1, height + 1)} - {k}
        good = [e for e in ends if _fits(items, e, columns - c - 1, height, strict)] or [_fill(items, k, height)]
        end = min(good, key=lambda e: (abs(_rows_of(items, k, e) - share), -e))  # nearest the even share
        spans.append((k, end))
        k = end
    return spans, max(_rows_of(items, a, b) for a, b in spans)


@dataclass
class _Module:
    piece: _Piece
    head: list[tuple[Line, int, bool]]  # headline lines: line, rows, artifact
    spans: list[tuple[int, int]]  # per column: items[start:end]
    body_rows: int
    complete: bool  # False: cut at the stack's foot, its last row holds the 下转 line
    pad: int = 0  # rows added under the headline block to fill a stack
    pad_above: int = 0  # rows added above it, likewise
    flows_on: bool = False  # cut, and goes on in the next stack of the page (no 下转 line)
    extra: dict[int, int] = field(default_factory=dict)  # item → blank rows added before it (a 小标题)

    @property
    def head_rows(self) -> int:
        return sum(r for _, r, _ in self.head) + (1 if self.head else 0)

    @property
    def rows(self) -> int:
        return self.pad_above + self.head_rows + self.pad + self.body_rows

    @property
    def short_foot(self) -> int:
        """Rows the shortest column stops above the module's foot (a cut module's columns are full)."""
        if not self.complete or not self.spans:
            return 0
        items = self.piece.items
        return self.body_rows - min(_rows_of(items, a, b) + sum(self.extra.get(k, 0) for k in range(a, b)) for a, b in self.spans)

    def even_feet(self, tolerance: int = 2) -> None:
        """A column the keep rules left more than two rows short takes those rows before its
        小标题 — or, having none, between its paragraphs — so that its foot lines up with the
        others (vertical justification, as a desk would do it by hand)."""
        items = self.piece.items
        for a, b in self.spans:
            short = self.body_rows - _rows_of(items, a, b)
            if short <= tolerance:
                continue
            places = [k for k in range(a + 1, b) if items[k].heading and not items[k - 1].heading]
            places = places or [k for k in range(a + 1, b) if items[k].opens]
            for n, k in enumerate(places):
                self.extra[k] = short // len(places) + (1 if n < short % len(places) else 0)

    def body_room(self) -> int:
        """Rows the body can grow by with no more than two added before any one paragraph."""
        items = self.piece.items
        room = []
        for a, b in self.spans:
            places = sum(1 for k in range(a + 1, b) if items[k].opens)
            room.append(2 * places - (self.body_rows - _rows_of(items, a, b)))
        return max(0, min(room, default=0))

    @property
    def hole(self) -> int:
        """The tallest blank in the module, in rows: round its headline, between its paragraphs,
        or at a column's foot."""
        return max(self.pad_above, self.pad, self.short_foot, *self.extra.values(), 0)


class IssueLayout:
    """Lays out one issue: state while pages are filled."""

    def __init__(
        self, issue: Issue, template: Template, fonts: FontStack, bodies: list[list[Item]], context: Callable[[int], str]
    ):
        self.issue = issue
        self.t = template
        self.grid = template.grid
        self.fonts = fonts
        self.bodies = bodies
        self.context = context
        self.pages: list[Page] = []
        self._jumps: list[tuple] = []

    # ---- headline blocks -------------------------------------------------------------
    def headline(
        self, article: Article, piece: _Piece, columns: int, lead: bool, compact: bool = False
    ) -> list[tuple[Line, int, bool]]:
        grid, sizes = self.grid, self.t.sizes
        measure = grid.span(columns)
        context = self.context(piece.article)
        head = article.headline
        out: list[tuple[Line, int, bool]] = []
        if piece.headless:
            return out
        if piece.from_page is not None:  # a continuation: the headline again, smaller, and where it came from
            size = sizes["title_small"]
            for line in compose_display(head.printed_title, "headline", size, measure, self.fonts, context):
                out.append((line, grid.rows_for(size), True))
            for line in compose_display(
                f"（上接第{piece.from_page}版）", "note", sizes["note"], measure, self.fonts, context, align="right"
            ):
                out.append((line, grid.rows_for(sizes["note"]), True))
            return out
        title_size = sizes["title_lead"] if lead and columns >= 3 else sizes["title"] if columns >= 4 else sizes["title_small"]
        if compact:
            title_size = sizes["title_small"]
        parts = [
            (head.kicker, "kicker", sizes["kicker"], "center"),
            (head.printed_title, "headline", title_size, "center"),
            (head.subtitle, "subtitle", sizes["subtitle"], "center"),
        ]
        parts += [(b.text, "byline", sizes["byline"], "center") for b in article.bylines if b.position == "head"]
        for text, role, size, align in parts:
            if text:
                for line in compose_display(text, role, size, measure, self.fonts, context, align=align):
                    out.append((line, grid.rows_for(size), False))
        return out

    # ---- modules ---------------------------------------------------------------------
    def module(self, piece: _Piece, columns: int, avail: int, lead: bool) -> _Module | None:
        """The module for `piece` in a stack `columns` wide with `avail` rows left (its headline
        made smaller if that lets it start here), or None when not even its headline and two
        lines fit."""
        article = self.issue.articles[piece.article]
        for compact in (False, True):
            head = self.headline(article, piece, columns, lead, compact)
            head_rows = sum(r for _, r, _ in head) + (1 if head else 0)
            room = avail - head_rows
            items = piece.items
            if room < 1:
                continue
            done = balance(items, piece.start, columns, room)
            if done is not None:
                spans, rows = done
                module = _Module(piece, head, spans, rows, complete=True)
                module.even_feet()
                return module
            if room < 3:  # two lines and the jump line at least
                continue
            spans, k = [], piece.start
            for c in range(columns):
                end = _fill(items, k, room - 1 if c == columns - 1 else room)  # the last column keeps a row for 下转
                spans.append((k, end))
                k = end
            if k > piece.start and (_rows_of(items, piece.start, k) >= 2 or k >= len(items)):
                return _Module(piece, head, spans, room, complete=False)
        return None

    # ---- pages -----------------------------------------------------------------------
    def lay_out(self) -> list[Page]:
        articles = self.issue.articles
        known: dict[int, list[int]] = {}
        labels: dict[int, tuple[str, str]] = {}
        unknown: list[int] = []
        for index, article in enumerate(articles):
            number = page_number(article.paper.page)
            if number is None:
                unknown.append(index)
            else:
                known.setdefault(number, []).append(index)
                labels.setdefault(number, (article.paper.page or str(number), article.paper.page_name or ""))
        if unknown:  # the lead story (the longest) first
            lead = max(unknown, key=lambda i: (len(self.bodies[i]), -i))
            unknown = [lead] + [i for i in unknown if i != lead]
        numbers = sorted(known) or [1]
        if unknown and known:
            numbers.append(max(numbers) + 1)
        carried: list[_Piece] = []
        pending_unknown = list(unknown)
        position = 0
        while position < len(numbers) or carried or pending_unknown:
            if position >= len(numbers):
                numbers.append(numbers[-1] + 1)
            number = numbers[position]
            own = [_Piece(i, self.bodies[i]) for i in known.get(number, [])]
            label, name = labels.get(number, (str(number), ""))
            queue = carried + own
            flowing = not known or position == len(numbers) - 1 or number not in known
            if flowing:
                queue += [_Piece(i, self.bodies[i]) for i in pending_unknown]
                pending_unknown = []
            page = Page(label, name)
            carried, leftover = self.fill_page(page, queue, front=position == 0, flowing=flowing)
            if queue and not page.modules:
                article = self.issue.articles[queue[0].article]
                raise LayoutError(
                    f"{self.context(queue[0].article)}: its headline does not fit on an empty page of this template"
                )
            pending_unknown = [p.article for p in leftover] + pending_unknown
            self.pages.append(page)
            position += 1
        return self.pages

    def fill_page(self, page: Page, queue: list[_Piece], front: bool, flowing: bool) -> tuple[list[_Piece], list[_Piece]]:
        """Fill `page` from `queue`: (continuations for the next page, pieces never started).
        A page of its own few articles gives each its own stack; a flowing page fills up."""
        grid, t = self.grid, self.t
        top = t.masthead["rows"] + 1 if front else 0
        rows = grid.rows - top
        patterns = t.front if front else t.inner
        few = len(queue) <= max(len(p) for p in patterns)
        if few and flowing:  # the issue's last few articles: each its own stack, if they leave room
            few = sum(_rows_of(p.items, p.start, len(p.items)) for p in queue) <= 0.85 * rows * grid.columns
        one_each = few
        pattern = _choose(patterns, len(queue)) if one_each else max(patterns, key=len)
        if front and not one_each:
            pattern = next((p for p in patterns if len(p) == 2), pattern)
        carried: list[_Piece] = []
        cut: dict[int, _Module] = {}  # id of a carried piece → the module it was cut from
        stacks: list[tuple[list[_Module], int, int]] = []
        column = 0
        used_rows = 0
        full = True
        for width in pattern:
            if carried and not one_each:  # an article cut at the foot of a stack goes on at the top of the next
                for rest in carried:
                    cut[id(rest)].flows_on = True
                queue[:0] = [_Piece(r.article, r.items, r.start, headless=True) for r in carried]
                carried = []
            y = 0
            stack: list[_Module] = []
            while queue and y < rows:
                if one_each and stack:
                    break
                lead = front and not stacks and not stack
                # the next piece, or (to fill the stack's foot) one of the few after it that fits
                candidates = queue[:1] if one_each or not stack else queue[:LOOK_AHEAD]
                found = next(((p, m) for p in candidates if (m := self.module(p, width, rows - y, lead)) is not None), None)
                if found is None:
                    break
                piece, module = found
                stack.append(module)
                queue.remove(piece)
                if not module.complete:
                    rest = _Piece(piece.article, piece.items, module.spans[-1][1], from_page=page.label)
                    carried.append(rest)
                    cut[id(rest)] = module
                    module.piece.rest = rest
                y += module.rows + 1
            if not stack:
                full = False
                column += width
                continue
            y -= 1
            leftover = rows - y
            if (queue or carried) and not one_each:
                if leftover > 0:  # a full page: the rows left go round the headlines of the stack
                    _spread(stack, leftover)
                    y = rows
            else:
                full = full and leftover <= 2
            used_rows += width * y
            stacks.append((stack, column, width))
            column += width
        for stack, column, width in stacks:
            self.place_stack(page, stack, column, width, top)
        page.filled = used_rows / (grid.columns * rows)
        page.full = bool(queue or carried) and full
        return carried, queue

    def place_stack(self, page: Page, stack: list[_Module], column: int, width: int, top: int) -> None:
        grid = self.grid
        x = grid.column_left(column)
        measure = grid.span(width)
        row = top
        for n, module in enumerate(stack):
            article = self.issue.articles[module.piece.article]
            row += module.pad_above
            key = f"a{module.piece.article}-{module.piece.start}"
            start_row = row
            page.anchors.append((key, grid.baseline(row) + grid.pitch))
            if module.piece.from_page is None and not module.piece.headless:
                page.outline.append((article.headline.printed_title or article.title, key))
            for line, rows, artifact in module.head:
                page.lines.append(Drawn(line, x, grid.baseline(row + rows - 1), artifact))
                row += rows
            if module.head:
                row += 1
            row += module.pad
            for c, (a, b) in enumerate(module.spans):
                r = row
                for k in range(a, b):
                    item = module.piece.items[k]
                    if k > a:
                        r += item.space + module.extra.get(k, 0)
                    page.lines.append(Drawn(item.line, grid.column_left(column + c), grid.baseline(r + item.rows - 1)))
                    r += item.rows
            row += module.body_rows
            if not module.complete and not module.flows_on:
                jump_x = grid.column_left(column + width - 1)
                self._jumps.append((page, module.piece.rest, jump_x, grid.baseline(row - 1), module.piece.article))
            box = ModuleBox(
                module.piece.article,
                x,
                grid.row_top(start_row),
                measure,
                (row - start_row) * grid.pitch,
                width,
                module.complete,
                module.piece.from_page is not None or module.piece.headless,
                boxed=module.complete
                and module.piece.from_page is None
                and module.piece.start == 0
                and sum(len(b.text) for b in article.blocks) < self.t.box_under,
                hole=module.hole,
            )
            page.modules.append(box)
            if box.boxed:
                gap = grid.size * 0.45  # half the gutter: the box stays clear of its neighbours' text
                foot = box.top - box.height - 0.3 * grid.pitch  # below the last line's descenders, in the gap row
                page.rules += _box(x - gap, foot, x + measure + gap, box.top, self.t.rule_width / 2)
            if n < len(stack) - 1:  # a thin rule in the blank row between modules
                y = grid.row_top(row) - grid.pitch * 0.5
                page.rules.append((x, y, x + measure, y, self.t.rule_width / 2))
                row += 1

    def run(self) -> list[Page]:
        self._jumps = []
        pages = self.lay_out()
        where = {}
        for page in pages:
            for key, y in page.anchors:
                where[key] = (page, y)
        for page, rest, x, baseline, index in self._jumps:
            key = f"a{index}-{rest.start}"
            target, _ = where.get(key, (None, 0.0))
            label = target.label if target is not None else "?"
            sizes = self.t.sizes
            for line in compose_display(
                f"（下转第{label}版）", "note", sizes["note"], self.grid.measure, self.fonts, self.context(index), align="right"
            ):
                page.lines.append(Drawn(line, x, baseline, artifact=True))
            if target is not None:
                page.links.append(((x, baseline - 2, x + self.grid.measure, baseline + sizes["note"]), key))
        self.furnish(pages)
        return pages

    # ---- masthead and running heads ---------------------------------------------------
    def furnish(self, pages: list[Page]) -> None:
        for n, page in enumerate(pages):
            if n == 0:
                self.masthead(page)
            else:
                self.running_head(page)

    def _text(
        self, page: Page, text: str, role: str, size: float, x: float, baseline: float, measure: float, align: str, colour=None
    ) -> float:
        lines = compose_display(text, role, size, measure, self.fonts, "masthead", align=align)
        for line in lines:
            page.lines.append(Drawn(line, x, baseline, artifact=True, colour=colour))
            baseline -= size * 1.3
        return baseline

    def masthead(self, page: Page) -> None:
        grid, t, facts = self.grid, self.t, self.issue.facts
        top = grid.height - grid.top
        bottom = grid.baseline(t.masthead["rows"] - 1) - 0.3 * grid.pitch
        size = t.masthead["name_size"]
        name = facts.name or "新闻"
        width = grid.type_width
        left = grid.left
        side = grid.span(max(1, grid.columns // 4))
        body = grid.size
        name_baseline = top - (top - bottom) * 0.55 - size * 0.35
        name_left, name_width = (left, width - side) if t.masthead["style"] == "left" else (left + side, width - 2 * side)
        if facts.logo:  # the paper's own logo, in the box the set name would take
            height = size * 1.15
            page.images.append((facts.logo, name_left, name_baseline - size * 0.2, name_width, height))
        else:
            align = "left" if t.masthead["style"] == "left" else "center"
            self._text(page, name, "masthead", size, name_left, name_baseline, name_width, align, t.colours["masthead"])
        registration = [f"国内统一刊号 {facts.cn}" if facts.cn else "", f"邮发代号 {facts.post_code}" if facts.post_code else ""]
        counts = [
            f"今日{facts.pages}版" if facts.pages else "",
            f"总第{facts.issue_number}期" if facts.issue_number else "",
            facts.website,
        ]
        boxed = counts if t.masthead["style"] != "left" else registration + counts  # left: the name takes the left side
        if t.masthead["style"] != "left":
            y = top - body * 2
            for text in filter(None, registration):
                y = self._text(page, text, "body", body, left, y, side, "left")
        ear = [e for e in boxed if e] if t.masthead.get("ear", True) else []
        if ear:  # 报眼
            x0 = left + width - side
            y = top - body * 2
            for text in ear:
                y = self._text(page, text, "body", body, x0, y, side, "right")
            page.rules += _box(x0 - body * 0.5, y + body * 0.3, left + width + body * 0.5, top - body * 0.2, t.rule_width / 2)
        date = issue_date_line(facts.date) if facts.date else ""
        bits = [p for p in ([] if ear else boxed) + [facts.publisher] if p]
        info_y = bottom + body * 0.9
        if date:
            self._text(page, date, "body", body, left, info_y, width / 2, "left")
        if bits:
            self._text(page, "　".join(bits), "body", body, left + width / 2, info_y, width / 2, "right")
        page.rules.append((left, bottom + body * 0.1, left + width, bottom + body * 0.1, t.rule_width * 2.5))
        page.rules.append((left, bottom - body * 0.25, left + width, bottom - body * 0.25, t.rule_width / 2))

    def running_head(self, page: Page) -> None:
        grid, t, facts = self.grid, self.t, self.issue.facts
        size = t.sizes["running_head"]
        baseline = grid.height - grid.top + size * 1.2
        width = grid.type_width
        left = grid.left
        date = f"{facts.date.year}年{facts.date.month}月{facts.date.day}日 {weekday_cn(facts.date)}" if facts.date else ""
        centre = f"第{page.label}版" + (f"　{page.name}" if page.name else "")
        self._text(page, date or " ", "body", size, left, baseline, width / 3, "left")
        self._text(page, centre, "heading", size, left + width / 3, baseline, width / 3, "center")
        self._text(
            page, facts.name or " ", "masthead", size, left + 2 * width / 3, baseline, width / 3, "right", t.colours["masthead"]
        )
        y = baseline - size * 0.45
        page.rules.append((left, y, left + width, y, t.rule_width))


LOOK_AHEAD = 4  # pieces tried for the foot of a stack when the next one does not fit there


def _spread(stack: list[_Module], rows: int) -> None:
    """Share `rows` out, one at a time, as space under each headline, above each module but the
    first, and inside each whole module's body (between its paragraphs), each place taking at
    most two rows while any place has room — so that no gap grows taller than it must."""
    slots: list[tuple[_Module, str, int]] = []  # module, what grows, by how much it may
    for n, module in enumerate(stack):
        slots += [(module, "pad_above", 2)] if n else []
        slots += [(module, "pad", 2)]
        if module.complete:
            slots.append((module, "body_rows", module.body_room()))
    grown = [0] * len(slots)
    turn = 0
    for _ in range(rows):
        free = [i for i in range(len(slots)) if grown[i] < slots[i][2]] or list(range(len(slots)))
        pick = next((i for i in free if i >= turn), free[0])
        module, where, _ = slots[pick]
        setattr(module, where, getattr(module, where) + 1)
        grown[pick] += 1
        turn = pick + 1
    for module in stack:
        if module.complete:
            module.extra.clear()
            module.even_feet(tolerance=0)


def _choose(patterns: tuple[tuple[int, ...], ...], pieces: int) -> tuple[int, ...]:
    """The pattern with as many stacks as there are pieces (or the nearest below)."""
    fitting = [p for p in patterns if len(p) <= max(1, pieces)]
    return max(fitting, key=len) if fitting else min(patterns, key=len)


def _box(x0: float, y0: float, x1: float, y1: float, width: float) -> list[tuple[float, float, float, float, float]]:
    return [(x0, y0, x1, y0, width), (x1, y0, x1, y1, width), (x1, y1, x0, y1, width), (x0, y1, x0, y0, width)]


def lay_out_issue(
    issue: Issue, template: Template, fonts: FontStack, bodies: list[list[Item]], context: Callable[[int], str]
) -> Laid:
    return Laid(IssueLayout(issue, template, fonts, bodies, context).run(), template.grid)
