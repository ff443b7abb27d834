"""Reading a tagged PDF back as a screen reader would, with pdfium (pypdfium2's raw API): the
structure tree of each page, the text of each marked-content sequence, and the text drawn
outside both tags and artifacts."""

from __future__ import annotations

import ctypes
import unicodedata
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw


@dataclass
class Element:
    """A structure element as pdfium reads it on one page: its type, title, alternative text,
    and its kids in order (elements, or the text of marked content)."""

    type: str
    title: str = ""
    alt: str = ""
    id: str = ""
    kids: list = field(default_factory=list)

    def text(self) -> str:
        return "".join(kid if isinstance(kid, str) else kid.text() for kid in self.kids)

    def find(self, kind: str) -> list[Element]:
        found = [self] if self.type == kind else []
        for kid in self.kids:
            if isinstance(kid, Element):
                found += kid.find(kind)
        return found


@dataclass
class PageTags:
    roots: list[Element]  # the structure tree's top elements on this page (Document)
    loose: str  # text drawn neither as marked content with an MCID nor as an artifact
    marked: dict[int, str]  # MCID → its text
    objects: int  # text objects on the page
    unmarked: int  # page objects of any kind (text, paths, images) neither tagged nor artifacts


def _string(getter, handle) -> str:
    size = getter(handle, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    getter(handle, buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def _element(handle, marked: dict[int, str]) -> Element:
    element = Element(
        _string(raw.FPDF_StructElement_GetType, handle),
        _string(raw.FPDF_StructElement_GetTitle, handle),
        _string(raw.FPDF_StructElement_GetAltText, handle),
        _string(raw.FPDF_StructElement_GetID, handle),
    )
    for index in range(raw.FPDF_StructElement_CountChildren(handle)):
        kid = raw.FPDF_StructElement_GetChildAtIndex(handle, index)
        if kid:
            element.kids.append(_element(kid, marked))
            continue
        mcid = raw.FPDF_StructElement_GetChildMarkedContentID(handle, index)
        if mcid >= 0:
            element.kids.append(marked.get(mcid, ""))
    return element


def _marks(obj) -> list[str]:
    names = []
    for index in range(raw.FPDFPageObj_CountMarks(obj)):
        mark = raw.FPDFPageObj_GetMark(obj, index)
        length = ctypes.c_ulong()
        raw.FPDFPageObjMark_GetName(mark, None, 0, length)
        buffer = ctypes.create_string_buffer(length.value)
        raw.FPDFPageObjMark_GetName(mark, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), length.value, length)
        names.append(buffer.raw[: length.value - 2].decode("utf-16-le"))
    return names


def _address(obj) -> int:
    return ctypes.cast(obj, ctypes.c_void_p).value or 0


def read_page(page: pdfium.PdfPage) -> PageTags:
    """The page's structure tree with the text of its marked content. Text is read char by
    char from pdfium's text page (each char knows its text object), hyphens at line ends too."""
    where: dict[int, tuple[int, bool]] = {}  # text object → (MCID, is an artifact)
    unmarked = 0
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, index)
        mcid, artifact = raw.FPDFPageObj_GetMarkedContentID(obj), "Artifact" in _marks(obj)
        unmarked += mcid < 0 and not artifact
        if raw.FPDFPageObj_GetType(obj) == raw.FPDF_PAGEOBJ_TEXT:
            where[_address(obj)] = (mcid, artifact)
    textpage = page.get_textpage()
    marked: dict[int, str] = {}
    loose: list[str] = []
    for index in range(raw.FPDFText_CountChars(textpage.raw)):
        obj = raw.FPDFText_GetTextObject(textpage.raw, index)
        if not obj:  # white space pdfium adds between words and lines
            continue
        char = chr(raw.FPDFText_GetUnicode(textpage.raw, index))
        if char == "\x02":  # pdfium's mark for a hyphen ending a line (it takes it for a soft one): it is drawn
            char = "-"
        mcid, artifact = where[_address(obj)]
        if mcid >= 0:
            marked[mcid] = marked.get(mcid, "") + char
        elif not artifact:
            loose.append(char)
    tree = raw.FPDF_StructTree_GetForPage(page.raw)
    roots = []
    if tree:
        for index in range(raw.FPDF_StructTree_CountChildren(tree)):
            roots.append(_element(raw.FPDF_StructTree_GetChildAtIndex(tree, index), marked))
        raw.FPDF_StructTree_Close(tree)
    return PageTags(roots, "".join(loose), marked, len(where), unmarked)


def read_tags(data: bytes) -> list[PageTags]:
    pdf = pdfium.PdfDocument(data)
    try:
        return [read_page(pdf[n]) for n in range(len(pdf))]
    finally:
        pdf.close()


def arts(pages: list[PageTags]) -> dict[str, tuple[str, str]]:
    """Each Art's title and text (by its ID, in the order first read), its parts on every page
    in page order, as read."""
    found: dict[str, tuple[str, str]] = {}
    for page in pages:
        for root in page.roots:
            for art in root.find("Art"):
                title, text = found.get(art.id, (art.title, ""))
                found[art.id] = (title, text + art.text())
    return found


def plain(text: str) -> str:
    """NFC, without white space: what "the same text" means here."""
    return "".join(unicodedata.normalize("NFC", text).split())
