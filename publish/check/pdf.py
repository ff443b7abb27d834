"""Preflight any PDF for Chinese composition faults, from the positions of its characters.

Lines are rebuilt from the characters (same baseline, close together); columns from the
left edges many lines share, and a column's flush edge from the right edge most of its
lines reach. Then: prohibited line starts and ends, body lines not flush, glyphs outside
their column or overlapping, inter-character expansion, Han–Latin gaps, single-character
last lines, characters without Unicode or drawn from an empty glyph, fonts not embedded,
not subset or without ToUnicode, 〓 printed for a character no font had — and, given the
source articles, text lost or added.
"""

from __future__ import annotations

import bisect
import ctypes
import difflib
import functools
import io
import operator
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..clreq import (
    CLOSING,
    HAN_LATIN_MAX,
    HAN_LATIN_MIN,
    IGNORABLE,
    MAX_EXPANSION,
    MISSING_MARK,
    NO_END_GB,
    NO_START_BASIC,
    OPENING,
    PAUSES,
    STOPS,
    WORD_SPACE_MAX,
)
from ..ingest.chars import HAN, char_class, is_symbol_bullet
from ..runtime import default_jobs, fork_map, gc_paused
from ..wording import plural

TOLERANCE = 0.1  # pt: flush and overflow tolerance
TARGET_EXPANSION = 0.1  # em: on at least TARGET_SHARE of lines
TARGET_SHARE = 0.95
READ_PRECISION = 1e-4  # em: positions read back as 32-bit floats, a 0.1 em gap at x = 500 pt reads 0.100003 em
COMPRESSIBLE_RIGHT = PAUSES | STOPS | CLOSING
SENTENCE_END = COMPRESSIBLE_RIGHT | {"…", "⋯"}  # what a column's foot may end a story with


@dataclass(slots=True)
class Char:
    ch: str
    page: int
    x: float  # origin
    y: float  # baseline
    advance: float  # from the origin to the loose box's right edge
    left: float  # ink box
    right: float
    size: float
    font: str
    after_space: bool = False  # a space stood between this character and the one before
    seq: int = 0  # position in the page's text stream
    spaced: bool = False  # the stream has a space (real or inferred) just before this character
    artifact: bool = False  # inside /Artifact marked content: page furniture, not the articles' text


@dataclass
class PdfLine:
    chars: list[Char]
    page: int
    y: float
    column: int = -1
    indent: bool = False
    final: bool = False
    body: bool = False

    @property
    def artifact(self) -> bool:
        """Page furniture (masthead, running head, jump line): no column, not body text."""
        return all(c.artifact for c in self.chars)

    @property
    def text(self) -> str:
        return "".join(c.ch for c in self.chars)

    @property
    def left(self) -> float:
        return _set_left(self.chars[0])

    @property
    def right(self) -> float:
        return _set_right(self.chars[-1])


@dataclass
class Fault:
    kind: str
    page: int
    text: str
    detail: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "page": self.page + 1, "line": self.text, "detail": self.detail}

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"page {self.page + 1}: {self.kind}: {self.text}{detail}"


