"""`publish check --press`: a PDF against what a newspaper press asks (PDF/X-4 and the Ghent
Workgroup's newspaper rules, `../shared/notes/print.md` §1 and §5), one rule id per rule.

No free PDF/X or GWG validator exists (print.md §3), so these are our own checks. They read the
content streams with pikepdf (`content.py`: every text run, path, image and shading with its
graphics state) and the file's parts (boxes, output intent, XMP, fonts). The total ink is
measured as `ink.py` says. `RULES` documents each rule; README's table is made from it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pikepdf

from . import ink, standards
from .content import Colour, Mark, colour_space, device_family, read_page
from .sources import Checked, check_each
from .standards import Fault, StandardReport

SMALL_TEXT = 12.0  # pt: GWG's <A>, under which black text must overprint and must not be rich black
# pt: NIAD's smallest type: one ink solid, one ink tint, several inks or reversed (white)
SOLID_TYPE, TINT_TYPE, MULTI_TYPE = 6.0, 8.0, 10.0
HAIRLINE = 0.1  # pt: thinner lines (and width 0, the device's thinnest) break up on newsprint
SOLID_LINE, MULTI_LINE = 1.0, 1.5  # pt: NIAD's finest lines: one ink; several inks or white (a warning)
MIN_PPI = 150.0  # newspaper image resolution (GWG newspaper, as transcribed)
SOLID = 0.995  # a component at least this is 100 %
ABSENT = 0.005  # a component at most this is 0 %
RICH = 0.05  # C, M or Y at least this under a K of BLACK_K makes small text rich black
BLACK_K = 0.8
ALLOWED_SPACES = ("DeviceCMYK", "Separation", "DeviceN", "Pattern")  # a pattern's cell or shading is judged as its own marks
# A spot colour's alternate is how a CMYK-only press (and any proof) prints it: PDF/X-4 allows a device-dependent
# space only when it matches the output intent (CMYK), DeviceGray being a subset of it; GWG's CMYK-only variants
# forbid RGB and Lab outright (R0027). So an alternate in RGB, CalRGB or Lab is the same fault as painting in it.
ALLOWED_ALTERNATES = ("DeviceCMYK", "DeviceGray", "CalGray")
MASK_SPACES = ("DeviceGray", "CalGray")  # a soft mask's group gives a mask's gray levels, never ink: gray is fine there
PDFX_VERSION = "1.6"

RULES: dict[str, tuple[str, str, str]] = {  # id: (what, threshold, source)
    "press-colour-space": (
        "text, paths, images and shadings in DeviceCMYK or spot colours only: no DeviceRGB, DeviceGray (set or implicit), "
        "ICCBased, CalRGB/CalGray or Lab; spot colours (Separation, DeviceN) with a CMYK or gray alternate; patterns' cells "
        "and shadings, annotations' appearances and transparency groups (and soft masks' groups but for gray) likewise",
        "none allowed",
        "GWG R0027 (CMYK-only variants), R0011; PDF/X-4 (device spaces other than the CMYK intent's)",
    ),
    "press-black-overprint": (
        "black text and black lines (0 0 0 1) overprint (op/OP true) with overprint mode 1",
        "every black text run and stroke",
        "GWG R0009, R0010",
    ),
    "press-white-overprint": (
        "white (0 0 0 0) text, fills and lines knock out: overprinted with OPM 1 they leave the inks under them and vanish",
        "none",
        "NIAD (white text set to overprint will not appear); PDF 1.7 §11.7.4.5 (OPM 1)",
    ),
    "press-rich-black": ("small text is not rich black (K with C, M or Y under it)", "below 12 pt", "GWG R0015, R0017"),
    "press-type-size": (
        "type no smaller than its colour allows",
        "6 pt one ink solid, 8 pt one ink tint, 10 pt several inks or reversed (white)",
        "NIAD",
    ),
    "press-line-weight": (
        "lines no thinner than the press holds",
        "fault below 0.1 pt (and width 0); warning below 1 pt (one ink) or 1.5 pt (several inks, white)",
        "NIAD; the 0.1 pt hairline floor is ours",
    ),
    "press-boxes": (
        "a TrimBox on every page, equal to the CropBox and MediaBox and the same on every page; no /Rotate, no /UserUnit",
        "exact",
        "GWG R0002–R0004, PDF/X-4",
    ),
    "press-output-intent": ("a GTS_PDFX output intent embedding a CMYK output profile", "one, CMYK", "PDF/X-4, GWG R0035"),
    "press-fonts": ("every font embedded", "all", "PDF/X-4"),
    "press-image-ppi": (
        "image resolution as drawn on the page (from the CTM)",
        "at least 150 ppi",
        "the issue; GWG newspaper as transcribed (error under 100, warning under 150)",
    ),
    "press-tac": (
        "total ink: the largest mean C+M+Y+K over a 15 mm² window (Ghostscript tiff32nc with the intent's profile, else "
        "the content's colours and image samples)",
        "the profile's: 220 % for WAN-IFRAnewspaper26v5, 240 % for ISOnewspaper26v4, else the profile's black; --tac",
        "ISO 12647-3, NIAD",
    ),
    "press-metadata": (
        "PDF 1.6 header, XMP with pdfxid:GTS_PDFXVersion PDF/X-4, /Trapped True or False (Info and XMP agree), a title, "
        "creation and modification dates, a trailer /ID",
        "all present",
        "PDF/X-4 (ISO 15930-7)",
    ),
    "press-forbidden": (
        "nothing PDF/X forbids: encryption, LZW, external streams, JavaScript and other actions, embedded files, "
        "transfer functions (ExtGState /TR, /TR2 other than /Default)",
        "none",
        "PDF/X-4 (ISO 15930-7)",
    ),
    "press-halftone": (
        "no halftone in an ExtGState (/HT other than /Default): PDF/X-4 lets it through, but the press screens its plates "
        "itself, so the file's screen is ignored or, worse, honoured (a warning)",
        "none",
        "PDF/X-4 (allowed, not to be relied on); GWG (screening is the printer's)",
    ),
}


class Faults:
    """Faults of one rule and kind on one page gathered into one line: a count and the first place."""

    def __init__(self):
        self.found: dict[tuple[str, int | None, str, bool], list] = {}

    def add(self, rule: str, page: int | None, what: str, where: str = "", warning: bool = False) -> None:
        entry = self.found.setdefault((rule, page, what, warning), [0, where])
        entry[0] += 1

    def list(self) -> list[Fault]:
        made = []
        for (rule, page, what, warning), (count, where) in self.found.items():
            first = f"; first {where}" if where else ""
            times = f" ({count} times{first})" if count > 1 else f" ({where})" if where else ""
            made.append(Fault(rule, page, what + times, warning))
        return made


def check_press(path: Path | str, tac: float | None = None, render: bool | None = None) -> StandardReport:
    """Every press rule on one PDF. `tac` overrides the profile's ink limit; `render` False
    measures the ink from the content even when Ghostscript is there (None: Ghostscript if found)."""
    path = Path(path)
    report = StandardReport(path, "press")
    with pikepdf.open(path) as pdf:
        faults = Faults()
        contents = [read_page(page) for page in pdf.pages]
        for number, (page, content) in enumerate(zip(pdf.pages, contents, strict=True)):
            for mark in content.marks:
                judge_mark(faults, number, page, mark)
        check_groups(faults, pdf)
        check_boxes(faults, pdf)
        intent = check_intent(faults, pdf)
        check_fonts(faults, [c.fonts for c in contents])
        marks = [c.marks for c in contents]
        check_metadata(faults, pdf)
        for page, what in standards.forbidden(pdf):
            faults.add("press-forbidden", page, what)
        check_graphics_states(faults, pdf)
        report.notes.append(check_tac(faults, path, pdf, marks, intent, tac, render))
    report.faults = sorted(faults.list(), key=lambda f: (f.page if f.page is not None else -1, f.rule))
    return report


def check_press_files(paths: list[Path], tac: float | None = None) -> Checked:
    """The press check of each PDF named (files, or folders of them)."""
    return check_each(paths, lambda path: check_press(path, tac))


# --- marks --------------------------------------------------------------------------------------


def judge_mark(faults: Faults, number: int, page: pikepdf.Page, mark: Mark) -> None:
    """The rules one painted mark can break."""
    where = standards.place(page, mark.x, mark.y)
    if mark.kind == "image":
        judge_image(faults, number, mark, where)
        return
    if not space_allowed(mark.colour, mark.kind):
        faults.add("press-colour-space", number, f"{mark.kind} in {mark.colour.named()}", where)
        return
    if mark.kind in ("group", "soft mask", "shading"):
        return
    cmyk = mark.colour.cmyk
    overprints = (
        mark.state.OP if mark.kind == "stroke" or (mark.kind == "text" and mark.state.render_mode in (1, 5)) else mark.state.op
    )
    if cmyk and max(cmyk) <= ABSENT and overprints and mark.state.opm == 1:
        faults.add("press-white-overprint", number, f"white {mark.kind} overprints with OPM 1: it does not print", where)
        return
    if mark.kind == "text":
        judge_text(faults, number, mark, where)
    elif mark.kind == "stroke":
        judge_line(faults, number, mark, where)


def judge_image(faults: Faults, number: int, mark: Mark, where: str) -> None:
    image = mark.image
    assert image is not None
    space = image.colour
    if space.family == "Indexed" and space.base == "DeviceCMYK":
        pass
    elif not space_allowed(space, "image"):
        kind = "image mask" if image.mask else "image"
        faults.add("press-colour-space", number, f"{kind} in {space.named()}", where)
    if not image.mask and image.ppi < MIN_PPI:
        w, h = image.pixels
        faults.add("press-image-ppi", number, f"image {w}×{h} px drawn at {image.ppi:.0f} ppi (under {MIN_PPI:.0f})", where)


def space_allowed(colour: Colour, kind: str = "") -> bool:
    """A space a CMYK-only press prints: DeviceCMYK, spot colours with a CMYK or gray alternate,
    patterns (their cells are judged), a soft mask's gray."""
    if kind == "soft mask" and device_family(colour) in MASK_SPACES:
        return True
    if colour.family in ("Separation", "DeviceN"):
        return colour.base in ALLOWED_ALTERNATES
    if colour.family == "Pattern" and colour.base:  # uncoloured: painted in its underlying space
        return colour.base in ALLOWED_SPACES
    return colour.family in ALLOWED_SPACES


