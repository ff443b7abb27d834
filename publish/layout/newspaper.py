"""An issue's articles → newspaper pages: article modules down the stacks of each page, and jumps.

Each page is divided into stacks of whole columns (the template's patterns: `[5, 3]` is a
five-column stack beside a three-column one). Articles go down the stacks as rectangular
modules: the headline block across the module, the body in the module's columns, balanced.
When a stack is full the article in it is cut at a line and jumps: `（下转第X版）`, then
`（上接第Y版）` under its repeated headline on the next page. Articles with a known 版次 go on
their own page; the others follow, the longest (the lead) first on page 1. The masthead and
running heads go on last (`masthead.furnish`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..article import Article
from ..errors import LayoutError
from ..issue import Issue, page_number
from ..typeset.display import compose_display
from ..typeset.fonts import FontStack
from .columns import HeadLine, Item, Module, Piece, head_rows, rows_of, set_module, spread
from .masthead import furnish
from .page import Anchor, Drawn, Laid, Link, ModuleBox, OutlineEntry, Page, Rule, box_rules
from .template import Template

LOOK_AHEAD = 4  # pieces tried for the foot of a stack when the next one does not fit there


@dataclass(frozen=True)
class Jump:
    """A 下转 line still to set: on `page` at (x, baseline), for article `article`, whose
    `rest` goes on at a page known once every page is laid out."""

    page: Page
    rest: Piece
    x: float
    baseline: float
    article: int


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
        self._jumps: list[Jump] = []

    # ---- headline blocks -------------------------------------------------------------
    def headline(self, article: Article, piece: Piece, columns: int, lead: bool, compact: bool = False) -> list[HeadLine]:
        """The module's headline block: kicker, title, subtitle and bylines — or, for a
        continuation, its title again (smaller) and where it came from."""
        grid, sizes = self.grid, self.t.sizes
        measure = grid.span(columns)
        context = self.context(piece.article)
        head = article.headline
        out: list[HeadLine] = []
        if piece.headless:
            return out
        if piece.from_page is not None:  # a continuation: the headline again, smaller, and where it came from
            size = sizes["title_small"]
            for line in compose_display(head.printed_title, "headline", size, measure, self.fonts, context):
                out.append(HeadLine(line, grid.rows_for(size), True))
            for line in compose_display(
                f"（上接第{piece.from_page}版）", "note", sizes["note"], measure, self.fonts, context, align="right"
            ):
                out.append(HeadLine(line, grid.rows_for(sizes["note"]), True))
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
                    out.append(HeadLine(line, grid.rows_for(size), False))
        return out

    # ---- modules ---------------------------------------------------------------------
    def module(self, piece: Piece, columns: int, avail: int, lead: bool) -> Module | None:
        """The module for `piece` in a stack `columns` wide with `avail` rows left (its headline
        made smaller if that lets it start here), or None when not even its headline and two
        lines fit."""
        article = self.issue.articles[piece.article]
        for compact in (False, True):
            head = self.headline(article, piece, columns, lead, compact)
            module = set_module(piece, head, columns, avail - head_rows(head))
            if module is not None:
                return module
        return None

    # ---- pages -----------------------------------------------------------------------
    def by_page(self) -> tuple[dict[int, list[int]], dict[int, tuple[str, str]], list[int]]:
        """The articles with a known 版次 by page number, each such page's label and name, and
        the articles of no known page (the lead story, the longest, first)."""
        known: dict[int, list[int]] = {}
        labels: dict[int, tuple[str, str]] = {}
        unknown: list[int] = []
        for index, article in enumerate(self.issue.articles):
            number = page_number(article.paper.page)
            if number is None:
                unknown.append(index)
            else:
                known.setdefault(number, []).append(index)
                labels.setdefault(number, (article.paper.page or str(number), article.paper.page_name or ""))
        if unknown:
            lead = max(unknown, key=lambda i: (len(self.bodies[i]), -i))
            unknown = [lead] + [i for i in unknown if i != lead]
        return known, labels, unknown

    def lay_out(self) -> list[Page]:
        """Page after page until every article is set: each page's own articles after what the
        page before carried over, then (on the last known page and after) the rest."""
        known, labels, unknown = self.by_page()
        numbers = sorted(known) or [1]
        if unknown and known:
            numbers.append(max(numbers) + 1)
        carried: list[Piece] = []
        pending_unknown = list(unknown)
        position = 0
        while position < len(numbers) or carried or pending_unknown:
            if position >= len(numbers):
                numbers.append(numbers[-1] + 1)
            number = numbers[position]
            own = [Piece(i, self.bodies[i]) for i in known.get(number, [])]
            label, name = labels.get(number, (str(number), ""))
            queue = carried + own
            flowing = not known or position == len(numbers) - 1 or number not in known
            if flowing:
                queue += [Piece(i, self.bodies[i]) for i in pending_unknown]
                pending_unknown = []
            page = Page(label, name)
            carried, leftover = self.fill_page(page, queue, front=position == 0, flowing=flowing)
            if queue and not page.modules:
                raise LayoutError(
                    f"{self.context(queue[0].article)}: its headline does not fit on an empty page of this template"
                )
            pending_unknown = [p.article for p in leftover] + pending_unknown
            self.pages.append(page)
            position += 1
        return self.pages

    def pattern(self, queue: list[Piece], rows: int, front: bool, flowing: bool) -> tuple[tuple[int, ...], bool]:
        """The page's stacks (a template pattern), and whether each piece gets a stack of its own:
        so on a page of its own few articles, or for the issue's last few if they leave room."""
        grid, t = self.grid, self.t
        patterns = t.front if front else t.inner
        few = len(queue) <= max(len(p) for p in patterns)
        if few and flowing:
            few = sum(rows_of(p.items, p.start, len(p.items)) for p in queue) <= 0.85 * rows * grid.columns
        one_each = few
        pattern = _choose(patterns, len(queue)) if one_each else max(patterns, key=len)
        if front and not one_each:
            pattern = next((p for p in patterns if len(p) == 2), pattern)
        return pattern, one_each

    def fill_page(self, page: Page, queue: list[Piece], front: bool, flowing: bool) -> tuple[list[Piece], list[Piece]]:
        """Fill `page` from `queue`: (continuations for the next page, pieces never started).
        A page of its own few articles gives each its own stack; a flowing page fills up."""
        grid, t = self.grid, self.t
        top = t.masthead["rows"] + 1 if front else 0
        rows = grid.rows - top
        page.top_rows = top
        pattern, one_each = self.pattern(queue, rows, front, flowing)
        carried: list[Piece] = []
        cut: dict[int, Module] = {}  # id of a carried piece → the module it was cut from
        stacks: list[tuple[list[Module], int, int]] = []
        column = 0
        used_rows = 0
        full = True
        for width in pattern:
            if carried and not one_each:  # an article cut at the foot of a stack goes on at the top of the next
                for rest in carried:
                    cut[id(rest)].flows_on = True
                queue[:0] = [Piece(r.article, r.items, r.start, headless=True) for r in carried]
                carried = []
            y = 0
            stack: list[Module] = []
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
                    rest = Piece(piece.article, piece.items, module.spans[-1][1], from_page=page.label)
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
                    spread(stack, leftover)
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

    # ---- placing modules on the page --------------------------------------------------
    def place_stack(self, page: Page, stack: list[Module], column: int, width: int, top: int) -> None:
        """The stack's modules down its columns from row `top`, a thin rule in the blank row between each two."""
        grid = self.grid
        x = grid.column_left(column)
        measure = grid.span(width)
        row = top
        for n, module in enumerate(stack):
            row = self.place_module(page, module, column, width, row)
            if n < len(stack) - 1:
                y = grid.row_top(row) - grid.pitch * 0.5
                page.rules.append(Rule(x, y, x + measure, y, self.t.rule_width / 2))
                row += 1

    def place_module(self, page: Page, module: Module, column: int, width: int, row: int) -> int:
        """Set `module` on `page` from `row` down: its destination (and outline entry), headline
        and columns, where its 下转 line goes, its box; the row under it."""
        grid = self.grid
        x = grid.column_left(column)
        measure = grid.span(width)
        piece = module.piece
        article = self.issue.articles[piece.article]
        row += module.pad_above
        key = _destination(piece.article, piece.start)
        start_row = row
        page.anchors.append(Anchor(key, grid.baseline(row) + grid.pitch))
        if piece.from_page is None and not piece.headless:
            page.outline.append(OutlineEntry(article.headline.printed_title or article.title, key))
        for head in module.head:
            page.lines.append(Drawn(head.line, x, grid.baseline(row + head.rows - 1), head.artifact))
            row += head.rows
        if module.head:
            row += 1
        row += module.pad
        for c, (a, b) in enumerate(module.spans):
            r = row
            for k in range(a, b):
                item = piece.items[k]
                if k > a:
                    r += item.space + module.extra.get(k, 0)
                page.lines.append(Drawn(item.line, grid.column_left(column + c), grid.baseline(r + item.rows - 1)))
                r += item.rows
        row += module.body_rows
        if not module.complete and not module.flows_on:
            jump_x = grid.column_left(column + width - 1)
            self._jumps.append(Jump(page, piece.rest, jump_x, grid.baseline(row - 1), piece.article))
        box = ModuleBox(
            piece.article,
            x,
            grid.row_top(start_row),
            measure,
            (row - start_row) * grid.pitch,
            width,
            module.complete,
            piece.from_page is not None or piece.headless,
            boxed=module.complete
            and piece.from_page is None
            and piece.start == 0
            and sum(len(b.text) for b in article.blocks) < self.t.box_under,
            hole=module.hole,
        )
        page.modules.append(box)
        if box.boxed:
            gap = grid.size * 0.45  # half the gutter: the box stays clear of its neighbours' text
            foot = box.top - box.height - 0.3 * grid.pitch  # below the last line's descenders, in the gap row
            page.rules += box_rules(x - gap, foot, x + measure + gap, box.top, self.t.rule_width / 2)
        return row

    # ---- jumps -----------------------------------------------------------------------
    def set_jumps(self, pages: list[Page]) -> None:
        """Each cut module's 下转 line, now that the page its rest went on to is known, with a
        link to where it goes on."""
        where = {anchor.key: page for page in pages for anchor in page.anchors}
        sizes = self.t.sizes
        for jump in self._jumps:
            key = _destination(jump.article, jump.rest.start)
            target = where.get(key)
            text = f"（下转第{target.label if target is not None else '?'}版）"
            context = self.context(jump.article)
            for line in compose_display(text, "note", sizes["note"], self.grid.measure, self.fonts, context, align="right"):
                jump.page.lines.append(Drawn(line, jump.x, jump.baseline, artifact=True))
            if target is not None:
                x, baseline = jump.x, jump.baseline
                jump.page.links.append(Link(x, baseline - 2, x + self.grid.measure, baseline + sizes["note"], key))

    def run(self) -> list[Page]:
        """The issue's pages, complete: modules, jump lines and links, masthead and running heads."""
        self._jumps = []
        pages = self.lay_out()
        self.set_jumps(pages)
        furnish(pages, self.grid, self.t, self.issue.facts, self.fonts)
        return pages


def _destination(article: int, start: int) -> str:
    """The name of the PDF destination where an article's body goes on from item `start`."""
    return f"a{article}-{start}"


def _choose(patterns: tuple[tuple[int, ...], ...], pieces: int) -> tuple[int, ...]:
    """The pattern with as many stacks as there are pieces (or the nearest below)."""
    fitting = [p for p in patterns if len(p) <= max(1, pieces)]
    return max(fitting, key=len) if fitting else min(patterns, key=len)


def lay_out_issue(
    issue: Issue, template: Template, fonts: FontStack, bodies: list[list[Item]], context: Callable[[int], str]
) -> Laid:
    """The issue's pages: its articles' bodies (composed at column measure) in modules, with
    their jumps, the masthead and the running heads."""
    return Laid(IssueLayout(issue, template, fonts, bodies, context).run(), template.grid)
