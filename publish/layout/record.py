"""The page layout record: what the layout decided about a page (its type area, grid and every
module box), as plain JSON the renderer embeds in the page (its /PieceInfo), so that
`publish check --layout` measures a PDF alone, wherever it was copied to.

Shape (version 1; lengths in pt, origin bottom left):
    {"version": 1, "label": "2/3", "name": "要闻", "size": [w, h],
     "type_area": [x0, y0, x1, y1],
     "grid": {"columns": [x of each column], "measure": w, "gutter": g, "pitch": p,
              "rows": type-area rows, "top": y of the type area's top edge, "body_size": pt},
     "modules": [every ModuleBox field by name; head_box [x0, y0, x1, y1] or null,
                 photos [[x, y, w, h], …]],
     "filled": the layout's own share, "full": bool}
"""

from __future__ import annotations

from dataclasses import fields

from .grid import Grid
from .page import ModuleBox, Page

RECORD_VERSION = 1
PIECE = "Publish"  # the page's /PieceInfo key the record goes under (the application's name)


def page_record(page: Page, grid: Grid, top_rows: int) -> dict:
    """The page's layout record (JSON-able); `top_rows`: grid rows above its type area (a front
    page's masthead)."""
    rows = grid.rows - top_rows
    top = grid.row_top(top_rows)
    left = grid.left
    return {
        "version": RECORD_VERSION,
        "label": page.label,
        "name": page.name,
        "size": [_r(grid.width), _r(grid.height)],
        "type_area": [_r(left), _r(top - rows * grid.pitch), _r(left + grid.type_width), _r(top)],
        "grid": {
            "columns": [_r(grid.column_left(c)) for c in range(grid.columns)],
            "measure": _r(grid.measure),
            "gutter": _r(grid.gutter_chars * grid.size),
            "pitch": _r(grid.pitch),
            "rows": rows,
            "top": _r(top),
            "body_size": _r(grid.size),
        },
        "modules": [module_record(m) for m in page.modules],
        "filled": round(page.filled, 4),
        "full": page.full,
    }


def module_record(module: ModuleBox) -> dict:
    """Every field of a module box, numbers rounded to 1/1000 pt, boxes as lists."""
    made = {}
    for f in fields(module):
        value = getattr(module, f.name)
        if isinstance(value, float):
            value = _r(value)
        elif isinstance(value, tuple):
            value = [_r(v) for v in value]
        elif isinstance(value, list):
            value = [[_r(v) for v in box] for box in value]
        made[f.name] = value
    return made


def _r(value: float) -> float:
    return round(float(value), 3)
