"""`publish check --layout`: how a newspaper page is laid out, measured on the PDF alone.

Our PDFs carry each page's layout record (type area, grid, module boxes: see
`publish/layout/record.py`) in the page's /PieceInfo; from it and the ink on the page
(glyph, image and rule boxes, read with pdfium) each page gets the measures of
`../shared/notes/layout.md` §4: fill (M1), largest empty rectangle (M2), rectangularity (M3),
headline order and the 号 ladder (M4), 碰题 (M5), 区序 (M6), photos (M7), jumps (M8), grid
alignment and overlaps (M9), column bottoms (M10) — and the faults against the targets.
A PDF without a record (not ours) is measured from its ink only, and has no layout faults.
"""

from __future__ import annotations

import ctypes
import json
import zlib
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from ..clreq import HAO_NAMES, hao_step
from ..wording import plural

PIECE = "/Publish"  # the /PieceInfo key publish's record goes under (layout/record.py: PIECE)
RECORD_VERSION = 1
LADDER_STEPS = 2  # the lead's 主题 at least this many steps above the next story's
FILL_MIN = 0.90  # module fill of a page that is not its issue's last
FILL_MIN_LAST = 0.85
HOLE_MAX = 2  # rows: the tallest empty rectangle allowed
RECT_SHARE = 0.98  # union ÷ bounding box of a rectangular article
EDGE = 0.5  # pt: how close an edge must be to a grid line, and how far a box must reach into a cell
COLLISION_SLACK = 1.0  # pt beyond one gutter that still counts as side by side


@dataclass(frozen=True)
class LayoutFault:
    rule: str  # layout-fill, layout-hole, layout-shape, layout-ladder, layout-collision, …
    page: int  # 0-based
    label: str  # 版次 as printed, or "" when unknown
    detail: str

    def to_dict(self) -> dict:
        return {"rule": self.rule, "page": self.page + 1, "label": self.label, "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.rule}: {_page_name(self.page, self.label)}: {self.detail}"


@dataclass
class PageLayout:
    """The measures of one page; those that need the record are None without one."""

    page: int
    label: str = ""
    name: str = ""
    recorded: bool = False
    fill: float | None = None  # M1: 2-row cells under module boxes ÷ type-area cells
    ink_fill: float = 0.0  # M1, ink: cells touched by glyph, image or rule boxes
    cells: tuple[int, int] = (0, 0)  # columns × 2-row cells of the type area
    hole: tuple[int, int] | None = None  # M2: the largest empty rectangle, rows × columns (modules)
    tallest_hole: int | None = None  # rows: the tallest empty rectangle at any width
    ink_hole: tuple[int, int] = (0, 0)  # M2 on the ink
    module_hole: int | None = None  # rows: the tallest blank inside a module, as the layout reports it (留白, a short foot)
    shapes: list[dict] = field(default_factory=list)  # M3: per article, its shape and union ÷ bounding box
    ladder: dict | None = None  # M4
    collisions: list[dict] = field(default_factory=list)  # M5: the articles whose headlines stand side by side
    zone_order: float | None = None  # M6
    photos: dict = field(default_factory=dict)  # M7
    jumps: dict = field(default_factory=dict)  # M8
    offgrid: int = 0  # M9: module edges off the column and row lines
    overlaps: int = 0  # M9: module pairs that overlap
    balanced: bool | None = None  # the columns end within two rows of each other (a last page may end so)
    column_bottoms: int | None = None  # M10: rows between a module's highest and lowest column foot, most on the page
    faults: list[LayoutFault] = field(default_factory=list)

    def shape_counts(self) -> dict[str, int]:
        counts = Counter(s["shape"] for s in self.shapes)
        return {k: counts.get(k, 0) for k in ("rect", "L", "bad")}

    def to_dict(self) -> dict:
        pair = lambda hole: {"rows": hole[0], "columns": hole[1]} if hole is not None else None  # noqa: E731
        return {
            "page": self.page + 1,
            "label": self.label,
            "name": self.name,
            "recorded": self.recorded,
            "fill": self.fill,
            "ink_fill": self.ink_fill,
            "cells": {"columns": self.cells[0], "rows": self.cells[1]},
            "hole": pair(self.hole),
            "tallest_hole": self.tallest_hole,
            "ink_hole": pair(self.ink_hole),
            "module_hole": self.module_hole,
            "shapes": {**self.shape_counts(), "articles": self.shapes} if self.recorded else None,
            "ladder": self.ladder,
            "collisions": self.collisions,
            "zone_order": self.zone_order,
            "photos": self.photos or None,
            "jumps": self.jumps or None,
            "offgrid": self.offgrid if self.recorded else None,
            "overlaps": self.overlaps if self.recorded else None,
            "balanced": self.balanced,
            "column_bottoms": self.column_bottoms,
            "faults": [f.to_dict() for f in self.faults],
        }

    def line(self) -> str:
        """The page in one line: `p1 第1版: fill 0.97 (ink 0.91), hole 1 row, 0 碰题, 0 jumps, 1 photo …`."""
        head = _page_name(self.page, self.label)
        if not self.recorded:
            return f"{head}: ink fill {self.ink_fill:.2f}, ink hole {_hole(self.ink_hole)}, {len(self.collisions)} 碰题"
        parts = [f"fill {self.fill:.2f} (ink {self.ink_fill:.2f})", f"hole {_hole(self.hole)}"]
        shapes = self.shape_counts()
        if shapes["L"] or shapes["bad"]:
            parts.append(f"{shapes['L']} L, {shapes['bad']} non-rectangular")
        if self.ladder is not None:
            parts.append(f"lead {self.ladder['steps']} steps above")
        parts += [f"{len(self.collisions)} 碰题", plural(self.jumps["out"], "jump")]
        if self.jumps["avoidable"]:
            parts[-1] += f" ({self.jumps['avoidable']} avoidable)"
        parts.append(_photos_text(self.photos))
        return f"{head}: " + ", ".join(parts)


@dataclass
class LayoutReport:
    """The layout check of one PDF."""

    file: str
    pages: list[PageLayout] = field(default_factory=list)

    @property
    def recorded(self) -> bool:
        return any(p.recorded for p in self.pages)

    @property
    def faults(self) -> list[LayoutFault]:
        return [f for p in self.pages for f in p.faults]

    @property
    def ok(self) -> bool:
        return not self.faults

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "ok": self.ok,
            "recorded": self.recorded,
            "pages": [p.to_dict() for p in self.pages],
            "faults": [f.to_dict() for f in self.faults],
        }

    def summary(self) -> str:
        """One line per page, then every fault."""
        lines = [f"{self.file}: {'OK' if self.ok else 'FAULTS'}"]
        if not self.recorded:
            lines[0] = f"{self.file}: no layout record (not a newspaper PDF of publish): measured from the ink only"
        lines += [f"  {p.line()}" for p in self.pages]
        lines += [f"  {f}" for f in self.faults]
        return "\n".join(lines)


