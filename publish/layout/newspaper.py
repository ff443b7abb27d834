"""An issue's articles → newspaper pages: what each article can be (its options at every width),
the page search's plan for each page set as modules, jumps, page labels and page 1's 导读.

Each article is an elastic module: headline block (sized on the ladder), photos with their
captions, body in balanced columns, 留白 round the headline. `search.search` chooses each page
(which articles, in which stacks, how wide); its plan is composed exactly here and each stack
fitted to the page's depth. An article cut at a page's foot jumps: `（下转第X版）`, then
`（上接第Y版）` under its repeated headline on the next page. Under `--pages auto` the articles
flow in 版次 order and a page is labelled by the 版次 that start on it; under `keep` each 版次
has its own page (`plan.plan_pages`). The masthead and running heads go on last (`masthead.furnish`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..article import Article, Block, BlockKind, Photo
from ..errors import LayoutError
from ..issue import Issue, page_number
from ..typeset.compose import Line
from ..typeset.display import compose_display
from ..typeset.fonts import FontStack
from . import ladder
from .blocks import HEAD_ROLES, block_text, compose_block
from .columns import (
    AIR,
    HeadLine,
    Item,
    Module,
    PhotoSlot,
    Piece,
    balance,
    head_rows,
    min_rows,
    placed_photos,
    rows_of,
    set_module,
    spread,
)
from .masthead import DIGEST_MOST, DigestEntry, furnish
from .page import Anchor, Drawn, Laid, Link, ModuleBox, OutlineEntry, Page, PlacedImage, Rule, Tag, box_rules
from .photos import LOW_PPI, MAX_CROP, MOST_PHOTOS, effective_ppi, photo_rows, printable
from .plan import PageJob, plan_pages
from .search import COARSE, TAIL, TAIL_LAST, TAIL_OWN, Option, Plan, Slot, search
from .template import Template

PHOTO_SHARE = 0.6  # an article's photos take at most this share of a front page's rows (narrower photos past it)
COMPACT_ROWS = 4  # a stack this many rows too tall tries smaller headlines before it cuts (jumps)
BODY_SPACING = 10  # a module's columns may open at most one blank row per this many lines, between paragraphs

MAX_OFFERED = 14  # articles a page search is offered at most (the page's own, then those flowing)


@dataclass(frozen=True)
class Jump:
    """A 下转 line still to set: on `page` at (x, baseline), for article `article`, whose
    `rest` goes on at a page known once every page is laid out."""

    page: Page
    rest: Piece
    x: float
    baseline: float
    article: int
    box: ModuleBox | None = None  # the cut module's box: told where its rest goes (jump_to)


class IssueLayout:
    """Lays out one issue: state while pages are filled."""

    def __init__(
        self,
        issue: Issue,
        template: Template,
        fonts: FontStack,
        bodies: list[list[Item]],
        context: Callable[[int], str],
        pages: str = "auto",
    ):
        self.issue = issue
        self.t = template
        self.grid = template.grid
        self.fonts = fonts
        self.bodies = bodies
        self.context = context
        self.mode = pages
        self.pages: list[Page] = []
        self.warnings: list[str] = []
        self._jumps: list[Jump] = []
        self._heads: dict[tuple, tuple[list[HeadLine], float]] = {}
        self._page_heads: set[int] = set()  # the first article of each 版次 in the input
        self._options: dict[tuple, Option] = {}

    # ---- headline blocks -------------------------------------------------------------
    def headline(self, article: Article, piece: Piece, columns: int, lead: bool, compact: bool = False) -> list[HeadLine]:
        """The module's headline block: kicker, title, subtitle and bylines — or, for a
        continuation, its title again (smaller) and where it came from."""
        return self.head_and_size(article, piece, columns, lead, compact)[0]

    def head_and_size(
        self, article: Article, piece: Piece, columns: int, lead: bool, compact: bool = False
    ) -> tuple[list[HeadLine], float]:
        """The headline block and the size of its 主题, set 留白 inside the module's edges."""
        key = (piece.article, piece.from_page, piece.headless, columns, lead, compact)
        if key not in self._heads:
            self._heads[key] = self._set_head(article, piece, columns, lead, compact)
        return self._heads[key]

    def _set_head(self, article: Article, piece: Piece, columns: int, lead: bool, compact: bool) -> tuple[list[HeadLine], float]:
        grid, sizes = self.grid, self.t.sizes
        measure = self.head_measure(columns)
        context = self.context(piece.article)
        head = article.headline
        out: list[HeadLine] = []
        if piece.headless:
            return out, 0.0
        if piece.from_page is not None:  # a continuation: the headline again, smaller, and where it came from
            size = min(sizes["title_small"], ladder.down(sizes["title_lead"], ladder.STEPS_BELOW_LEAD))
            for line in compose_display(head.printed_title, "headline", size, measure, self.fonts, context):
                out.append(HeadLine(line, grid.rows_for(size), True))
            for line in compose_display(
                f"（上接第{piece.from_page}版）", "note", sizes["note"], measure, self.fonts, context, align="right"
            ):
                out.append(HeadLine(line, grid.rows_for(sizes["note"]), True))
            return out, 0.0
        title_size, side_size = ladder.title_sizes(sizes, columns, grid.columns, lead)
        if compact:
            title_size, side_size = ladder.down(title_size, 1), ladder.down(side_size, 1)
        parts = [
            (head.kicker, "kicker", side_size),
            (head.printed_title, "headline", title_size),
            (head.subtitle, "subtitle", side_size),
        ]
        parts += [(b.text, "byline", sizes["byline"]) for b in article.bylines if b.position == "head"]
        for n, (text, role, size) in enumerate(parts):
            if text:
                tag = Tag(piece.article, (0, n), HEAD_ROLES[role])
                for line in compose_display(text, role, size, measure, self.fonts, context, align="center"):
                    out.append(HeadLine(line, grid.rows_for(size), False, title=role == "headline", tag=tag))
        return out, title_size

    def head_measure(self, columns: int) -> float:
        """A headline's measure: the module's width less a character of 留白 at each side (so the
        headlines of modules side by side never run together)."""
        width = self.grid.span(columns)
        return width - 2 * self.grid.size if columns > 1 else width

    def head_rows_estimate(self, article: Article, piece: Piece, columns: int, lead: bool) -> int:
        """The rows the headline block takes: composed for a page's lead at the widths a lead may
        take (its large headline is where an estimate errs most), else estimated from its
        characters' widths (the search measures every width; only the chosen one is composed)."""
        key = (piece.article, piece.from_page, piece.headless, columns, lead, False)
        if key in self._heads:
            return head_rows(self._heads[key][0])
        if piece.headless:
            return 0
        if lead and columns * 8 >= self.grid.columns * 3:
            return head_rows(self.headline(article, piece, columns, lead))
        grid, sizes = self.grid, self.t.sizes
        measure = self.head_measure(columns)
        head = article.headline
        if piece.from_page is not None:
            parts = [(head.printed_title, sizes["title_small"]), ("（上接第00版）", sizes["note"])]
        else:
            title_size, side_size = ladder.title_sizes(sizes, columns, grid.columns, lead)
            parts = [(head.kicker, side_size), (head.printed_title, title_size), (head.subtitle, side_size)]
            parts += [(b.text, sizes["byline"]) for b in article.bylines if b.position == "head"]
        rows = 0
        for text, size in parts:
            if text:
                rows += _lines_estimate(text, size, measure) * grid.rows_for(size)
        return rows + 1 if rows else 0

    # ---- photos ----------------------------------------------------------------------
    def photo_slots(self, piece: Piece, columns: int) -> list[PhotoSlot]:
        """The article's photos in a module `columns` wide, at their best height, each with its
        caption (and credit) set under it; a photo too tall for its share of a page is set
        narrower, on whole columns in the module's middle."""
        if piece.from_page is not None or piece.headless or piece.start:
            return []
        article = self.issue.articles[piece.article]
        slots = []
        for i, (photo, span, (fewest, most, best)) in enumerate(self.photo_sizes(piece, columns)):
            block = article.blocks[photo.block] if photo.block is not None and photo.block < len(article.blocks) else None
            block = block or Block(BlockKind.CAPTION, photo.caption, credit=photo.credit or None)
            made = compose_block(block, self.fonts, self.grid.span(span), self.grid.size, self.context(piece.article))
            tag = Tag(piece.article, (1, i), "Caption")
            caption = [HeadLine(line, self.grid.rows_for(made[1]), False, tag=tag) for line in made[0]] if made else []
            alt = block_text(block).strip() or article.title
            slots.append(PhotoSlot(photo, best, fewest, most, caption, span if span < columns else 0, alt))
        return slots

    def photo_sizes(self, piece: Piece, columns: int) -> list[tuple[Photo, int, tuple[int, int, int]]]:
        """Each photo's width in columns (the module's, or fewer when it would be taller than its
        share of a front page: PHOTO_SHARE of the rows, shared among the article's photos) and its
        (fewest, most, best) rows there."""
        photos = placed_photos(self.issue.articles[piece.article])
        cap = max(4, int(PHOTO_SHARE * (self.grid.rows - self.front_rows()) / max(1, len(photos))))
        sizes = []
        for photo in photos:
            span = columns
            rows = _rows_range(photo, self.grid.span(span), self.grid.pitch)
            while span > 1 and rows[2] > cap:
                span -= 1
                rows = _rows_range(photo, self.grid.span(span), self.grid.pitch)
            sizes.append((photo, span, (rows[0], min(rows[1], max(rows[2], cap)), rows[2])))
        return sizes

    def photo_estimate(self, piece: Piece, columns: int) -> tuple[int, int, int]:
        """(fewest, best, most) rows the article's photos and captions take at `columns`."""
        if piece.from_page is not None or piece.headless or piece.start:
            return 0, 0, 0
        lo = best = hi = 0
        for photo, span, (fewest, most, natural) in self.photo_sizes(piece, columns):
            per_line = max(1, int(self.grid.span(span) // self.grid.size))
            caption = len(photo.caption) + len(photo.credit or "") + 1
            extra = -(-caption // per_line) + 1 if caption > 1 else 1
            lo, best, hi = lo + fewest + extra, best + natural + extra, hi + most + extra
        return lo, best, hi

    def unprinted_photos(self, index: int) -> None:
        """Say once which of an article's photos do not print, and why (their captions stay in its text)."""
        article = self.issue.articles[index]
        placed = {id(p) for p in placed_photos(article)}
        for photo in article.photos:
            if not photo.file or id(photo) in placed:
                continue
            why = (
                f"{photo.width}×{photo.height} px is too narrow or wide to print within a {MAX_CROP:.0%} crop"
                if not printable(photo.width, photo.height)
                else f"an article prints {MOST_PHOTOS} photos at most"
            )
            warning = f"{self.context(index)}: photo {photo.src} not printed ({why}); its caption stays in the text"
            if warning not in self.warnings:
                self.warnings.append(warning)

    # ---- the search's view of an article -------------------------------------------------
    def option(self, piece: Piece, lead: bool) -> Option:
        """The module heights of `piece` at every width, for the page search (measured once: an
        article flowing is offered to several pages' searches)."""
        key = (piece.article, piece.start, piece.from_page, piece.headless, lead)
        if key not in self._options:
            self._options[key] = self._option(piece, lead)
        return self._options[key]

    def _option(self, piece: Piece, lead: bool) -> Option:
        article = self.issue.articles[piece.article]
        self.unprinted_photos(piece.article)
        items = piece.items
        columns = self.grid.columns
        natural, fewest, most, room, body, start, heads, photos = ([0] * (columns + 1) for _ in range(8))
        paragraphs = sum(1 for k in range(piece.start, len(items)) if items[k].opens)
        for w in range(1, columns + 1):
            head = heads[w] = self.head_rows_estimate(article, piece, w, lead)
            lo, best, hi = self.photo_estimate(piece, w)
            photos[w] = best
            body[w] = min_rows(items, piece.start, w)
            natural[w] = head + best + body[w]
            fewest[w] = head + lo + body[w]
            room[w] = hi - best
            most[w] = natural[w] + room[w] + (AIR if head else 0) + min(paragraphs // (2 * w), body[w] // BODY_SPACING)
            start[w] = head + lo + min(3, body[w])
        coarse = tuple(COARSE * self.coarse_photos(piece, w) for w in range(columns + 1))
        return Option(
            tuple(natural),
            tuple(fewest),
            tuple(most),
            tuple(room),
            tuple(body),
            tuple(start),
            lead=lead,
            penalty=coarse,
            head=tuple(heads),
            photo=tuple(photos),
        )

    def coarse_photos(self, piece: Piece, columns: int) -> int:
        """How many of the article's photos would print below LOW_PPI across `columns` columns."""
        if not columns or piece.from_page is not None or piece.headless or piece.start:
            return 0
        width = self.grid.span(columns)
        pitch = self.grid.pitch
        return sum(
            1
            for p in placed_photos(self.issue.articles[piece.article])
            if effective_ppi(p.width, p.height, width, _rows_range(p, width, pitch)[2] * pitch) < LOW_PPI
        )

    # ---- pages -----------------------------------------------------------------------
    def lead_key(self, index: int) -> tuple:
        """How strong a claim an article has to head the page it lands on: marked lead, priority,
        heading its own 版次 in the input, then length (a short item never heads a page over a
        long story)."""
        return (*self.weight_key(index)[:3], index not in self._page_heads, -len(self.bodies[index]))

    def weight_key(self, index: int) -> tuple:
        """How an article ranks among its page's: marked lead, then a priority (any given one —
        a rank too — before none; higher first), then input order."""
        article = self.issue.articles[index]
        return (not article.lead_story, article.priority is None, -(article.priority or 0.0), index)

    def marked(self, index: int) -> bool:
        """Whether the editor said anything of the article's weight (lead, priority, rank)."""
        article = self.issue.articles[index]
        return article.lead_story or article.priority is not None

    def by_page(self) -> tuple[dict[int, list[int]], dict[int, tuple[str, str]], list[int]]:
        """The articles with a known 版次 by page number (weight order), each such page's label
        and name, and the articles of no known page (the lead story, the longest, first)."""
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
        for number in known:
            known[number].sort(key=self.weight_key)
        self._page_heads = {known[number][0] for number in known}
        if unknown:
            marked = [i for i in unknown if self.marked(i)]
            if marked:
                unknown.sort(key=self.weight_key)
            else:
                lead = max(unknown, key=lambda i: (len(self.bodies[i]), -i))
                unknown = [lead] + [i for i in unknown if i != lead]
        return known, labels, unknown

    def front_rows(self) -> int:
        return self.t.masthead["rows"] + 1

    def lay_out(self) -> list[Page]:
        """Fill the pages one by one. Under `pages="keep"` each 版次 is a page of its own, its own
        articles after what the page before carried over; under "auto" the articles flow in 版次
        order (each page's heaviest first) and every page takes as many as fill it, so that
        under-filled 版次 share a page and copy a page cannot hold goes on at the next."""
        known, labels, unknown = self.by_page()
        if self.mode == "auto":
            return self.lay_out_flowing([i for n in sorted(known) for i in known[n]] + unknown)
        jobs = plan_pages(known, labels, unknown)
        flow = [Piece(i, self.bodies[i]) for i in unknown]
        carried: list[Piece] = []
        n = 0
        while n < len(jobs):
            job = jobs[n]
            more = n + 1 < len(jobs)
            own = [Piece(i, self.bodies[i]) for i in job.own]
            page, carried, left = self.lay_page(job, carried, own, flow if job.flowing else [], n == 0, more)
            flow = left if job.flowing else flow
            self.pages.append(page)
            if not more and (carried or flow):
                number = max(job.numbers) + 1
                jobs.append(PageJob([number], [str(number)], "", flowing=bool(flow)))
            elif flow and more and not jobs[n + 1].flowing:
                jobs[n + 1].flowing = True
            n += 1
        return self.pages

    def lay_out_flowing(self, order: list[int]) -> list[Page]:
        """Pages filled from the articles in `order`; each page is labelled with the 版次 of the
        articles that start on it (第2–3版), or numbered on from the page before."""
        flow = [Piece(i, self.bodies[i]) for i in order]
        carried: list[Piece] = []
        number = 0
        while flow or carried or not self.pages:
            job = PageJob([], [], "", flowing=True)
            page, carried, flow = self.lay_page(job, carried, [], flow, not self.pages, False)
            number = self.label_page(page, number)
            for piece in carried:  # the rests cut on this page go on "from" its label, known only now
                if piece.from_page == "?":
                    piece.from_page = page.label
            self.pages.append(page)
        return self.pages

    def label_page(self, page: Page, before: int) -> int:
        """Name a flowing page by the 版次 of the articles that start on it; the page number it ends at."""
        labels: list[str] = []
        names: list[str] = []
        for box in page.modules:
            paper = self.issue.articles[box.article].paper
            if not box.continued and paper.page and paper.page not in labels:
                labels.append(paper.page)
                if paper.page_name and paper.page_name not in names:
                    names.append(paper.page_name)
        kept = [(n, label) for label in labels if (n := page_number(label)) is not None]
        numbers, labels = [n for n, _ in kept], [label for _, label in kept]
        if not labels:
            page.label, page.name = str(before + 1), "·".join(names)
            return before + 1
        ordered = sorted(zip(numbers, labels, strict=True))
        page.label = ordered[0][1] if len(ordered) == 1 else f"{ordered[0][1]}–{ordered[-1][1]}"
        page.name = "·".join(names)
        return max([*numbers, before])

    def lay_page(
        self, job: PageJob, carried: list[Piece], own: list[Piece], flow: list[Piece], front: bool, more: bool
    ) -> tuple[Page, list[Piece], list[Piece]]:
        """One page: the search over what it must and may take, then the modules placed. Returns
        the page, the pieces that go on at the next page, and the flowing articles it left."""
        page = Page(job.label, job.name)
        top = self.front_rows() if front else 0
        page.top_rows = top
        rows = self.grid.rows - top
        lead = own[:1] or flow[:1]  # the page's 头条: its heaviest own article, else the next to flow
        pieces = lead + carried + own[1:]
        from_flow = 0 if own else len(lead)
        must = len(pieces)
        offered = pieces + flow[from_flow : from_flow + max(0, MAX_OFFERED - must)]
        after = more or from_flow + len(offered) - must < len(flow)
        plan = self.plan(offered, must, rows, front, after)
        if plan is None:
            raise LayoutError(f"{self.context(offered[0].article)}: its headline does not fit on an empty page of this template")
        taken = offered[: plan.taken]  # the search may have put an article marked lead first: by identity, not place
        left = self.place(page, plan, taken, top, front)
        placed = {id(p) for p in taken}
        untaken = [p for p in pieces if id(p) not in placed]
        gone = placed | {id(p) for p in untaken}
        return page, left + untaken, [p for p in flow if id(p) not in gone]

    # ---- the search and its plan on the page ------------------------------------------
    def plan(self, offered: list[Piece], must: int, rows: int, front: bool, after: bool) -> Plan | None:
        """The page search over `offered` (the first `must` of them the page's own), on `rows`
        rows; `after`: more copy follows this page, so it fills to its foot and may jump."""
        columns = self.grid.columns
        options = [self.option(p, i == 0 and p.from_page is None and not p.headless) for i, p in enumerate(offered)]
        lead_columns = math.ceil(columns * 5 / 8) if front else max(1, round(columns * 3 / 8))
        width = min(4, columns)
        area, t0 = 0.0, len(options)
        for i, o in enumerate(options):
            area += o.natural[width] * width + width
            if area >= columns * rows:
                t0 = i + 1
                break
        if self.promote_lead(offered, t0):
            options = [self.option(p, i == 0 and p.from_page is None and not p.headless) for i, p in enumerate(offered)]
        for least in range(max(1, must), 0, -1):
            takes = [t for t in range(least, len(options) + 1) if t == least or t0 - 2 <= t <= t0 + 1]
            cut = after or least < must
            tail = TAIL_LAST if not cut else TAIL_OWN if len(options) == must == least else TAIL
            allowed = self.t.front if front else self.t.inner  # the template's divisions, else (too few stories) any
            plan = search(options, columns, rows, least, cut, lead_columns, takes, tail, allowed)
            if plan is None and allowed:
                plan = search(options, columns, rows, least, cut, lead_columns, takes, tail)
            if plan is not None:
                return plan
        # nothing fits whole even as the issue's last page: the first article starts here and goes on at a page added for it
        return search(options, columns, rows, 1, True, lead_columns, [1])

    def promote_lead(self, offered: list[Piece], window: int) -> bool:
        """Put first, as the page's 头条, the heaviest article among the `window` the page will
        likely hold (`lead_key`), when it is not first already (in place)."""
        fresh = [i for i, p in enumerate(offered[:window]) if p.from_page is None and not p.headless]
        if not fresh or fresh[0] != 0:
            return False
        page = self.issue.articles[offered[0].article].paper.page
        # unmarked, only a story of the same 版次 (or of none) may head the page: 版次 keep their order
        fresh = [
            i for i in fresh if self.marked(offered[i].article) or self.issue.articles[offered[i].article].paper.page == page
        ]
        best = min(fresh, key=lambda i: self.lead_key(offered[i].article))
        if best == 0 or self.lead_key(offered[best].article) >= self.lead_key(offered[0].article):
            return False
        offered.insert(0, offered.pop(best))
        return True

    def place(self, page: Page, plan: Plan, taken: list[Piece], top: int, front: bool) -> list[Piece]:
        """Set the plan's modules on the page, each stack fitted to the plan's depth exactly;
        the pieces that go on at the next page (rests of cut modules, modules that did not fit)."""
        grid = self.grid
        carried: list[Piece] = []
        stacks: dict[tuple[bool, int], list[Slot]] = {}
        below = 0  # rows the stacks under the lead start at
        self._content = 0
        for slot in plan.slots:
            if plan.band and slot.option == 0 and not slot.under:
                module = self.build(taken[0], slot, False, head_only=bool(plan.split))
                self.place_stack(page, [module], 0, slot.width, top)
                below = module.rows + 1
                continue
            stacks.setdefault((slot.under, slot.column), []).append(slot)
        built: list[tuple[int, int, int, list[Module]]] = []  # column, width, first row, modules
        for (under, column), slots in sorted(stacks.items()):
            width = slots[0].width
            start = below if under else 0
            modules = [self.build(taken[s.option], s, s.photo_first, body_only=plan.split > 0 and s.option == 0) for s in slots]
            modules, dropped = self.fit(modules, plan.depth - start, width)
            _mark_avoidable(modules, width)
            built.append((column, width, start, modules))
            carried += dropped
        stagger(built)
        for column, width, start, modules in built:
            for module in modules:
                if not module.complete:
                    rest = Piece(module.piece.article, module.piece.items, module.spans[-1][1], from_page=page.label)
                    module.piece.rest = rest
                    carried.append(rest)
            self.place_stack(page, modules, column, width, top + start)
        area = grid.columns * (grid.rows - top)
        page.filled = sum(round(m.height / grid.pitch) * m.columns for m in page.modules) / area
        page.content = self._content / area
        page.full = bool(carried)
        return carried

    def build(self, piece: Piece, slot: Slot, photo_first: bool, head_only: bool = False, body_only: bool = False) -> Module:
        """The module of `piece` in its slot, composed exactly: headline, photos, body columns
        (cut at the slot's foot when the plan cuts it). A lead split in two is its headline alone
        across its columns (`head_only`), then its photos and body in the first of the stacks
        under it (`body_only`)."""
        article = self.issue.articles[piece.article]
        lead = slot.option == 0 and piece.from_page is None and not piece.headless
        head, title_size = self.head_and_size(article, piece, slot.width, lead)
        photos = self.photo_slots(piece, slot.width)
        if head_only:
            module = Module(piece, head, [], 0, complete=True, title_size=title_size)
            module.split = True
            return module
        if body_only:
            piece = Piece(piece.article, piece.items, piece.start, piece.from_page, headless=True)
            head, title_size = [], 0.0
        # whole, even where the plan cuts it: fitting the stack cuts it where it must (photos shrunk,
        # headlines made smaller first), so that no jump is made that the page could do without
        spans, body = balance(piece.items, piece.start, slot.width, 10**6) or ([], 0)
        module = Module(piece, head, spans, body, complete=True)
        module.even_feet()
        module.photos, module.photo_first, module.title_size = photos, photo_first and bool(photos), title_size
        module.weight = slot.option
        return module

    def fit(self, modules: list[Module], room: int, width: int) -> tuple[list[Module], list[Piece]]:
        """Make a stack exactly `room` rows: photos grow or shrink within their crop first, then
        space opens round headlines and between paragraphs. A stack a few rows too tall sets its
        headlines a size smaller first (rather than jump a few lines); one still too tall cuts its
        last module at the foot (a jump) or, when that cannot start here, sends it to the next page."""
        dropped: list[Piece] = []
        compacted = False
        while modules:
            delta = room - (sum(m.rows for m in modules) + len(modules) - 1)
            delta = _resize_photos(modules, delta)
            if delta >= 0:
                spread(modules, delta)
                return modules, dropped
            if not compacted and -delta <= COMPACT_ROWS:
                compacted = True
                if self.compact(modules, width):
                    continue
            last = modules[-1]
            cut = set_module(last.piece, last.head, width, last.body_rows + delta) if last.spans else None
            if cut is not None:
                cut.photos, cut.photo_first, cut.title_size, cut.weight = (
                    last.photos,
                    last.photo_first,
                    last.title_size,
                    last.weight,
                )
                modules[-1] = cut
                continue
            dropped.insert(0, Piece(last.piece.article, last.piece.items, last.piece.start, last.piece.from_page))
            modules.pop()
        return modules, dropped

    def compact(self, modules: list[Module], width: int) -> bool:
        """Set the stack's headlines one 号 smaller where that saves rows; whether any did."""
        saved = False
        for module in modules:
            piece = module.piece
            if not module.head or piece.headless or piece.from_page is not None:
                continue
            article = self.issue.articles[piece.article]
            lead = module.weight == 0
            head, size = self.head_and_size(article, piece, width, lead, compact=True)
            if head_rows(head) < module.head_rows:
                module.head, module.title_size, saved = head, size, True
        return saved

    # ---- placing modules on the page --------------------------------------------------
    def place_stack(self, page: Page, stack: list[Module], column: int, width: int, top: int) -> None:
        """The stack's modules down its columns from row `top`, a thin rule in the blank row between each two."""
        grid = self.grid
        self._content += sum(m.rows - m.pad_above - m.pad for m in stack) * width
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
        """Set `module` on `page` from `row` down: its destination (and outline entry), headline,
        photos with their captions, and columns; where its 下转 line goes; its box. The row under it."""
        grid = self.grid
        x = grid.column_left(column)
        measure = grid.span(width)
        piece = module.piece
        article = self.issue.articles[piece.article]
        start_row = row  # the space opened above a module is its own (round its headline)
        row += module.pad_above
        key = _destination(piece.article, piece.start)
        if not piece.headless:  # a lead's body under its own headline goes on from the headline's anchor
            page.anchors.append(Anchor(key, grid.baseline(row) + grid.pitch))
        if piece.from_page is None and not piece.headless:
            page.outline.append(OutlineEntry(article.headline.printed_title or article.title, key, piece.article))
        photo_boxes: list[tuple[float, float, float, float]] = []
        if module.photo_first:
            row = self._place_photos(page, module, x, measure, row, photo_boxes)
        head_box = None
        inset = (measure - self.head_measure(width)) / 2
        for head in module.head:
            baseline = grid.baseline(row + head.rows - 1)
            page.lines.append(Drawn(head.line, x + inset, baseline, head.artifact, tag=head.tag))
            if head.title:
                head_box = _union(head_box, _ink_box(head.line, x + inset, baseline))
            row += head.rows
        if module.head:
            row += 1
        if not module.photo_first:
            row = self._place_photos(page, module, x, measure, row, photo_boxes)
        row += module.pad
        for c, (a, b) in enumerate(module.spans):
            r = row
            for k in range(a, b):
                item = piece.items[k]
                if k > a:
                    r += item.space + module.extra.get(k, 0)
                tag = Tag(piece.article, (2, item.block), "H2" if item.heading else "P")
                page.lines.append(Drawn(item.line, grid.column_left(column + c), grid.baseline(r + item.rows - 1), tag=tag))
                r += item.rows
        row += module.body_rows
        first_piece = piece.from_page is None and piece.start == 0
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
            and first_piece
            and not (module.photos or module.split or piece.headless)
            and sum(len(b.text) for b in article.blocks) < self.t.box_under,
            hole=module.hole,
            air=module.air,
            weight=module.weight,
            title_size=module.title_size,
            head_box=head_box,
            photos=photo_boxes,
            captions=sum(1 for p in module.photos if p.caption),
            credits=sum(1 for p in module.photos if p.caption and _credited(p)),
        )
        page.modules.append(box)
        if not module.complete:
            jump_x = grid.column_left(column + width - 1)
            self._jumps.append(Jump(page, piece.rest, jump_x, grid.baseline(row - 1), piece.article, box))
            box.avoidable = module.avoidable
        if box.boxed:
            gap = grid.size * 0.45  # half the gutter: the box stays clear of its neighbours' text
            foot = box.top - box.height - 0.3 * grid.pitch  # below the last line's descenders, in the gap row
            page.rules += box_rules(x - gap, foot, x + measure + gap, box.top, self.t.rule_width / 2)
        return row

    def _place_photos(self, page: Page, module: Module, x: float, measure: float, row: int, boxes: list) -> int:
        """The module's photos across its width from `row`, each with its caption under it; the row after."""
        grid = self.grid
        for i, slot in enumerate(module.photos):
            top = grid.row_top(row) - 0.1 * grid.pitch  # level with the tops of the glyphs in the row beside it
            height = (slot.rows - 0.2) * grid.pitch  # clear of the caption's ascenders under it
            left, width = x, measure
            if slot.columns:  # narrower than the module: on whole columns in its middle
                step = (grid.column_chars + grid.gutter_chars) * grid.size
                columns = round((measure + grid.gutter_chars * grid.size) / step)
                left, width = x + (columns - slot.columns) // 2 * step, grid.span(slot.columns)
            tag = Tag(module.piece.article, (1, i), "Figure", slot.alt)
            image = PlacedImage(slot.photo.file or "", left, top - height, width, height, True, module.piece.article, tag)
            page.images.append(image)
            boxes.append((left, top - height, width, height))
            ppi = effective_ppi(slot.photo.width, slot.photo.height, width, height)
            if ppi < LOW_PPI:
                warning = (
                    f"{self.context(module.piece.article)}: photo {slot.photo.src} prints at {ppi:.0f} ppi (below {LOW_PPI})"
                )
                if warning not in self.warnings:
                    self.warnings.append(warning)
            row += slot.rows
            for line in slot.caption:
                page.lines.append(Drawn(line.line, left, grid.baseline(row + line.rows - 1), tag=line.tag))
                row += line.rows
            row += 1
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
            if jump.box is not None and target is not None:
                jump.box.jump_to = target.label
            context = self.context(jump.article)
            for line in compose_display(text, "note", sizes["note"], self.grid.measure, self.fonts, context, align="right"):
                jump.page.lines.append(Drawn(line, jump.x, jump.baseline, artifact=True))
            if target is not None:
                x, baseline = jump.x, jump.baseline
                jump.page.links.append(Link(x, baseline - 2, x + self.grid.measure, baseline + sizes["note"], key, jump.article))

    def digest(self, pages: list[Page]) -> list[DigestEntry]:
        """Page 1's 导读: the stories that start on the inside pages in page order, each page's
        heaviest first; past DIGEST_MOST, the pages' leads are kept before their other stories."""
        entries = []  # (not a page's lead, position, entry)
        for page in pages[1:]:
            starts = [b for b in sorted(page.modules, key=lambda b: b.weight) if not b.continued and b.kind == "article"]
            for n, box in enumerate(starts):
                title = self.issue.articles[box.article].headline.printed_title
                entries.append((n > 0, len(entries), DigestEntry(title, page.label, _destination(box.article, 0))))
        kept = sorted(entries)[:DIGEST_MOST]
        return [entry for _, _, entry in sorted(kept, key=lambda e: e[1])]

    def run(self) -> list[Page]:
        """The issue's pages, complete: modules, jump lines and links, masthead and running heads."""
        self._jumps = []
        pages = self.lay_out()
        self.set_jumps(pages)
        furnish(pages, self.grid, self.t, self.issue.facts, self.fonts, self.digest(pages))
        return pages


def _destination(article: int, start: int) -> str:
    """The name of the PDF destination where an article's body goes on from item `start`."""
    return f"a{article}-{start}"


def _lines_estimate(text: str, size: float, measure: float) -> int:
    """Display lines `text` takes at `size` in `measure`, from its characters' usual widths
    (a balanced, phrase-broken headline may take one more; the page is fitted exactly later)."""
    ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)
    return max(1, math.ceil(ems * size / measure - 1e-9))


def _rows_range(photo, width: float, pitch: float) -> tuple[int, int, int]:
    """(fewest, most, best) grid rows for a photo across `width`; a photo of unknown size gets a
    3:2 box, a strip no whole number of rows crops within bounds its least-crop height only."""
    if photo.width <= 0 or photo.height <= 0:
        best = max(1, round(width * 2 / 3 / pitch))
        return best, best, best
    fewest, most, best = photo_rows(photo.width, photo.height, width, pitch)
    if fewest > most:
        return best, best, best
    sharp = int(photo.height * 72 / LOW_PPI / pitch)  # taller than this, the crop prints below LOW_PPI
    return fewest, max(best, min(most, sharp)), best


def _mark_avoidable(stack: list[Module], width: int) -> None:
    """A cut module's jump was avoidable when what goes on at the next page is three lines or
    fewer (a stub), or fits in the space its stack opened round headlines (the short feet balanced columns
    are evened with are no such space: a module is as tall as its longest column)."""
    for module in stack:
        if module.complete or not module.spans:
            continue
        items, start = module.piece.items, module.spans[-1][1]
        lines = rows_of(items, start, len(items))  # what goes on, in lines of one column
        space = sum(m.pad_above + m.pad for m in stack)
        module.avoidable = lines <= 3 or min_rows(items, start, width) <= space


def title_rows(module: Module, top: int) -> tuple[int, int] | None:
    """The rows a module's 主题 lines take when it starts at row `top` (None: it has none)."""
    row = top + module.pad_above + (module.photo_rows if module.photo_first else 0)
    first = last = None
    for head in module.head:
        if head.title:
            first = row if first is None else first
            last = row + head.rows
        row += head.rows
    return None if first is None else (first, last)


def _collide(a: tuple[int, int], b: tuple[int, int]) -> bool:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap > 0 and overlap * 2 >= min(a[1] - a[0], b[1] - b[0])


def stagger(stacks: list[tuple[int, int, int, list[Module]]]) -> None:
    """Where the rows shared out brought two headlines of stacks side by side level (碰题), move
    one of them up or down within the space round it (its 留白 above and under it) — or, failing
    that, let two whole modules of a stack change places where that leaves fewer such pairs."""
    for _ in range(6):
        clashes = _clashes(stacks)
        if not clashes:
            return
        if any(_nudge(b, a[3]) or _nudge(a, b[3]) for a, b in clashes):
            continue
        if not _swap(stacks, len(clashes)):
            return


def _clashes(stacks: list[tuple[int, int, int, list[Module]]]) -> list[tuple[tuple, tuple]]:
    """Pairs of headlines in stacks side by side that overlap by half the shorter or more."""
    heads = []  # (column, width, module, its title rows)
    for column, width, start, modules in stacks:
        row = start
        for module in modules:
            span = title_rows(module, row)
            if span is not None:
                heads.append((column, width, module, span))
            row += module.rows + 1
    return [
        (a, b) for i, a in enumerate(heads) for b in heads[i + 1 :]
        if (a[0] + a[1] == b[0] or b[0] + b[1] == a[0]) and _collide(a[3], b[3])
    ]  # fmt: skip


def _swap(stacks: list[tuple[int, int, int, list[Module]]], clashes: int) -> bool:
    """Exchange two neighbouring whole modules below a stack's top (never a cut one, which must
    stay at the foot) where that leaves fewer clashes; whether one was."""
    for _column, _width, _start, modules in stacks:
        for i in range(1, len(modules) - 1):
            a, b = modules[i], modules[i + 1]
            if not (a.complete and b.complete) or a.photo_first or b.photo_first:
                continue
            modules[i], modules[i + 1] = b, a
            a.pad_above, b.pad_above = b.pad_above, a.pad_above
            if len(_clashes(stacks)) < clashes:
                return True
            modules[i], modules[i + 1] = a, b
            a.pad_above, b.pad_above = b.pad_above, a.pad_above
    return False


def _nudge(head: tuple[int, int, Module, tuple[int, int]], other: tuple[int, int]) -> bool:
    """Move one headline (rows between its module's 留白 above and under it) clear of `other`."""
    module, (first, last) = head[2], head[3]
    for shift in (1, -1, 2, -2, 3, -3, 4, -4):
        moved = (first + shift, last + shift)
        if _collide(moved, other):
            continue
        if shift > 0 and module.pad >= shift:
            module.pad -= shift
            module.pad_above += shift
            return True
        if shift < 0 and module.pad_above >= -shift:
            module.pad_above += shift
            module.pad -= shift
            return True
    return False


def _resize_photos(modules: list[Module], delta: int) -> int:
    """Grow (delta > 0) or shrink (delta < 0) the stack's photos a row at a time, in turn,
    within the crop each allows; the rows still to find."""
    photos = [p for m in modules for p in m.photos]
    while delta and photos:
        moved = False
        for photo in photos:
            if delta > 0 and photo.rows < photo.most:
                photo.rows, delta, moved = photo.rows + 1, delta - 1, True
            elif delta < 0 and photo.rows > photo.fewest:
                photo.rows, delta, moved = photo.rows - 1, delta + 1, True
            if not delta:
                break
        if not moved:
            break
    return delta


def _ink_box(line: Line, x: float, baseline: float) -> tuple[float, float, float, float]:
    """The box a display line's glyphs cover, from its baseline (descent 0.12 em, ascent 0.88 em)."""
    glyphs = [g for g in line.glyphs if g.text.strip()]
    if not glyphs:
        return (x, baseline, x, baseline)
    size = max(g.size for g in glyphs)
    left = min(g.x for g in glyphs)
    right = max(g.x + g.width for g in glyphs)
    return (x + left, baseline - 0.12 * size, x + right, baseline + 0.88 * size)


def _union(a, b):
    if a is None:
        return b
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _credited(slot: PhotoSlot) -> bool:
    """Whether the photo's caption lines carry a credit (…摄, 新华社发, or the one the input gave)."""
    text = "".join(line.line.text for line in slot.caption)
    credit = slot.photo.credit or ""
    return bool(credit and credit.replace(" ", "") in text.replace(" ", "")) or text.rstrip("）)").endswith(("摄", "发", "供图"))


def lay_out_issue(
    issue: Issue,
    template: Template,
    fonts: FontStack,
    bodies: list[list[Item]],
    context: Callable[[int], str],
    pages: str = "auto",
) -> Laid:
    """The issue's pages: its articles' bodies (composed at column measure) in modules, with
    their jumps, the masthead and the running heads."""
    layout = IssueLayout(issue, template, fonts, bodies, context, pages)
    return Laid(layout.run(), template.grid, layout.warnings)
