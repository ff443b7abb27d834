"""What the press (`check/press.py`) and archive (`check/archive.py`) checks share: their faults
and reports, and the readings of a PDF's file-level parts they both judge (output intents, XMP,
fonts, what PDF/X and PDF/A forbid)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ..wording import plural

MM = 25.4 / 72


@dataclass(frozen=True)
class Fault:
    """One fault: its rule id, the page (0-based; None for the document) and what and where.
    A warning is printed but does not fail the check."""

    rule: str
    page: int | None
    detail: str
    warning: bool = False

    def line(self, path: Path | str) -> str:
        where = f"page {self.page + 1}: " if self.page is not None else ""
        return f"{path}: {where}{self.rule}{' (warning)' if self.warning else ''}: {self.detail}"

    def to_dict(self) -> dict:
        page = self.page + 1 if self.page is not None else None
        return {"rule": self.rule, "page": page, "detail": self.detail, "warning": self.warning}


@dataclass
class StandardReport:
    """The check of one PDF against one standard (press or archive)."""

    path: Path
    standard: str
    faults: list[Fault] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how a figure was measured (the TAC's method)

    @property
    def errors(self) -> list[Fault]:
        return [f for f in self.faults if not f.warning]

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line per fault, then the summary line of the file."""
        lines = [f.line(self.path) for f in self.faults]
        warnings = len(self.faults) - len(self.errors)
        counted = plural(len(self.errors), "fault") if self.errors else "no faults"
        if warnings:
            counted += f", {plural(warnings, 'warning')}"
        rules = sorted({f.rule for f in self.errors})
        lines.append(f"{self.path}: {self.standard}: {counted}{' (' + ', '.join(rules) + ')' if rules else ''}")
        lines += [f"{self.path}: {note}" for note in self.notes]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {
            "file": str(self.path),
            "standard": self.standard,
            "ok": self.ok,
            "faults": [f.to_dict() for f in self.faults],
            "notes": self.notes,
        }


def place(page: pikepdf.Page, x: float, y: float) -> str:
    """Where a mark is, for a message: millimetres from the page's top left corner."""
    box = [float(v) for v in page.mediabox]
    return f"{(x - box[0]) * MM:.0f} mm from the left, {(box[3] - y) * MM:.0f} mm from the top"


# --- output intents -------------------------------------------------------------------------


@dataclass(frozen=True)
class Intent:
    """One output intent: its subtype (GTS_PDFX, GTS_PDFA1 …), its condition, its profile."""

    subtype: str
    condition: str
    info: str
    profile: bytes | None
    profile_id: tuple[int, int] | None

    @property
    def space(self) -> str:
        """The profile's colour space (CMYK, RGB, GRAY), read from the ICC header."""
        if not self.profile or len(self.profile) < 20:
            return ""
        return self.profile[16:20].decode("latin-1").strip()

    @property
    def described(self) -> str:
        """The profile's own description (its desc tag), else the condition."""
        return profile_description(self.profile) or self.condition or self.info


def intents(pdf: pikepdf.Pdf) -> list[Intent]:
    """The document's output intents, in order."""
    found = []
    for entry in pdf.Root.get("/OutputIntents", []):
        if not isinstance(entry, pikepdf.Dictionary):
            continue
        stream = entry.get("/DestOutputProfile")
        data = _bytes(stream)
        key = stream.objgen if isinstance(stream, pikepdf.Stream) else None
        found.append(
            Intent(str(entry.get("/S", "")), _text(entry.get("/OutputConditionIdentifier")), _text(entry.get("/Info")), data, key)
        )
    return found


def _bytes(stream) -> bytes | None:
    if not isinstance(stream, pikepdf.Stream):
        return None
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:
        return None


def _text(value) -> str:
    return str(value) if value is not None else ""


def profile_description(profile: bytes | None) -> str:
    """An ICC profile's description, or "" when it cannot be read."""
    if not profile:
        return ""
    import io

    from PIL import ImageCms

    try:
        return ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile))).strip()
    except (OSError, ImageCms.PyCMSError):
        return ""


# --- XMP and the document info -----------------------------------------------------------------


