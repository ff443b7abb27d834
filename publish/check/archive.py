"""`publish check --archive`: the PDF/A-2u points we can check ourselves (`../shared/notes/print.md`
§2): the GTS_PDFA1 output intent and the device colours it covers, the XMP identification and its
agreement with the document info, fonts embedded and mapped to Unicode, and nothing PDF/A
forbids. veraPDF (`publish check --verapdf`) is the full validator when a user has it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pikepdf

from . import standards
from .content import read_page
from .press import Faults
from .sources import Checked, check_each
from .standards import StandardReport

RULES: dict[str, tuple[str, str, str]] = {  # id: (what, threshold, source)
    "archive-output-intent": (
        "a GTS_PDFA1 output intent embedding an ICC profile; all intents share one profile object",
        "one",
        "PDF/A-2 (ISO 19005-2) 6.2.3",
    ),
    "archive-colour": (
        "device colours the intent covers: DeviceRGB needs an RGB profile, DeviceCMYK a CMYK one",
        "none uncovered",
        "PDF/A-2 6.2.4.3",
    ),
    "archive-metadata": (
        "XMP with pdfaid:part 2 and conformance U (or A), mirroring the document info (title, author, subject, "
        "keywords, producer, creator tool, dates); header PDF 1.4 or later; a trailer /ID",
        "all",
        "PDF/A-2 6.6 (metadata), 6.1.2 (header), 6.1.3 (trailer)",
    ),
    "archive-fonts": (
        "every font used embedded, with a ToUnicode map (or a standard encoding)",
        "all",
        "PDF/A-2 6.2.11.4 (embedding), 6.2.11.7 (Unicode, level U)",
    ),
    "archive-forbidden": (
        "nothing PDF/A forbids: encryption, LZW, external streams, JavaScript, Launch and other actions, additional "
        "actions, embedded files, XFA, image interpolation, transfer functions (ExtGState /TR, /TR2 but /Default), halftones "
        "other than type 1 or 5 or with a /HalftoneName, PostScript XObjects",
        "none",
        "PDF/A-2 6.1, 6.2 (6.2.5: transfer functions, halftones), 6.5, 6.6",
    ),
}
MIRRORED = (  # Info key, XMP prefix, XMP name
    ("Title", "dc", "title"),
    ("Author", "dc", "creator"),
    ("Subject", "dc", "description"),
    ("Keywords", "pdf", "Keywords"),
    ("Producer", "pdf", "Producer"),
    ("Creator", "xmp", "CreatorTool"),
)
DATES = (("CreationDate", "CreateDate"), ("ModDate", "ModifyDate"))
SPACE_OF_FAMILY = {"DeviceRGB": "RGB", "DeviceCMYK": "CMYK"}


def check_archive(path: Path | str) -> StandardReport:
    """Every archive rule on one PDF."""
    path = Path(path)
    report = StandardReport(path, "archive")
    with pikepdf.open(path) as pdf:
        faults = Faults()
        contents = [read_page(page) for page in pdf.pages]
        intent = check_intents(faults, pdf)
        if intent is not None:
            check_colours(faults, pdf, contents, intent)
        check_metadata(faults, pdf)
        for font in standards.fonts([c.fonts for c in contents]):
            if not font.embedded:
                faults.add("archive-fonts", font.page, f"font {font.name} ({font.subtype}) not embedded")
            elif not font.unicode:
                faults.add("archive-fonts", font.page, f"font {font.name} ({font.subtype}) has no ToUnicode map")
        for page, what in standards.forbidden(pdf) + _forbidden_graphics(pdf):
            faults.add("archive-forbidden", page, what)
    report.faults = sorted(faults.list(), key=lambda f: (f.page if f.page is not None else -1, f.rule))
    return report


def check_archive_files(paths: list[Path]) -> Checked:
    """The archive check of each PDF named (files, or folders of them)."""
    return check_each(paths, check_archive)


def check_intents(faults: Faults, pdf: pikepdf.Pdf) -> standards.Intent | None:
    """The GTS_PDFA1 intent with an embedded profile (or None), every intent on one profile."""
    found = standards.intents(pdf)
    archive = [i for i in found if i.subtype == "/GTS_PDFA1"]
    if not archive:
        faults.add("archive-output-intent", None, "no GTS_PDFA1 output intent")
        return None
    intent = archive[0]
    if intent.profile is None:
        faults.add("archive-output-intent", None, f"the GTS_PDFA1 intent {intent.condition!r} embeds no ICC profile")
        return None
    if intent.space not in ("RGB", "CMYK", "GRAY"):
        faults.add("archive-output-intent", None, f"the output profile {intent.described!r} is {intent.space or 'not ICC'}")
    profiles = {i.profile_id for i in found if i.profile_id is not None}
    if len(profiles) > 1:
        faults.add(
            "archive-output-intent", None, f"{len(found)} output intents on {len(profiles)} different profiles (PDF/A-2 asks one)"
        )
    return intent


def check_colours(faults: Faults, pdf: pikepdf.Pdf, contents, intent: standards.Intent) -> None:
    """Device colours the intent's profile does not cover (DeviceGray is covered by any)."""
    for number, (page, content) in enumerate(zip(pdf.pages, contents, strict=True)):
        for mark in content.marks:
            colour = mark.image.colour if mark.image is not None and not mark.image.mask else mark.colour
            family = colour.base if colour.family == "Indexed" else colour.family
            needs = SPACE_OF_FAMILY.get(family)
            if needs and needs != intent.space:
                where = standards.place(page, mark.x, mark.y)
                faults.add("archive-colour", number, f"{mark.kind} in {family} under a {intent.space} output intent", where)