@dataclass
class CheckReport:
    """What the check found in one PDF: counts, measures, faults, fonts, and the text compared."""

    file: str
    pages: int = 0
    lines: int = 0
    body_lines: int = 0
    checked_flush: int = 0
    flush: int = 0
    expansions: list[float] = field(default_factory=list)
    han_latin: list[float] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    fonts: list[dict] = field(default_factory=list)
    text: dict | None = None
    extracted: str = field(default="", repr=False)  # the articles' text as read (furniture left out)
    furniture: str = field(default="", repr=False)  # the page furniture's text (masthead, running heads)

    @property
    def share_within_target(self) -> float:
        if not self.expansions:
            return 1.0
        return sum(1 for e in self.expansions if e <= TARGET_EXPANSION + READ_PRECISION) / len(self.expansions)

    @property
    def max_expansion(self) -> float:
        return max(self.expansions, default=0.0)

    @property
    def ok(self) -> bool:
        return not self.faults and self.share_within_target >= TARGET_SHARE

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.kind for f in self.faults))

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "ok": self.ok,
            "pages": self.pages,
            "lines": self.lines,
            "body_lines": self.body_lines,
            "flush": {"checked": self.checked_flush, "flush": self.flush},
            "expansion": {
                "lines": len(self.expansions),
                "within_0_1_em": round(self.share_within_target, 4),
                "max_em": round(self.max_expansion, 4),
            },
            "han_latin_em": {"min": round(min(self.han_latin), 4), "max": round(max(self.han_latin), 4)}
            if self.han_latin
            else None,
            "faults": self.counts(),
            "examples": [f.to_dict() for f in self.faults[:50]],
            "fonts": self.fonts,
            "text": self.text,
        }

    def summary(self) -> str:
        """The report as `publish check` prints it: the counts, then up to three faults of each kind."""
        lines = [f"{self.file}: {'OK' if self.ok else 'FAULTS'}"]
        flush = f"{self.flush}/{self.checked_flush}" if self.checked_flush else "0/0"
        lines.append(
            f"  {plural(self.pages, 'page')}, {plural(self.lines, 'line')}, {plural(self.body_lines, 'body line')}; "
            f"non-final lines flush: {flush}"
        )
        lines.append(
            f"  inter-character expansion: {self.share_within_target:.1%} of lines within 0.1 em, max {self.max_expansion:.3f} em"
        )
        if self.han_latin:
            lines.append(f"  Han–Latin gaps: {min(self.han_latin):.3f}–{max(self.han_latin):.3f} em")
        good = sum(1 for f in self.fonts if f["embedded"] and f["subset"] and f["tounicode"])
        lines.append(f"  fonts: {good}/{len(self.fonts)} embedded, subset, with ToUnicode")
        if self.text is not None:
            t = self.text
            state = "same as the source" if t["equal"] else "DIFFERS: " + t["first_difference"]
            lines.append(f"  text: {state} ({plural(t['expected_chars'], 'character')})")
        for kind, count in sorted(self.counts().items()):
            lines.append(f"  {count} × {kind}")
            lines += [f"      {fault}" for fault in [f for f in self.faults if f.kind == kind][:3]]
        return "\n".join(lines)


def read_chars(path: str | Path, pages: range | None = None) -> tuple[list[Char], int]:
    """Every character of the PDF (or of `pages`) with origin, advance and ink box, in content
    order; the PDF's page count."""
    pdf = pdfium.PdfDocument(str(path))
    chars: list[Char] = []
    try:
        for number in range(len(pdf)) if pages is None else pages:
            page = pdf[number]
            text = page.get_textpage()
            chars += _page_chars(text.raw, text.count_chars(), number)
            text.close()
            page.close()
        return chars, len(pdf)
    finally:
        pdf.close()


def _unchecked(function, restype=ctypes.c_int):
    """pdfium's `function` without ctypes' argument conversion, which cost as much as the call:
    pointers are passed as c_void_p, out-values by byref, integers as C ints."""
    fast = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    fast.restype = restype
    return fast


