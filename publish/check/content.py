"""What a page paints, read from its content stream with pikepdf: every text run, fill, stroke,
image and shading with the graphics state it is painted in (colour space and colour, overprint,
type size and line width after the CTM). The press and archive checks judge these marks.

Form XObjects, tiling patterns' cells, shading patterns and annotations' normal appearances are
walked (with their own resources and matrix); transparency groups' and soft masks' blending spaces
are marks too. q/Q, cm, gs, the colour operators, the text state and the text matrix are tracked as
the PDF reference defines them. Separation and DeviceN spaces carry their alternate's family.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_DEPTH = 12  # Form XObjects inside Form XObjects: deeper nesting is a loop or an attack
FAMILY_OF_OPERATOR = {
    "g": "DeviceGray",
    "G": "DeviceGray",
    "rg": "DeviceRGB",
    "RG": "DeviceRGB",
    "k": "DeviceCMYK",
    "K": "DeviceCMYK",
}
INITIAL_COLOUR = {"DeviceGray": (0.0,), "DeviceRGB": (0.0, 0.0, 0.0), "DeviceCMYK": (0.0, 0.0, 0.0, 1.0), "Lab": (0.0, 0.0, 0.0)}
SHOWS = {"Tj", "TJ", "'", '"'}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKES = {"S", "s", "B", "B*", "b", "b*"}


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """m × n in the PDF's row-vector convention (m applied first)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


@dataclass(frozen=True)
class Colour:
    """A colour as set: the family of its space (DeviceCMYK, DeviceGray, ICCBased, Separation …),
    its components, and whether it was set at all (else the initial DeviceGray black)."""

    family: str = "DeviceGray"
    values: tuple[float, ...] = (0.0,)
    implicit: bool = True
    base: str = ""  # Indexed: its base family; ICCBased: by its N; Separation, DeviceN: the alternate's; Pattern: underlying
    pattern: object = field(default=None, compare=False)  # Pattern: the pattern set by scn (a dictionary or stream)

    @property
    def cmyk(self) -> tuple[float, float, float, float] | None:
        if self.family == "DeviceCMYK" and len(self.values) == 4:
            return tuple(min(1.0, max(0.0, v)) for v in self.values)  # type: ignore[return-value]
        return None

    def named(self) -> str:
        """How a message names the space: `DeviceGray (no colour set)`, `ICCBased (RGB)`."""
        if self.implicit:
            return "DeviceGray (no colour set)"
        return f"{self.family} ({self.base})" if self.base else self.family


@dataclass
class State:
    """The graphics state the checks need (saved by q, restored by Q)."""

    ctm: Matrix = IDENTITY
    fill: Colour = field(default_factory=Colour)
    stroke: Colour = field(default_factory=Colour)
    op: bool = False  # overprint for fills (text included)
    OP: bool = False  # overprint for strokes
    opm: int = 0
    line_width: float = 1.0
    font: str = ""
    font_dict: object = None  # the font's dictionary, as the resources name it
    font_size: float = 0.0
    render_mode: int = 0
    leading: float = 0.0


@dataclass(frozen=True)
class Mark:
    """One thing painted: kind text / fill / stroke / image / shading, at (x, y) in page space."""

    kind: str
    colour: Colour
    state: State
    x: float
    y: float
    size: float = 0.0  # text: the type size on the page (pt); stroke: the line width on the page (pt)
    image: Image | None = None


@dataclass(frozen=True)
class Image:
    """An image as drawn: its pixels and the size it is drawn at (pt), its space, its filters."""

    pixels: tuple[int, int]
    drawn: tuple[float, float]
    colour: Colour
    mask: bool
    filters: tuple[str, ...]
    stream: pikepdf.Object | None  # None for an inline image

    @property
    def ppi(self) -> float:
        """The lower of its two resolutions on the page."""
        w, h = self.drawn
        if w <= 0 or h <= 0:
            return math.inf
        return min(self.pixels[0] / (w / 72), self.pixels[1] / (h / 72))


