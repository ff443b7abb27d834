"""Articles → pages of columns: the first, plain layout (one article after another down the
columns of broadsheet pages). Every line sits on the page's baseline grid.

The newspaper layout (modules, masthead, jumps) replaces this flow; the composition stays.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ..article import Article, Block, BlockKind
from ..ingest.chars import is_symbol_bullet
from ..runtime import default_jobs, fork_map
from ..typeset.compose import Line, Settings, compose
from ..typeset.display import compose_display
from ..typeset.fonts import ROLES, FontStack

MM = 72 / 25.4


@dataclass(frozen=True)
class PageSpec:
    """A page and its grid: columns of whole characters at the body size."""

    width: float = 390 * MM  # 对开 broadsheet
    height: float = 540 * MM
    columns: int = 8
    column_chars: int = 13
    gutter_chars: int = 1
    size: float = 9.0  # 小五
    leading: float = 1.5  # baseline pitch as a multiple of the size
    top: float = 22 * MM
    bottom: float = 20 * MM

    @property
    def measure(self) -> float:
        return self.column_chars * self.size

    @property
    def pitch(self) -> float:
        return self.size * self.leading

    @property
    def type_width(self) -> float:
        return (self.columns * self.column_chars + (self.columns - 1) * self.gutter_chars) * self.size

    @property
    def left(self) -> float:
        return (self.width - self.type_width) / 2

    @property
    def rows(self) -> int:
        return int((self.height - self.top - self.bottom) // self.pitch)

    def column_left(self, column: int) -> float:
        return self.left + column * (self.column_chars + self.gutter_chars) * self.size

    def baseline(self, row: int) -> float:
        """Baseline of grid row `row` (0 at the top): the lower part of the row, above descenders."""
        return self.height - self.top - (row + 1) * self.pitch + 0.28 * self.pitch


@dataclass
class Placed:
    """A composed line at its place: page, column, first grid row, rows it takes."""

    line: Line
    page: int
    column: int
    row: int
    rows: int
    article: int


@dataclass
class Flow:
    spec: PageSpec
    placed: list[Placed] = field(default_factory=list)
    page: int = 0
    column: int = 0
    row: int = 0

    @property
    def pages(self) -> int:
        return self.page + 1 if self.placed else 0

    def advance(self, rows: int) -> None:
        self.row += rows
        if self.row >= self.spec.rows:
            self.next_column()

    def next_column(self) -> None:
        self.row = 0
        self.column += 1
        if self.column >= self.spec.columns:
            self.column = 0
            self.page += 1

    def place(self, line: Line, rows: int, article: int) -> None:
        if self.row + rows > self.spec.rows:
            self.next_column()
        self.placed.append(Placed(line, self.page, self.column, self.row, rows, article))
        self.advance(rows)


# kind → (font role, size in ems of the body, alignment, indent in ems, grid rows of space before)
BLOCK_STYLE: dict[BlockKind, tuple[str, float, str, float, int]] = {
    BlockKind.PARAGRAPH: ("body", 1.0, "justify", 2.0, 0),
    BlockKind.LEAD: ("kicker", 1.0, "justify", 2.0, 0),
    BlockKind.EDITOR_NOTE: ("kicker", 1.0, "justify", 2.0, 0),
    BlockKind.HEADING: ("heading", 1.0, "left", 0.0, 1),
    BlockKind.LIST_ITEM: ("body", 1.0, "justify", 2.0, 0),
    BlockKind.CAPTION: ("caption", 1.0, "justify", 0.0, 0),
    BlockKind.CREDIT: ("byline", 1.0, "right", 0.0, 0),
    BlockKind.QA: ("body", 1.0, "justify", 2.0, 0),
    BlockKind.NOTE: ("note", 0.875, "justify", 2.0, 0),
    BlockKind.JUMP: ("note", 0.875, "right", 0.0, 0),
    BlockKind.BYLINE: ("byline", 1.0, "right", 0.0, 0),
    BlockKind.SIGNATURE: ("byline", 1.0, "right", 0.0, 0),
    BlockKind.VERSE: ("body", 1.0, "left", 2.0, 0),
}


# plain-text list markup (Markdown's - * +) prints as the newspaper bullet
PRINTED_BULLET = {"-": "●", "*": "●", "+": "●"}


def headline_parts(article: Article) -> list[tuple[str, str, float]]:
    """What prints above the body, in order: (text, font role, size in ems of the body)."""
    head = article.headline
    parts = [(head.kicker, "kicker", 1.25), (head.printed_title, "headline", 2.0), (head.subtitle, "subtitle", 1.25)]
    parts += [(byline.text, "byline", 1.0) for byline in article.bylines if byline.position == "head"]
    return [(text, role, scale) for text, role, scale in parts if text]


def block_text(block: Block) -> str:
    """What a block prints: its marker, text and credit."""
    marker = block.marker or ""
    parts = [PRINTED_BULLET.get(marker.strip(), marker), block.text]
    if block.credit:
        parts.append(f" {block.credit}")
    return "".join(parts)


def flow_articles(
    articles: list[Article],
    fonts: FontStack,
    spec: PageSpec = PageSpec(),
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
) -> Flow:
    """Set every article, one after another, down the columns; a blank row between articles."""
    flow = Flow(spec)
    for index, lines in enumerate(compose_articles(articles, fonts, spec, on_article, strict, jobs)):
        if index and flow.row:
            flow.advance(1)
        for line, rows in lines:
            flow.place(line, rows, index)
    return flow


PARALLEL_MIN_CHARS = 20_000  # below this, forking costs more than it saves


def compose_articles(
    articles: list[Article],
    fonts: FontStack,
    spec: PageSpec,
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
    lines_of: Callable[[Article, str], list] | None = None,
) -> list[list]:
    """Each article's (line, grid rows) — or what `lines_of(article, context)` makes of it —
    composed on up to `jobs` cores (default: all)."""
    if lines_of is None:

        def lines_of(article: Article, context: str) -> list:
            return list(article_lines(article, fonts, spec, context, strict))

    sizes = [sum(len(b.text) for b in a.blocks) for a in articles]
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if sum(sizes) < PARALLEL_MIN_CHARS:
        jobs = 1
    chunks = _balanced_chunks(list(range(len(articles))), sizes, jobs)
    if len(chunks) > 1:
        fonts.face(ROLES["body"][0])  # loaded once, before the fork, for every worker

    def work(chunk: list[int]):
        seen = len(fonts.missing)
        lines = []
        for index in chunk:
            if on_article and chunk is chunks[0]:
                on_article(articles[index])
            lines.append(lines_of(articles[index], article_context(articles[index])))
        return lines, fonts.missing[seen:], fonts.loaded()

    def adopt(number: int, result) -> None:
        if number:
            _, missing, faces = result
            fonts.adopt(missing, faces)
            if on_article:
                for index in chunks[number]:
                    on_article(articles[index])

    composed: list[list] = []
    for lines, _, _ in fork_map(work, chunks, adopt):
        composed += lines
    return composed


def _balanced_chunks(indices: list[int], sizes: list[int], parts: int) -> list[list[int]]:
    """Consecutive runs of `indices` with about equal total size (at most `parts` of them)."""
    total = sum(sizes) or 1
    chunks: list[list[int]] = [[]]
    done = 0
    for index in indices:
        if chunks[-1] and len(chunks) < parts and done >= total * len(chunks) / parts:
            chunks.append([])
        chunks[-1].append(index)
        done += sizes[index]
    return chunks


def article_context(article: Article) -> str:
    return f"{article.source.file if article.source else '<article>'}: {article.title}"


def article_lines(article: Article, fonts: FontStack, spec: PageSpec, context: str, strict: bool = False):
    """(line, grid rows) for an article: headline block, bylines, then the body blocks."""
    measure, size = spec.measure, spec.size
    for text, role, scale in headline_parts(article):
        align = "left" if role == "byline" else "center"
        for line in compose_display(text, role, size * scale, measure, fonts, context, align=align):
            yield line, _rows(size * scale, spec)
    for block in article.blocks:
        role, scale, align, indent, space = BLOCK_STYLE.get(block.kind, BLOCK_STYLE[BlockKind.PARAGRAPH])
        text = block_text(block)
        if not text:
            continue
        if block.kind is BlockKind.HEADING:
            lines = compose_display(text, role, size * scale, measure, fonts, context, align="left")
        else:
            hang = 0.0
            if block.kind is BlockKind.LIST_ITEM and is_symbol_bullet(text[0]):
                indent, hang = 0.0, _advance(text[0], role, fonts, context)  # ● at the margin, text hanging after it
            settings = Settings(measure=measure, size=size * scale, indent=indent, hang=hang, align=align, strict=strict)
            lines = compose([(text, role, size * scale)], settings, fonts, context)
        for n, line in enumerate(lines):
            yield line, _rows(size * scale, spec) + (space if n == 0 else 0)


def _advance(ch: str, role: str, fonts: FontStack, context: str) -> float:
    """Natural width of a character in ems."""
    return fonts.for_char(ch, role, context).advance(ch)


def _rows(size: float, spec: PageSpec) -> int:
    """Grid rows a line of this size takes (body lines take one)."""
    return max(1, math.ceil(size * 1.25 / spec.pitch - 1e-9))
