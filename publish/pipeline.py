"""Wire the stages: articles → composed lines in columns → PDF bytes (and what to check them by).

The settings are checked here, whoever calls (the CLI, `publish build`, a Python program):
`PdfSettings` (publish.config) raises the same ConfigError for the same mistake."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from .article import Article
from .config import PdfSettings
from .issue import IssueFacts
from .layout.blocks import block_text, headline_parts
from .layout.flow import Flow, PageSpec, flow_pages
from .layout.grid import BROADSHEET
from .render.output import PLAIN, Output
from .render.pdf import DocInfo, render_flow
from .runtime import default_jobs, gc_paused, quick_turns
from .typeset.fonts import FontStack, Missing

if TYPE_CHECKING:
    from .layout.template import Template


@dataclass
class PdfResult:
    data: bytes
    pages: int
    lines: int
    missing: list[Missing] = field(default_factory=list)


def articles_pdf(
    articles: list[Article],
    spec: PageSpec = BROADSHEET,
    title: str = "",
    on_missing: Callable[[Missing], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
    output: Output = PLAIN,
) -> PdfResult:
    """Set the articles one after another through the columns of plain pages; the PDF bytes
    (made to `output`'s standard)."""
    PdfSettings("galley", strict=strict, jobs=jobs)  # the same checks as every other caller's
    fonts = FontStack(on_missing=on_missing)
    papers = sorted({a.paper.name for a in articles if a.paper.name})
    info = DocInfo(
        title=title or (articles[0].title if len(articles) == 1 else f"{len(articles)} articles"),
        author=_authors(articles),
        subject="、".join(papers),
    )
    jobs = default_jobs() if jobs is None else jobs
    flow = Flow(spec)  # each page drawn as soon as it is set (flow_pages) while workers set the later ones
    with gc_paused(), quick_turns(), closing(flow_pages(flow, articles, fonts, on_article, strict, jobs)) as pages:
        data = render_flow(flow, info, jobs, output, pages)
        result = PdfResult(data, flow.pages, len(flow.placed), fonts.missing)
        del flow  # its lines go while collection is off: the collector then has little new to look at
    return result


def printed_text(articles: list[Article]) -> str:
    """The text the PDF of these articles must hold, in reading order (white space aside)."""
    parts: list[str] = []
    for article in articles:
        parts += [text for text, _, _ in headline_parts(article)]
        parts += [block_text(b) for b in article.blocks]
    return "".join(parts)


@dataclass
class IssuePdf:
    """One issue typeset as newspaper pages."""

    key: str  # paper-date, for file names
    data: bytes
    pages: list  # layout.page.Page
    articles: int
    lines: int
    missing: list[Missing] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the layout's: photos printing at a low resolution


def newspaper_pdfs(
    articles: list[Article],
    template: Template | None = None,
    facts: IssueFacts | None = None,
    on_missing: Callable[[Missing], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
    strict: bool = False,
    jobs: int | None = None,
    pages: str = "auto",
    output: Output = PLAIN,
) -> list[IssuePdf]:
    """The articles grouped into issues (paper and date), each laid out as newspaper pages
    (`pages`: "auto" lets under-filled 版次 share a page, "keep" gives each its own) and made to
    `output`'s standard (plain, press, archive)."""
    from .issue import group_issues
    from .layout.blocks import composed_articles
    from .layout.columns import body_items
    from .layout.newspaper import lay_out_issue
    from .layout.template import load_template
    from .render.pdf import render_pages

    template = template or load_template("broadsheet")
    jobs = default_jobs() if jobs is None else jobs
    made = []
    for issue in group_issues(articles, facts):
        fonts = FontStack(on_missing=on_missing)
        fonts.roles.update(template.roles)
        fonts.roles["masthead"] = (template.masthead["name_font"], "serif-black")
        grid = template.grid

        def lines_of(article: Article, context: str, fonts=fonts, grid=grid) -> list:
            return body_items(article, fonts, grid, template, context, strict)

        with gc_paused(), quick_turns():
            bodies = list(composed_articles(issue.articles, fonts, lines_of, on_article, jobs))
            laid = lay_out_issue(issue, template, fonts, bodies, partial(_context_of, issue.articles), pages)
            title = f"{issue.facts.name or ''} {issue.facts.date.isoformat() if issue.facts.date else ''}".strip()
            info = DocInfo(
                title=title or issue.articles[0].title,
                author=_authors(issue.articles),
                subject="、".join(dict.fromkeys(a.title for a in issue.articles if a.title)),
            )
            data = render_pages(laid, info, jobs, partial(_photo_problem, laid.warnings, issue.articles), output)
            lines = sum(len(p.lines) for p in laid.pages)
        made.append(IssuePdf(issue.key, data, laid.pages, len(issue.articles), lines, fonts.missing, laid.warnings))
    return made


def _photo_problem(warnings: list[str], articles: list[Article], image, problem) -> None:
    """A photo the renderer could not draw: one line naming the article and the file."""
    where = _context_of(articles, image.article) if image.article is not None else "page" if image.cover else "masthead"
    warnings.append(f"{where}: {problem}")


def _context_of(articles: list[Article], index: int) -> str:
    from .layout.blocks import article_context

    return article_context(articles[index])


def _authors(articles: list[Article]) -> str:
    """Everyone the articles name, once each, in order: the PDF's author field."""
    return "、".join(dict.fromkeys(p.name for a in articles for p in a.people))


@dataclass
class MadePdf:
    """One PDF made: its key (paper-date, or the input's name for a galley), bytes and counts."""

    key: str
    data: bytes
    pages: int
    articles: int
    lines: int
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def pdfs(
    articles: list[Article],
    settings: PdfSettings,
    name: str = "articles",
    on_missing: Callable[[Missing], None] | None = None,
    on_article: Callable[[Article], None] | None = None,
) -> list[MadePdf]:
    """The articles as the settings say: one PDF per issue of newspaper pages, or one galley
    (plain columns) named `name`."""
    if settings.galley:
        made = articles_pdf(
            articles,
            on_missing=on_missing,
            on_article=on_article,
            strict=settings.strict,
            jobs=settings.jobs,
            output=settings.output,
        )
        return [MadePdf(name, made.data, made.pages, len(articles), made.lines)]
    issues = newspaper_pdfs(
        articles,
        settings.layout,
        settings.facts,
        on_missing,
        on_article,
        settings.strict,
        settings.jobs,
        settings.pages,
        settings.output,
    )
    return [MadePdf(i.key, i.data, len(i.pages), i.articles, i.lines, i.warnings, fill_notes(i, settings)) for i in issues]


def fill_notes(issue: IssuePdf, settings: PdfSettings) -> list[str]:
    """What a run says of how full its pages are: each page under `--pages keep`; for an issue
    of one page with less copy than it holds, how full and which template would suit."""
    if settings.pages == "keep":
        return [f"{issue.key}: 第{p.label}版 {p.content:.0%} full" for p in issue.pages]
    if len(issue.pages) == 1 and issue.pages[0].content < SPARSE:
        smaller = SMALLER.get(settings.layout.name)
        hint = f"; a smaller template would suit it (-t {smaller})" if smaller else ""
        return [f"{issue.key}: the issue has copy for {issue.pages[0].content:.0%} of its one page{hint}"]
    return []


SPARSE = 0.6  # a one-page issue filled less than this is told which template would suit
SMALLER = {"broadsheet": "tabloid", "a3": "a4", "tabloid": "a4"}
