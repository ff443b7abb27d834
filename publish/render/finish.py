"""The finishing pass every PDF goes through (pikepdf, qpdf underneath): what reportlab cannot
write and what the standards ask of the file as a whole.

* the outline's /Count recounted (reportlab counts the root wrong: 16 for 12 items);
* a modern header (PDF 1.7; 1.6 for PDF/X-4), EOL before every `endstream`, a trailer /ID;
* XMP metadata mirroring the document info, with the standard's identification (pdfaid 2/U,
  pdfxid PDF/X-4, pdfuaid 1 when tagged) and ids derived from the content;
* output intents: sRGB GTS_PDFA1 for the archive, the press profile as GTS_PDFX for the press;
* the press's boxes (TrimBox = CropBox = MediaBox), /Trapped /False, GTS_PDFXVersion;
* the structure tree (tags.py) when the renderer collected marked content.

The same bytes in give the same bytes out: ids are digests of the content, dates are the fixed
ones of the document info."""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from functools import cache
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from .output import PLAIN, Output

VERSIONS = {"plain": "1.7", "archive": "1.7", "press": "1.6"}
PDFX_VERSION = "PDF/X-4"
INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate")


def finish(data: bytes, output: Output = PLAIN, marks: Any = None) -> bytes:
    """The PDF `data` (as reportlab wrote it) finished to `output`'s standard; `marks` are the
    renderer's marked-content records (None: the file is not tagged)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        recount_outline(pdf)
        tagged = output.tagged and marks is not None and _structure(pdf, marks)
        info = _document_info(pdf, output)
        _catalog(pdf, output, tagged)
        _annotations(pdf)
        if output.press:
            _press_pages(pdf)
        _output_intents(pdf, output)
        _metadata(pdf, info, output, tagged, hashlib.sha256(data).hexdigest())
        out = io.BytesIO()
        pdf.save(
            out,
            force_version=VERSIONS[output.standard],
            deterministic_id=True,
            fix_metadata_version=False,  # the XMP is ours, written whole: not parsed and written again
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,  # reportlab's streams are compressed, the profiles too, the XMP stays readable:
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # recompressing them took 0.09 s of a 19-page issue
        )
    return out.getvalue()


# ---- the outline ------------------------------------------------------------------------------


def recount_outline(pdf: pikepdf.Pdf) -> None:
    """Every outline item's /Count as PDF 12.3.3 has it: open, the visible descendants; closed,
    minus the descendants opening it would show; the root, every item visible."""
    root = pdf.Root.get("/Outlines")
    if root is None:
        return
    visible = _recount(root, seen=set())
    if visible:
        root.Count = visible
    elif "/Count" in root:
        del root.Count


def _recount(node: Dictionary, seen: set) -> int:
    """The items visible under `node` if it is open (each child's own count fixed on the way)."""
    total = 0
    child = node.get("/First")
    while child is not None and child.objgen not in seen:
        seen.add(child.objgen)
        below = _recount(child, seen)
        if below:
            closed = int(child.get("/Count", 0)) < 0
            child.Count = -below if closed else below
            total += 1 + (0 if closed else below)
        else:
            if "/Count" in child:
                del child.Count
            total += 1
        child = child.get("/Next")
    return total


# ---- catalog, pages, info ---------------------------------------------------------------------


def _structure(pdf: pikepdf.Pdf, marks: Any) -> bool:
    """The structure tree from the renderer's marks (tags.py)."""
    from . import tags

    tags.build_structure(pdf, marks)
    return "/StructTreeRoot" in pdf.Root


def _catalog(pdf: pikepdf.Pdf, output: Output, tagged: bool) -> None:
    root = pdf.Root
    if "/Lang" not in root:
        root.Lang = pikepdf.String("zh-CN")
    root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if tagged:
        root.MarkInfo = Dictionary(Marked=True)


PRINT_FLAG = 4  # an annotation's /F: print it (PDF/A: set; Hidden, Invisible, NoView, ToggleNoView not)


def _annotations(pdf: pikepdf.Pdf) -> None:
    """Every annotation (the jump links) flagged Print and nothing else, as PDF/A asks."""
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", []):
            annotation.F = PRINT_FLAG


def _press_pages(pdf: pikepdf.Pdf) -> None:
    """PDF/X and the newspaper specs: TrimBox = CropBox = MediaBox, no Rotate, no UserUnit."""
    for page in pdf.pages:
        box = Array([float(v) for v in page.obj.MediaBox])
        page.obj.MediaBox = box
        page.obj.CropBox = box
        page.obj.TrimBox = box
        for key in ("/Rotate", "/UserUnit", "/BleedBox", "/ArtBox"):
            if key in page.obj:
                del page.obj[key]


def _document_info(pdf: pikepdf.Pdf, output: Output) -> dict[str, str]:
    """The document info, empty entries gone (XMP mirrors what is there), /Trapped /False, and
    for the press GTS_PDFXVersion; its text as the XMP will carry it."""
    info = pdf.trailer.get("/Info")
    if info is None:
        info = pdf.trailer.Info = pdf.make_indirect(Dictionary())
    text: dict[str, str] = {}
    for key in list(info.keys()):
        value = info[key]
        clean = xml_chars(str(value)) if isinstance(value, pikepdf.String) else ""
        if key in INFO_KEYS and clean:
            if clean != str(value):
                info[key] = pikepdf.String(clean)  # Info and XMP say the same (PDF/A 6.6.2.3.1)
            text[key] = clean
        elif key in INFO_KEYS or key not in ("/Trapped", "/GTS_PDFXVersion"):
            del info[key]  # an empty entry, or one no standard here wants
    info.Trapped = Name("/False")
    if output.press:
        info.GTS_PDFXVersion = pikepdf.String(PDFX_VERSION)
    elif "/GTS_PDFXVersion" in info:
        del info.GTS_PDFXVersion
    return text


# ---- output intents ---------------------------------------------------------------------------


def _output_intents(pdf: pikepdf.Pdf, output: Output) -> None:
    """archive: GTS_PDFA1 with sRGB; press: GTS_PDFX with the press profile; plain: none."""
    if output.archive:
        from .srgb import DESCRIPTION, srgb_profile

        profile = _profile_stream(pdf, srgb_profile(), 3)
        intent = _intent("/GTS_PDFA1", DESCRIPTION, DESCRIPTION, profile)
    elif output.press:
        from .icc import press_profile

        press = press_profile(output.icc, output.tac)
        profile = _profile_stream(pdf, press.data, 4)
        intent = _intent("/GTS_PDFX", press.condition, press.description, profile)
    else:
        if "/OutputIntents" in pdf.Root:
            del pdf.Root.OutputIntents
        return
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


def _intent(kind: str, condition: str, info: str, profile: pikepdf.Stream) -> Dictionary:
    return Dictionary(
        Type=Name.OutputIntent,
        S=Name(kind),
        OutputConditionIdentifier=pikepdf.String(condition),
        Info=pikepdf.String(info),
        RegistryName=pikepdf.String("http://www.color.org"),
        DestOutputProfile=profile,
    )


def _profile_stream(pdf: pikepdf.Pdf, data: bytes, components: int) -> pikepdf.Stream:
    stream = pikepdf.Stream(pdf, _compressed(data))
    stream.Filter = Name.FlateDecode
    stream.N = components
    return stream


@cache
def _compressed(data: bytes) -> bytes:
    """A profile compressed once per process (the press profiles are megabytes)."""
    return zlib.compress(data, 6)


# ---- XMP --------------------------------------------------------------------------------------

NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
}
PDFAID = "http://www.aiim.org/pdfa/ns/id/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
PDFXID = "http://www.npes.org/pdfx/ns/id/"
EXTENSION = {
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def _metadata(pdf: pikepdf.Pdf, info: dict[str, str], output: Output, tagged: bool, content: str) -> None:
    """Hand-written XMP (namespaces on rdf:Description, as PDF/A validators want) mirroring
    the document info; DocumentID and InstanceID from the content's digest and the standard."""
    spaces = dict(NAMESPACES)
    ids = []
    if output.archive:
        spaces["pdfaid"] = PDFAID
        ids += ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>U</pdfaid:conformance>"]
    if output.press:
        spaces["pdfxid"] = PDFXID
        ids.append(f"<pdfxid:GTS_PDFXVersion>{PDFX_VERSION}</pdfxid:GTS_PDFXVersion>")
    if tagged:
        spaces["pdfuaid"] = PDFUAID
        ids.append("<pdfuaid:part>1</pdfuaid:part>")
    extension = ""
    if output.archive and tagged:  # PDF/A knows no pdfuaid: declared first, in a description of its own (PDFBox wants that)
        declared = "".join(f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in EXTENSION.items())
        extension = f'  <rdf:Description rdf:about=""{declared}>\n   {UA_EXTENSION}\n  </rdf:Description>\n'
    props = _described(info, pdf) + _ids(content, output.standard) + ids
    if output.press:  # PDF/X wants it in the XMP too; PDF/A-1 readers know no pdf:Trapped
        props.append("<pdf:Trapped>False</pdf:Trapped>")
    xmlns = "".join(f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in spaces.items())
    body = "\n   ".join(props)
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'{extension}  <rdf:Description rdf:about=""{xmlns}>\n   {body}\n  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n'
        '<?xpacket end="w"?>'
    )
    stream = pikepdf.Stream(pdf, xmp.encode("utf-8"))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    pdf.Root.Metadata = pdf.make_indirect(stream)


