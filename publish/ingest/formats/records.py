"""Crawler records: JSON (one record, a list, or {"articles": [...]}), JSON Lines and CSV.

Field names vary by crawler (`title`/`标题`, `content`/`text`, `special_title`, `ban`, …;
see `fields.ALIASES`). A body may be plain lines, HTML, paragraphs joined by four spaces,
or the e-paper page text form with its header slots. One bad record never stops the rest.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ...article import Article, Paper, Span
from ...errors import FormatError, InputError, InputWarning
from ...wording import plural
from ..assemble import Found, build_article
from ..chars import surrogates_said, without_surrogates
from ..document import Document
from ..fields import Fields, canonical_fields, html_to_text, read_fields
from ..headline import Header, make_headline
from ..lines import joined_pieces
from ..normalize import fold
from ..slots import SLOT, body_paras, header_length, slots_header
from ..structure import Para


def record_article(doc: Document, fmt: str, record: Any, number: int, line: int) -> tuple[Article, list[InputWarning]]:
    """The Article one record describes and a warning for each value of it read with a doubt;
    FormatError naming the record when it cannot be one."""
    where = f"record {number}"
    if not isinstance(record, dict):
        raise FormatError(f"{where} is a JSON {type(record).__name__}, not an object with fields", file=doc.name, line=line)
    record, lone = without_surrogates(record)
    fields = read_fields(record)
    header, paras = _header_and_paras(fields, line)
    if header.headline is None:
        raise FormatError(f"{where} has no title field (title, 标题, headline, …)", file=doc.name, line=line)
    found = Found(
        header=header,
        body=paras,
        paper=fields.paper or Paper(),
        id=fields.id,
        url=fields.url,
        author=fields.author,
        lines=Span(line, paras[-1].lines.last if paras else line),
        record=number,
        photos=fields.photos,
        lead_story=fields.lead,
        priority=fields.priority,
    )
    warnings = [InputWarning(f"{where}: {doubt}: ignored", file=doc.name, line=line) for doubt in fields.doubts]
    if lone:
        warnings.append(InputWarning(f"{where}: {surrogates_said(lone)}", file=doc.name, line=line))
    return build_article(doc, fmt, found), warnings


def record_or_error(doc: Document, fmt: str, record: Any, number: int, line: int) -> list[Article | InputError]:
    """`record_article` and its warnings, or its problem (returned, not raised, so that the
    next record is read)."""
    try:
        article, warnings = record_article(doc, fmt, record, number, line)
    except InputError as error:
        return [error]
    return [article, *warnings]


def _header_and_paras(fields: Fields, line: int) -> tuple[Header, list[Para]]:
    lines = html_to_text(_body_text(fields.body), break_as="\n").split("\n")
    span = Span(line, line)
    if header_length(lines) == 4 and all(SLOT.match(x) for x in lines[:4]) and lines[1].strip():
        slots = slots_header(lines[:4], first_line=line)
        for byline in slots.bylines:
            byline.lines = span
        paras = body_paras(lines[4:], first_line=line)
        for p in paras:
            p.lines = span
        return _header(fields, slots, line), paras
    paras = [Para(piece, span) for text in lines for piece in joined_pieces(text)]
    return _header(fields, None, line), _drop_repeated_headline(paras, fields)


def _body_text(body: str | list[Any] | None) -> str:
    """A body as one text: lists of strings or of {"type": "p", "text": …} parts become lines."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    parts: list[str] = []
    for item in body:
        if isinstance(item, dict):
            value = canonical_fields(item).get("body") or item.get("value") or item.get("title")
            if isinstance(value, (str, list)):
                parts.append(_body_text(value))
        elif item is not None:
            parts.append(str(item))
    return "\n".join(parts)


def _header(fields: Fields, slots: Header | None, line: int) -> Header:
    """Headline from the record's fields, completed by the header slots in its text."""
    found = slots.headline if slots else None
    title = fields.title or (found.printed_title if found else None)
    if not title:
        return Header(None)
    kicker = fields.kicker or (found.kicker if found else None)
    subtitle = fields.subtitle or (found.subtitle if found else None)
    header = Header(make_headline(kicker, title, subtitle, lines=Span(line, line)))
    if slots:
        header.bylines = slots.bylines
    return header


def _drop_repeated_headline(paras: list[Para], fields: Fields) -> list[Para]:
    """Crawlers often repeat the headline lines at the top of the body; they are not body text."""
    known = {fold(v) for v in (fields.kicker, fields.title, fields.subtitle) if v}
    skip = 0
    while skip < len(paras) and skip < 3 and fold(paras[skip].text) in known:
        skip += 1
    return paras[skip:]


_WS = " \t\r\n"
_MAX_DEPTH = 6


