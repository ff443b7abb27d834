"""Markdown written by people for their own copy, read with a CommonMark parser (markdown-it-py).

Front matter between ``---`` fences is YAML (``+++``: TOML); ``# title``, ``## 小标题``, lists,
``> 提要`` at the top, ``![caption](photo.jpg "credit")`` images and tables (one paragraph per
row) are understood. Emphasis, links and code keep their text without their marks. What has
no place in an article (HTML blocks, footnotes, code blocks, struck text) is kept as plain text
and reported as a warning with its line, never dropped unsaid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

from ...article import Article, BlockKind, Byline, Paper, Span
from ...errors import FormatError, InputError, InputWarning
from ..assemble import Found, build_article
from ..chars import surrogates_said, without_surrogates
from ..document import Document
from ..fields import Fields, html_to_text, read_fields
from ..headline import Header, header_byline, make_headline
from ..lines import check_line_lengths
from ..normalize import clean_line, join_wrapped
from ..structure import Para

CELL_SEPARATOR = "｜"  # between the cells of a table row set as one paragraph
BULLET = "●"  # what a bullet item (-, *, +) is marked with: the paper's bullet, not Markdown's
FRONT_MATTER_MAX = 200  # lines: a closing fence further down is no front matter's
_FENCES = {"---": "YAML", "+++": "TOML"}
_FOOTNOTE_DEFINITION = re.compile(r"^(\s{0,3})\[\^([^\]\s]+)\]:")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")
_COMMENT_ONLY = re.compile(r"^\s*(?:<!--.*?-->\s*)+$", re.DOTALL)


@cache
def _front_matter_loader() -> type:
    """YAML's safe loader, dates left as text (the field readers parse them, impossible ones too).
    Made on first use: yaml and markdown_it cost a run of plain-text files 15 ms to import."""
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        pass

    FrontMatterLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return FrontMatterLoader


@cache
def _parser() -> MarkdownIt:
    """CommonMark with GFM tables and strikethrough; indented code off (people indent paragraphs)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("code")
    parser.validateLink = lambda url: True  # no HTML is made: a file: or javascript: image is a photo refused with a warning
    return parser


@dataclass
class _Reading:
    """The paragraphs found so far and the warnings about what was not understood."""

    offset: int  # lines before the body (the front matter)
    paras: list[Para] = field(default_factory=list)
    warnings: dict[tuple[int, str], None] = field(default_factory=dict)

    def warn(self, line: int, what: str) -> None:
        self.warnings.setdefault((line, what), None)

    def span(self, token: Token) -> Span:
        first, end = token.map or (0, 1)
        return Span(first + self.offset + 1, max(first + 1, end) + self.offset)


def inline_text(token: Token, reading: _Reading | None = None, line: int = 0) -> str:
    """The text of an inline token: marks of emphasis, links and code dropped, breaks joined."""
    lines: list[str] = [""]
    for child in token.children or []:
        kind = child.type
        if kind in ("text", "code_inline"):
            lines[-1] += child.content
        elif kind in ("softbreak", "hardbreak"):
            lines.append("")
        elif kind == "image":
            lines[-1] += inline_text(child)
            if reading:
                reading.warn(line, "an image inside a paragraph: only its description is kept")
        elif kind == "html_inline":
            if reading and not _COMMENT_ONLY.match(child.content) and not re.fullmatch(r"<\s*br\s*/?\s*>", child.content, re.I):
                reading.warn(line, f"inline HTML {child.content[:20]!r}: the tag is dropped, its text kept")
        elif kind == "s_open" and reading:
            reading.warn(line, "struck-out text (~~…~~): printed as plain text")
    text = join_wrapped([clean_line(part).strip() for part in lines if part.strip()])
    if reading and _FOOTNOTE_REFERENCE.search(_FOOTNOTE_DEFINITION.sub("", text)):
        reading.warn(line, "footnote references ([^1]) are not supported: kept as text")
    return text


def _image_only(token: Token) -> list[Token] | None:
    """The images of a paragraph that holds nothing else (one caption each), or None."""
    children = [
        c
        for c in token.children or []
        if not (c.type in ("softbreak", "hardbreak") or (c.type == "text" and not c.content.strip()))
    ]
    return children if children and all(c.type == "image" for c in children) else None


