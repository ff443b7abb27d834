"""Assemble an Article from what a reader found: header, body paragraphs, paper facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..article import Article, BlockKind, Byline, Paper, Photo, Source, Span
from ..errors import FormatError
from .bylines import is_organisation, parse_byline
from .chars import DECORATION
from .document import Document
from .facts import paper_from_publisher
from .fields import Fields
from .headline import Header
from .normalize import fold, normalize_text
from .photos import add_photo, photos_of_blocks
from .structure import Body, Para, analyze_body


@dataclass
class Found:
    """Everything a reader recovered for one article, before it becomes an Article."""

    header: Header
    body: list[Para]
    paper: Paper = field(default_factory=Paper)
    id: str | None = None
    url: str | None = None
    author: str | None = None  # from metadata (trailer, record field)
    furniture: list[str] = field(default_factory=list)
    lines: Span | None = None
    record: int | None = None
    photos: list[Photo] = field(default_factory=list)  # named by fields (records, front matter): captioned after the body
    lead_story: bool = False  # the input marks it its page's 头条
    priority: float | None = None  # the input's editorial weight (higher is heavier)


def build_article(doc: Document, fmt: str, found: Found) -> Article:
    """The Article for `found`; FormatError (with the line) when there is no headline or text."""
    first_line = found.lines.first if found.lines else None
    if found.header.headline is None or not found.header.headline.title:
        raise FormatError("no headline found: the article has no title line", file=doc.name, line=first_line)
    body = analyze_body(found.body)
    _promote_leading_byline(found.header, body)
    paper = found.paper
    if paper.name is None:
        paper.name = paper_from_publisher(paper.publisher)
    bylines = found.header.bylines + body.bylines
    if found.author:
        add_meta_author(bylines, found.author, found.lines)
    article = Article(
        headline=found.header.headline,
        paper=paper,
        id=found.id,
        url=found.url,
        bylines=bylines,
        dateline=body.dateline,
        blocks=body.blocks,
    )
    article.source = Source(doc.name, fmt, doc.encoding, found.lines, found.record, found.furniture)
    photos_of_blocks(article)
    for photo in found.photos:
        photo.lines = photo.lines or found.lines
        add_photo(article, photo)
    article.lead_story, article.priority = found.lead_story, found.priority
    return article


def _promote_leading_byline(header: Header, body: Body) -> None:
    """A byline opening the body (crawlers put it there) is the article's head byline."""
    if header.bylines or not body.blocks or body.blocks[0].kind is not BlockKind.BYLINE:
        return
    block = body.blocks.pop(0)
    for byline in body.bylines:
        if (
            byline.position == "body"
            and byline.lines == block.lines
            and byline.text == block.text.lstrip("".join(DECORATION) + " ")
        ):
            byline.position = "head"
            body.bylines.remove(byline)
            header.bylines.append(byline)
            return
    body.blocks.insert(0, block)


def add_meta_author(bylines: list[Byline], author: str, lines: Span | None) -> None:
    """Add the people a metadata author field names, unless a printed byline already does.

    When the text prints no byline naming anyone (crawler records, front matter), the field
    is the article's byline: it goes at the head, printed and read like one found in the text.
    Otherwise the extra people are kept as facts ("meta"), not printed twice over.
    """
    named = {p.name for b in bylines for p in b.people}
    parsed = parse_byline(author)
    if parsed is None or (parsed.bare and any(is_organisation(p.name) for p in parsed.people)):
        return
    new = [p for p in parsed.people if p.name not in named]
    if not new:
        return
    printed = named or any(b.position == "head" for b in bylines)  # 本报评论员 names no one but is one
    if printed:
        bylines.append(Byline(normalize_text(author), new, "meta", None))
    else:
        bylines.insert(0, Byline(normalize_text(author), new, "head", None))


def reconcile_headline(found_lines: list[str], fields: Fields) -> tuple[str | None, str, str | None] | None:
    """Roles for headline lines when a record names them, else None (the caller guesses)."""
    by_fold = {
        fold(value): role
        for role, value in (("kicker", fields.kicker), ("title", fields.title), ("subtitle", fields.subtitle))
        if value
    }
    roles = [by_fold.get(fold(line)) for line in found_lines]
    if "title" not in roles or None in roles:
        return None
    pick = {role: line for role, line in zip(roles, found_lines, strict=True)}
    return pick.get("kicker"), pick["title"], pick.get("subtitle")
