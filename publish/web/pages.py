"""An issue's pages for the web, made by the pdf task: page images (WebP at 2× an 800-px view,
a PNG fallback, thumbnails), one PDF per page, and `web/pages.json` with each page's size and
every article's area on it (the layout's module boxes, jumps included).

The same issue PDF and pages give the same bytes: images are rendered by pdfium and encoded by
Pillow with fixed settings and no metadata; the page PDFs get ids from their content."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from ..fsutil import write_if_changed

PAGES = "web/pages.json"
IMAGE_WIDTH = 1600  # px: 2× a page view 800 CSS px wide
FALLBACK_WIDTH = 800  # px: the PNG for browsers without WebP
THUMB_WIDTH = 240  # px: 版面导航
IMAGE_BUDGET = 160_000  # bytes a page image may take (a page view stays ≤ 250 KB with HTML, CSS, JS, thumbnails)
QUALITIES = tuple(range(75, 0, -5))  # WebP qualities, best first: text at 1600 px stays legible down to 5 (looked at)
WIDTHS = (IMAGE_WIDTH, 1400, 1200, 1000, FALLBACK_WIDTH)  # px: narrower only when no quality fits
THUMB_QUALITY = 30  # a thumbnail shows the page's shape, not its text: ~10 KB for a page of text
WEBP_METHOD = 4  # libwebp's effort: fixed, so the same page gives the same bytes
AREA_KINDS = ("article", "ear")  # module boxes that are an article's (a 导读 box is not)
_OURS = re.compile(r"p\d+(-thumb)?\.(webp|png)")  # what this module writes into web/ (besides the PDFs)


def write_page_files(pdf: Path, pages: list, folder: Path, issue: str) -> list[str]:
    """Write the page images, per-page PDFs and `web/pages.json` of the issue whose PDF is `pdf`
    and whose laid-out pages (layout.page.Page) are `pages`; the files written, relative to `folder`.
    Files of pages the issue no longer has are removed."""
    web = folder / "web"
    web.mkdir(parents=True, exist_ok=True)
    digits = max(2, len(str(len(pages))))
    stems = [f"p{n:0{digits}d}" for n in range(1, len(pages) + 1)]
    images = _write_images(pdf, web, stems)
    sizes = _write_page_pdfs(pdf, pages, web, issue, stems)
    record = {"version": 1, "issue": issue, "pdf": pdf.name, "pages": []}
    for number, (page, stem, files, size) in enumerate(zip(pages, stems, images, sizes, strict=True), 1):
        width, height = size
        entry = {"number": number, "label": page.label, "name": page.name, "width": width, "height": height}
        entry.update(files)
        entry["pdf"] = f"{issue}-{stem}.pdf"
        entry["areas"] = page_areas(page, height)
        record["pages"].append(entry)
    write_if_changed(folder / PAGES, json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
    written = [f[key]["src"] for f in images for key in ("image", "fallback", "thumb")]
    written += [f"{issue}-{stem}.pdf" for stem in stems]
    _remove_stale(web, issue, set(written))
    return [f"web/{name}" for name in written] + [PAGES]


def _remove_stale(web: Path, issue: str, kept: set[str]) -> None:
    """Remove page images and page PDFs of pages the issue no longer has (a rebuild with fewer pages)."""
    pdfs = re.compile(re.escape(issue) + r"-p\d+\.pdf")
    for old in web.iterdir():
        if old.name not in kept and (_OURS.fullmatch(old.name) or pdfs.fullmatch(old.name)) and old.is_file():
            old.unlink(missing_ok=True)


# ---- areas ------------------------------------------------------------------------------------


def page_areas(page, height: float) -> list[dict[str, Any]]:
    """Each article's area on `page` (a page `height` pt tall): its module boxes as rects
    [x, y, w, h] in pt from the page's top-left, touching boxes of one column span merged;
    by article index. A module box holds the article's headline, photos, captions and text,
    and its 下转/上接 lines; an article jumping here from another page has its area here too."""
    boxes: dict[int, list[list[float]]] = {}
    for module in page.modules:
        if module.kind in AREA_KINDS:
            boxes.setdefault(module.article, []).append([module.x, height - module.top, module.width, module.height])
    areas = []
    for article in sorted(boxes):
        rects = _merged(sorted(boxes[article], key=lambda r: (r[1], r[0])))
        areas.append({"article": article, "rects": [[round(v, 2) for v in rect] for rect in rects]})
    return areas


def _merged(rects: list[list[float]]) -> list[list[float]]:
    """`rects` (sorted top to bottom) with each one that starts where one above it of the same
    left edge and width ends joined to it: the union exactly, as one rect."""
    merged: list[list[float]] = []
    for rect in rects:
        above = next((m for m in merged if _same(m[0], rect[0]) and _same(m[2], rect[2]) and _same(m[1] + m[3], rect[1])), None)
        if above is not None:
            above[3] = rect[1] + rect[3] - above[1]
        else:
            merged.append(list(rect))
    return merged


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.01


# ---- images -----------------------------------------------------------------------------------


def _write_images(pdf: Path, web: Path, stems: list[str]) -> list[dict[str, dict[str, Any]]]:
    """Each page rendered at IMAGE_WIDTH px: a WebP within IMAGE_BUDGET, a PNG at FALLBACK_WIDTH,
    a WebP thumbnail at THUMB_WIDTH; their names and pixel sizes, per page."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        if len(document) != len(stems):
            raise ValueError(f"{pdf}: {len(document)} pages in the PDF, {len(stems)} laid out")
        made = []
        for number, stem in enumerate(stems):
            page = document[number]
            try:
                image = page.render(scale=IMAGE_WIDTH / page.get_width()).to_pil().convert("RGB")
            finally:
                page.close()
            made.append(_write_page_images(image, web, stem))
        return made
    finally:
        document.close()