def scale(m: Matrix) -> float:
    """How much a matrix scales lengths (the square root of its area factor)."""
    return math.sqrt(abs(m[0] * m[3] - m[1] * m[2]))


def colour_space(obj, resources) -> Colour:
    """The Colour (initial values) of a colour-space operand or image /ColorSpace entry."""
    if isinstance(obj, pikepdf.Name):
        name = str(obj)[1:]
        if name in ("DeviceGray", "DeviceRGB", "DeviceCMYK", "Pattern", "G", "RGB", "CMYK"):
            family = {"G": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}.get(name, name)
            return Colour(family, INITIAL_COLOUR.get(family, ()), False)
        spaces = resources.get("/ColorSpace") if resources is not None else None
        if spaces is not None and obj in spaces:
            return colour_space(spaces[obj], None)
        return Colour(name, (), False)
    if isinstance(obj, pikepdf.Array) and len(obj):
        family = str(obj[0])[1:]
        if family in ("I", "Indexed"):
            return Colour("Indexed", (0.0,), False, colour_space(obj[1], resources).family)
        if family == "ICCBased":
            n = int(obj[1].get("/N", 0))
            return Colour("ICCBased", (0.0,) * n, False, {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}.get(n, f"N {n}"))
        if family in ("Separation", "DeviceN") and len(obj) > 2:
            count = 1 if family == "Separation" else len(obj[1])
            return Colour(family, (1.0,) * count, False, device_family(colour_space(obj[2], None)))
        if family == "Pattern":  # [/Pattern base]: an uncoloured pattern painted in the base space
            return Colour("Pattern", (), False, colour_space(obj[1], resources).family if len(obj) > 1 else "")
        return Colour(family, INITIAL_COLOUR.get(family, ()), False)
    return Colour("unknown", (), False)


def device_family(colour: Colour) -> str:
    """The device family a space converts through: ICCBased by its N, others as they are."""
    return colour.base if colour.family == "ICCBased" and colour.base.startswith("Device") else colour.family