class _Pdfium:
    """The per-character text functions, called without argument conversion (half their time)."""

    unicode = _unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
    origin = _unchecked(pdfium_c.FPDFText_GetCharOrigin)
    loose = _unchecked(pdfium_c.FPDFText_GetLooseCharBox)
    box = _unchecked(pdfium_c.FPDFText_GetCharBox)
    text_object = _unchecked(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
    generated = _unchecked(pdfium_c.FPDFText_IsGenerated)
    font_size = _unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
    font_info = _unchecked(pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong)
    count_marks = _unchecked(pdfium_c.FPDFPageObj_CountMarks)
    mark = _unchecked(pdfium_c.FPDFPageObj_GetMark, ctypes.c_void_p)
    mark_name = _unchecked(pdfium_c.FPDFPageObjMark_GetName)
    font = _unchecked(pdfium_c.FPDFTextObj_GetFont, ctypes.c_void_p)


def _page_chars(raw, count: int, number: int) -> list[Char]:
    """The characters of one page's text. This loop is most of a check's time: pdfium is called
    unchecked (`_Pdfium`) with its out-values made once. Font, size and artifact mark belong
    to the text object a character is drawn by, so they are read once per object."""
    f = _Pdfium
    unicode, origin_of, loose, box, text_object = f.unicode, f.origin, f.loose, f.box, f.text_object
    page = ctypes.c_void_p(ctypes.cast(raw, ctypes.c_void_p).value)
    x, y, left, right, bottom, top = (ctypes.c_double() for _ in range(6))
    rect = pdfium_c.FS_RECTF()
    at_x, at_y, at_rect = ctypes.byref(x), ctypes.byref(y), ctypes.byref(rect)
    at_left, at_right, at_bottom, at_top = ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top)
    styles: dict[int, tuple[str, float, bool]] = {}  # text object → font, size, artifact
    marks: dict[int, bool] = {}  # mark → is it /Artifact
    fonts: dict[int, str] = {}  # font → its name
    chars: list[Char] = []
    append = chars.append
    for i in range(count):
        code = unicode(page, i)
        if code in (0x0A, 0x0D):
            if code == 0x0D and f.generated(page, i) == 1:
                # pdfium sometimes reads a word space inside a line as a line end: keep it
                # as a space where it stands, so the gap is judged as one
                f.origin(page, i, at_x, at_y)
                append(Char(" ", number, x.value, y.value, 0.0, x.value, x.value, 0.0, "", seq=i))
            continue  # pdfium's own line ends; its generated spaces stand for real ones
        if 0xD800 <= code <= 0xDFFF:
            if code >= 0xDC00 and i and 0xD800 <= unicode(page, i - 1) <= 0xDBFF:
                continue  # the second half of a character outside the BMP, taken with the first
            if code <= 0xDBFF and i + 1 < count:
                low = unicode(page, i + 1)
                if 0xDC00 <= low <= 0xDFFF:
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        elif code == 0x02:
            code = 0x2D  # pdfium reports a hyphen that ends a line as 0x02 (a "soft" hyphen)
        origin_of(page, i, at_x, at_y)
        if not loose(page, i, at_rect) or not box(page, i, at_left, at_right, at_bottom, at_top):
            raise pdfium.PdfiumError(f"no box for character {i} of page {number + 1}")
        obj = text_object(page, i) or 0
        style = styles.get(obj)
        if style is None:
            style = _style(page, i, obj, fonts, marks)
            if obj:
                styles[obj] = style
        font, size, artifact = style
        origin = x.value
        # the advance: from the origin to the loose box's right (ink left of the origin, as in w or y, is not width)
        append(
            Char(
                chr(code) if code else "\ufffd",
                number,
                origin,
                y.value,
                rect.right - origin,
                left.value,
                right.value,
                size,
                font,
                False,
                i,
                False,
                artifact,
            )
        )
    return chars


def _style(page, i: int, obj: int, fonts: dict[int, str], marks: dict[int, bool]) -> tuple[str, float, bool]:
    """Font name, size and artifact mark (page furniture, PDF 14.8.2.2) of the text object
    character `i` is drawn by. Objects share fonts, and the objects of one marked-content
    sequence its mark: each font's name and each mark's name are read once."""
    f = _Pdfium
    if not obj:
        return _font_name(page, i), f.font_size(page, i), False
    handle = ctypes.c_void_p(obj)
    font = f.font(handle)
    name = fonts.get(font) if font else None
    if name is None:
        name = _font_name(page, i)
        if font:
            fonts[font] = name
    artifact = False
    for m in range(f.count_marks(handle)):
        mark = f.mark(handle, m)
        if mark:
            artifact = marks.get(mark)
            if artifact is None:
                artifact = marks[mark] = _mark_name(mark) == "Artifact"
            if artifact:
                break
    return name, f.font_size(page, i), artifact


def _font_name(page, i: int) -> str:
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    _Pdfium.font_info(page, i, name, ctypes.c_ulong(256), ctypes.byref(flags))
    return name.value.decode("latin-1")


def _mark_name(mark: int) -> str:
    buffer = (ctypes.c_ushort * 64)()
    length = ctypes.c_ulong()
    if not _Pdfium.mark_name(ctypes.c_void_p(mark), buffer, ctypes.c_ulong(ctypes.sizeof(buffer)), ctypes.byref(length)):
        return ""
    return bytes(buffer)[: max(0, length.value - 2)].decode("utf-16-le", "replace")


ORIGIN = operator.attrgetter("x")