def inks(values: tuple[float, ...]) -> list[float]:
    """The components that put ink down."""
    return [v for v in values if v > ABSENT]


def judge_text(faults: Faults, number: int, mark: Mark, where: str) -> None:
    """Black text overprinted (OPM 1 in DeviceCMYK), no small rich black, type large enough for its inks."""
    state, size = mark.state, mark.size
    cmyk = mark.colour.cmyk
    stroked = state.render_mode in (1, 5)
    if cmyk and cmyk[3] >= SOLID and max(cmyk[:3]) <= ABSENT:
        if not (state.OP if stroked else state.op) or state.opm != 1:
            faults.add(
                "press-black-overprint", number, f"black text {size:.1f} pt without overprint {_overprint(state, stroked)}", where
            )
    if cmyk and cmyk[3] >= BLACK_K and max(cmyk[:3]) >= RICH:
        if size < SMALL_TEXT:
            faults.add("press-rich-black", number, f"{size:.1f} pt text in rich black {_cmyk(cmyk)}", where)
        return
    used = inks(mark.colour.values)
    if not used:
        least, kind = MULTI_TYPE, "reversed (white)"
    elif len(used) > 1:
        least, kind = MULTI_TYPE, f"{len(used)}-ink"
    elif used[0] >= SOLID:
        least, kind = SOLID_TYPE, "one-ink solid"
    else:
        least, kind = TINT_TYPE, "one-ink tint"
    if size < least - 0.01:
        inked = f" {_cmyk(cmyk)}" if cmyk else ""
        faults.add("press-type-size", number, f"{kind}{inked} text {size:.1f} pt (under {least:g} pt)", where)


