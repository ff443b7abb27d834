"""One-page fixtures for `publish check --press` and `--archive`: a clean press page (CMYK,
black text overprinted with OPM 1, a GTS_PDFX intent, PDF/X-4 metadata) and a clean archive
page (sRGB, a GTS_PDFA1 intent, pdfaid 2/U), each buildable with exactly one rule broken."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest
from PIL import ImageCms
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[2]
FONT = ROOT / "fonts" / "PublishSansSC-Bold.ttf"
SIZE = (420.0, 595.0)  # pt: A5
PROFILES = (  # a CMYK output profile: the bundled one once merged, the shared corpus's, Ghostscript's
    *sorted((ROOT / "publish" / "data" / "icc").glob("*.icc")),
    ROOT.parent / "shared" / "icc" / "CGATS21_CRPC1.icc",
    Path("/usr/share/color/icc/ghostscript/default_cmyk.icc"),
)
TEXT = "本报讯 样张文字"  # our own sample text


def cmyk_profile() -> bytes:
    for path in PROFILES:
        if path.is_file():
            return path.read_bytes()
    pytest.skip("no CMYK ICC profile here (publish/data/icc, ../shared/icc or Ghostscript's)")


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _font() -> str:
    if "fixture-sans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("fixture-sans", str(FONT)))
    return "fixture-sans"


def _black(c: canvas.Canvas, overprint: bool = True) -> None:
    c.setFillColorCMYK(0, 0, 0, 1)
    c.setStrokeColorCMYK(0, 0, 0, 1)
    if overprint:
        c.setFillOverprint(True)
        c.setStrokeOverprint(True)
        c.setOverprintMask(1)


def press_page(fault: str = "") -> bytes:
    """The reportlab page of the press fixture, with `fault`'s mark drawn when it is a drawing fault."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=SIZE, invariant=1)
    font = _font()
    c.saveState()
    c.setFillColorCMYK(0, 1, 1, 0)  # the masthead red, M100 Y100, large
    c.setFont(font, 28)
    c.drawString(40, 530, TEXT)
    c.restoreState()
    c.saveState()
    _black(c)
    c.setFont(font, 9)
    c.drawString(40, 480, TEXT)
    c.setLineWidth(1)
    c.line(40, 470, 380, 470)
    c.restoreState()
    _fault_marks(c, fault, font)
    c.showPage()
    c.save()
    return out.getvalue()


def _fault_marks(c: canvas.Canvas, fault: str, font: str) -> None:
    c.saveState()
    if fault == "colour-space":
        c.setFillColorRGB(0.9, 0.9, 1.0)
        c.rect(40, 300, 100, 60, stroke=0, fill=1)
    elif fault == "black-overprint":
        _black(c, overprint=False)
        c.setFont(font, 9)
        c.drawString(40, 440, TEXT)
    elif fault == "rich-black":
        c.setFillColorCMYK(0.6, 0.4, 0.4, 1)
        c.setFont(font, 11)
        c.drawString(40, 440, TEXT)
    elif fault == "white-overprint":
        c.setFillColorCMYK(0, 0, 0, 0)
        c.setFillOverprint(True)
        c.setOverprintMask(1)
        c.setFont(font, 12)
        c.drawString(40, 440, TEXT)
    elif fault == "type-size":
        _black(c)
        c.setFont(font, 5)
        c.drawString(40, 440, TEXT)
    elif fault == "line-weight":
        _black(c)
        c.setLineWidth(0.05)
        c.line(40, 430, 380, 430)
    elif fault == "fonts":
        _black(c)
        c.setFont("Helvetica", 9)
        c.drawString(40, 440, "Base 14 font, not embedded")
    elif fault == "tac":
        c.setFillColorCMYK(1, 1, 1, 0.6)
        c.rect(40, 200, 90, 90, stroke=0, fill=1)
    c.restoreState()


def _image(pdf: pikepdf.Pdf, pixels: int) -> pikepdf.Stream:
    """A flat CMYK image (C20 M10 Y10 K10), Flate-compressed."""
    data = bytes([51, 26, 26, 26]) * (pixels * pixels)
    image = pikepdf.Stream(pdf, data)
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width = image.Height = pixels
    image.ColorSpace, image.BitsPerComponent = pikepdf.Name.DeviceCMYK, 8
    return image


def _draw_image(pdf: pikepdf.Pdf, page: pikepdf.Page, pixels: int, at: tuple[float, float, float]) -> None:
    """The image, drawn at x, y and `size` pt square, appended to the page's content."""
    name = page.add_resource(_image(pdf, pixels), pikepdf.Name.XObject, prefix="Im")
    x, y, size = at
    page.contents_add(pdf.make_stream(f"q {size:g} 0 0 {size:g} {x:g} {y:g} cm {name} Do Q\n".encode()))


