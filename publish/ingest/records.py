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

from ..article import Article, Paper, Span
from ..errors import FormatError, InputError
from .build import Found, build_article
from .fields import Fields, html_to_text, read_fields
from .headline import Header, make_headline
from .normalize import clean_line, fold
from .registry import Document, register
from .rmrb import body_paras, header_length, slots_header
from .structure import Para
from .xmwb import JOIN

_LIST_KEYS = ("articles", "items", "records", "data", "results", "list", "docs", "news")


def record_article(doc: Document, fmt: str, record: Any, number: int, line: int) -> Article:
    """The Article one record describes; FormatError naming the record when it cannot be one."""
    where = f"record {number}"
    if not isinstance(record, dict):
        raise FormatError(f"{where} is a JSON {type(record).__name__}, not an object with fields", file=doc.name, line=line)
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
    )
    return build_article(doc, fmt, found)


def record_or_error(doc: Document, fmt: str, record: Any, number: int, line: int) -> Article | InputError:
    """`record_article`, with its problem returned instead of raised (so the next record is read)."""
    try:
        return record_article(doc, fmt, record, number, line)
    except InputError as error:
        return error


def _header_and_paras(fields: Fields, line: int) -> tuple[Header, list[Para]]:
    body = fields.body
    if isinstance(body, list):
        paras = [Para(clean_line(str(p)).strip(), Span(line, line)) for p in body if str(p).strip()]
        return _header(fields, None, line), paras
    text = html_to_text(body, break_as="\n") if body else ""
    lines = text.splitlines()
    n = header_length(lines)
    if n == 4 and len(lines) > 4:
        slots = slots_header(lines[:4], first_line=line)
        paras = body_paras(lines[4:], first_line=line)
        for p in paras:
            p.lines = Span(line, line)
        return _header(fields, slots, line), paras
    paras = []
    for piece_line in lines:
        for piece in JOIN.split(clean_line(piece_line)):
            if piece.strip():
                paras.append(Para(piece.strip(), Span(line, line)))
    return _header(fields, None, line), _drop_repeated_headline(paras, fields)


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


def _json_values(doc: Document) -> list[tuple[Any, int]]:
    """Top-level records of a JSON file with the line each starts on."""
    text = doc.text
    decoder = json.JSONDecoder()
    try:
        value, _ = decoder.raw_decode(text, len(text) - len(text.lstrip()))
    except json.JSONDecodeError as error:
        raise FormatError(f"invalid JSON: {error.msg} (column {error.colno})", file=doc.name, line=error.lineno) from None
    if isinstance(value, dict):
        for key in _LIST_KEYS:
            inner = value.get(key)
            if isinstance(inner, list) and inner and all(isinstance(x, dict) for x in inner):
                return [(item, _find_line(text, item)) for item in inner]
        return [(value, 1)]
    if isinstance(value, list):
        return _array_items(text)
    raise FormatError(f"JSON holds a {type(value).__name__}, not article records", file=doc.name, line=1)


def _array_items(text: str) -> list[tuple[Any, int]]:
    """Items of a top-level JSON array, each with its starting line."""
    decoder = json.JSONDecoder()
    i = text.index("[") + 1
    items: list[tuple[Any, int]] = []
    while True:
        while i < len(text) and text[i] in " \t\r\n,":
            i += 1
        if i >= len(text) or text[i] == "]":
            return items
        value, end = decoder.raw_decode(text, i)
        items.append((value, text.count("\n", 0, i) + 1))
        i = end


def _find_line(text: str, item: dict[str, Any]) -> int:
    for value in item.values():
        if isinstance(value, str) and len(value) >= 4:
            at = text.find(json.dumps(value, ensure_ascii=False)[:40])
            if at >= 0:
                return text.count("\n", 0, at) + 1
    return 1


class JsonReader:
    name = "json"
    extensions = (".json",)
    description = "JSON crawler records: one object, a list, or {\"articles\": [...]}"

    def sniff(self, doc: Document) -> float:
        head = doc.text.lstrip()[:1]
        if head in ("{", "["):
            return 0.9 if doc.suffix == ".json" else 0.5
        return 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        return [record_or_error(doc, self.name, record, number, line) for number, (record, line) in enumerate(_json_values(doc), 1)]


class JsonLinesReader:
    name = "jsonl"
    extensions = (".jsonl", ".ndjson")
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
                results.append(FormatError(f"invalid JSON in record {number}: {error.msg} (column {error.colno})", file=doc.name, line=line_no))
                continue
            results.append(record_or_error(doc, self.name, record, number, line_no))
        if not number:
            raise FormatError("no records", file=doc.name)
        return results


class CsvReader:
    name = "csv"
    extensions = (".csv", ".tsv")
    description = "CSV/TSV crawler records with a header row (title, content, date, …)"

    def sniff(self, doc: Document) -> float:
        return 0.9 if doc.suffix in self.extensions else 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        delimiter = "\t" if doc.suffix == ".tsv" or doc.lines[:1] and doc.lines[0].count("\t") > doc.lines[0].count(",") else ","
        csv.field_size_limit(16 * 1024 * 1024)
        reader = csv.DictReader(io.StringIO(doc.text, newline=""), delimiter=delimiter)
        if not reader.fieldnames or not any(name and read_fields({name: "x"}) != Fields() for name in reader.fieldnames):
            raise FormatError("the header row names no known field (title, content, …)", file=doc.name, line=1)
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
            record = {k: v for k, v in row.items() if k is not None}
            results.append(record_or_error(doc, self.name, record, number, line))
        return results


def register_readers() -> None:
    register(JsonReader())
    register(JsonLinesReader(), aliases=("ndjson",))
    register(CsvReader(), aliases=("tsv",))

