"""Plain-text articles: optional front matter, masthead lines, headline, byline, paragraphs."""

from __future__ import annotations

from ...article import Article, Span
from ...errors import FormatError, InputError
from ..assemble import Found, build_article
from ..document import Document
from ..fields import Fields
from ..lines import check_line_lengths, header_and_body, nothing_left, split_text, take_meta_lines


class TextReader:
    name = "text"
    aliases: tuple[str, ...] = ("txt", "plain")
    extensions: tuple[str, ...] = (".txt", ".text")
    description = "plain text: a title line, optional byline, paragraphs; optional --- front matter"

    def sniff(self, doc: Document) -> float:
        return 0.3 if doc.suffix in self.extensions else 0.05

    def read(self, doc: Document) -> list[Article | InputError]:
        check_line_lengths(doc)
        parts = split_text(doc, 0, len(doc.lines))
        if not parts.paras:
            raise FormatError(nothing_left(parts), file=doc.name)
        header, body = header_and_body(parts)
        body, meta_author = take_meta_lines(parts, body)
        fields = parts.fields or Fields()
        found = Found(
            header=header,
            body=body,
            paper=parts.paper,
            id=fields.id,
            url=fields.url,
            author=fields.author or meta_author,
            furniture=parts.furniture,
            lines=Span(parts.paras[0].lines.first, parts.paras[-1].lines.last),
        )
        return [build_article(doc, self.name, found)]
