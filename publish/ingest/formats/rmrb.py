"""E-paper page text as 人民日报's site gives it: four indented header slots, then U+3000 paragraphs.

␣␣␣␣引题        (slot may be empty)
␣␣␣␣主题
␣␣␣␣副题        (slot may be empty)
␣␣␣␣byline      (slot may be empty; NBSP and space padding inside)
paragraph   (two U+3000; a line of only U+3000 is a blank separator)
"""

from __future__ import annotations

from ...article import Article, Span
from ...errors import FormatError, InputError
from ..assemble import Found, build_article
from ..document import Document
from ..headline import read_header
from ..lines import check_line_lengths
from ..slots import SLOT, body_paras, header_length, slots_header


class RmrbReader:
    name = "rmrb"
    aliases: tuple[str, ...] = ("epaper", "people")
    extensions: tuple[str, ...] = (".txt",)
    description = "e-paper page text: 4 indented header slots (引题/主题/副题/byline), U+3000 paragraphs"

    def sniff(self, doc: Document) -> float:
        n = header_length(doc.lines)
        if n == len(doc.lines):  # an item with no body text (an artwork, a photo): header slots only
            filled = [line for line in doc.lines if line.strip()]
            slots = doc.lines[:4]
            if (
                len(doc.lines) >= 4
                and all(SLOT.match(x) for x in slots)
                and len(filled) <= 3
                and not any(line.strip() for line in doc.lines[4:])
            ):
                return 0.7
            return 0.0
        if n > 6:
            return 0.0
        if all(SLOT.match(line) for line in doc.lines[:n]) and any(line.strip() for line in doc.lines[:n]):
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