def _page_name(page: int, label: str) -> str:
    return f"p{page + 1}" + (f" 第{label}版" if label else "")


def _hole(hole: tuple[int, int] | None) -> str:
    if not hole or not hole[0]:
        return "none"
    return f"{plural(hole[0], 'row')}" + (f" × {plural(hole[1], 'column')}" if hole[1] > 1 else "")


def _photos_text(photos: dict) -> str:
    placed = photos.get("placed", 0)
    if not placed:
        return "no photos"
    if photos["captioned"] == placed and photos["credited"] == placed:
        return f"{plural(placed, 'photo')} with caption and credit"
    return f"{plural(placed, 'photo')}: {photos['captioned']} with a caption, {photos['credited']} with a credit"


# ---- reading the PDF ---------------------------------------------------------------------


def read_records(path: str | Path) -> list[dict | None]:
    """Each page's layout record, or None where a page has none (or one this version cannot read)."""
    from pypdf import PdfReader

    records: list[dict | None] = []
    for page in PdfReader(str(path)).pages:
        records.append(_record(page))
    return records


def _record(page) -> dict | None:
    try:
        piece = page.get("/PieceInfo")
        data = piece.get_object().get(PIECE) if piece is not None else None
        private = data.get_object().get("/Private") if data is not None else None
        if private is None:
            return None
        private = private.get_object()
        text = private.get_data() if hasattr(private, "get_data") else str(private).encode("latin-1")
        record = json.loads(text.decode("utf-8"))
    except (AttributeError, ValueError, TypeError, zlib.error, UnicodeError):
        return None
    return record if _valid(record) else None


def _valid(record) -> bool:
    """A record of this version with everything the measures read (a damaged one is taken as none)."""
    number = lambda v: isinstance(v, int | float) and not isinstance(v, bool)  # noqa: E731
    try:
        grid, area, modules = record["grid"], record["type_area"], record["modules"]
        return (
            record["version"] == RECORD_VERSION
            and len(area) == 4
            and all(map(number, area))
            and len(grid["columns"]) > 0
            and all(map(number, grid["columns"]))
            and all(number(grid[k]) for k in ("measure", "gutter", "pitch", "top"))
            and grid["pitch"] > 0
            and isinstance(grid["rows"], int)
            and grid["rows"] >= 0
            and all(_valid_module(m, number) for m in modules)
        )
    except (KeyError, TypeError):
        return False