def judge_line(faults: Faults, number: int, mark: Mark, where: str) -> None:
    """Lines thick enough for newsprint; black lines overprinted."""
    state, width = mark.state, mark.size
    cmyk = mark.colour.cmyk
    if cmyk and cmyk[3] >= SOLID and max(cmyk[:3]) <= ABSENT and (not state.OP or state.opm != 1):
        faults.add(
            "press-black-overprint", number, f"black line {width:.2f} pt without overprint {_overprint(state, True)}", where
        )
    used = inks(mark.colour.values)
    several = len(used) != 1
    if width < HAIRLINE:
        faults.add("press-line-weight", number, f"line {width:.2f} pt (under {HAIRLINE:g} pt: a hairline)", where)
    elif width < (MULTI_LINE if several else SOLID_LINE) - 0.01:
        least = MULTI_LINE if several else SOLID_LINE
        faults.add("press-line-weight", number, f"line {width:.2f} pt (under NIAD's {least:g} pt)", where, warning=True)


def _overprint(state, stroked: bool) -> str:
    flag = "OP" if stroked else "op"
    return f"({flag} {'true' if (state.OP if stroked else state.op) else 'false'}, OPM {state.opm})"


def _cmyk(cmyk) -> str:
    """`M100 Y100`: the inks a CMYK colour puts down, in percent."""
    return " ".join(f"{ink}{v * 100:.0f}" for ink, v in zip("CMYK", cmyk, strict=True) if v > ABSENT) or "white"