class Painter:
    """Walks one page's content (and the Form XObjects it draws), yielding its Marks."""

    def __init__(self, page: pikepdf.Page):
        self.page = page
        self.state = State()
        self.stack: list[State] = []
        self.text_matrix: Matrix = IDENTITY
        self.line_matrix: Matrix = IDENTITY
        self.path_start: tuple[float, float] = (0.0, 0.0)
        self.forms: list[tuple[int, int]] = []
        self.patterns: set = set()  # the patterns walked, with their pattern space
        self.base: Matrix = IDENTITY  # the pattern space of the content being walked (the page's, a form's)
        self.fonts: dict = {}  # the font dictionaries text is shown in (keyed by object), in order of use

    def marks(self) -> Iterator[Mark]:
        yield from self._walk(self.page.obj, self.page.obj.get("/Resources"))
        yield from self._annotations()

    def _annotations(self) -> Iterator[Mark]:
        """Each visible annotation's normal appearance (the one its /AS picks, else every state),
        drawn into its /Rect as PDF 1.7 §12.5.5 (algorithm 8.1) says."""
        for annotation in self.page.obj.get("/Annots", []):
            if not isinstance(annotation, pikepdf.Dictionary) or int(annotation.get("/F", 0)) & 2:  # Hidden
                continue
            normal = annotation.get("/AP", {}).get("/N")
            if isinstance(normal, pikepdf.Dictionary) and not isinstance(normal, pikepdf.Stream):
                state = annotation.get("/AS")
                normal = [normal[state]] if state is not None and state in normal else list(normal.values())
            for form in normal if isinstance(normal, list) else [normal]:
                if isinstance(form, pikepdf.Stream) and "/Rect" in annotation:
                    self.state, self.stack, self.base = State(ctm=_into_rect(form, annotation.Rect)), [], IDENTITY
                    yield from self._form(form, None)

    def _walk(self, container, resources) -> Iterator[Mark]:
        for instruction in pikepdf.parse_content_stream(container):
            if isinstance(instruction, pikepdf.ContentStreamInlineImage):
                yield self._inline(instruction.iimage, resources)
                continue
            operands, operator = instruction.operands, str(instruction.operator)
            yield from self._step(operator, operands, resources)

    def _step(self, op: str, args, resources) -> Iterator[Mark]:
        s = self.state
        if op == "q":
            self.stack.append(replace(s))
        elif op == "Q":
            if self.stack:
                self.state = self.stack.pop()
        elif op == "cm" and len(args) == 6:
            s.ctm = multiply(tuple(float(a) for a in args), s.ctm)  # type: ignore[arg-type]
        elif op in FAMILY_OF_OPERATOR:
            colour = Colour(FAMILY_OF_OPERATOR[op], tuple(float(a) for a in args), False)
            if op.islower():
                s.fill = colour
            else:
                s.stroke = colour
        elif op in ("cs", "CS") and args:
            colour = colour_space(args[0], resources)
            if op == "cs":
                s.fill = colour
            else:
                s.stroke = colour
        elif op in ("sc", "scn", "SC", "SCN"):
            values = tuple(float(a) for a in args if isinstance(a, int | float | Decimal))  # a pattern's name is not a component
            which = "fill" if op.islower() else "stroke"
            colour = replace(getattr(s, which), values=values or getattr(s, which).values)
            if args and isinstance(args[-1], pikepdf.Name):
                patterns = resources.get("/Pattern") if resources is not None else None
                colour = replace(colour, pattern=patterns.get(args[-1]) if patterns is not None else None)
            setattr(s, which, colour)
        elif op == "gs" and args:
            yield from self._ext_gstate(args[0], resources)
        elif op == "w" and args:
            s.line_width = float(args[0])
        elif (op == "m" and len(args) == 2) or (op == "re" and len(args) == 4):
            self.path_start = (float(args[0]), float(args[1]))
        else:
            yield from self._text_or_paint(op, args, resources)

    def _text_or_paint(self, op: str, args, resources) -> Iterator[Mark]:
        s = self.state
        if op == "BT":
            self.text_matrix = self.line_matrix = IDENTITY
        elif op == "Tf" and len(args) == 2:
            s.font, s.font_size = str(args[0]), float(args[1])
            s.font_dict = self._font_of(args[0], resources)
        elif op == "Tr" and args:
            s.render_mode = int(args[0])
        elif op == "TL" and args:
            s.leading = float(args[0])
        elif op == "Tm" and len(args) == 6:
            self.text_matrix = self.line_matrix = tuple(float(a) for a in args)  # type: ignore[assignment]
        elif op in ("Td", "TD") and len(args) == 2:
            if op == "TD":
                s.leading = -float(args[1])
            self._next_line(float(args[0]), float(args[1]))
        elif op == "T*":
            self._next_line(0.0, -s.leading)
        elif op in SHOWS:
            font = s.font_dict  # a font counts when text is shown in it (reportlab sets Helvetica on every page)
            if isinstance(font, pikepdf.Object):
                self.fonts.setdefault(font.objgen if font.is_indirect else id(font), font)
            if op in ("'", '"'):
                self._next_line(0.0, -s.leading)
            yield from self._text()
            yield from self._pattern(s.stroke if s.render_mode in (1, 5) else s.fill)
        elif op in FILLS or op in STROKES:
            yield from self._paint(op)
        elif op == "Do" and args:
            yield from self._do(args[0], resources)
        elif op == "sh" and args:
            shading = (resources or {}).get("/Shading", {}).get(args[0]) if resources is not None else None
            space = colour_space(shading.get("/ColorSpace"), resources) if shading is not None else Colour("unknown", (), False)
            yield self._mark("shading", space, 0.0, 0.0)

    @staticmethod
    def _font_of(name, resources):
        fonts = resources.get("/Font") if resources is not None else None
        return fonts[name] if fonts is not None and name in fonts else None

    def _next_line(self, tx: float, ty: float) -> None:
        self.line_matrix = multiply((1.0, 0.0, 0.0, 1.0, tx, ty), self.line_matrix)
        self.text_matrix = self.line_matrix

    def _text(self) -> Iterator[Mark]:
        s = self.state
        if s.render_mode in (3, 7):  # invisible (OCR layers, clipping only): nothing is printed
            return
        matrix = multiply(self.text_matrix, s.ctm)
        size = abs(s.font_size) * math.hypot(matrix[2], matrix[3])
        colour = s.stroke if s.render_mode in (1, 5) else s.fill
        yield Mark("text", colour, replace(s), matrix[4], matrix[5], size)

    def _paint(self, op: str) -> Iterator[Mark]:
        s = self.state
        x, y = self.path_start
        if op in FILLS:
            yield self._mark("fill", s.fill, x, y)
            yield from self._pattern(s.fill)
        if op in STROKES:
            yield self._mark("stroke", s.stroke, x, y, s.line_width * scale(s.ctm))
            yield from self._pattern(s.stroke)

    def _pattern(self, colour: Colour) -> Iterator[Mark]:
        """What a coloured pattern paints: a tiling pattern's cell (walked like a form, in pattern
        space, from the initial graphics state), a shading pattern's shading. An uncoloured
        pattern's cell paints in the colour set with it, which its mark already carries."""
        pattern = colour.pattern
        if colour.family != "Pattern" or not isinstance(pattern, pikepdf.Dictionary | pikepdf.Stream):
            return
        key = (pattern.objgen, self.base)
        if pattern.is_indirect and key in self.patterns:  # a pattern filling ten thousand glyphs is walked once per place
            return
        self.patterns.add(key)
        matrix = multiply(tuple(float(v) for v in pattern.get("/Matrix", IDENTITY)), self.base)  # type: ignore[arg-type]
        saved, depth = self.state, len(self.stack)
        self.state = State(ctm=matrix)
        if int(pattern.get("/PatternType", 0)) == 2 and isinstance(pattern.get("/Shading"), pikepdf.Dictionary):
            yield self._mark("shading", colour_space(pattern.Shading.get("/ColorSpace"), None), 0.0, 0.0)
        elif isinstance(pattern, pikepdf.Stream) and int(pattern.get("/PaintType", 1)) == 1:
            yield from self._form(pattern, None, pattern_space=True)
        del self.stack[depth:]
        self.state = saved

    def _mark(self, kind: str, colour: Colour, x: float, y: float, size: float = 0.0, image: Image | None = None) -> Mark:
        ctm = self.state.ctm
        px, py = x * ctm[0] + y * ctm[2] + ctm[4], x * ctm[1] + y * ctm[3] + ctm[5]
        return Mark(kind, colour, replace(self.state), px, py, size, image)

    def _ext_gstate(self, name, resources) -> Iterator[Mark]:
        states = resources.get("/ExtGState") if resources is not None else None
        if states is None or name not in states:
            return
        gs, s = states[name], self.state
        mask = gs.get("/SMask")
        if isinstance(mask, pikepdf.Dictionary) and isinstance(mask.get("/G"), pikepdf.Stream):
            group = mask.G.get("/Group")
            if isinstance(group, pikepdf.Dictionary) and "/CS" in group:  # the soft mask's blending space
                yield self._mark("soft mask", colour_space(group.CS, mask.G.get("/Resources", resources)), 0.0, 0.0)
        if "/OP" in gs:
            s.OP = bool(gs.OP)
            if "/op" not in gs:
                s.op = s.OP  # /OP alone sets both (PDF 1.7 §8.4.5, table 58)
        if "/op" in gs:
            s.op = bool(gs.op)
        if "/OPM" in gs:
            s.opm = int(gs.OPM)
        if "/LW" in gs:
            s.line_width = float(gs.LW)

    def _do(self, name, resources) -> Iterator[Mark]:
        objects = resources.get("/XObject") if resources is not None else None
        if objects is None or name not in objects:
            return
        xobject = objects[name]
        subtype = xobject.get("/Subtype")
        if subtype == "/Image":
            yield self._image(xobject, resources)
        elif subtype == "/Form":
            yield from self._form(xobject, resources)

    def _form(self, form, resources, pattern_space: bool = False) -> Iterator[Mark]:
        """A Form XObject (or a tiling pattern's cell, whose matrix is already in the CTM)."""
        key = form.objgen
        if key in self.forms or len(self.forms) >= MAX_DEPTH:
            return
        self.forms.append(key)
        saved, depth, base = replace(self.state), len(self.stack), self.base
        if not pattern_space:
            matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))
            self.state.ctm = multiply(matrix, self.state.ctm)  # type: ignore[arg-type]
        self.base = self.state.ctm
        group = form.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and "/CS" in group:  # a transparency group blends in its /CS
            yield self._mark("group", colour_space(group.CS, form.get("/Resources", resources)), 0.0, 0.0)
        yield from self._walk(form, form.get("/Resources", resources))
        del self.stack[depth:]
        self.state, self.base = saved, base
        self.forms.pop()

    def _image(self, xobject, resources) -> Mark:
        return self._picture(xobject, resources, xobject)

    def _inline(self, image: pikepdf.PdfInlineImage, resources) -> Mark:
        return self._picture(image.obj, resources, None)

    def _picture(self, info, resources, stream) -> Mark:
        """An image XObject (stream) or an inline image (its expanded dictionary, no stream)."""
        mask = bool(info.get("/ImageMask", False))
        colour = self.state.fill if mask else colour_space(info.get("/ColorSpace", pikepdf.Name.DeviceGray), resources)
        return self._placed(int(info.get("/Width", 0)), int(info.get("/Height", 0)), colour, mask, filter_names(info), stream)

    def _placed(self, width: int, height: int, colour: Colour, mask: bool, filters, stream) -> Mark:
        ctm = self.state.ctm
        drawn = (math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3]))
        image = Image((width, height), drawn, colour, mask, filters, stream)
        return self._mark("image", colour, 0.0, 0.0, 0.0, image)