def _xmp(title: str, extra: str) -> bytes:
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/" '
        'xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>\n'
        "<xmp:CreateDate>2026-11-21T06:00:00+08:00</xmp:CreateDate><xmp:ModifyDate>2026-11-21T06:00:00+08:00</xmp:ModifyDate>\n"
        f"<pdf:Producer>fixture</pdf:Producer>{extra}\n"
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()


def _info(pdf: pikepdf.Pdf, title: str, trapped: bool) -> None:
    pdf.trailer.Info = pdf.make_indirect(
        pikepdf.Dictionary(
            Title=title,
            Producer="fixture",
            CreationDate="D:20261121060000+08'00'",
            ModDate="D:20261121060000+08'00'",
        )
    )
    if trapped:
        pdf.trailer.Info.Trapped = pikepdf.Name("/False")


def _intent(pdf: pikepdf.Pdf, subtype: str, profile: bytes, condition: str) -> pikepdf.Dictionary:
    stream = pdf.make_stream(profile)
    stream.N = 4 if profile[16:20] == b"CMYK" else 3
    return pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent,
        S=pikepdf.Name(subtype),
        OutputConditionIdentifier=condition,
        Info=condition,
        DestOutputProfile=stream,
    )


def press_pdf(folder: Path, fault: str = "") -> Path:
    """The press fixture, clean or with one fault (a rule id without `press-`); its path."""
    pdf = pikepdf.open(io.BytesIO(press_page(fault)))
    page = pdf.pages[0]
    box = pikepdf.Array([0, 0, *SIZE])
    page.obj.MediaBox = box
    page.obj.CropBox = box
    page.obj.TrimBox = pikepdf.Array([10, 10, SIZE[0] - 10, SIZE[1] - 10]) if fault == "boxes" else box
    _draw_image(pdf, page, 20 if fault == "image-ppi" else 100, (40, 100, 40))
    if fault != "output-intent":
        pdf.Root.OutputIntents = pikepdf.Array([_intent(pdf, "/GTS_PDFX", cmyk_profile(), "CGATS21_CRPC1")])
    _info(pdf, "样张", trapped=True)
    if fault != "metadata":
        pdf.Root.Metadata = pdf.make_stream(
            _xmp("样张", "<pdf:Trapped>False</pdf:Trapped><pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>")
        )
        pdf.Root.Metadata.Type, pdf.Root.Metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    if fault == "forbidden":
        action = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.JavaScript, JS="app.alert(1)"))
        pdf.Root.OpenAction = action
    path = folder / f"press-{fault or 'clean'}.pdf"
    pdf.save(path, min_version="1.6", force_version="1.6", deterministic_id=True)
    return path


