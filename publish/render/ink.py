"""How colours are drawn for the output's standard. Plain and archive PDFs draw RGB as before;
a press PDF draws in DeviceCMYK only: every page starts in 100 % black ink (0 0 0 1 k/K) under
an ExtGState that overprints (op/OP true, OPM 1), so black text and rules print over whatever
lies under them, never leaving a white gap when the plates are out of register; a coloured
element knocks out (its own ExtGState) inside q … Q, and so do logos (their colours separated,
raster logos and photos made CMYK in images.py) with the press profile (icc.py).
"""

from __future__ import annotations

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas, ExtGState

from ..layout.page import Colour
from .icc import PressProfile, press_profile, separate_colour
from .ops import num, shapes
from .output import Output

OVERPRINT, KNOCKOUT = "GSop", "GSko"  # ExtGState names on every press page
BLACK_INK = "0 0 0 1 k 0 0 0 1 K"


class _PressStates(ExtGState):
    """reportlab's ExtGState list (one entry per key) plus the press's two full states."""

    def getState(self):
        states = {name: pdfdoc.PDFDictionary(dict((pair,))) for pair, name in self._c.items()}
        for name, on in ((OVERPRINT, "true"), (KNOCKOUT, "false")):
            states[name] = pdfdoc.PDFDictionary({"Type": "/ExtGState", "op": on, "OP": on, "OPM": 1})
        return pdfdoc.PDFDictionary(states)


def prepare(canvas: Canvas, output: Output) -> None:
    """Ready the canvas for the output before it draws: for the press, find its profile (a bad
    one is a ConfigError before anything is drawn), and start this page and every page after
    it in overprinting black ink; for the archive, photos in RGB only."""
    if output.archive:
        canvas._publish_rgb_only = True  # PDF/A under an sRGB intent: no CMYK photos (images.py)
    if not output.press:
        return
    canvas._publish_press = press_profile(output.icc, output.tac)
    start_page(canvas)
    restart = canvas._startPage  # reportlab's: called by showPage, it resets the page's state

    def start_next() -> None:
        restart()
        start_page(canvas)

    canvas._startPage = start_next


def press(canvas: Canvas) -> PressProfile | None:
    """The press profile the canvas draws for (None: plain or archive, RGB)."""
    return canvas.__dict__.get("_publish_press")


def start_page(canvas: Canvas) -> None:
    """What every page of a press PDF starts with: overprinting, black ink for fills and strokes
    (text and rules drawn without a colour of their own are 100 % K, not DeviceGray). It goes
    before the page's content (reportlab's commands before a page), so no page is begun by it."""
    canvas._extgstate = _PressStates()  # reportlab starts each page with a new, empty one
    canvas._psCommandsBeforePage[:] = [f"/{OVERPRINT} gs {BLACK_INK}"]


def fill(canvas: Canvas, colour: Colour) -> str:
    """The operators that make `colour` the fill colour, inside a q … Q the caller opened: RGB,
    or for the press CMYK (black ink overprints as the page does; other colours knock out)."""
    profile = press(canvas)
    if profile is None:
        return " ".join(num(v) for v in colour.rgb) + " rg"
    cmyk = cmyk_of(profile, colour)
    if cmyk == (0.0, 0.0, 0.0, 1.0):
        return "0 0 0 1 k"
    return f"/{KNOCKOUT} gs " + " ".join(num(v) for v in cmyk) + " k"


def cmyk_of(profile: PressProfile, colour: Colour) -> tuple[float, float, float, float]:
    """The inks of a colour: its own, else separated by the profile (greys in black alone)."""
    return colour.cmyk if colour.cmyk is not None else separate_colour(profile, colour.rgb)


def separate_drawing(canvas: Canvas, drawing) -> bool:
    """An SVG logo's drawing (reportlab graphics) made for the press: every colour (gradient
    stops too) separated by the profile (black and greys in black ink alone). True when the caller must draw it inside
    `q /GSko gs … Q`: a logo's shapes knock out, black ones too (black overprinting a coloured
    ground would add its inks to the ground's, past the ink limit; a white shape must stay
    white); its black lines and text overprint, as thin lines and type must (registration)."""
    profile = press(canvas)
    if profile is None:
        return False
    from reportlab.graphics.shapes import String
    from reportlab.lib.colors import CMYKColor, Color

    def convert(colour):
        if not isinstance(colour, Color) or isinstance(colour, CMYKColor):
            return colour
        c, m, y, k = separate_colour(profile, (colour.red, colour.green, colour.blue))
        return CMYKColor(c, m, y, k, alpha=colour.alpha)

    black = CMYKColor(0, 0, 0, 1)
    # the renderer's start: black ink, knocking out with OPM 1 (the state GSko gives; else RGB black)
    drawing.__dict__.update(initialFillColor=black, initialStrokeColor=black, initialOverprintMask=1)
    for node in shapes(drawing):
        for attribute in ("fillColor", "strokeColor"):
            if getattr(node, attribute, None) is not None:
                # (set in __dict__: reportlab's attribute check refuses some of these on groups)
                node.__dict__[attribute] = convert(getattr(node, attribute))
        if getattr(node, "_rl_colors", None):  # svglib's gradient fills: their stops' colours
            node._rl_colors = [convert(colour) for colour in node._rl_colors]
        if isinstance(node, String) and isinstance(node.fillColor, CMYKColor):  # black text overprints, as ours does
            node.__dict__["fillOverprint"] = node.fillColor.cmyk() == (0, 0, 0, 1) and node.fillColor.alpha == 1
        if getattr(node, "strokeColor", None) is not None:
            stroke = node.strokeColor
            node.__dict__["strokeOverprint"] = stroke.cmyk() == (0, 0, 0, 1) and stroke.alpha == 1
    return True
