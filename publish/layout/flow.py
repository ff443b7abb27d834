"""Articles → pages of columns: the first, plain layout (one article after another down the
columns of broadsheet pages). Every line sits on the page's baseline grid.

The newspaper layout (modules, masthead, jumps) replaces this flow; the composition stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..article import Article
from ..runtime import default_jobs
from ..typeset.compose import Line
from ..typeset.display import compose_display
from ..typeset.fonts import FontStack
from .blocks import HEAD_ROLES, block_role, compose_block, composed_articles, headline_parts
from .grid import BROADSHEET, Grid
from .page import Tag

PageSpec = Grid  # the galley's page: a broadsheet grid unless told otherwise


@dataclass
class Placed:
    """A composed line at its place: page, column, first grid row, rows it takes."""

    line: Line
    page: int
    column: int
    row: int
    rows: int
    article: int
    tag: Tag | None = None  # its element in the article (tagged PDF)


@dataclass
class Flow:
    spec: PageSpec
    placed: list[Placed] = field(default_factory=list)
    page: int = 0
    column: int = 0
    row: int = 0
    titles: dict[int, str] = field(default_factory=dict)  # each article's headline (its Art's title in a tagged PDF)

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

    def place(self, line: Line, rows: int, article: int, tag: Tag | None = None) -> None:
        if self.row + rows > self.spec.rows:
            self.next_column()
        self.placed.append(Placed(line, self.page, self.column, self.row, rows, article, tag))
        self.advance(rows)


def flow_articles(
    articles: list[Article],
    fonts: FontStack,
    spec: PageSpec = BROADSHEET,
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
) -> Flow:
    """Set every article, one after another, down the columns; a blank row between articles."""
    flow = Flow(spec)
    for _ in flow_pages(flow, articles, fonts, on_article, strict, jobs, drawing=False):
        pass
    return flow


DRAWING_SHARE = 0.4  # of the text, what this process sets at 2 cores when it draws the pages too (tuned: 0.25-0.45)
PIECES = 4  # parts a worker sends its lines in, so that the drawing goes on while it sets the rest


def flow_pages(
    flow: Flow,
    articles: list[Article],
    fonts: FontStack,
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
    drawing: bool = True,
) -> Iterator[int]:
    """Set the articles into `flow` (as flow_articles), giving each page's number as soon as no
    later line can land on it: a caller draws it while the workers set the later articles.
    Lines only move on, so a page is done once the flow has left it."""
    spec = flow.spec

    def lines_of(article: Article, context: str) -> list:
        return list(article_lines(article, fonts, spec, context, strict))

    own, pieces = (None, 1) if not drawing else (DRAWING_SHARE * 2 / max(2, jobs or default_jobs()), PIECES)
    done = 0
    for index, lines in enumerate(composed_articles(articles, fonts, lines_of, on_article, jobs, own, pieces)):
        if index and flow.row:
            flow.advance(1)
        flow.titles[index] = articles[index].headline.printed_title or articles[index].title
        for line, rows, (part, role) in lines:
            flow.place(line, rows, index, Tag(index, part, role))
        while done < flow.page:
            yield done
            done += 1
    while done < flow.pages:
        yield done
        done += 1


def article_lines(article: Article, fonts: FontStack, spec: PageSpec, context: str, strict: bool = False):
    """(line, grid rows, (part, role) of its element) for an article: headline block, bylines,
    then the body blocks."""
    measure, size = spec.measure, spec.size
    for n, (text, role, scale) in enumerate(headline_parts(article)):
        align = "left" if role == "byline" else "center"
        for line in compose_display(text, role, size * scale, measure, fonts, context, align=align):
            yield line, spec.rows_for(size * scale), ((0, n), HEAD_ROLES[role])
    for b, block in enumerate(article.blocks):
        made = compose_block(block, fonts, measure, size, context, strict)
        if made is None:
            continue
        lines, line_size, space = made
        for n, line in enumerate(lines):
            yield line, spec.rows_for(line_size) + (space if n == 0 else 0), ((2, b), block_role(block))
