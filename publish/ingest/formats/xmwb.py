"""Crawler text with joined paragraphs (新民晚报's form): headline lines, a blank line, then a
body whose paragraphs the scraper joined with four spaces.

    引题            (only the non-empty headline lines, one a line)
    主题
    副题
                    (blank)
    ␣␣␣␣para␣␣␣␣para␣␣␣␣本报记者  左妍
"""

from __future__ import annotations

import re

from ...article import Article, Span
from ...errors import FormatError, InputError
from ..assemble import Found, build_article, reconcile_headline
from ..bylines import parse_byline
from ..chars import match_key
from ..document import Document
from ..fields import read_fields
from ..headline import Header, assign_lines, make_headline
from ..lines import JOIN, check_line_lengths, joined_pieces
from ..normalize import clean_line, squeeze_spaces
from ..structure import Para

_ROLE_ONLY = re.compile(r"(?:本报|特约|首席|全媒体|融媒体)*(?:记者|通讯员|实习生|作者)")
MAX_HEADLINE_LINES = 4


def split_joined(text: str, number: int) -> list[Para]:
    """Paragraphs of one joined line (runs of four or more spaces separate them).

    A byline padded as wide as the separator (``本报记者    左妍``) is put back together.
    """
    pieces = joined_pieces(text)
    merged: list[str] = []
    for piece in pieces:
        if merged and _ROLE_ONLY.fullmatch(match_key(merged[-1])) and parse_byline(f"{merged[-1]}  {piece}"):
            merged[-1] = f"{merged[-1]}  {piece}"
        else:
            merged.append(piece)
    return [Para(piece, Span(number, number)) for piece in merged]


def _layout(lines: list[str]) -> tuple[int, int] | None:
    """(headline line count, body start) when the text has this form, else None."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    blank = next((i for i in range(start, len(lines)) if not lines[i].strip()), None)
    if blank is None or not 1 <= blank - start <= MAX_HEADLINE_LINES:
        return None
    body = [line for line in lines[blank:] if line.strip()]
    if not body or not any(JOIN.search(line.strip()) or line.startswith("    ") for line in body):
        return None
    return blank - start, blank


class XmwbReader:
    name = "xmwb"
    aliases: tuple[str, ...] = ("joined", "xinmin")
    extensions: tuple[str, ...] = (".txt",)
    description = "crawler text: headline lines, a blank line, paragraphs joined by four spaces"

    def sniff(self, doc: Document) -> float:
        layout = _layout(doc.lines)
        if layout is None:
            return 0.0
        body = [line for line in doc.lines[layout[1] :] if line.strip()]
        joined = sum(len(JOIN.findall(line.strip())) for line in body)
        return 0.85 if joined >= 1 and len(body) <= 3 else 0.4

    def read(self, doc: Document) -> list[Article | InputError]:
        check_line_lengths(doc)
        layout = _layout(doc.lines)
        if layout is None:
            raise FormatError("expected headline lines, a blank line, then the joined body", file=doc.name, line=1)
        count, blank = layout
        head = [(i + 1, doc.lines[i]) for i in range(blank - count, blank)]
        texts = [squeeze_spaces(clean_line(line)) for _, line in head]
        fields = read_fields(doc.sidecar) if doc.sidecar else None
        roles = (reconcile_headline(texts, fields) if fields else None) or assign_lines(texts)
        header = Header(make_headline(*roles, lines=Span(head[0][0], head[-1][0])), [], 0)
        paras: list[Para] = []
        for number in range(blank + 1, len(doc.lines) + 1):
            paras.extend(split_joined(doc.lines[number - 1], number))
        found = Found(header=header, body=paras, lines=Span(head[0][0], len(doc.lines)))
        return [build_article(doc, self.name, found)]