def build_lines(chars: list[Char]) -> list[PdfLine]:
    """Characters on one baseline and close together form a line (a gutter splits them)."""
    lines: list[PdfLine] = []
    by_row: dict[tuple[int, float], list[Char]] = defaultdict(list)
    spaces: dict[tuple[int, float], list[float]] = defaultdict(list)
    before: Char | None = None
    y, key = None, (0, 0.0)
    for c in chars:
        if c.y != y or c.page != key[0]:  # most characters sit on the row of the one before
            y, key = c.y, (c.page, round(c.y, 1))
        if c.ch.isspace():
            spaces[key].append(c.x)  # inferred ones too: PDFs often leave word spaces out
        else:
            by_row[key].append(c)
            c.spaced = before is not None and before.ch.isspace() and before.page == c.page and before.seq == c.seq - 1
        before = c
    for row in by_row.values():
        row.sort(key=ORIGIN)
    for key, xs in spaces.items():
        row = by_row.get(key, [])
        xs.sort()
        for a, b in zip(row, row[1:], strict=False):
            after = bisect.bisect_right(xs, a.x)  # the first space right of a: is it left of b?
            b.after_space = after < len(xs) and xs[after] < b.x
    for (page, y), row in sorted(by_row.items(), key=lambda item: (item[0][0], -item[0][1])):
        current = [row[0]]
        for c in row[1:]:
            prev = current[-1]
            em = min(c.size, prev.size)
            limit = 0.6 * em  # characters far apart in the text stream: a gutter if they are apart
            if c.seq - prev.seq == 1:
                limit = 1.0 * em  # neighbours in the stream: spread, not a gutter
            elif c.spaced and c.seq - prev.seq == 2:
                limit = 1.6 * em  # a word space in the stream
            left = _set_left(c) if c.ch in OPENING else c.x
            right = _set_right(prev) if prev.ch in COMPRESSIBLE_RIGHT else prev.x + prev.advance
            if left - right > limit:
                lines.append(PdfLine(current, page, y))
                current = [c]
            else:
                current.append(c)
        lines.append(PdfLine(current, page, y))
    return lines


def _set_left(c: Char) -> float:
    """Left edge of a character's box as set: an opening mark with a blank left half may start at its middle."""
    if c.ch in OPENING and c.left >= c.x + 0.4 * c.advance:
        return c.x + 0.5 * c.advance
    return c.x


def _set_right(c: Char) -> float:
    """Right edge of a character's box as set: a mark with a blank right half may end at its middle."""
    if c.ch in COMPRESSIBLE_RIGHT and c.right <= c.x + 0.55 * c.advance:
        return c.x + 0.5 * c.advance
    return c.x + c.advance


def _columns(lines: list[PdfLine], body_size: float = 0.0) -> dict[int, tuple[float, float]]:
    """Column id → (left, flush right), page by page: left edges many body-size lines share, and
    their common right. (Headlines repeat at the same left too, but span several columns.)"""
    columns: dict[int, tuple[float, float]] = {}
    pages: dict[int, list[PdfLine]] = defaultdict(list)
    for line in lines:
        if not line.artifact:
            pages[line.page].append(line)
    for _, members in sorted(pages.items()):
        found = _page_columns(members, body_size)
        for line in members:
            if line.column >= 0:
                line.column += len(columns)
        columns.update({len(columns) + i: edges for i, edges in found.items()})
    return columns


def _page_columns(lines: list[PdfLine], body_size: float) -> dict[int, tuple[float, float]]:
    spans = [(line.left, line.right) for line in lines]  # each line's set edges, computed once
    sized = [span for line, span in zip(lines, spans, strict=True) if not body_size or abs(line.chars[0].size - body_size) < 0.01]
    lefts = Counter(round(left, 1) for left, _ in sized)
    edges = sorted(x for x, n in lefts.items() if n >= 3)
    found: list[tuple[float, float]] = []
    for edge in edges:
        rights = Counter(round(right, 1) for left, right in sized if abs(left - edge) < 0.3)
        right = rights.most_common(1)[0][0]
        if not any(abs(r - right) < 0.3 and lft < edge for lft, r in found):  # an indent, not a column
            found = [(lft, r) for lft, r in found if not (abs(r - right) < 0.3 and lft > edge)] + [(edge, right)]
    outer = [(lft, r) for lft, r in found if not any(lft >= L - 0.3 and r <= R + 0.3 and (lft, r) != (L, R) for L, R in found)]
    columns = dict(enumerate(sorted(outer)))  # centred or short lines sit inside a wider column
    for line, (left, right) in zip(lines, spans, strict=True):
        em = line.chars[0].size
        candidates = [(i, lft, r) for i, (lft, r) in columns.items() if lft - em <= left and right <= r + em]
        if candidates:
            line.column = max(candidates, key=lambda c: c[1])[0]
    return columns


