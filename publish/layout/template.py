"""Page templates (`templates/*.toml`): page size, grid, fonts per role, sizes, rules, colours,
masthead style and module patterns. Users copy one and edit it; a mistake is reported with
the key (and the line it is on), never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import TemplateError
from ..fsutil import read_toml, toml_line
from ..typeset.fonts import FONTS, ROLES
from ..wording import plural
from .grid import MM, Grid
from .page import BLACK, Colour

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    grid: Grid
    roles: dict[str, tuple[str, ...]]  # font role → font keys tried in order
    sizes: dict[str, float]  # pt: title_lead, title, title_small, kicker, subtitle, byline, heading, note, running_head
    colours: dict[str, Colour]  # text, rule, masthead, accent
    rule_width: float
    masthead: dict[str, Any]
    front: tuple[tuple[int, ...], ...]  # the only divisions a front page may use (stack widths); empty: any
    inner: tuple[tuple[int, ...], ...]
    box_under: int  # articles shorter than this many characters are boxed
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# key → (type, required); sections mirror the TOML file
SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], bool]]] = {
    "template": {"name": (str, True), "description": (str, False)},
    "page": {
        "width_mm": ((int, float), True),
        "height_mm": ((int, float), True),
        "top_mm": ((int, float), True),
        "bottom_mm": ((int, float), True),
    },
    "grid": {
        "columns": (int, True),
        "column_chars": (int, True),
        "gutter_chars": (int, False),
        "size": ((int, float), True),
        "leading": ((int, float), False),
    },
    "fonts": {role: (list, False) for role in ROLES},
    "sizes": {
        name: ((int, float), True)
        for name in ("title_lead", "title", "title_small", "kicker", "subtitle", "byline", "heading", "note", "running_head")
    },
    "colours": {name: ((str, dict), False) for name in ("text", "rule", "masthead", "accent")},
    "rules": {"width": ((int, float), False)},
    "masthead": {
        "name_font": (str, False),
        "name_size": ((int, float), True),
        "rows": (int, True),
        "style": (str, False),
        "ear": (bool, False),
    },
    "layout": {"front": (list, False), "inner": (list, False), "box_under_chars": (int, False)},
}


def template_names() -> list[str]:
    return sorted(p.stem for p in TEMPLATE_DIR.glob("*.toml"))


def find_template(name_or_path: str | Path) -> Path:
    """A bundled template by name (`broadsheet`) or a TOML file by path."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise TemplateError(f"template file not found: {path}")
        return path
    bundled = TEMPLATE_DIR / f"{name_or_path}.toml"
    if not bundled.is_file():
        raise TemplateError(f"no template named {name_or_path!r}; bundled: {', '.join(template_names())} (or give a .toml path)")
    return bundled


def load_template(name_or_path: str | Path = "broadsheet") -> Template:
    path = find_template(name_or_path)
    data, text = read_toml(path, TemplateError)
    return parse_template(data, path, text)


_Fail = Callable[[str, str], TemplateError]  # (dotted key, message) → the error to raise


def parse_template(data: dict[str, Any], path: Path | str = "<template>", text: str = "") -> Template:
    """A Template from parsed TOML; every problem names its key."""

    def fail(key: str, message: str) -> TemplateError:
        return TemplateError(f"{key}: {message}", file=path, line=toml_line(text, key))

    values = _sections(data, fail)
    grid = _grid(values["page"], values["grid"], fail)
    roles = _roles(values["fonts"], fail)
    colours = _colours(values["colours"], fail)
    masthead = _masthead(values["masthead"], grid, fail)
    layout = values["layout"]
    patterns = {name: _patterns(layout[name], name, grid, fail) if name in layout else () for name in ("front", "inner")}
    return Template(
        name=values["template"]["name"],
        description=values["template"].get("description", ""),
        grid=grid,
        roles=roles,
        sizes={k: float(v) for k, v in values["sizes"].items()},
        colours=colours,
        rule_width=float(values["rules"].get("width", 0.5)),
        masthead=masthead,
        front=patterns["front"],
        inner=patterns["inner"],
        box_under=values["layout"].get("box_under_chars", 300),
        source=str(path),
    )


def _sections(data: dict[str, Any], fail: _Fail) -> dict[str, dict[str, Any]]:
    """Every section of the schema (empty if not given), each key in it known and of its type."""
    for section in data:
        if section not in SCHEMA:
            raise fail(section, f"unknown section; known: {', '.join(SCHEMA)}")
    values: dict[str, dict[str, Any]] = {}
    for section, keys in SCHEMA.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise fail(section, "must be a table ([section])")
        for key in table:
            if key not in keys:
                raise fail(f"{section}.{key}", f"unknown key; known in [{section}]: {', '.join(keys)}")
        for key, (kind, required) in keys.items():
            if key in table:
                _check_value(f"{section}.{key}", table[key], kind, fail)
            elif required:
                raise fail(f"{section}.{key}", "missing")
        values[section] = table
    return values