def _write_page_images(image, web: Path, stem: str) -> dict[str, dict[str, Any]]:
    """The three images of one page rendered as `image`."""
    from PIL import Image

    files = {"image": (f"{stem}.webp", *page_webp(image))}
    fallback = _scaled(image, FALLBACK_WIDTH)
    palette = fallback.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.FLOYDSTEINBERG)
    files["fallback"] = (f"{stem}.png", fallback, _encoded(palette, "PNG", optimize=True))
    thumb = _scaled(image, THUMB_WIDTH)
    files["thumb"] = (f"{stem}-thumb.webp", thumb, _webp(thumb, THUMB_QUALITY))
    described = {}
    for key, (name, picture, data) in files.items():
        write_if_changed(web / name, data)
        described[key] = {"src": name, "width": picture.width, "height": picture.height}
    return described


def page_webp(image):
    """`image` (rendered IMAGE_WIDTH px wide) as a lossy WebP within IMAGE_BUDGET: at the widest
    of WIDTHS where some quality of QUALITIES fits, the best quality that does (the smallest
    when none does); the image encoded and its bytes. A dense page of text takes more bytes than
    the budget at every quality at full width: it gets fewer pixels rather than a page view over
    budget (pages.json gives every image's size)."""
    scaled, floor = image, b""
    for width in WIDTHS:
        scaled = image if width == image.width else _scaled(image, width)
        floor = _webp(scaled, QUALITIES[-1])
        if len(floor) <= IMAGE_BUDGET:
            return scaled, _best_fitting(scaled, floor)
    return scaled, floor  # the narrowest, over the budget still


def _best_fitting(image, floor: bytes) -> bytes:
    """`image` at the best of QUALITIES that fits IMAGE_BUDGET, knowing the last (`floor`, its
    bytes) does. Sizes fall with quality: after the best, the qualities between are bisected."""
    data = _webp(image, QUALITIES[0])
    if len(data) <= IMAGE_BUDGET:
        return data
    found, low, high = floor, 1, len(QUALITIES) - 2
    while low <= high:
        middle = (low + high) // 2
        data = _webp(image, QUALITIES[middle])
        if len(data) <= IMAGE_BUDGET:
            found, high = data, middle - 1
        else:
            low = middle + 1
    return found


def _webp(image, quality: int) -> bytes:
    return _encoded(image, "WEBP", quality=quality, method=WEBP_METHOD)


def _scaled(image, width: int):
    from PIL import Image

    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)


def _encoded(image, format: str, **options) -> bytes:
    """`image` encoded with `options` and nothing else (no EXIF, XMP, ICC profile or times)."""
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


# ---- per-page PDFs ----------------------------------------------------------------------------


def _write_page_pdfs(pdf: Path, pages: list, web: Path, issue: str, stems: list[str]) -> list[tuple[float, float]]:
    """`<issue>-pNN.pdf` for every page, cut from the issue PDF; each page's size in pt."""
    import pikepdf

    sizes = []
    with pikepdf.open(pdf) as source:
        title = str(source.trailer.get("/Info", {}).get("/Title", issue))
        for number, (page, stem) in enumerate(zip(pages, stems, strict=True)):
            box = [float(v) for v in source.pages[number].mediabox]
            sizes.append((round(box[2] - box[0], 2), round(box[3] - box[1], 2)))
            named = f"{title} 第{page.label}版" if page.label else f"{title} p{number + 1}"
            data = page_pdf(pdf, number, named, [entry.title for entry in page.outline])
            write_if_changed(web / f"{issue}-{stem}.pdf", data)
    return sizes