def check_pdf(path: str | Path, source_text: str | list[str] | None = None, jobs: int | None = None) -> CheckReport:
    """Preflight a PDF. `source_text`: the text it must hold — one string in reading order, or
    one per article (each found once, whole or in pieces where it jumps between pages). A big
    PDF's pages are read on `jobs` cores (default: all)."""
    with gc_paused():  # tens of thousands of characters and lines, none in a cycle: the collector's passes cost a tenth
        parts, pages, fonts = _check_parts(path, jobs)
    report = CheckReport(str(path), pages=pages)
    for part in parts:
        report.extracted += part.report.extracted
        report.furniture += part.report.furniture
        report.lines += part.report.lines
        report.body_lines += part.report.body_lines
        report.checked_flush += part.report.checked_flush
        report.flush += part.report.flush
        report.expansions += part.report.expansions
        report.han_latin += part.report.han_latin
        report.faults += part.report.faults
    if not report.lines:
        return report
    report.fonts, font_faults = fonts or _check_fonts(path)
    report.faults.extend(font_faults)
    for part in parts:
        report.faults += part.unmapped
    report.faults += _missing_marks([mark for part in parts for mark in part.marks], source_text)
    if source_text is not None:
        if isinstance(source_text, str):
            report.text = compare_text(source_text, report.extracted)
        else:
            report.text = compare_articles(source_text, report.extracted)
        if not report.text["equal"]:
            report.faults.append(Fault("text differs from the source", 0, report.text["first_difference"]))
    return report


@dataclass
class _Part:
    """What the line checks found on a run of pages, under the body style `style`, and what the
    document's checks need of those pages."""

    pages: range
    report: CheckReport
    style: tuple[str, float]
    styles: Counter  # (font, size) → its Han characters
    unmapped: list[Fault]
    marks: list[tuple[int, str, float, bool]]  # each 〓: page, line, x, furniture?


FORK_MIN_BYTES = 200_000  # a smaller PDF is checked sooner than a worker starts