# --- the file -----------------------------------------------------------------------------------


def _inherited(page: pikepdf.Page, key: str):
    node = page.obj
    for _ in range(64):
        if key in node:
            return node[key]
        node = node.get("/Parent")
        if node is None:
            return None
    return None


def _box(value) -> tuple[float, ...] | None:
    if value is None:
        return None
    box = [round(float(v), 2) for v in value]  # boxes written with different precision still match
    return (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))


def _box_text(box) -> str:
    return "[" + " ".join(f"{v:g}" for v in box) + "]"


def check_groups(faults: Faults, pdf: pikepdf.Pdf) -> None:
    """A page's transparency group blends in its /CS: RGB or gray there converts the page's colours."""
    for number, page in enumerate(pdf.pages):
        group = page.obj.get("/Group")
        if isinstance(group, pikepdf.Dictionary) and "/CS" in group:
            space = colour_space(group.CS, page.obj.get("/Resources"))
            if not space_allowed(space):
                faults.add("press-colour-space", number, f"the page's transparency group blends in {space.named()}")


def check_graphics_states(faults: Faults, pdf: pikepdf.Pdf) -> None:
    """Transfer functions (forbidden) and halftones (a warning) in any ExtGState of the file."""
    for key, _value in standards.graphics_state_entries(pdf):
        if key in ("/TR", "/TR2"):
            faults.add("press-forbidden", None, f"transfer function (ExtGState {key})")
        elif key == "/HT":
            faults.add("press-halftone", None, "halftone (ExtGState /HT): the press's own screening applies", warning=True)


def check_boxes(faults: Faults, pdf: pikepdf.Pdf) -> None:
    """TrimBox = CropBox = MediaBox, the same TrimBox on every page, no /Rotate, no /UserUnit."""
    first = None
    for number, page in enumerate(pdf.pages):
        media = _box(_inherited(page, "/MediaBox"))
        crop = _box(_inherited(page, "/CropBox")) or media
        trim = _box(page.obj.get("/TrimBox"))
        if trim is None:
            faults.add("press-boxes", number, "no TrimBox")
        elif trim != media or crop != media:
            faults.add(
                "press-boxes", number, f"TrimBox {_box_text(trim)}, CropBox {_box_text(crop)}, MediaBox {_box_text(media)} differ"
            )
        if trim is not None:
            size = (round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2))
            if first is None:
                first = size
            elif size != first:
                faults.add("press-boxes", number, f"TrimBox {size[0]:g}×{size[1]:g} pt, page 1's {first[0]:g}×{first[1]:g} pt")
        rotate = int(_inherited(page, "/Rotate") or 0)
        if rotate % 360:
            faults.add("press-boxes", number, f"/Rotate {rotate}")
        if float(page.obj.get("/UserUnit", 1)) != 1:
            faults.add("press-boxes", number, f"/UserUnit {float(page.obj.UserUnit):g}")