def check_metadata(faults: Faults, pdf: pikepdf.Pdf) -> None:
    """XMP pdfaid 2/U, the info mirrored in XMP, the header, the trailer ID."""

    def add(what: str) -> None:
        faults.add("archive-metadata", None, what)

    if pdf.pdf_version < "1.4":
        add(f"header says PDF {pdf.pdf_version}; PDF/A-2 needs 1.4 or later")
    found = standards.identified(pdf, add)
    if found is None:
        return
    packet, described = found
    part, conformance = standards.xmp_value(packet, "pdfaid", "part"), standards.xmp_value(packet, "pdfaid", "conformance")
    if part != "2" or (conformance or "").upper() not in ("U", "A"):
        add(f"XMP pdfaid part {part or 'absent'}, conformance {conformance or 'absent'}; PDF/A-2u is part 2, conformance U")
    for key, prefix, name in MIRRORED:
        value = standards.xmp_value(packet, prefix, name)
        if key in described and value != described[key]:
            add(f"Info /{key} {described[key]!r} but XMP {prefix}:{name} {value!r}")
    for key, name in DATES:
        value = standards.xmp_value(packet, "xmp", name)
        if key in described and (value is None or pdf_date(described[key]) != xmp_date(value)):
            add(f"Info /{key} {described[key]} but XMP xmp:{name} {value}")


def pdf_date(text: str) -> datetime | None:
    """A PDF date (D:YYYYMMDDHHmmSSOHH'mm'), or None when it does not parse."""
    found = re.match(r"D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?([Zz+-])?(\d\d)?'?(\d\d)?'?$", text.strip())
    if not found:
        return None
    year, month, day, hour, minute, second, sign, oh, om = found.groups()
    zone = None
    if sign in ("+", "-"):
        offset = timedelta(hours=int(oh or 0), minutes=int(om or 0))
        zone = timezone(offset if sign == "+" else -offset)
    elif sign:
        zone = UTC
    numbers = [int(v) if v else d for v, d in zip((month, day, hour, minute, second), (1, 1, 0, 0, 0), strict=True)]
    try:
        return datetime(int(year), *numbers, tzinfo=zone)
    except ValueError:
        return None


def xmp_date(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None


def _forbidden_graphics(pdf: pikepdf.Pdf) -> list[tuple[int | None, str]]:
    """Image interpolation, transfer functions, halftones PDF/A-2 6.2.5 forbids, PostScript XObjects."""
    interpolated = postscript = 0
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image" and bool(obj.get("/Interpolate", False)):
            interpolated += 1
        elif isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/PS":
            postscript += 1
    entries = standards.graphics_state_entries(pdf)
    transfer = sum(key in ("/TR", "/TR2") for key, _ in entries)
    halftone = sum(key == "/HT" and not _halftone_allowed(value) for key, value in entries)
    found: list[tuple[int | None, str]] = []
    for count, what in (
        (interpolated, "image with /Interpolate true"),
        (halftone, "halftone not of type 1 or 5, or with a /HalftoneName"),
        (transfer, "transfer function"),
        (postscript, "PostScript XObject"),
    ):
        if count:
            found.append((None, f"{count} × {what}"))
    return found


def _halftone_allowed(halftone) -> bool:
    """PDF/A-2 6.2.5: a halftone dictionary of type 1 or 5 without /HalftoneName (type 5's own halftones too)."""
    if not isinstance(halftone, pikepdf.Dictionary | pikepdf.Stream):
        return False  # a halftone by name: the device's, not in the file
    kind = int(halftone.get("/HalftoneType", 0))
    if kind not in (1, 5) or "/HalftoneName" in halftone:
        return False
    return kind == 1 or all(_halftone_allowed(v) for k, v in halftone.items() if k not in ("/Type", "/HalftoneType"))