def _check_parts(path: str | Path, jobs: int | None) -> tuple[list[_Part], int, tuple[list[dict], list[Fault]] | None]:
    """The pages in runs, one a core, and (while they run) the fonts. Pages are independent but
    for the body style, the most common of the whole document: each run assumes its own, and a
    run whose style is not the document's (rare: pages set in different body types) is checked
    again in this process."""
    pdf = pdfium.PdfDocument(str(path))
    count = len(pdf)
    pdf.close()
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if count < 2 or Path(path).stat().st_size < FORK_MIN_BYTES:
        jobs = 1
    jobs = min(jobs, count) or 1
    runs = [range(count * k // jobs, count * (k + 1) // jobs) for k in range(jobs)]
    tasks = [functools.partial(_check_part, path, pages) for pages in runs]
    if len(tasks) > 1:
        tasks.append(functools.partial(_fonts_meanwhile, path))
    parts = fork_map(lambda task: task(), tasks)
    fonts = parts.pop() if len(tasks) > len(runs) else None
    styles: Counter = Counter()
    for part in parts:
        styles.update(part.styles)
    style = _common_style(styles)
    return [part if part.style == style else _check_part(path, part.pages, style) for part in parts], count, fonts


def _fonts_meanwhile(path: str | Path) -> tuple[list[dict], list[Fault]] | None:
    """`_check_fonts` in a worker; None where it fails (then it runs again in this process,
    which raises its error only where the report needs the fonts)."""
    try:
        return _check_fonts(path)
    except Exception:
        return None


def _check_part(path: str | Path, pages: range, style: tuple[str, float] | None = None) -> _Part:
    """The line checks of some pages, under the body style given (or these pages' own)."""
    chars, _ = read_chars(path, pages)
    text = "".join(c.ch for c in chars)  # one code point a character: searched instead of the characters
    report = CheckReport(str(path))
    report.extracted = "".join(c.ch for c in chars if not c.artifact)
    report.furniture = "".join(c.ch for c in chars if c.artifact)
    lines = build_lines(chars)
    report.lines = len(lines)
    styles = _han_styles(chars, text)
    style = style or _common_style(styles)
    if lines:
        body_font, body_size = style
        columns = _columns(lines, body_size)
        _mark_structure(lines, columns, body_font, body_size)
        for line in lines:
            _check_line(line, columns, report, body_size)
    unmapped = [
        Fault("unmapped character", c.page, c.ch, f"at x={c.x:.1f} y={c.y:.1f}: a glyph its font lacks, or no ToUnicode entry")
        for c in (chars if UNMAPPED.search(text) else [])
        if c.ch == "\ufffd" or (0xE000 <= ord(c.ch) <= 0xF8FF)
    ]
    marks = [
        (line.page, line.text, c.x, c.artifact)
        for line in (lines if MISSING_MARK in text else [])
        for c in line.chars
        if c.ch == MISSING_MARK
    ]
    return _Part(pages, report, style, styles, unmapped, marks)


UNMAPPED = re.compile("[\ufffd\ue000-\uf8ff]")  # no Unicode, or a private-use code: the font's, not the text's


def _han_styles(chars: list[Char], text: str) -> Counter:
    """(font, size) → how many Han characters are set in it, in the order they come."""
    raw = Counter((chars[m.start()].font, chars[m.start()].size) for m in HAN.finditer(text))
    styles: Counter = Counter()
    for (font, size), n in raw.items():
        styles[font, round(size, 2)] += n  # rounded once a size
    return styles


def _missing_marks(marks: list[tuple[int, str, float, bool]], source_text: str | list[str] | None) -> list[Fault]:
    """Each 〓 printed (page furniture too): a character the typesetter had no glyph for. Given
    the source, as many 〓 of the articles' text as the source itself holds are its own (a text
    may quote the mark)."""
    quoted = "".join(source_text if isinstance(source_text, list) else [source_text or ""]).count(MISSING_MARK)
    faults = []
    for page, text, x, artifact in marks:
        if quoted and not artifact:
            quoted -= 1
            continue
        faults.append(Fault("missing character (〓)", page, text, f"x={x:.1f}: printed for a character no font had"))
    return faults


def _common_style(styles: Counter) -> tuple[str, float]:
    """The body style: the font and size most Han characters are set in."""
    (font, size), _ = styles.most_common(1)[0] if styles else (("", 0.0), 0)
    return font, size


def _mark_structure(lines: list[PdfLine], columns, body_font: str, body_size: float) -> None:
    """Which lines are body text, which open a paragraph (indented), which end one."""
    for line in lines:
        fonts = [c.font for c in line.chars]
        majority = fonts[0] if fonts.count(fonts[0]) == len(fonts) else Counter(fonts).most_common(1)[0][0]
        sizes = {round(size, 2) for size in {c.size for c in line.chars}}
        left = columns[line.column][0] if line.column >= 0 else line.left
        offset = line.left - left
        bullet = _is_bullet(line.chars[0].ch) and abs(offset) < 0.3
        line.indent = offset > 1.5 * body_size or bullet  # a paragraph opens here
        line.body = (
            majority == body_font
            and sizes == {round(body_size, 2)}
            and line.column >= 0
            and any(
                abs(offset - ems * body_size) < 0.3
                for ems in (0, 1, 2)  # flush, hanging after a bullet, indented
            )
        )
    order = sorted(lines, key=lambda ln: (ln.page, columns[ln.column][0] if ln.column >= 0 else ln.left, -ln.y))
    for here, nxt in zip(order, [*order[1:], None], strict=True):
        if nxt is None or not nxt.body or nxt.indent or nxt.page != here.page:
            here.final = True
        elif nxt.column != here.column and here.chars[-1].ch in SENTENCE_END:
            here.final = True  # a column's foot ending a sentence: the next column may be another story
        elif nxt.page == here.page and nxt.column == here.column and here.y - nxt.y > 1.8 * body_size * 1.5:
            here.final = True  # a blank row follows


def _is_bullet(ch: str) -> bool:
    """A full-width list bullet such as ● ■ ◆ ★ that opens an unindented item."""
    return is_symbol_bullet(ch) and unicodedata.east_asian_width(ch) in "WFA"


def _check_line(line: PdfLine, columns, report: CheckReport, body_size: float) -> None:
    first, last = line.chars[0], line.chars[-1]
    if first.ch in NO_START_BASIC:
        report.faults.append(Fault("prohibited line start", line.page, line.text, first.ch))
    if last.ch in NO_END_GB:
        report.faults.append(Fault("prohibited line end", line.page, line.text, last.ch))
    if line.column >= 0 and line.body:  # display lines are centred in modules wider than one column
        left, right = columns[line.column]
        for c in line.chars:
            if c.left < left - TOLERANCE - 1 or c.right > right + TOLERANCE + 0.5:
                report.faults.append(Fault("glyph outside its column", line.page, line.text, c.ch))
                break
    for a, b in zip(line.chars, line.chars[1:], strict=False):
        if (
            a.right - b.left > TOLERANCE + 0.02 * b.size
            and a.right > b.left
            and a.left < b.right
            and a.ch.strip()
            and b.ch.strip()
        ):
            if not (a.ch in COMPRESSIBLE_RIGHT or b.ch in OPENING) or a.right - b.left > 0.3 * b.size:
                report.faults.append(Fault("overlapping glyphs", line.page, line.text, f"{a.ch}{b.ch}"))
                break
    if not line.body:
        return
    report.body_lines += 1
    em = body_size
    cjk_gaps = []
    for a, b in zip(line.chars, line.chars[1:], strict=False):
        gap = b.x - (a.x + a.advance)
        if b.after_space:
            if gap > WORD_SPACE_MAX * em + TOLERANCE + 0.05 * em:
                report.faults.append(
                    Fault("word space wider than ½ em", line.page, line.text, f"{a.ch} {b.ch}: {gap / em:.3f} em")
                )
            continue
        a_cls, b_cls = _CLASSES[a.ch], _CLASSES[b.ch]
        if a_cls in "HQ" and b_cls in "HQ":
            cjk_gaps.append(gap)
        elif {a_cls, b_cls} in ({"H", "A"}, {"H", "D"}) and (HAN.match(a.ch) or HAN.match(b.ch)):
            report.han_latin.append(gap / em)
            if not HAN_LATIN_MIN - 0.01 <= gap / em <= HAN_LATIN_MAX + 0.01:
                report.faults.append(
                    Fault("Han–Latin gap outside ⅛–⅓ em", line.page, line.text, f"{a.ch}{b.ch}: {gap / em:.3f} em")
                )
    expansion = max((g for g in cjk_gaps if g > 0), default=0.0) / em
    if not line.final:
        report.expansions.append(expansion)
        if expansion > MAX_EXPANSION:
            report.faults.append(Fault("inter-character expansion above 0.25 em", line.page, line.text, f"{expansion:.3f} em"))
        report.checked_flush += 1
        _, right = columns[line.column]
        if abs(line.right - right) <= TOLERANCE:
            report.flush += 1
        else:
            report.faults.append(
                Fault("line not flush", line.page, line.text, f"ends {line.right - right:+.2f} pt from the edge")
            )
    else:
        content = [c for c in line.chars if c.ch not in COMPRESSIBLE_RIGHT and c.ch not in OPENING]
        if len(content) == 1 and HAN.match(content[0].ch) and not line.indent:
            report.faults.append(Fault("single-character last line", line.page, line.text))


class _Classes(dict):
    """Character → its `char_class`, worked out once a character."""

    def __missing__(self, ch: str) -> str:
        self[ch] = found = char_class(ch)
        return found


_CLASSES = _Classes()


def _check_fonts(path: str | Path) -> tuple[list[dict], list[Fault]]:
    """Every font embedded, subset (ABCDEF+ prefix) and with a ToUnicode map; no empty glyphs."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    seen: dict[str, dict] = {}
    faults: list[Fault] = []
    for number, page in enumerate(reader.pages):
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            base = str(font.get("/BaseFont", ""))
            if base in seen:
                continue
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            if font.get("/Subtype") == "/Type0":
                descendant = font["/DescendantFonts"][0].get_object()
                descriptor = descendant.get("/FontDescriptor").get_object()
            program = next((descriptor.get(k) for k in ("/FontFile2", "/FontFile3", "/FontFile") if descriptor.get(k)), None)
            name = base.lstrip("/")
            info = {
                "name": name,
                "embedded": program is not None,
                "subset": len(base) > 8 and base[7] == "+",
                "tounicode": "/ToUnicode" in font,
            }
            seen[base] = info
            for key, message in (
                ("embedded", "font not embedded"),
                ("subset", "font not subset"),
                ("tounicode", "font without ToUnicode"),
            ):
                if not info[key]:
                    faults.append(Fault(message, number, name))
            if program is not None and font.get("/Subtype") == "/TrueType":
                empty = _empty_glyphs(program.get_object().get_data(), font)
                if empty:
                    faults.append(Fault("missing glyphs (drawn as .notdef or empty)", number, name, "".join(empty[:20])))
    return list(seen.values()), faults


def _empty_glyphs(data: bytes, font) -> list[str]:
    """Characters whose code maps to no glyph (or an empty one) in an embedded TrueType subset."""
    from fontTools.ttLib import TTFont

    try:
        tt = TTFont(io.BytesIO(data), lazy=True)
        cmap = tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 0) or tt["cmap"].getcmap(3, 1)
        glyf = tt["glyf"]
    except Exception:
        return []
    if cmap is None:
        return []
    to_unicode = _to_unicode(font)
    empty = []
    first, last = int(font.get("/FirstChar", 0)), int(font.get("/LastChar", 255))
    for code in range(first, last + 1):
        char = to_unicode.get(code)
        if char is None or not char.strip() or unicodedata.category(char[0]).startswith("C"):
            continue
        name = cmap.cmap.get(code) or cmap.cmap.get(0xF000 + code)
        if name in (None, ".notdef") or _no_outline(glyf, name):
            empty.append(char)
    return empty


def _no_outline(glyf, name: str) -> bool:
    """Is the glyph empty? Read from its raw bytes (a zero-length entry), not by decoding its
    outline: decoding every glyph of a page's fonts cost most of a check's time."""
    glyph = glyf.glyphs.get(name)
    if glyph is None:
        return True
    data = getattr(glyph, "data", None)
    if data is not None:
        return len(data) < 2 or int.from_bytes(data[:2], "big", signed=True) == 0
    return getattr(glyph, "numberOfContours", 0) == 0


def _to_unicode(font) -> dict[int, str]:
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    text = stream.get_object().get_data().decode("latin-1")
    out = {}
    for src, dst in _pairs(text):
        raw = bytes.fromhex(dst)
        out[int(src, 16)] = raw.decode("utf-16-be", errors="replace")
    return out


def _pairs(text: str) -> Iterable[tuple[str, str]]:
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        yield from re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)


def comparable_text(text: str) -> str:
    """The text as compared: white space and default-ignorable characters (variation selectors,
    joiners: no PDF text layer is bound to keep them) left out."""
    return IGNORABLE.sub("", "".join(text.split()))


def compare_text(expected: str, actual: str) -> dict:
    """Are the texts the same, white space aside? If not, where and how do they differ."""
    a = comparable_text(expected)
    b = comparable_text(actual)
    if a == b:
        return {"equal": True, "expected_chars": len(a), "extracted_chars": len(b), "first_difference": ""}
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    lost = added = 0
    first = ""
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        lost += i2 - i1
        added += j2 - j1
        if not first:
            first = f"at character {i1}: expected {a[max(0, i1 - 8) : i2 + 8]!r}, found {b[max(0, j1 - 8) : j2 + 8]!r}"
    return {
        "equal": False,
        "expected_chars": len(a),
        "extracted_chars": len(b),
        "lost": lost,
        "added": added,
        "first_difference": first,
    }


def compare_articles(expected: list[str], actual: str) -> dict:
    """Is each article's text in `actual` exactly once — whole, or in pieces in order (a story
    that jumps pages) — and nothing else there? White space aside."""
    rest = comparable_text(actual)
    total = len(rest)
    lost, pieces, first, first_article = 0, 0, "", None
    for number, text in enumerate(expected):
        a = comparable_text(text)
        i = 0
        while i < len(a):
            lo, hi = 0, len(a) - i  # the longest prefix of a[i:] still unclaimed in the PDF's text
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if a[i : i + mid] in rest:
                    lo = mid
                else:
                    hi = mid - 1
            if lo == 0:
                lost += 1
                if not first:
                    first, first_article = f"not found: {a[max(0, i - 8) : i + 8]!r}", number
                i += 1
                continue
            at = rest.find(a[i : i + lo])
            rest = rest[:at] + "\0" + rest[at + lo :]
            pieces += 1
            i += lo
    added = rest.replace("\0", "")
    if added and not first:
        first = f"text not in any article: {added[:24]!r}"
    return {
        "equal": not lost and not added,
        "expected_chars": sum(len(comparable_text(t)) for t in expected),
        "extracted_chars": total,
        "lost": lost,
        "added": len(added),
        "pieces": pieces,
        "first_difference": first,
        "first_article": first_article,  # the index of the article the first difference is in (None: added text)
    }


def own_faults(path: str | Path, shown_per_kind: int = 5, jobs: int | None = None) -> list[str]:
    """What `publish pdf` reports of a PDF it has just written, one line per fault: the faults
    `publish check` finds without a source (up to `shown_per_kind` of each kind, then one line
    for the rest), and too few lines within the inter-character expansion target. 〓 is left
    out: the typesetter has already named those characters with their file and article."""
    report = check_pdf(path, jobs=jobs)
    kinds: dict[str, list[Fault]] = defaultdict(list)
    for fault in report.faults:
        if fault.kind != "missing character (〓)":
            kinds[fault.kind].append(fault)
    lines: list[str] = []
    for kind, found in kinds.items():
        lines += [str(f) for f in found[:shown_per_kind]]
        if len(found) > shown_per_kind:
            lines.append(f"{len(found) - shown_per_kind} more × {kind} (publish check lists them all)")
    if report.share_within_target < TARGET_SHARE:
        lines.append(
            f"inter-character expansion: {report.share_within_target:.1%} of justified lines within"
            f" {TARGET_EXPANSION} em (target {TARGET_SHARE:.0%})"
        )
    return lines