def _into_rect(form, rect) -> Matrix:
    """The matrix that maps an appearance's transformed /BBox onto its annotation's /Rect."""
    matrix: Matrix = tuple(float(v) for v in form.get("/Matrix", IDENTITY))  # type: ignore[assignment]
    x0, y0, x1, y1 = (float(v) for v in form.get("/BBox", rect))
    corners = [multiply((1.0, 0.0, 0.0, 1.0, x, y), matrix)[4:] for x in (x0, x1) for y in (y0, y1)]
    left, bottom = min(c[0] for c in corners), min(c[1] for c in corners)
    width, height = max(c[0] for c in corners) - left, max(c[1] for c in corners) - bottom
    r = [float(v) for v in rect]
    rx, ry = min(r[0], r[2]), min(r[1], r[3])
    sx = abs(r[2] - r[0]) / width if width else 1.0
    sy = abs(r[3] - r[1]) / height if height else 1.0
    return (sx, 0.0, 0.0, sy, rx - left * sx, ry - bottom * sy)


def filter_names(info) -> tuple[str, ...]:
    """The /Filter names of a stream or inline image, without the slash."""
    filters = info.get("/Filter")
    if filters is None:
        return ()
    return tuple(str(f)[1:] for f in (filters if isinstance(filters, pikepdf.Array) else [filters]))


@dataclass(frozen=True)
class PageContent:
    """What one page paints, in content order, and the fonts its text is set in."""

    marks: list[Mark]
    fonts: dict  # object key -> font dictionary


def read_page(page: pikepdf.Page) -> PageContent:
    painter = Painter(page)
    marks = list(painter.marks())
    return PageContent(marks, painter.fonts)