def _json_values(doc: Document) -> list[tuple[Any, int]]:
    """Article records anywhere in a JSON file, with the line each starts on.

    A file may hold one value or several in a row; records may sit in a list, in an envelope
    ({"data": {"list": [...]}}) or under a key (``record``, ``_source``). The first object on a
    path that has a title or body field is the record; objects inside it are its parts.
    """
    text = doc.text
    records: list[tuple[Any, int]] = []
    try:
        i = _skip(text, 0)
        while i < len(text):
            i = _skip(text, _walk(text, i, records, 0))
    except json.JSONDecodeError as error:
        raise FormatError(f"invalid JSON: {error.msg} (column {error.colno})", file=doc.name, line=error.lineno) from None
    except (IndexError, _Malformed) as error:
        where = error.args[0] if isinstance(error, _Malformed) else len(text)
        line = text.count("\n", 0, where) + 1
        what = "unexpected end of JSON" if isinstance(error, IndexError) else "invalid JSON: expected ',' or a closing bracket"
        raise FormatError(what, file=doc.name, line=line) from None
    if not records:
        raise FormatError("no article records: no object with a title or content field", file=doc.name, line=1)
    return records


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _walk(text: str, i: int, records: list[tuple[Any, int]], depth: int) -> int:
    """Collect article-like objects in the JSON value at `i`; return the index after the value."""
    decoder = json.JSONDecoder()
    if text[i] == "{":
        value, end = decoder.raw_decode(text, i)
        if _article_like(value) or depth >= _MAX_DEPTH:
            if _article_like(value):
                records.append((value, text.count("\n", 0, i) + 1))
            return end
        j = _skip(text, i + 1)
        while text[j] != "}":
            _key, j = decoder.raw_decode(text, j)
            j = _skip(text, _skip(text, j) + 1)  # past the colon
            j = _next(text, _skip(text, _walk(text, j, records, depth + 1)), "}")
        return j + 1
    if text[i] == "[" and depth < _MAX_DEPTH:
        j = _skip(text, i + 1)
        while text[j] != "]":
            j = _next(text, _skip(text, _walk(text, j, records, depth + 1)), "]")
        return j + 1
    return decoder.raw_decode(text, i)[1]


class _Malformed(Exception):
    """JSON structure the walker cannot follow; args[0] is the offset."""


def _next(text: str, j: int, closer: str) -> int:
    """Past the comma after a member (or at the closing bracket)."""
    if text[j] == ",":
        return _skip(text, j + 1)
    if text[j] != closer:
        raise _Malformed(j)
    return j


def _article_like(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    fields = canonical_fields(value)
    return isinstance(fields.get("title"), str) or isinstance(fields.get("body"), (str, list))


class JsonReader:
    name = "json"
    aliases: tuple[str, ...] = ()
    extensions: tuple[str, ...] = (".json",)
    description = 'JSON crawler records: one object, a list, or {"articles": [...]}'

    def sniff(self, doc: Document) -> float:
        head = doc.text.lstrip()[:1]
        if head in ("{", "["):
            return 0.9 if doc.suffix == ".json" else 0.5
        return 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        return [
            item
            for number, (record, line) in enumerate(_json_values(doc), 1)
            for item in record_or_error(doc, self.name, record, number, line)
        ]


class JsonLinesReader:
    name = "jsonl"
    aliases: tuple[str, ...] = ("ndjson",)
    extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    description = "JSON Lines: one crawler record per line (a broken line fails alone)"

    def sniff(self, doc: Document) -> float:
        lines = [line for line in doc.lines[:5] if line.strip()]
        if doc.suffix in self.extensions:
            return 0.95
        if len(lines) >= 2 and all(line.lstrip().startswith("{") and line.rstrip().endswith("}") for line in lines):
            return 0.92
        return 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        results: list[Article | InputError] = []
        number = 0
        for line_no, line in enumerate(doc.lines, 1):
            if not line.strip():
                continue
            number += 1
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                results.append(
                    FormatError(
                        f"invalid JSON in record {number}: {error.msg} (column {error.colno})", file=doc.name, line=line_no
                    )
                )
                continue
            results += record_or_error(doc, self.name, record, number, line_no)
        if not number:
            raise FormatError("no records", file=doc.name)
        return results


class CsvReader:
    name = "csv"
    aliases: tuple[str, ...] = ("tsv",)
    extensions: tuple[str, ...] = (".csv", ".tsv")
    description = "CSV/TSV crawler records with a header row (title, content, date, …)"

    def sniff(self, doc: Document) -> float:
        return 0.9 if doc.suffix in self.extensions else 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        delimiter = (
            "\t" if doc.suffix == ".tsv" or (doc.lines[:1] and doc.lines[0].count("\t") > doc.lines[0].count(",")) else ","
        )
        csv.field_size_limit(16 * 1024 * 1024)
        reader = csv.DictReader(io.StringIO(doc.text, newline=""), delimiter=delimiter)
        known = canonical_fields({name: "x" for name in reader.fieldnames or [] if name})
        if "title" not in known and "body" not in known:
            raise FormatError(
                "the header row names no title or content column (title, content, 标题, 正文, …)", file=doc.name, line=1
            )
        results: list[Article | InputError] = []
        number = 0
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                results.append(FormatError(f"broken CSV: {error}", file=doc.name, line=reader.line_num))
                break
            number += 1
            if row.get(None):  # type: ignore[call-overload]
                extra = len(row[None])  # type: ignore[index]
                results.append(
                    FormatError(
                        f"record {number} has {plural(extra, 'more value', 'more values')} than the header row has columns",
                        file=doc.name,
                        line=line,
                    )
                )
                continue
            record = {k: v for k, v in row.items() if k is not None}
            results += record_or_error(doc, self.name, record, number, line)
        return results
