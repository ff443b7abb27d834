"""Text lines → an article's parts, as the text readers share them.

The line-length guard, ``---`` front matter, paragraphs from lines (hard-wrapped blocks
joined, or pieces a crawler joined with four spaces), masthead furniture and web meta lines
at the top, and the headline/body split of a plain-text article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..article import Paper, Span
from ..errors import FormatError
from .document import Document
from .facts import paper_name_line, parse_furniture, parse_meta_line
from .fields import Fields, read_fields
from .headline import Header, header_byline, make_headline, read_header
from .normalize import clean_line, fold, join_wrapped
from .structure import Para

MAX_LINE = 100_000  # characters; longer "lines" are binary junk or a whole archive on one line
_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
_FRONT = re.compile(r"^\s*(---|\+\+\+)\s*$")
_LIST_ITEM = re.compile(r"^\s+-\s+(.*)$")
_KEY_VALUE = re.compile(r"^\s*([^\s:：#][^:：]{0,40}?)\s*[:：=]\s*(.*?)\s*$")
JOIN = re.compile(r"[ \u3000\u00a0]{4,}")  # what a crawler put between the paragraphs it joined


@dataclass
class TextParts:
    """A text file cut into front matter, masthead furniture, paragraphs and leftovers."""

    fields: Fields | None = None
    paper: Paper = field(default_factory=Paper)
    furniture: list[str] = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)


def check_line_lengths(doc: Document) -> None:
    """FormatError for a line too long to be article text (binary junk, a whole archive)."""
    for number, line in enumerate(doc.lines, 1):
        if len(line) > MAX_LINE:
            raise FormatError(
                f"line {number} is {len(line):,} characters long (a text article line is at most "
                f"{MAX_LINE:,}); this is not an article in a text form",
                file=doc.name,
                line=number,
            )


def front_matter(doc: Document, start: int = 0) -> tuple[dict[str, str], int]:
    """``---``-fenced ``key: value`` lines at the top (YAML-like or TOML-like); returns (data, next line)."""
    lines = doc.lines
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i >= len(lines) or not _FRONT.match(lines[i]):
        return {}, start
    fence = lines[i].strip()
    close = next((j for j in range(i + 1, min(len(lines), i + 80)) if lines[j].strip() == fence), None)
    if close is None:
        raise FormatError(f"front matter opened with {fence!r} is never closed", file=doc.name, line=i + 1)
    data: dict[str, str] = {}
    key = None
    for j in range(i + 1, close):
        line = lines[j]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if key and (item := _LIST_ITEM.match(line)):  # a YAML list under the last key
            data[key] = "、".join(filter(None, [data[key], item.group(1).strip().strip("\"'")]))
            continue
        m = _KEY_VALUE.match(line)
        if not m:
            raise FormatError(f"front matter line is not 'key: value': {line.strip()[:40]!r}", file=doc.name, line=j + 1)
        key = m.group(1).strip()
        data[key] = m.group(2).strip().strip("\"'")
    return data, close + 1


def paragraphs(numbered: list[tuple[int, str]]) -> list[Para]:
    """Paragraphs from numbered lines: one per line, but hard-wrapped blocks are joined."""
    paras: list[Para] = []
    block: list[tuple[int, str]] = []
    for number, line in [*numbered, (0, "")]:
        if line.strip():
            block.append((number, _INDENT.sub("", line).rstrip()))
            continue
        if block:
            paras.extend(_block_paras(block))
            block = []
    return paras


def _block_paras(block: list[tuple[int, str]]) -> list[Para]:
    texts = [text for _, text in block]
    if len(block) >= 3 and _hard_wrapped(texts):
        return [Para(join_wrapped(texts), Span(block[0][0], block[-1][0]))]
    return [Para(text, Span(number, number)) for number, text in block]


def _hard_wrapped(texts: list[str]) -> bool:
    """Lines cut at one width: all but the last within two characters of the longest, mostly
    ending mid-sentence, none opening with a list marker."""
    widths = [len(t) for t in texts[:-1]]
    if max(widths) < 20 or max(widths) - min(widths) > 2 or len(texts[-1]) > max(widths) + 2:
        return False
    stops = sum(1 for t in texts[:-1] if t.endswith(("。", "！", "？", "；", "：", ".", "!", "?")))
    markers = any(t[:1] in "●◆■□▲★☆•-*（(①②③④⑤⑥⑦⑧⑨⑩" for t in texts[1:])
    return stops * 2 < len(texts) - 1 and not markers


def joined_pieces(line: str) -> list[str]:
    """The paragraphs of one line whose paragraphs a crawler joined with four or more spaces."""
    return [piece.strip() for piece in JOIN.split(clean_line(line)) if piece.strip()]


def split_text(doc: Document, start: int, end: int, use_front_matter: bool = True) -> TextParts:
    """Front matter, leading masthead furniture and paragraphs of lines[start:end]."""
    parts = TextParts()
    if use_front_matter:
        data, start = front_matter(doc, start)
        if data:
            parts.fields = read_fields(data)
            if parts.fields.paper:
                parts.paper.fill_from(parts.fields.paper)
    numbered = list(enumerate(doc.lines[start:end], start + 1))
    lines = [line for _, line in numbered]
    body_from = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        facts = parse_furniture(line) or _masthead_name(lines, i)
        if facts is None:
            body_from = i
            break
        parts.paper.fill_from(facts)
        parts.furniture.append(line.strip())
    else:
        body_from = len(numbered)
    parts.paras = paragraphs(numbered[body_from:])
    return parts


def _masthead_name(lines: list[str], i: int) -> Paper | None:
    """The paper's name alone on a line, when masthead lines (date, page) follow it."""
    name = paper_name_line(lines[i])
    following = next((line for line in lines[i + 1 :] if line.strip()), "")
    return Paper(name=name) if name and parse_furniture(following) else None


def take_meta_lines(parts: TextParts, body: list[Para]) -> tuple[list[Para], str | None]:
    """Web meta lines (发布时间 / 来源 / 作者) at the top of the body become facts, not text."""
    author = None
    while body and (meta := parse_meta_line(body[0].text)) is not None:
        paper, found_author = meta
        parts.paper.fill_from(paper)
        parts.furniture.append(body[0].text.strip())
        author = author or found_author
        body = body[1:]
    return body, author


def header_and_body(parts: TextParts, title_hint: str | None = None, mentioned=None) -> tuple[Header, list[Para]]:
    """The headline (from front matter or the first lines) and the body paragraphs after it."""
    fields = parts.fields
    if fields and fields.title:
        paras = parts.paras
        known = {fold(v) for v in (fields.kicker, fields.title, fields.subtitle) if v}
        skip = 0
        while skip < min(3, len(paras)) and fold(paras[skip].text) in known:
            skip += 1  # the headline repeated as the first lines
        span = Span(paras[0].lines.first, paras[skip - 1].lines.last) if skip else None
        header = Header(make_headline(fields.kicker, fields.title, fields.subtitle, lines=span), [], skip)
        while skip < len(paras) and len(header.bylines) < 2 and (b := header_byline(paras[skip])) is not None:
            header.bylines.append(b)
            skip += 1
        header.consumed = skip
        return header, paras[skip:]
    header = read_header(parts.paras, title_hint=title_hint, mentioned=mentioned)
    return header, parts.paras[header.consumed :]


def nothing_left(parts: TextParts) -> str:
    """Why a text with no paragraphs left is no article (for its FormatError)."""
    if parts.furniture:
        return "only masthead lines (刊号, date, page), no article text"
    return "no article text"