def check_intent(faults: Faults, pdf: pikepdf.Pdf) -> standards.Intent | None:
    """One GTS_PDFX output intent with an embedded CMYK profile; returns it (or None)."""
    found = [i for i in standards.intents(pdf) if i.subtype == "/GTS_PDFX"]
    if not found:
        faults.add("press-output-intent", None, "no GTS_PDFX output intent")
        return None
    intent = found[0]
    if len(found) > 1:
        faults.add("press-output-intent", None, f"{len(found)} GTS_PDFX output intents (PDF/X allows one)")
    if intent.profile is None:
        faults.add("press-output-intent", None, f"the GTS_PDFX intent {intent.condition!r} embeds no output profile")
    elif intent.space != "CMYK":
        faults.add(
            "press-output-intent", None, f"the output profile {intent.described!r} is {intent.space or 'not ICC'}, not CMYK"
        )
    elif not intent.condition:
        faults.add("press-output-intent", None, "the GTS_PDFX intent has no OutputConditionIdentifier")
    return intent


def check_fonts(faults: Faults, used: list[dict]) -> None:
    for font in standards.fonts(used):
        if not font.embedded:
            faults.add("press-fonts", font.page, f"font {font.name} ({font.subtype}) not embedded")


def check_metadata(faults: Faults, pdf: pikepdf.Pdf) -> None:
    """What PDF/X-4 asks of the file's metadata: the XMP identification, Trapped, a title and
    dates (in the Info or the XMP; where both say it, they agree), a header no later than 1.6."""
    add: Callable[[str], None] = lambda what: faults.add("press-metadata", None, what)  # noqa: E731
    if tuple(int(v) for v in pdf.pdf_version.split(".")) > (1, 6):
        add(f"header says PDF {pdf.pdf_version}; PDF/X-4 is PDF {PDFX_VERSION} at most")
    found = standards.identified(pdf, add)
    if found is None:
        return
    packet, described = found
    version = standards.xmp_value(packet, "pdfxid", "GTS_PDFXVersion")
    if not (version or "").startswith("PDF/X-4"):
        add(f"XMP pdfxid:GTS_PDFXVersion is {version!r}, not 'PDF/X-4'" if version else "XMP has no pdfxid:GTS_PDFXVersion")
    trapped, info_trapped = standards.xmp_value(packet, "pdf", "Trapped"), described.get("Trapped", "").lstrip("/")
    if (trapped or info_trapped) not in ("True", "False"):
        add(f"Trapped is {trapped or info_trapped or 'absent'}, not True or False")
    elif trapped and info_trapped and trapped != info_trapped:
        add(f"XMP pdf:Trapped {trapped} but Info /Trapped /{info_trapped}")
    for key, prefix, name in (("Title", "dc", "title"), ("CreationDate", "xmp", "CreateDate"), ("ModDate", "xmp", "ModifyDate")):
        if not described.get(key) and not standards.xmp_value(packet, prefix, name):
            add(f"no {prefix}:{name} (nor Info /{key})")


def check_tac(faults: Faults, path: Path, pdf, marks: list[list[Mark]], intent, tac: float | None, render: bool | None) -> str:
    """The total ink of each page against the limit; returns how it was measured."""
    profile = intent.profile if intent else None
    if tac is not None:
        limit, why = tac, "--tac"
    else:
        limit, why = ink.ink_limit(profile, " ".join([intent.described, intent.condition, intent.info]) if intent else "")
    pages, method = [], "the content's CMYK colours and image samples (Ghostscript not used; overprinted marks not summed)"
    if ink.ghostscript() is not None if render is None else render:
        described = f"the output profile {intent.described!r}" if profile else "its default CMYK profile"
        try:
            pages = ink.rendered(path, profile, list(pdf.pages))
            method = f"Ghostscript tiff32nc at {ink.DPI} dpi with {described}"
        except (OSError, subprocess.SubprocessError) as error:
            method = method.replace("Ghostscript not used", f"Ghostscript failed: {error}")
    if not pages:
        pages = [ink.measured(number, found) for number, found in enumerate(marks)]
    worst = max(pages, key=lambda p: p.tac, default=None)
    for measure in pages:
        if measure.tac > limit + 0.5:
            where = standards.place(pdf.pages[measure.page], measure.x, measure.y)
            faults.add("press-tac", measure.page, f"total ink {measure.tac:.0f} % over the limit {limit:g} % ({why})", where)
    top = f"max {worst.tac:.0f} % on page {worst.page + 1}" if worst else "no pages"
    return f"press-tac: {top}, limit {limit:g} % ({why}); measured from {method}"