def markdown_paras(tokens: list[Token], reading: _Reading) -> list[Para]:
    """Blocks of Markdown as paragraphs, with the kinds their markup states.

    Quotes come back with marker ">" (the reader decides which is the 提要); list items are
    LIST_ITEMs marked ● (an ordered list's keep their numbers, later paragraphs of an item no
    marker), never with Markdown's -, * or +; each table row is one paragraph, cells joined by ｜.
    """
    quote = list_depth = 0
    numbers: list[str] = []  # the open list items' markers: ● or their number
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "blockquote_open":
            quote += 1
        elif kind == "blockquote_close":
            quote -= 1
        elif kind in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif kind == "list_item_open":
            numbers.append(f"{token.info}{token.markup}" if token.info else BULLET)
        elif kind == "list_item_close":
            numbers.pop()
        elif kind == "heading_open":
            span = reading.span(token)
            text = inline_text(tokens[index + 1], reading, span.first)
            reading.paras.append(Para(text, span, kind=BlockKind.HEADING))
        elif kind == "paragraph_open":
            _paragraph(tokens[index + 1], reading.span(token), reading, quote > 0, numbers[-1] if list_depth else None)
            if list_depth:
                numbers[-1] = ""  # an item's later paragraphs go on without its number
        elif kind == "tr_open":
            _table_row(tokens, index, reading)
        elif kind in ("fence", "code_block", "html_block"):
            _verbatim(token, reading)
    return [p for p in reading.paras if p.text or p.image]


def _paragraph(inline: Token, span: Span, reading: _Reading, quoted: bool, number: str | None) -> None:
    if (images := _image_only(inline)) is not None:
        for image in images:
            title = image.attrs.get("title")
            reading.paras.append(
                Para(
                    inline_text(image),
                    span,
                    kind=BlockKind.CAPTION,
                    credit=str(title) if title else None,
                    image=unquote(str(image.attrs.get("src") or "")) or None,  # the parser %-encodes what a URL may not hold
                )
            )
        return
    text = inline_text(inline, reading, span.first)
    if number is not None:  # inside a list item: ●, 1. or "" (an item's later paragraphs)
        reading.paras.append(Para(text, span, kind=BlockKind.LIST_ITEM, marker=number or None))
    else:
        reading.paras.append(Para(text, span, marker=">" if quoted else None))


def _table_row(tokens: list[Token], index: int, reading: _Reading) -> None:
    """One table row (header row included) as one paragraph, its cells joined by ｜."""
    span = reading.span(tokens[index])
    cells: list[str] = []
    for token in tokens[index + 1 :]:
        if token.type == "tr_close":
            break
        if token.type == "inline":
            cells.append(inline_text(token, reading, span.first))
    if any(cells):
        reading.paras.append(Para(CELL_SEPARATOR.join(cells), span, kind=BlockKind.PARAGRAPH))


def _verbatim(token: Token, reading: _Reading) -> None:
    """Code and HTML blocks: each line of their text a paragraph, with a warning (comments go unsaid)."""
    span = reading.span(token)
    if token.type == "html_block":
        if _COMMENT_ONLY.match(token.content):
            return  # the author's note to self
        text = html_to_text(token.content, break_as="\n")
        reading.warn(span.first, "an HTML block is not supported: its text is kept, the tags dropped")
    else:
        text = token.content
        reading.warn(span.first, "a code block is not supported: its lines are printed as plain paragraphs")
    for number, line in enumerate(text.split("\n"), span.first + (token.type == "fence")):
        if line.strip():
            reading.paras.append(Para(clean_line(line).strip(), Span(number, number)))


class MarkdownReader:
    name = "markdown"
    aliases: tuple[str, ...] = ("md",)
    extensions: tuple[str, ...] = (".md", ".markdown")
    description = "Markdown (CommonMark, tables) with YAML front matter (paper, date, page, kicker, subtitle, author)"

    def sniff(self, doc: Document) -> float:
        return 0.9 if doc.suffix in self.extensions else 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        check_line_lengths(doc)
        data, start = front_matter(doc)
        data, lone = without_surrogates(data)  # YAML's "\ud800" escapes, as JSON's
        fields = read_fields(data) if data else Fields()
        reading = _Reading(start)
        tokens = _parser().parse(_escape_footnotes(doc.lines[start:], reading))
        title, tokens = _title(tokens, fields, reading)
        if not title:
            raise FormatError("no title: add a '# title' line or 'title:' to the front matter", file=doc.name, line=start + 1)
        paras = markdown_paras(tokens, reading)
        bylines: list[Byline] = []
        while (
            paras
            and paras[0].kind is None
            and paras[0].marker is None
            and len(bylines) < 2
            and (b := header_byline(paras[0])) is not None
        ):
            bylines.append(b)
            paras = paras[1:]
        leading = True
        for para in paras:  # a quote opening the body is its 提要; later ones are text
            leading = leading and para.marker == ">"
            if para.marker == ">":
                para.kind, para.marker = (BlockKind.LEAD if leading else None), None
        header = Header(make_headline(fields.kicker, title[0], fields.subtitle, lines=title[1]), bylines)
        found = Found(
            header=header,
            body=paras,
            paper=fields.paper or Paper(),
            id=fields.id,
            url=fields.url,
            author=fields.author,
            lines=Span(1, max(len(doc.lines), 1)),
            photos=fields.photos,
            lead_story=fields.lead,
            priority=fields.priority,
        )
        warnings = [InputWarning(f"front matter: {doubt}: ignored", file=doc.name, line=1) for doubt in fields.doubts]
        warnings += [InputWarning(f"Markdown: {what}", file=doc.name, line=line) for line, what in sorted(reading.warnings)]
        warnings += [InputWarning(f"front matter: {surrogates_said(lone)}", file=doc.name, line=1)] if lone else []
        return [build_article(doc, self.name, found), *warnings]