def _check_value(key: str, value: Any, kind: type | tuple[type, ...], fail: _Fail) -> None:
    """A value of the schema's type (a bool is no number), and positive if a number."""
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        wanted = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise fail(key, f"must be {wanted}, not {type(value).__name__} {value!r}")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
        raise fail(key, f"must be positive, not {value}")


def _grid(page: dict[str, Any], grid_v: dict[str, Any], fail: _Fail) -> Grid:
    """The page's grid, which must fit the page and leave room for type."""
    grid = Grid(
        width=page["width_mm"] * MM,
        height=page["height_mm"] * MM,
        top=page["top_mm"] * MM,
        bottom=page["bottom_mm"] * MM,
        columns=grid_v["columns"],
        column_chars=grid_v["column_chars"],
        gutter_chars=grid_v.get("gutter_chars", 1),
        size=float(grid_v["size"]),
        leading=float(grid_v.get("leading", 1.5)),
    )
    if grid.type_width > grid.width:
        wide = f"{plural(grid.columns, 'column')} of {plural(grid.column_chars, 'character')}"
        raise fail("grid.columns", f"{wide} are wider than the page")
    if grid.rows < 20:
        raise fail("page.height_mm", "leaves fewer than 20 grid rows for type")
    return grid


def _roles(fonts: dict[str, Any], fail: _Fail) -> dict[str, tuple[str, ...]]:
    """The font keys per role: the defaults, with the template's own lists in their place."""
    roles = dict(ROLES)
    for role, keys in fonts.items():
        unknown = [k for k in keys if k not in FONTS]
        if not keys or unknown or not all(isinstance(k, str) for k in keys):
            raise fail(f"fonts.{role}", f"must list font keys from: {', '.join(FONTS)}")
        roles[role] = tuple(keys)
    return roles


def _colours(given: dict[str, Any], fail: _Fail) -> dict[str, Colour]:
    """The colours, each "#rrggbb" (the press separates it with its profile) or a table giving
    the press's inks too: { rgb = "#rrggbb", cmyk = [c, m, y, k] } in percent; black where not given."""
    colours = dict.fromkeys(("text", "rule", "masthead", "accent"), BLACK)
    for name, value in given.items():
        table = value if isinstance(value, dict) else {"rgb": value}
        unknown = set(table) - {"rgb", "cmyk"}
        if unknown or "rgb" not in table:
            raise fail(f"colours.{name}", 'must be "#rrggbb" or { rgb = "#rrggbb", cmyk = [c, m, y, k] }')
        rgb = table["rgb"]
        if not isinstance(rgb, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", rgb):
            raise fail(f"colours.{name}", f"must be #rrggbb, not {rgb!r}")
        cmyk = table.get("cmyk")
        if cmyk is not None and not (
            isinstance(cmyk, list)
            and len(cmyk) == 4
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 100 for v in cmyk)
        ):
            raise fail(f"colours.{name}", f"cmyk must be four inks in percent (0–100), not {cmyk!r}")
        colours[name] = Colour(
            tuple(int(rgb[i : i + 2], 16) / 255 for i in (1, 3, 5)),  # type: ignore[arg-type]
            None if cmyk is None else tuple(v / 100 for v in cmyk),  # type: ignore[arg-type]
        )
    return colours


def _masthead(given: dict[str, Any], grid: Grid, fail: _Fail) -> dict[str, Any]:
    """The masthead settings with their defaults; its rows must leave half the page for articles."""
    masthead = dict(given)
    masthead.setdefault("name_font", "serif-black")
    masthead.setdefault("style", "centre")
    masthead.setdefault("ear", True)
    if masthead["name_font"] not in FONTS:
        raise fail("masthead.name_font", f"must be one of: {', '.join(FONTS)}")
    if masthead["style"] not in ("centre", "left"):
        raise fail("masthead.style", "must be 'centre' or 'left'")
    if masthead["rows"] >= grid.rows // 2:
        raise fail("masthead.rows", f"must leave at least half the page's {grid.rows} rows for articles")
    return masthead


def _patterns(raw: list[Any], name: str, grid: Grid, fail: _Fail) -> tuple[tuple[int, ...], ...]:
    """`layout.front` or `layout.inner`: column patterns (stack widths), each filling the grid's columns."""
    if not raw or not all(
        isinstance(p, list)
        and p
        and all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in p)
        and sum(p) == grid.columns
        for p in raw
    ):
        raise fail(
            f"layout.{name}", f"must be a list of column patterns each adding up to {grid.columns}, e.g. [[{grid.columns}]]"
        )
    return tuple(tuple(p) for p in raw)
