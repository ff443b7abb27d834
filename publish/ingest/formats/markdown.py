"""Markdown written by people for their own copy: front matter, ``# title``, ``## 小标题``, lists,
``> 提要`` at the top, and ``![caption](photo.jpg "credit")`` images.
"""

from __future__ import annotations

import re

from ...article import Article, BlockKind, Byline, Paper, Span
from ...errors import FormatError, InputError
from ..assemble import Found, build_article
from ..document import Document
from ..fields import Fields, read_fields
from ..headline import Header, header_byline, make_headline
from ..lines import check_line_lengths, front_matter
from ..normalize import clean_line, join_wrapped
from ..structure import Para

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_HN = re.compile(r"^#{2,6}\s+(.+?)\s*#*\s*$")
_ITEM = re.compile(r"^\s{0,3}(?P<marker>[-*+]|\d{1,3}[.)])\s+(?P<text>.+)$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(?P<text>.*)$")
_IMAGE = re.compile(r'^!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+"(?P<title>[^"]*)")?\)$')
_FENCE = re.compile(r"^\s*(```|~~~)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\([^)]*\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")


def inline(text: str) -> str:
    """Markdown inline markup removed: links keep their text, emphasis its content."""
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(r"\1", text)
    return _CODE.sub(r"\1", text)


def markdown_paras(lines: list[tuple[int, str]]) -> list[Para]:
    """Blocks of Markdown as paragraphs, with the kinds their markup states.

    Quotes come back with marker ">" (the reader decides which is the 提要); list items
    take their indented and lazy continuation lines.
    """
    paras: list[Para] = []
    buffer: list[tuple[int, str]] = []
    block: tuple[BlockKind | None, str | None] = (None, None)  # kind, marker of what buffer holds
    in_fence = False

    def flush() -> None:
        nonlocal block
        if buffer:
            text = inline(join_wrapped([line for _, line in buffer]))
            kind, marker = block
            paras.append(Para(text, Span(buffer[0][0], buffer[-1][0]), kind=kind, marker=marker))
            buffer.clear()
        block = (None, None)

    def start(kind: BlockKind | None, marker: str | None, number: int, text: str) -> None:
        nonlocal block
        flush()
        block = (kind, marker)
        buffer.append((number, text))

    for number, raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        span = Span(number, number)
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
        elif in_fence:
            paras.append(Para(line, span))
        elif not stripped:
            flush()
        elif re.fullmatch(r"(?:-{3,}|={3,})", stripped):
            if block == (None, None) and len(buffer) == 1:  # setext: the line above is a heading
                paras.append(Para(inline(buffer[0][1]), Span(buffer[0][0], number), kind=BlockKind.HEADING))
                buffer.clear()
            flush()
        elif m := (_HN.match(stripped) or _H1.match(stripped)):
            flush()
            paras.append(Para(inline(m.group(1)), span, kind=BlockKind.HEADING))
        elif m := _IMAGE.match(stripped):
            flush()
            paras.append(
                Para(m.group("alt"), span, kind=BlockKind.CAPTION, credit=m.group("title") or None, image=m.group("src") or None)
            )
        elif m := _ITEM.match(line):
            start(BlockKind.LIST_ITEM, m.group("marker"), number, m.group("text").strip())
        elif m := _QUOTE.match(line):
            if block[1] == ">" and buffer:
                buffer.append((number, m.group("text").strip()))
            else:
                start(None, ">", number, m.group("text").strip())
        else:
            buffer.append((number, stripped))  # a paragraph line, or an item's / quote's continuation
    flush()
    return [p for p in paras if p.text or p.image]


class MarkdownReader:
    name = "markdown"
    aliases: tuple[str, ...] = ("md",)
    extensions: tuple[str, ...] = (".md", ".markdown")
    description = "Markdown with --- front matter (paper, date, page, kicker, subtitle, author)"

    def sniff(self, doc: Document) -> float:
        return 0.9 if doc.suffix in self.extensions else 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        check_line_lengths(doc)
        data, start = front_matter(doc)
        fields = read_fields(data) if data else Fields()
        text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), "\n".join(doc.lines[start:]))
        numbered = list(enumerate(text.split("\n"), start + 1))
        title, numbered = _title(numbered, fields)
        if not title:
            raise FormatError("no title: add a '# title' line or 'title:' to the front matter", file=doc.name, line=start + 1)
        paras = markdown_paras([(n, clean_line(line)) for n, line in numbered])
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
        for index, para in enumerate(paras):
            if para.marker == ">":  # a quote opening the body is its 提要; later ones are text
                para.kind, para.marker = (BlockKind.LEAD if index == 0 else None), None
        title_span = title[1]
        header = Header(make_headline(fields.kicker, title[0], fields.subtitle, lines=title_span), bylines)
        found = Found(
            header=header,
            body=paras,
            paper=fields.paper or Paper(),
            id=fields.id,
            url=fields.url,
            author=fields.author,
            lines=Span(1, max(len(doc.lines), 1)),
        )
        return [build_article(doc, self.name, found)]


def _title(numbered: list[tuple[int, str]], fields: Fields) -> tuple[tuple[str, Span | None] | None, list[tuple[int, str]]]:
    """The first line when it is a ``# title`` (removed from the body), else the front matter's title."""
    for i, (number, line) in enumerate(numbered):
        if not line.strip():
            continue
        if m := _H1.match(line.strip()):
            return (inline(m.group(1)), Span(number, number)), numbered[:i] + numbered[i + 1 :]
        if i + 1 < len(numbered) and re.fullmatch(r"\s*={3,}\s*", numbered[i + 1][1]):
            return (inline(line.strip()), Span(number, numbered[i + 1][0])), numbered[:i] + numbered[i + 2 :]
        break
    return ((fields.title, None) if fields.title else None), numbered