def _described(info: dict[str, str], pdf: pikepdf.Pdf) -> list[str]:
    """The XMP properties that mirror the document info (and the language of the catalog)."""
    props = ["<dc:format>application/pdf</dc:format>"]
    if "/Title" in info:
        props.append(f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info["/Title"])}</rdf:li></rdf:Alt></dc:title>')
    if "/Author" in info:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{_xml(info['/Author'])}</rdf:li></rdf:Seq></dc:creator>")
    if "/Subject" in info:
        subject = _xml(info["/Subject"])
        props.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt></dc:description>')
    if "/Lang" in pdf.Root:
        props.append(f"<dc:language><rdf:Bag><rdf:li>{_xml(str(pdf.Root.Lang))}</rdf:li></rdf:Bag></dc:language>")
    for key, prop in (("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer"), ("/Keywords", "pdf:Keywords")):
        if key in info:
            props.append(f"<{prop}>{_xml(info[key])}</{prop}>")
    for key, prop in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        when = xmp_date(info.get(key, ""))
        if when:
            props.append(f"<{prop}>{when}</{prop}>")
            if key == "/ModDate":
                props.append(f"<xmp:MetadataDate>{when}</xmp:MetadataDate>")
    return props


def _ids(content: str, standard: str) -> list[str]:
    """xmpMM ids: the document's from its content, this rendition's from content and standard."""
    document = _uuid(content)
    instance = _uuid(hashlib.sha256(f"{content}:{standard}".encode()).hexdigest())
    return [
        f"<xmpMM:DocumentID>uuid:{document}</xmpMM:DocumentID>",
        f"<xmpMM:InstanceID>uuid:{instance}</xmpMM:InstanceID>",
        "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>",
        "<xmpMM:VersionID>1</xmpMM:VersionID>",
    ]


def _uuid(hexdigest: str) -> str:
    h = hexdigest[:32]
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


UA_EXTENSION = (
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    f"<pdfaSchema:namespaceURI>{PDFUAID}</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    "<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>"
    "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>"
)

PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?")


def xmp_date(value: str) -> str:
    """A PDF date (D:20000101000000+00'00') as XMP writes it (2000-01-01T00:00:00+00:00); "" if none."""
    m = PDF_DATE.match(value)
    if not m:
        return ""
    year, month, day, hour, minute, second, sign, tz_hour, tz_minute = m.groups()
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if sign in ("Z", "z") or (sign and not tz_hour):
        return text + "Z"
    return text + (f"{sign}{tz_hour}:{tz_minute or '00'}" if sign else "")


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_chars(text: str) -> str:
    """The text without the characters XML 1.0 cannot hold (C0 controls but tab and line ends,
    U+FFFE, U+FFFF, lone surrogates): they would make the XMP unreadable, and the info that
    mirrors it must lose them too."""
    return _NOT_XML.sub("", text)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