def _valid_module(m: dict, number) -> bool:
    boxes = [m["head_box"]] if m.get("head_box") is not None else []
    boxes += m.get("photos", [])
    return (
        isinstance(m["article"], int)
        and all(number(m[k]) for k in ("x", "top", "width", "height"))
        and all(number(m.get(k, 0)) for k in ("title_size", "weight", "captions", "credits", "hole"))
        and all(len(box) == 4 and all(map(number, box)) for box in boxes)
    )


@dataclass
class Ink:
    """What is drawn on a page: glyph boxes (with their size), image and path boxes."""

    glyphs: list[tuple[float, float, float, float, str, float]]  # x0, y0, x1, y1, the character, its size
    images: list[tuple[float, float, float, float]]
    paths: list[tuple[float, float, float, float]]

    def boxes(self) -> list[tuple[float, float, float, float]]:
        return [g[:4] for g in self.glyphs] + self.images + self.paths

    def text_in(self, box: tuple[float, float, float, float]) -> str:
        """The characters whose centres lie in the box, in drawing order."""
        x0, y0, x1, y1 = box
        return "".join(g[4] for g in self.glyphs if x0 <= (g[0] + g[2]) / 2 <= x1 and y0 <= (g[1] + g[3]) / 2 <= y1)


def read_ink(path: str | Path) -> list[Ink]:
    """Every page's ink boxes, from pdfium: each glyph's tight box, each image and path object's."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    pdf = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            text = page.get_textpage()
            glyphs = _glyph_boxes(text.raw, text.count_chars())
            text.close()
            images, paths = [], []
            kinds = (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH)
            for obj in page.get_objects(filter=kinds, max_depth=8):
                box = tuple(obj.get_bounds())
                (images if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE else paths).append(box)
            pages.append(Ink(glyphs, images, paths))
            page.close()
    finally:
        pdf.close()
    return pages


def _glyph_boxes(raw, count: int) -> list[tuple[float, float, float, float, str, float]]:
    import pypdfium2.raw as pdfium_c

    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    boxes = []
    for i in range(count):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        if code <= 0x20 or pdfium_c.FPDFText_IsGenerated(raw, i) == 1:
            continue
        if pdfium_c.FPDFText_GetCharBox(raw, i, left, right, bottom, top) and right.value > left.value:
            ch = chr(code) if not 0xD800 <= code <= 0xDFFF else ""
            boxes.append((left.value, bottom.value, right.value, top.value, ch, pdfium_c.FPDFText_GetFontSize(raw, i)))
    return boxes


# ---- the cell matrices -------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A type area as cells: column x-ranges, rows from `top` down, `pitch` pt each."""

    columns: tuple[tuple[float, float], ...]
    top: float
    rows: int
    pitch: float

    def matrix(self, boxes, tall: int, reach: float, half: bool = False) -> list[list[bool]]:
        """[row][column] of cells `tall` rows each: True where a box reaches into the cell by more
        than `reach` pt (with `half`, covers at least half of it each way)."""
        count = -(-self.rows // tall)
        cells = [[False] * len(self.columns) for _ in range(count)]
        bottom = self.top - self.rows * self.pitch
        for x0, y0, x1, y1 in boxes:
            y0, y1 = max(y0, bottom), min(y1, self.top)
            if y1 < y0:
                continue
            first = max(0, int((self.top - y1) // (self.pitch * tall)))
            last = min(count - 1, int((self.top - y0) // (self.pitch * tall)))
            for r in range(first, last + 1):
                c_top = self.top - r * tall * self.pitch
                c_bottom = max(bottom, c_top - tall * self.pitch)
                for c, (left, right) in enumerate(self.columns):
                    if cells[r][c]:
                        continue
                    if half:
                        hit = (
                            min(x1, right) - max(x0, left) >= (right - left) / 2
                            and min(y1, c_top) - max(y0, c_bottom) >= (c_top - c_bottom) / 2 - 1e-6
                        )
                    else:
                        hit = x0 < right - reach and x1 > left + reach and y0 < c_top - reach and y1 > c_bottom + reach
                    cells[r][c] = hit
        return cells


def share(cells: list[list[bool]]) -> float:
    total = sum(len(row) for row in cells)
    return round(sum(sum(row) for row in cells) / total, 4) if total else 0.0


def largest_empty(cells: list[list[bool]]) -> tuple[tuple[int, int], int]:
    """The largest all-empty rectangle by area (rows, columns; the taller of equals) and the
    tallest at any width, by the histogram method: O(rows · columns)."""
    width = len(cells[0]) if cells else 0
    heights = [0] * width
    best = (0, 0)
    for row in cells:
        heights = [0 if full else h + 1 for h, full in zip(heights, row, strict=True)]
        stack: list[int] = []  # columns of rising heights
        for c in range(width + 1):
            h = heights[c] if c < width else 0
            while stack and heights[stack[-1]] >= h:
                tall = heights[stack.pop()]
                wide = c - (stack[-1] + 1 if stack else 0)
                if (tall * wide, tall) > (best[0] * best[1], best[0]):
                    best = (tall, wide)
            stack.append(c)
    tallest = 0
    for c in range(width):
        run = 0
        for row in cells:
            run = 0 if row[c] else run + 1
            tallest = max(tallest, run)
    return best, tallest


def _box(module: dict) -> tuple[float, float, float, float]:
    return (module["x"], module["top"] - module["height"], module["x"] + module["width"], module["top"])


def _area(record: dict) -> Area:
    grid = record["grid"]
    columns = tuple((x, x + grid["measure"]) for x in grid["columns"])
    return Area(columns, grid["top"], grid["rows"], grid["pitch"])


# ---- the measures ------------------------------------------------------------------------


def check_layout(path: str | Path) -> LayoutReport:
    """The layout measures and faults of every page of the PDF at `path`."""
    records = read_records(path)
    inks = read_ink(path)
    report = LayoutReport(str(path))
    for number, (record, ink) in enumerate(zip(records, inks, strict=True)):
        report.pages.append(measure_page(number, record, ink) if record else measure_ink(number, ink))
    if report.recorded:
        _jumps(report.pages, records, inks)
        for page in report.pages:
            if page.recorded:
                _targets(page, last=page.page == len(report.pages) - 1)
    return report


def measure_page(number: int, record: dict, ink: Ink) -> PageLayout:
    """Every measure of a page with a layout record."""
    area = _area(record)
    modules = record["modules"]
    boxes = [_box(m) for m in modules]
    page = PageLayout(number, str(record.get("label", "")), str(record.get("name", "")), recorded=True)
    by_modules = area.matrix(boxes, 2, EDGE)
    page.fill, page.cells = share(by_modules), (len(area.columns), len(by_modules))
    page.ink_fill = share(area.matrix(ink.boxes(), 2, 0.25))
    occupied = area.matrix(boxes, 1, 0.0, half=True)
    page.hole, page.tallest_hole = largest_empty(occupied)
    feet = [max((r for r, row in enumerate(occupied) if row[c]), default=-1) for c in range(len(area.columns))]
    page.balanced = max(feet) - min(feet) <= HOLE_MAX
    page.ink_hole = largest_empty(area.matrix(ink.boxes(), 1, 0.25))[0]
    page.module_hole = max((m.get("hole", 0) for m in modules), default=0)
    page.shapes = _shapes(modules, area, ink)
    page.ladder = _ladder(modules)
    page.collisions = _collisions(modules, record["grid"], record["type_area"], ink)
    page.zone_order = _zone_order(modules, area.pitch)
    page.photos = _photos(modules, record["type_area"], ink)
    page.offgrid, page.overlaps = _alignment(modules, record["grid"])
    page.column_bottoms = _column_bottoms(modules, record["grid"], ink)
    return page


def measure_ink(number: int, ink: Ink) -> PageLayout:
    """What can be measured on a page without a record: ink fill and the largest empty
    rectangle, on columns found from where the body text stands (rows of 1.5 × its size)."""
    page = PageLayout(number)
    area = _ink_area(ink)
    if area is None:
        return page
    cells = area.matrix(ink.boxes(), 2, 0.25)
    page.ink_fill, page.cells = share(cells), (len(area.columns), len(cells))
    page.ink_hole = largest_empty(area.matrix(ink.boxes(), 1, 0.25))[0]
    page.photos = {"images": len(ink.images)}
    page.collisions = _ink_collisions(ink, area)
    return page


def _ink_collisions(ink: Ink, area: Area) -> list[dict]:
    """碰题 on a page without a record: a headline spans the columns it stands in, and the
    gutter is the widest gap between two columns found."""
    body = area.pitch / 1.5
    gutter = max([body] + [b[0] - a[1] for a, b in pairwise(area.columns)])
    heads = []
    for box, _, text in ink_heads(ink, body):
        under = [c for c in area.columns if c[1] > box[0] and c[0] < box[2]]
        x0, x1 = (min(box[0], under[0][0]), max(box[2], under[-1][1])) if under else (box[0], box[2])
        heads.append((None, None, (x0, box[1], x1, box[3]), f"《{text}》"))
    return side_by_side(heads, gutter)


def _ink_area(ink: Ink) -> Area | None:
    """The type area of a page not made by publish: columns where body-size glyphs stand (their
    x-ranges merged across less than 0.9 of a character), from the top of the ink to its foot."""
    sizes = Counter(round(g[5], 1) for g in ink.glyphs if g[5] > 0)
    if not sizes:
        return None
    size = max(sizes.items(), key=lambda kv: (kv[1], kv[0]))[0]
    body = sorted((g[0], g[2]) for g in ink.glyphs if abs(g[5] - size) < 0.05)
    columns: list[list[float]] = []
    for x0, x1 in body:
        if columns and x0 <= columns[-1][1] + 0.9 * size:  # a gutter is a character wide or more
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    columns = [c for c in columns if c[1] - c[0] >= 2 * size]
    boxes = ink.boxes()
    if not columns or not boxes:
        return None
    top, bottom = max(b[3] for b in boxes), min(b[1] for b in boxes)
    pitch = 1.5 * size  # the leading is not known: 1.5, the common one
    return Area(tuple((c[0], c[1]) for c in columns), top, max(1, round((top - bottom) / pitch)), pitch)


def _named(module: dict, ink: Ink | None) -> str:
    """How a fault names a module's article: its headline as printed, else its number."""
    head = module.get("head_box")
    title = ink.text_in(tuple(head)) if ink is not None and head else ""
    return f"《{title}》" if title else f"article {module['article'] + 1}"


def _shapes(modules: list[dict], area: Area, ink: Ink) -> list[dict]:
    """M3: each article's modules on the page as cells (a one-row gap between two of them filled),
    classed rect (its bounding box, ≥ 98 %), L (the box less one rectangle at a corner) or bad."""
    groups: dict[tuple[str, int], list[dict]] = {}
    for m in modules:
        groups.setdefault((m.get("kind", "article"), m["article"]), []).append(m)
    found = []
    for (kind, article), members in groups.items():
        cells = area.matrix([_box(m) for m in members], 1, 0.0, half=True)
        filled = {(r, c) for r, row in enumerate(cells) for c, full in enumerate(row) if full}
        if not filled:
            continue
        filled |= {(r, c) for r, c in filled if (r + 2, c) in filled and (r + 1, c) not in filled for r, c in [(r + 1, c)]}
        rows, columns = [r for r, _ in filled], [c for _, c in filled]
        r0, r1, c0, c1 = min(rows), max(rows), min(columns), max(columns)
        bbox = (r1 - r0 + 1) * (c1 - c0 + 1)
        rest = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - filled
        shape = "rect" if len(filled) >= RECT_SHARE * bbox else _l_or_bad(rest, r0, r1, c0, c1)
        name = next((_named(m, ink) for m in members if m.get("head_box")), f"article {article + 1}")
        found.append({"article": article, "kind": kind, "name": name, "shape": shape, "ratio": round(len(filled) / bbox, 4)})
    return found


def _l_or_bad(rest: set[tuple[int, int]], r0: int, r1: int, c0: int, c1: int) -> str:
    """L when what the bounding box holds beyond the article is one rectangle in a corner."""
    rows, columns = [r for r, _ in rest], [c for _, c in rest]
    a, b, c, d = min(rows), max(rows), min(columns), max(columns)
    one = len(rest) == (b - a + 1) * (d - c + 1)
    corner = (a == r0 or b == r1) and (c == c0 or d == c1)
    return "L" if one and corner else "bad"


def _ladder(modules: list[dict]) -> dict | None:
    """M4: the lead's 主题 against the next story's, in steps of the 号 ladder, and Kendall's τ
    between rank and 主题 size; None unless the page has one lead and another headline."""
    titled = [m for m in modules if m.get("title_size", 0) > 0 and not m.get("continued")]
    if len(titled) < 2:
        return None
    heaviest = min(m.get("weight", 0) for m in titled)
    leads = [m for m in titled if m.get("weight", 0) == heaviest]
    others = [m for m in titled if m["article"] != leads[0]["article"]]
    if len(leads) != 1 or not others:
        return None
    lead, second = leads[0], max(others, key=lambda m: m["title_size"])
    steps = hao_step(second["title_size"]) - hao_step(lead["title_size"])
    return {
        "lead": lead["title_size"],
        "lead_size": HAO_NAMES[hao_step(lead["title_size"])],
        "next": second["title_size"],
        "next_size": HAO_NAMES[hao_step(second["title_size"])],
        "steps": steps,
        "tau": kendall_tau([-m.get("weight", 0) for m in titled], [m["title_size"] for m in titled]),
    }


def kendall_tau(a: list[float], b: list[float]) -> float | None:
    """Kendall's τ-b of two rankings (ties allowed); None when either has no order at all."""
    concordant = discordant = ties_a = ties_b = 0
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            da, db = a[i] - a[j], b[i] - b[j]
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif (da > 0) == (db > 0):
                concordant += 1
            else:
                discordant += 1
    pairs = concordant + discordant
    denominator = ((pairs + ties_a) * (pairs + ties_b)) ** 0.5
    return round((concordant - discordant) / denominator, 4) if denominator else None


def _collisions(modules: list[dict], grid: dict, type_area: list[float], ink: Ink) -> list[dict]:
    """M5 碰题 between the modules' headlines (where the record gives no headline boxes, the
    headlines found in the ink of the type area). Across, a headline spans its module: two
    centred headlines in modules side by side read as one line however far apart their ink is."""
    heads = [(n, m["article"], _spanned(m, m["head_box"]), _named(m, ink)) for n, m in enumerate(modules) if m.get("head_box")]
    if not heads:
        x0, y0, x1, y1 = type_area
        for box, _, text in ink_heads(ink, grid["body_size"]):
            if x0 - EDGE <= box[0] and box[2] <= x1 + EDGE and y0 - EDGE <= box[1] and box[3] <= y1 + EDGE:
                n = next((n for n, m in enumerate(modules) if _holds(_box(m), box)), None)
                module = modules[n] if n is not None else None
                heads.append((n, module and module["article"], _spanned(module, box) if module else box, f"《{text}》"))
    return side_by_side(heads, grid["gutter"])


def _spanned(module: dict, box) -> tuple[float, float, float, float]:
    return (module["x"], box[1], module["x"] + module["width"], box[3])


def _holds(outer, inner) -> bool:
    """Does `outer` hold the centre of `inner`?"""
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def side_by_side(heads: list[tuple[int | None, int | None, tuple, str]], gutter: float) -> list[dict]:
    """Pairs of headlines (module, article, box, name) of different modules side by side — at
    most a gutter (and a point) apart, and overlapping by at least half the height of the shorter."""
    found = []
    for i, (one, a, (ax0, ay0, ax1, ay1), a_name) in enumerate(heads):
        for other, b, (bx0, by0, bx1, by1), b_name in heads[i + 1 :]:
            if one is not None and one == other:
                continue
            gap = max(ax0, bx0) - min(ax1, bx1)
            overlap = min(ay1, by1) - max(ay0, by0)
            shorter = min(ay1 - ay0, by1 - by0)
            if shorter > 0 and gap <= gutter + COLLISION_SLACK and overlap >= shorter / 2:
                pair = [(ax0, a, a_name), (bx0, b, b_name)] if ax0 <= bx0 else [(bx0, b, b_name), (ax0, a, a_name)]
                found.append({"articles": [p[1] for p in pair], "names": [p[2] for p in pair]})  # left first
    return found


HEAD_SIZE = 1.5  # × the body size: glyphs this large are a headline's


def ink_heads(ink: Ink, body: float) -> list[tuple[tuple[float, float, float, float], float, str]]:
    """Headlines as the ink shows them: glyphs of 1.5 × the body size or more joined into lines
    (same size and height, less than 1.5 characters apart), lines into blocks (stacked, less than
    a line apart, overlapping across); each block's box, largest size and text."""
    lines: list[list] = []  # [x0, y0, x1, y1, size, text]
    for x0, y0, x1, y1, ch, size in ink.glyphs:
        if size < HEAD_SIZE * body or not ch.strip():
            continue
        middle = (y0 + y1) / 2
        line = next((li for li in lines if abs(li[4] - size) < 0.5 and abs((li[1] + li[3]) / 2 - middle) < size / 2
                     and x0 - li[2] < 1.5 * size and li[0] - x1 < 1.5 * size), None)  # fmt: skip
        if line is None:
            lines.append([x0, y0, x1, y1, size, ch])
        else:
            line[:5] = [min(line[0], x0), min(line[1], y0), max(line[2], x1), max(line[3], y1), size]
            line[5] += ch
    blocks: list[list] = []
    for line in sorted(lines, key=lambda li: -li[3]):
        block = next((b for b in blocks if b[1] - line[3] < max(b[4], line[4]) and min(b[2], line[2]) > max(b[0], line[0])), None)
        if block is None:
            blocks.append(list(line))
        else:
            block[:6] = [
                min(block[0], line[0]),
                line[1],
                max(block[2], line[2]),
                block[3],
                max(block[4], line[4]),
                block[5] + line[5],
            ]
    return [((b[0], b[1], b[2], b[3]), b[4], b[5]) for b in blocks]


def _zone_order(modules: list[dict], pitch: float) -> float | None:
    """M6 区序: the share of pairs of stories of different rank whose order agrees with where
    they start (higher first, then further left)."""
    starts = [m for m in modules if not m.get("continued")]
    agree = pairs = 0
    for i, a in enumerate(starts):
        for b in starts[i + 1 :]:
            if a.get("weight", 0) == b.get("weight", 0):
                continue
            pairs += 1
            place = lambda m: (round(-m["top"] / pitch), m["x"])  # noqa: E731
            agree += (a.get("weight", 0) < b.get("weight", 0)) == (place(a) < place(b))
    return round(agree / pairs, 4) if pairs else None


def _photos(modules: list[dict], type_area: list[float], ink: Ink) -> dict:
    """M7: photos placed, with a caption and with a credit; their share of the type area; the
    images drawn on the page (its logos too)."""
    placed = sum(len(m.get("photos", [])) for m in modules)
    captioned = sum(min(m.get("captions", 0), len(m.get("photos", []))) for m in modules)
    credited = sum(min(m.get("credits", 0), len(m.get("photos", []))) for m in modules)
    x0, y0, x1, y1 = type_area
    area = sum(p[2] * p[3] for m in modules for p in m.get("photos", []))
    share_ = round(area / ((x1 - x0) * (y1 - y0)), 4) if x1 > x0 and y1 > y0 else 0.0
    return {"placed": placed, "captioned": captioned, "credited": credited, "area": share_, "images": len(ink.images)}


def _alignment(modules: list[dict], grid: dict) -> tuple[int, int]:
    """M9: module and photo edges off the column lines (and module tops and feet off the row
    lines); pairs of modules that overlap."""
    lefts, pitch = grid["columns"], grid["pitch"]
    rights = [x + grid["measure"] for x in lefts]
    on = lambda value, lines: any(abs(value - line) <= EDGE for line in lines)  # noqa: E731
    on_row = lambda y: abs((grid["top"] - y) / pitch - round((grid["top"] - y) / pitch)) * pitch <= EDGE  # noqa: E731
    off = 0
    for m in modules:
        off += (not on(m["x"], lefts)) + (not on(m["x"] + m["width"], rights))
        off += (not on_row(m["top"])) + (not on_row(m["top"] - m["height"]))
        for x, _, width, _ in m.get("photos", []):
            off += (not on(x, lefts)) + (not on(x + width, rights))
    overlaps = 0
    boxes = [_box(m) for m in modules]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if min(a[2], b[2]) - max(a[0], b[0]) > EDGE and min(a[3], b[3]) - max(a[1], b[1]) > EDGE:
                overlaps += 1
    return off, overlaps


def _column_bottoms(modules: list[dict], grid: dict, ink: Ink) -> int | None:
    """M10: within each module of two or more columns, rows between its highest and lowest
    column foot (the lowest glyph in each column); the most on the page."""
    worst = None
    for m in modules:
        x0, y0, x1, y1 = _box(m)
        feet = []
        for left in grid["columns"]:
            right = left + grid["measure"]
            if left < x0 - EDGE or right > x1 + EDGE:
                continue
            inside = [g[1] for g in ink.glyphs if left <= (g[0] + g[2]) / 2 <= right and y0 <= (g[1] + g[3]) / 2 <= y1]
            if inside:
                feet.append(min(inside))
        if len(feet) >= 2:
            spread = round((max(feet) - min(feet)) / grid["pitch"])
            worst = spread if worst is None else max(worst, spread)
    return worst


def _jumps(pages: list[PageLayout], records: list[dict | None], inks: list[Ink]) -> None:
    """M8: each module cut with its rest on another page is a 下转; it must name the page its
    rest goes on at, and that rest must be an 上接 (a continued module); an avoidable one is a fault."""
    runs: dict[int, list[tuple[int, dict]]] = {}
    for number, record in enumerate(records):
        for m in record["modules"] if record else []:
            if m.get("kind", "article") == "article":
                runs.setdefault(m["article"], []).append((number, m))
        pages[number].jumps = {"out": 0, "avoidable": 0, "unpaired": 0, "continued": 0}
    for run in runs.values():
        for (number, m), after in zip(run, [*run[1:], (None, None)], strict=True):
            if after[0] is not None and after[0] != number and after[1].get("continued"):
                pages[after[0]].jumps["continued"] += 1
            if m.get("complete", True) or after[0] == number:
                continue
            page = pages[number]
            page.jumps["out"] += 1
            name = _named(m, inks[number])
            target = pages[after[0]].label if after[0] is not None else None
            if target is None or not after[1].get("continued") or m.get("jump_to") not in (None, target):
                page.jumps["unpaired"] += 1
                wanted = f"named 第{m['jump_to']}版" if m.get("jump_to") else "no page named"
                found = f"goes on at 第{target}版" if target is not None else "goes on nowhere"
                page.faults.append(LayoutFault("layout-jump-unpaired", number, page.label, f"{name}: {wanted}, {found}"))
            if m.get("avoidable"):
                page.jumps["avoidable"] += 1
                detail = f"{name} jumps to 第{target or m.get('jump_to') or '?'}版 but would fit whole on this page"
                page.faults.append(LayoutFault("layout-jump-avoidable", number, page.label, detail))


def _targets(page: PageLayout, last: bool) -> None:
    """The faults of a page against the targets of `../shared/notes/layout.md` and issue 16 (an
    issue's last page: filled to 0.85 or its columns balanced, and its foot may stay empty)."""
    add = lambda rule, detail: page.faults.append(LayoutFault(rule, page.page, page.label, detail))  # noqa: E731
    least = FILL_MIN_LAST if last else FILL_MIN
    if page.fill is not None and page.fill < least and not (last and page.balanced):
        add(
            "layout-fill",
            f"fill {page.fill:.2f}, below {least:.2f}" + (" on the issue's last page, its columns unbalanced" if last else ""),
        )
    if page.tallest_hole is not None and page.tallest_hole > HOLE_MAX and not last:
        add("layout-hole", f"an empty rectangle {plural(page.tallest_hole, 'row')} tall (largest {_hole(page.hole)})")
    if page.module_hole is not None and page.module_hole > HOLE_MAX and not last:
        add(
            "layout-hole",
            f"a blank {plural(page.module_hole, 'row')} tall inside a module (round a headline or at a column's foot)",
        )
    bad = [s for s in page.shapes if s["shape"] == "bad"]
    shaped = [s for s in page.shapes if s["shape"] == "L"]
    for s in bad:
        add("layout-shape", f"{s['name']}: not rectangular ({s['ratio']:.0%} of its bounding box)")
    if len(shaped) > 1:
        add("layout-shape", f"{plural(len(shaped), 'L-shaped article')}, one allowed: " + "、".join(s["name"] for s in shaped))
    ladder = page.ladder
    if ladder is not None and ladder["steps"] < LADDER_STEPS:
        add(
            "layout-ladder",
            f"the lead's 主题 {ladder['lead']:g} pt ({ladder['lead_size']}) is {plural(ladder['steps'], 'step')} above the next "
            f"story's {ladder['next']:g} pt ({ladder['next_size']}); {LADDER_STEPS} wanted",
        )
    for pair in page.collisions:
        add("layout-collision", f"碰题: the headlines of {pair['names'][0]} and {pair['names'][1]} stand side by side")
    photos = page.photos
    if photos.get("captioned", 0) < photos.get("placed", 0):
        add(
            "layout-photo-caption",
            f"{photos['placed'] - photos['captioned']} of {plural(photos['placed'], 'photo')} without a caption",
        )
    if page.overlaps:
        add("layout-overlap", f"{plural(page.overlaps, 'pair')} of modules overlap")
    if page.offgrid:
        add("layout-offgrid", f"{plural(page.offgrid, 'edge')} of modules or photos off the column and row lines")


def check_layouts(paths: list[Path]):
    """The layout check of each PDF (files, or folders of them): a sources.Checked; one that
    cannot be read is reported and the others still checked."""
    from .sources import check_each

    return check_each(paths, check_layout)