def archive_page(fault: str = "") -> bytes:
    """The reportlab page of the archive fixture: RGB text, an embedded font."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=SIZE, invariant=1)
    c.setFillColorRGB(0.784, 0.086, 0.114)
    c.setFont(_font(), 28)
    c.drawString(40, 530, TEXT)
    c.setFillColorRGB(0, 0, 0)
    c.setFont(_font(), 9)
    c.drawString(40, 480, TEXT)
    if fault == "fonts":
        c.setFont("Helvetica", 9)
        c.drawString(40, 440, "Base 14 font, not embedded")
    if fault == "colour":
        c.setFillColorCMYK(0, 0, 0, 1)
        c.rect(40, 300, 100, 60, stroke=0, fill=1)
    c.showPage()
    c.save()
    return out.getvalue()


def archive_pdf(folder: Path, fault: str = "") -> Path:
    """The archive fixture, clean or with one fault (a rule id without `archive-`); its path."""
    pdf = pikepdf.open(io.BytesIO(archive_page(fault)))
    if fault != "output-intent":
        pdf.Root.OutputIntents = pikepdf.Array([_intent(pdf, "/GTS_PDFA1", srgb_profile(), "sRGB IEC61966-2.1")])
    _info(pdf, "样张", trapped=False)
    part = "1" if fault == "metadata" else "2"
    pdf.Root.Metadata = pdf.make_stream(
        _xmp("样张", f"<pdfaid:part>{part}</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>")
    )
    pdf.Root.Metadata.Type, pdf.Root.Metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    if fault == "forbidden":
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Action, S=pikepdf.Name.Launch, F="calc.exe"))
    path = folder / f"archive-{fault or 'clean'}.pdf"
    pdf.save(path, min_version="1.7", deterministic_id=True)
    return path


# --- colour and graphics state hidden where a content-only walk does not look (press and archive) ---


def _rgb_shading(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    ramp = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 0, 0], C1=[0, 0, 1], N=1)
    return pdf.make_indirect(
        pikepdf.Dictionary(ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[40, 0, 140, 0], Function=ramp)
    )


def _form(pdf: pikepdf.Pdf, content: bytes, **entries) -> pikepdf.Stream:
    form = pdf.make_stream(content)
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 100, 100]
    for key, value in entries.items():
        form[f"/{key}"] = value
    return form


def _tiling(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    cell = pdf.make_stream(b"1 0 0 rg 0 0 5 5 re f\n")  # a red dot in RGB
    cell.Type, cell.PatternType, cell.PaintType, cell.TilingType = pikepdf.Name.Pattern, 1, 1, 1
    cell.BBox, cell.XStep, cell.YStep, cell.Resources = [0, 0, 10, 10], 10, 10, pikepdf.Dictionary()
    return cell


def _spot(pdf: pikepdf.Pdf, devicen: bool) -> pikepdf.Array:
    """A spot colour whose alternate is DeviceRGB (a logo's brand colour as a designer's tool exports it)."""
    if devicen:
        tint = pdf.make_stream(b"{pop pop 1 0 0}")
        tint.FunctionType, tint.Domain, tint.Range = 4, [0, 1, 0, 1], [0, 1, 0, 1, 0, 1]
        return pikepdf.Array(
            [pikepdf.Name.DeviceN, [pikepdf.Name("/Brand"), pikepdf.Name("/Gold")], pikepdf.Name.DeviceRGB, tint]
        )
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 1, 1], C1=[1, 0, 0], N=1)
    return pikepdf.Array([pikepdf.Name.Separation, pikepdf.Name("/Brand"), pikepdf.Name.DeviceRGB, tint])


def _hidden(pdf: pikepdf.Pdf, page: pikepdf.Page, case: str) -> bytes:
    """Adds `case`'s resources to the page; returns the content that uses them."""
    add = page.add_resource
    if case == "tiling-rgb":
        return f"q /Pattern cs {add(_tiling(pdf), pikepdf.Name.Pattern, prefix='P')} scn 40 300 100 60 re f Q".encode()
    if case == "shading-pattern-rgb":
        pattern = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Pattern, PatternType=2, Shading=_rgb_shading(pdf)))
        return f"q /Pattern cs {add(pattern, pikepdf.Name.Pattern, prefix='P')} scn 40 300 100 60 re f Q".encode()
    if case == "sh-rgb":
        return f"q 40 300 100 60 re W n {add(_rgb_shading(pdf), pikepdf.Name.Shading, prefix='Sh')} sh Q".encode()
    if case in ("separation-rgb", "devicen-rgb"):
        name = add(_spot(pdf, case == "devicen-rgb"), pikepdf.Name.ColorSpace, prefix="CS")
        return f"q {name} cs {'1' if case == 'separation-rgb' else '1 0'} scn 40 300 100 60 re f Q".encode()
    if case == "group-rgb":
        group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        form = _form(pdf, b"0 0 0 1 k 0 0 60 60 re f\n", Group=group)
        return f"q 1 0 0 1 40 300 cm {add(form, pikepdf.Name.XObject, prefix='Fm')} Do Q".encode()
    if case == "smask-rgb":
        group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        mask = pikepdf.Dictionary(S=pikepdf.Name.Luminosity, G=_form(pdf, b"1 1 1 rg 0 0 100 100 re f\n", Group=group))
        state = pdf.make_indirect(pikepdf.Dictionary(SMask=mask))
        return f"q {add(state, pikepdf.Name.ExtGState, prefix='GS')} gs 0 0 0 1 k 40 300 60 60 re f Q".encode()
    if case in ("transfer", "halftone"):
        entry = (
            {"TR": pikepdf.Name.Identity}
            if case == "transfer"
            else {"HT": pikepdf.Dictionary(HalftoneType=1, Frequency=85, Angle=45, SpotFunction=pikepdf.Name.Round)}
        )
        state = pdf.make_indirect(pikepdf.Dictionary(**entry))  # no /Type: it is optional
        return f"q {add(state, pikepdf.Name.ExtGState, prefix='GS')} gs Q".encode()
    raise ValueError(case)


def _annotation(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """A Square annotation whose normal appearance fills in DeviceRGB."""
    appearance = _form(pdf, b"0 0 1 rg 0 0 100 100 re f\n")
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Square, Rect=[40, 300, 140, 360], F=4, AP=pikepdf.Dictionary(N=appearance)
    )
    page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))


HIDDEN = ("tiling-rgb", "shading-pattern-rgb", "sh-rgb", "annotation-rgb", "separation-rgb", "devicen-rgb", "group-rgb")
HIDDEN += ("smask-rgb", "transfer", "halftone")


def with_hidden(path: Path, case: str) -> Path:
    """The fixture at `path` (press or archive) with one of HIDDEN added; the new file's path."""
    pdf = pikepdf.open(path)
    page = pdf.pages[0]
    if case == "annotation-rgb":
        _annotation(pdf, page)
    else:
        page.contents_add(pdf.make_stream(_hidden(pdf, page, case) + b"\n"))
    out = path.with_name(f"{path.stem}-{case}.pdf")
    pdf.save(out, min_version=pdf.pdf_version, force_version=pdf.pdf_version, deterministic_id=True)
    return out
