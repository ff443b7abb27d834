"""E-paper page text as 人民日报's site gives it: four indented header slots, then U+3000 paragraphs.

␣␣␣␣引题        (slot may be empty)
␣␣␣␣主题
␣␣␣␣副题        (slot may be empty)
␣␣␣␣byline      (slot may be empty; NBSP and space padding inside)
paragraph   (two U+3000; a line of only U+3000 is a blank separator)
"""

from __future__ import annotations

import re

from ..article import Article, Byline, Span
from ..errors import FormatError, InputError
from .build import Found, build_article
from .bylines import parse_byline
from .headline import Header, make_headline, read_header
from .normalize import clean_line, normalize_text, squeeze_spaces, strip_decoration
from .registry import Document, register
from .structure import Para
from .text import check_line_lengths

_SLOT = re.compile(r"^ {2,}\S|^\s*$")
_BODY = re.compile(r"^[\u3000]")


def header_length(lines: list[str]) -> int:
    """How many lines precede the first U+3000-indented paragraph."""
    for i, line in enumerate(lines):
        if _BODY.match(line):
            return i
    return len(lines)


class RmrbReader:
    name = "rmrb"
    extensions: tuple[str, ...] = (".txt",)
    description = "e-paper page text: 4 indented header slots (引题/主题/副题/byline), U+3000 paragraphs"

    def sniff(self, doc: Document) -> float:
        n = header_length(doc.lines)
        if n == len(doc.lines):  # an item with no body text (an artwork, a photo): header slots only
            filled = [line for line in doc.lines if line.strip()]
            slots = doc.lines[:4]
            if (
                len(doc.lines) >= 4
                and all(_SLOT.match(x) for x in slots)
                and len(filled) <= 3
                and not any(line.strip() for line in doc.lines[4:])
            ):
                return 0.7
            return 0.0
        if n > 6:
            return 0.0
        if all(_SLOT.match(line) for line in doc.lines[:n]) and any(line.strip() for line in doc.lines[:n]):
            return 0.9 if n == 4 else 0.6
        return 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        check_line_lengths(doc)
        n = header_length(doc.lines)
        paras = body_paras(doc.lines[n:], first_line=n + 1)
        if n == 4:
            header = slots_header(doc.lines[:n], first_line=1)
            if header.headline is None:
                raise FormatError("the header lines hold no title (slot 2 of 4 is empty)", file=doc.name, line=2)
        else:
            paras = body_paras(doc.lines[:n], first_line=1) + paras
            header = read_header(paras)
            paras = paras[header.consumed :]
        found = Found(header=header, body=paras, lines=Span(1, max(len(doc.lines), 1)))
        return [build_article(doc, self.name, found)]


def slots_header(slots: list[str], first_line: int) -> Header:
    """The four header slots: 引题, 主题, 副题, byline (any but 主题 may be empty)."""
    kicker, title, subtitle, byline = (squeeze_spaces(clean_line(s)) for s in slots)
    if not title:
        return Header(None)
    bylines: list[Byline] = []
    if byline:
        parsed = parse_byline(slots[3])
        text = squeeze_spaces(normalize_text(strip_decoration(clean_line(slots[3]))))
        line = first_line + 3
        bylines.append(Byline(text, parsed.people if parsed else [], "head", Span(line, line)))
    first = first_line if kicker else first_line + 1
    last = first_line + 2 if subtitle else first_line + 1
    return Header(make_headline(kicker or None, title, subtitle or None, lines=Span(first, last)), bylines, 4)


def body_paras(lines: list[str], first_line: int) -> list[Para]:
    """One paragraph per line; a line of only spaces marks a gap before the next paragraph."""
    paras: list[Para] = []
    gap = False
    for number, line in enumerate(lines, first_line):
        text = clean_line(line).strip()
        if not text:
            gap = bool(paras)
            continue
        paras.append(Para(text, Span(number, number), gap_before=gap))
        gap = False
    return paras


def register_readers() -> None:
    register(RmrbReader(), aliases=("epaper", "people"))
