"""What an article prints, block by block: the headline parts in order, each body block's
style, text and composed lines. The galley and the newspaper modules both set blocks so."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..article import Article, Block, BlockKind
from ..ingest.chars import is_symbol_bullet
from ..runtime import default_jobs, forked
from ..typeset.compose import Line, Settings, compose
from ..typeset.display import compose_display
from ..typeset.fonts import FontStack

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


# headline block part → (font role, size in ems of the body)
HEADLINE_STYLE = {
    "kicker": ("kicker", 1.25),
    "title": ("headline", 2.0),
    "subtitle": ("subtitle", 1.25),
    "byline": ("byline", 1.0),
}


# a headline part's font role → its element in a tagged PDF: 主题 H1, 引题 and 副题 H2, a byline P
HEAD_ROLES = {"kicker": "P", "headline": "H1", "subtitle": "H2", "byline": "P"}
# PDF/UA-1 (Matterhorn 14-002, 14-003): the first heading is an H1 and no level is skipped, so
# the 引题 that stands before the 主题 is a paragraph, and a 小标题 an H2 (an article may have no 副题)


def block_role(block: Block) -> str:
    """A body block's element in a tagged PDF: a 小标题 is H2, anything else a paragraph."""
    return "H2" if block.kind is BlockKind.HEADING else "P"


def headline_parts(article: Article) -> list[tuple[str, str, float]]:
    """What prints above the body, in order: (text, font role, size in ems of the body)."""
    return [(text, *HEADLINE_STYLE[part]) for part, text in article.headline_block]


def block_text(block: Block) -> str:
    """What a block prints: its marker, text and credit."""
    marker = block.marker or ""
    parts = [PRINTED_BULLET.get(marker.strip(), marker), block.text]
    if block.credit:
        parts.append(f" {block.credit}")
    return "".join(parts)


def compose_block(
    block: Block,
    fonts: FontStack,
    measure: float,
    size: float,
    context: str,
    strict: bool = False,
    heading_size: float | None = None,
    note_size: float | None = None,
) -> tuple[list[Line], float, int] | None:
    """One body block set at `measure` (body `size`; 小标题 and notes at their own sizes when
    given): its lines, their size and the blank grid rows before it — None when it prints nothing."""
    role, scale, align, indent, space = BLOCK_STYLE.get(block.kind, BLOCK_STYLE[BlockKind.PARAGRAPH])
    text = block_text(block)
    if not text:
        return None
    if block.kind is BlockKind.HEADING:
        line_size = heading_size or size * scale
        return compose_display(text, role, line_size, measure, fonts, context, align="left"), line_size, space
    line_size = note_size if note_size and block.kind in (BlockKind.NOTE, BlockKind.JUMP) else size * scale
    hang = 0.0
    if block.kind is BlockKind.LIST_ITEM and is_symbol_bullet(text[0]):
        indent, hang = 0.0, fonts.for_char(text[0], role, context).advance(text[0])  # ● at the margin, text hanging after it
    settings = Settings(measure=measure, size=line_size, indent=indent, hang=hang, align=align, strict=strict)
    return compose([(text, role, line_size)], settings, fonts, context), line_size, space


def article_context(article: Article) -> str:
    return f"{article.source.file if article.source else '<article>'}: {article.title}"


# below this, forking costs more than it saves (a galley at 2 cores: even at 7k chars, 6 % faster at 15k-20k)
PARALLEL_MIN_CHARS = 10_000


def composed_articles(
    articles: list[Article],
    fonts: FontStack,
    lines_of: Callable[[Article, str], list],
    on_article: Callable[[Article], None] | None = None,
    jobs: int | None = None,
    own_share: float | None = None,
    pieces: int = 1,
) -> Iterator[list]:
    """`lines_of(article, context)` for each article in order, each as soon as it is set, on up
    to `jobs` cores (default: all). This process sets the first articles, `own_share` of the
    text (default: an even share), one by one, while forked workers set the rest in `pieces`
    parts a worker: a caller that draws what it gets meanwhile takes a smaller share."""
    sizes = [sum(len(b.text) for b in a.blocks) for a in articles]
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if sum(sizes) < PARALLEL_MIN_CHARS:
        jobs = 1
    own = _first_part(sizes, 1 / jobs if own_share is None else own_share) if jobs > 1 else len(articles)
    chunks = _balanced_chunks(list(range(own, len(articles))), sizes, (jobs - 1) * pieces)
    if chunks:
        fonts.face(fonts.roles["body"][0])  # loaded once, before the fork, for every worker

    def work(chunk: list[int]):
        seen = len(fonts.missing)
        lines = [lines_of(articles[index], article_context(articles[index])) for index in chunk]
        return lines, fonts.missing[seen:], fonts.loaded()

    with forked(work, chunks, jobs - 1) as results:
        for index in range(own):
            if on_article:
                on_article(articles[index])
            yield lines_of(articles[index], article_context(articles[index]))
        for chunk, (lines, missing, faces) in zip(chunks, results, strict=True):
            fonts.adopt(missing, faces)
            if on_article:
                for index in chunk:
                    on_article(articles[index])
            yield from lines


def _first_part(sizes: list[int], share: float) -> int:
    """How many of the first articles make about `share` of them all (by size; at least one)."""
    part, done = sum(sizes) * share, 0
    for count, size in enumerate(sizes):
        if count and done >= part:
            return count
        done += size
    return len(sizes)


def _balanced_chunks(indices: list[int], sizes: list[int], parts: int) -> list[list[int]]:
    """Consecutive runs of `indices` with about equal total size (at most `parts` of them; none
    when there are no indices)."""
    total = sum(sizes[index] for index in indices) or 1
    chunks: list[list[int]] = []
    done = 0
    for index in indices:
        if not chunks or (len(chunks) < parts and done >= total * len(chunks) / parts):
            chunks.append([])
        chunks[-1].append(index)
        done += sizes[index]
    return chunks