def xmp(pdf: pikepdf.Pdf) -> str:
    """The catalog's XMP packet as text ("" when there is none)."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return ""
    try:
        return stream.read_bytes().decode("utf-8", "replace")
    except pikepdf.PdfError:
        return ""


def xmp_value(packet: str, prefix: str, name: str) -> str | None:
    """A simple property of the packet, written as an attribute or an element (first found);
    for a list (rdf:Alt/Seq/Bag) its first item."""
    attribute = re.search(rf'\b{prefix}:{name}\s*=\s*"([^"]*)"', packet)
    if attribute:
        return attribute.group(1)
    element = re.search(rf"<{prefix}:{name}(?:\s[^>]*)?>(.*?)</{prefix}:{name}>", packet, re.S)
    if not element:
        return None
    item = re.search(r"<rdf:li(?:\s[^>]*)?>(.*?)</rdf:li>", element.group(1), re.S)
    return _unescape((item.group(1) if item else element.group(1)).strip())


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def identified(pdf: pikepdf.Pdf, add: Callable[[str], None]) -> tuple[str, dict[str, str]] | None:
    """What both standards ask first of a file's metadata: a trailer /ID and an XMP packet (each
    missing one goes to `add`); the packet and the document info, or None without a packet."""
    if "/ID" not in pdf.trailer:
        add("no trailer /ID")
    packet = xmp(pdf)
    if not packet:
        add("no XMP metadata")
        return None
    return packet, info(pdf)


def info(pdf: pikepdf.Pdf) -> dict[str, str]:
    """The document info dictionary as text (keys without the slash)."""
    found = pdf.trailer.get("/Info")
    if not isinstance(found, pikepdf.Dictionary):
        return {}
    return {str(k)[1:]: str(v) for k, v in found.items()}


# --- fonts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Font:
    """A font resource: its name, subtype, whether its program is embedded and it maps to Unicode."""

    name: str
    subtype: str
    embedded: bool
    unicode: bool
    page: int


def fonts(pages: list[dict]) -> list[Font]:
    """The fonts text is set in (each page's `PageContent.fonts`), each font object once, at its first page.
    Fonts a page's resources list but no text uses (reportlab's Helvetica) are not printed, so not judged."""
    seen: set = set()
    found = []
    for number, used in enumerate(pages):
        for key, font in used.items():
            if key not in seen:
                seen.add(key)
                found.append(_font(font, number))
    return found


def _font(font, page: int) -> Font:
    subtype = str(font.get("/Subtype", ""))[1:]
    name = str(font.get("/BaseFont", font.get("/Name", "?")))[1:]
    if subtype == "Type3":  # glyphs drawn by content streams: nothing to embed
        return Font(name, subtype, True, "/ToUnicode" in font, page)
    described = font
    if subtype == "Type0":
        descendants = font.get("/DescendantFonts") or []
        described = descendants[0] if len(descendants) else font
    descriptor = described.get("/FontDescriptor") or {}
    embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    unicode = "/ToUnicode" in font or (subtype != "Type0" and _standard_encoding(font))
    return Font(name, subtype, embedded, unicode, page)


def _standard_encoding(font) -> bool:
    encoding = font.get("/Encoding")
    names = ("/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding")
    if isinstance(encoding, pikepdf.Name):
        return str(encoding) in names
    return isinstance(encoding, pikepdf.Dictionary) and str(encoding.get("/BaseEncoding", "")) in names


# --- what PDF/X and PDF/A forbid -------------------------------------------------------------------

FORBIDDEN_ACTIONS = (
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/ResetForm",
    "/Sound",
    "/Movie",
    "/Hide",
    "/SetOCGState",
    "/Rendition",
)


def forbidden(pdf: pikepdf.Pdf) -> list[tuple[int | None, str]]:
    """What neither PDF/X-4 nor PDF/A-2 allows, as (page or None, what): encryption, LZW,
    external streams, JavaScript and other actions, additional actions, embedded files, XFA."""
    found: list[tuple[int | None, str]] = []
    if pdf.is_encrypted or "/Encrypt" in pdf.trailer:
        found.append((None, "the file is encrypted"))
    names = pdf.Root.get("/Names") or {}
    if "/JavaScript" in names:
        found.append((None, "document JavaScript (/Names /JavaScript)"))
    if "/EmbeddedFiles" in names:
        found.append((None, "embedded files (/Names /EmbeddedFiles)"))
    if "/AA" in pdf.Root:
        found.append((None, "document additional actions (/AA)"))
    if "/XFA" in (pdf.Root.get("/AcroForm") or {}):
        found.append((None, "an XFA form"))
    found += _forbidden_objects(pdf)
    for number, page in enumerate(pdf.pages):
        if "/AA" in page.obj:
            found.append((number, "page additional actions (/AA)"))
    return found


def graphics_state_entries(pdf: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    """The transfer functions (/TR, /TR2) and halftones (/HT) of every ExtGState in the file, /Default
    aside, as (key, value): ExtGStates are found through every resource dictionary (/Type is optional)."""
    found: list[tuple[str, pikepdf.Object]] = []
    seen: set = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        states = [(obj.objgen, obj)] if obj.get("/Type") == "/ExtGState" else []
        for resources in (obj, obj.get("/Resources")):
            named = resources.get("/ExtGState") if isinstance(resources, pikepdf.Dictionary) else None
            if isinstance(named, pikepdf.Dictionary):
                owner = named.objgen if named.is_indirect else (obj.objgen, resources is obj)
                states += [(state.objgen if state.is_indirect else (owner, str(key)), state) for key, state in named.items()]
        for key, state in states:
            if key in seen or not isinstance(state, pikepdf.Dictionary):
                continue
            seen.add(key)
            found += [(entry, state[entry]) for entry in ("/TR", "/TR2", "/HT") if entry in state and state[entry] != "/Default"]
    return found


def _forbidden_objects(pdf: pikepdf.Pdf) -> list[tuple[int | None, str]]:
    found: list[tuple[int | None, str]] = []
    lzw = external = 0
    actions: set[str] = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            filters = obj.get("/Filter")
            listed = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters is not None else []
            lzw += any(str(f) in ("/LZWDecode", "/LZW") for f in listed)
            external += "/F" in obj.stream_dict or "/FFilter" in obj.stream_dict
        elif isinstance(obj, pikepdf.Dictionary):
            kind = obj.get("/S")
            if kind is not None and str(kind) in FORBIDDEN_ACTIONS and ("/Type" not in obj or obj.get("/Type") == "/Action"):
                actions.add(str(kind)[1:])
            if "/JS" in obj:
                actions.add("JavaScript")
    if lzw:
        found.append((None, f"{plural(lzw, 'stream')} LZW-compressed"))
    if external:
        found.append((None, f"{plural(external, 'stream')} with external data (/F)"))
    for action in sorted(actions):
        found.append((None, f"{action} action"))
    return found