def _escape_footnotes(lines: list[str], reading: _Reading) -> str:
    """The body text, footnote definitions (``[^1]: …``, which CommonMark would swallow as a
    link reference) escaped so that they stay text, each with a warning."""
    out: list[str] = []
    for number, line in enumerate(lines, reading.offset + 1):
        if m := _FOOTNOTE_DEFINITION.match(line):
            reading.warn(number, f"footnote [^{m.group(2)}] is not supported: printed as a paragraph")
            line = f"{m.group(1)}\\{line[len(m.group(1)) :]}"
        out.append(line)
    return "\n".join(out)


def _title(tokens: list[Token], fields: Fields, reading: _Reading) -> tuple[tuple[str, Span | None] | None, list[Token]]:
    """The first block when it is a level-1 heading (removed from the body), else the front matter's title."""
    skip = 0
    while skip < len(tokens) and tokens[skip].type == "html_block" and _COMMENT_ONLY.match(tokens[skip].content):
        skip += 1
    if skip + 2 < len(tokens) and tokens[skip].type == "heading_open" and tokens[skip].tag == "h1":
        span = reading.span(tokens[skip])
        text = inline_text(tokens[skip + 1], reading, span.first)
        if text:
            return (text, span), tokens[:skip] + tokens[skip + 3 :]
    return ((fields.title, None) if fields.title else None), tokens


def front_matter(doc: Document) -> tuple[dict[str, Any], int]:
    """The front matter at the top (YAML between ``---``, TOML between ``+++``) and the line after it."""
    lines = doc.lines
    i = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
    fence = lines[i].strip() if i < len(lines) else ""
    if fence not in _FENCES:
        return {}, 0
    close = next((j for j in range(i + 1, min(len(lines), i + FRONT_MATTER_MAX)) if lines[j].strip() == fence), None)
    if close is None:
        raise FormatError(f"front matter opened with {fence!r} is never closed", file=doc.name, line=i + 1)
    text = "\n".join(lines[i + 1 : close])
    data = _parse_front_matter(text, _FENCES[fence], doc.name, i + 2)
    try:
        return {str(key): _plain(value) for key, value in data.items()}, close + 1
    except RecursionError:
        raise FormatError(
            "front matter holds a value that contains itself (a YAML alias loop)", file=doc.name, line=i + 1
        ) from None


def _parse_front_matter(text: str, language: str, file: str, first_line: int) -> dict[Any, Any]:
    data = _yaml(text, file, first_line) if language == "YAML" else _toml(text, file, first_line)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FormatError("front matter must be 'key: value' lines (an ASCII colon, then a space)", file=file, line=first_line)
    return data


def _yaml(text: str, file: str, first_line: int) -> Any:
    import yaml

    try:
        return yaml.load(text, Loader=_front_matter_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FormatError(
            f"front matter is not valid YAML: {reason}", file=file, line=first_line + mark.line if mark else first_line
        ) from None


def _toml(text: str, file: str, first_line: int) -> Any:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = re.search(r"line (\d+)", str(error))
        line = first_line + int(at.group(1)) - 1 if at else first_line
        raise FormatError(f"front matter is not valid TOML: {str(error).split(' (at')[0]}", file=file, line=line) from None


def _plain(value: Any) -> Any:
    """A front-matter value as the field readers take it: dates as ISO text, lists and tables kept."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, bool):
        return str(value).lower()
    return value