def page_pdf(pdf: Path, number: int, title: str, subjects: list[str]) -> bytes:
    """Page `number` (0-based) of `pdf` alone: its content, fonts and images, titled `title`,
    its articles' headlines (`subjects`) as the subject. What would no longer hold goes: links
    to other pages, the outline, the structure tree and the XMP (its standard claims and ids
    were the whole issue's; the document info says what the file is)."""
    import pikepdf

    with pikepdf.open(pdf) as cut:
        kept = cut.pages[number].obj.objgen
        for index in reversed(range(len(cut.pages))):
            if index != number:
                del cut.pages[index]
        page = cut.pages[0]
        for key in ("/Outlines", "/StructTreeRoot", "/MarkInfo", "/Metadata", "/PageMode", "/Names", "/Dests"):
            if key in cut.Root:
                del cut.Root[key]
        if "/StructParents" in page.obj:
            del page.obj.StructParents
        _keep_local_links(page, kept)
        page.remove_unreferenced_resources()
        _fonts_of_the_page(cut, page)
        _page_info(cut, title, subjects)
        out = io.BytesIO()
        cut.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _fonts_of_the_page(pdf, page) -> None:
    """Each embedded TrueType font of the page with only the glyphs the page shows: the issue's
    fonts hold every glyph of every page (a page PDF of 1.2 MB was 1.1 MB of fonts). Glyphs keep
    their ids (the others are left empty), so the text and the codes in the content stay as they were.
    Left whole when text is drawn elsewhere than in the page's own content (a form)."""
    import pikepdf

    xobjects = page.obj.get("/Resources", {}).get("/XObject", {})
    if any(x.get("/Subtype") == "/Form" for x in xobjects.values()):
        return
    used: dict[str, set[int]] = {}
    font = ""
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "Tf":
            font = str(operands[0])
        elif str(operator) in ("Tj", "'", '"', "TJ"):
            strings = operands[-1] if str(operator) == "TJ" else operands[-1:]
            used.setdefault(font, set()).update(b for text in strings if isinstance(text, pikepdf.String) for b in bytes(text))
    for name, resource in page.obj.get("/Resources", {}).get("/Font", {}).items():
        descriptor = resource.get("/FontDescriptor")
        program = descriptor.get("/FontFile2") if descriptor is not None else None
        if resource.get("/Subtype") == "/TrueType" and program is not None:
            data = _glyphs_kept(program.read_bytes(), used.get(name, set()))
            descriptor.FontFile2 = pdf.make_stream(data, Length1=len(data))


def _glyphs_kept(data: bytes, codes: set[int]) -> bytes:
    """The TrueType font `data` (a simple font: a code per glyph) with the glyphs of `codes`
    (and those they are made of) and .notdef; the rest emptied, every glyph id kept."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    font = TTFont(io.BytesIO(data), recalcBBoxes=False, recalcTimestamp=False)
    glyf = font["glyf"]
    wanted = {".notdef"} | {t.cmap[c] for t in font["cmap"].tables for c in codes if c in t.cmap}
    todo = list(wanted)
    while todo:
        glyph = glyf[todo.pop()]
        for part in glyph.getComponentNames(glyf) if glyph.isComposite() else []:
            if part not in wanted:
                wanted.add(part)
                todo.append(part)
    for name in font.getGlyphOrder():
        if name not in wanted:
            glyf[name] = Glyph()
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _keep_local_links(page, kept: tuple[int, int]) -> None:
    """The page's annotations without the links that go elsewhere (another page, a named
    destination no longer in the file); those kept lose their place in the structure tree."""
    import pikepdf

    annotations = pikepdf.Array()
    for annotation in page.obj.get("/Annots", []):
        if annotation.get("/Subtype") == "/Link" and not _links_here(annotation, kept):
            continue
        if "/StructParent" in annotation:
            del annotation.StructParent
        annotations.append(annotation)
    if len(annotations):
        page.obj.Annots = annotations
    elif "/Annots" in page.obj:
        del page.obj.Annots


def _links_here(annotation, kept: tuple[int, int]) -> bool:
    """Whether a link annotation goes to a place on the page `kept` or out of the file (a URI)."""
    import pikepdf

    action = annotation.get("/A")
    if action is not None and action.get("/S") != "/GoTo":
        return action.get("/S") == "/URI"
    target = annotation.get("/Dest") if action is None else action.get("/D")
    return isinstance(target, pikepdf.Array) and len(target) > 0 and target[0].is_indirect and target[0].objgen == kept


def _page_info(pdf, title: str, subjects: list[str]) -> None:
    """The document info of a page PDF: the issue's, with the page's title and headlines; the
    issue's authors and standard claims (GTS_PDFXVersion) go, as they are the whole issue's."""
    import pikepdf

    info = pdf.trailer.get("/Info")
    if info is None:
        info = pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary())
    for key in ("/Author", "/Subject", "/GTS_PDFXVersion"):
        if key in info:
            del info[key]
    info.Title = pikepdf.String(title)
    if subjects:
        info.Subject = pikepdf.String("、".join(dict.fromkeys(subjects)))
