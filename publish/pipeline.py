"""Wire the stages: articles → composed lines in columns → PDF bytes (and what to check them by)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .article import Article
from .layout.flow import Flow, PageSpec, block_text, flow_articles, headline_parts
from .render.pdf import DocInfo, render_flow
from .runtime import default_jobs, gc_paused
from .typeset.fonts import FontStack, Missing


@dataclass
class PdfResult:
    data: bytes
    pages: int
    lines: int
    missing: list[Missing] = field(default_factory=list)


def articles_pdf(
    articles: list[Article],
    spec: PageSpec = PageSpec(),
    title: str = "",
    on_missing: Callable[[Missing], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
) -> PdfResult:
    """Set the articles one after another through the columns of plain pages; the PDF bytes."""
    fonts = FontStack(on_missing=on_missing)
    papers = sorted({a.paper.name for a in articles if a.paper.name})
    info = DocInfo(
        title=title or (articles[0].title if len(articles) == 1 else f"{len(articles)} articles"),
        author="、".join(dict.fromkeys(p.name for a in articles for p in a.people)),
        subject="、".join(papers),
    )
    with gc_paused():
        flow: Flow = flow_articles(articles, fonts, spec, on_article, strict, jobs)
        result = PdfResult(
            render_flow(flow, info, default_jobs() if jobs is None else jobs), flow.pages, len(flow.placed), fonts.missing
        )
        del flow  # its lines go while collection is off: the collector then has little new to look at
    return result


def printed_text(articles: list[Article]) -> str:
    """The text the PDF of these articles must hold, in reading order (white space aside)."""
    parts: list[str] = []
    for article in articles:
        parts += [text for text, _, _ in headline_parts(article)]
        parts += [block_text(b) for b in article.blocks]
    return "".join(parts)
