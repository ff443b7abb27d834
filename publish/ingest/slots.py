"""E-paper page text (人民日报's site form): four indented header slots, then U+3000 paragraphs.

The slots are 引题, 主题, 副题 and byline, any but 主题 may be empty. The `rmrb` reader reads
the form on its own; crawler records may carry it as their body.
"""

from __future__ import annotations

import re

from ..article import Byline, Span
from .bylines import parse_byline
from .headline import Header, make_headline
from .normalize import clean_line, normalize_text, squeeze_spaces, strip_decoration
from .structure import Para

SLOT = re.compile(r"^ {2,}\S|^\s*$")  # a header slot line: indented text, or empty
_BODY = re.compile(r"^[\u3000]")


def header_length(lines: list[str]) -> int:
    """How many lines precede the first U+3000-indented paragraph."""
    for i, line in enumerate(lines):
        if _BODY.match(line):
            return i
    return len(lines)


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
