"""Draw composed lines with reportlab. It decides nothing: every glyph is where the composer put it.

Text goes out as plain PDF operators (one Tm per run of glyphs that share font, size and
spacing), through reportlab's own font subsetting, so the fonts are embedded as subsets
with a ToUnicode map.
"""

from __future__ import annotations

import io
import itertools
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas

from ..errors import ConfigError, ImageError, PhotoWarning
from ..layout.page import Colour, Laid, PlacedImage, Tag
from ..layout.photos import LOW_PPI
from ..layout.record import PIECE, page_record
from ..typeset.compose import Glyph, Line
from . import ink
from .finish import finish
from .images import draw_logo, draw_photo
from .images import one_line as _one_line
from .ops import num, shapes
from .output import PLAIN, Output
from .tags import Marks

EPS = 1e-4


@dataclass(frozen=True)
class DocInfo:
    title: str = ""
    author: str = ""
    subject: str = ""
    creator: str = "publish"
    language: str = "zh-CN"


FLATE_LEVEL = 3  # zlib level of every stream: at reportlab's 6, compressing the font subsets
# is a sixth of the drawing time; 3 takes 40 % less of it for files 6 % larger


def _flate(self, text: str | bytes) -> bytes:
    if isinstance(text, _Packed):
        return text.compressed.result()
    pending = _PENDING.pop(id(text), None)
    if pending is not None and pending[0] is text:
        return pending[1].result()
    return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, FLATE_LEVEL)


class _Packed(bytes):
    """A font subset made before the save, and its compressed stream to come (a thread's)."""

    compressed: Future


_PENDING: dict[int, tuple[str, Future]] = {}  # id of a page's content → it and its compressed bytes to come


class _Packer:
    """Compresses streams in a thread while this one goes on drawing and saving (zlib lets go
    of the interpreter while it works): the pages as they are shown, the font subsets as they
    are made. A context: its thread is gone after it."""

    def __enter__(self) -> _Packer:
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="publish-flate")
        self.pages: list[int] = []
        return self

    def __exit__(self, *exc: object) -> None:
        for key in self.pages:
            _PENDING.pop(key, None)
        self.pool.shutdown(wait=True, cancel_futures=True)

    def compress(self, data: bytes) -> Future:
        return self.pool.submit(zlib.compress, data, FLATE_LEVEL)

    def page(self, stream: str) -> None:
        """A page's content as reportlab will compress it (its stream is that very string)."""
        _PENDING[id(stream)] = (stream, self.compress(stream.encode("utf8")))
        self.pages.append(id(stream))


def _show_page(canvas: Canvas) -> None:
    """The page done; its content compressed meanwhile when a _Packer is at hand."""
    canvas.showPage()
    packer = canvas.__dict__.get("_publish_packer")
    if packer is not None:
        packer.page(canvas._doc.Pages.pages[-1].stream)


def new_canvas(buffer: io.BytesIO, page_size: tuple[float, float], info: DocInfo, font: str) -> Canvas:
    """A canvas whose output depends on the content only (fixed dates and ids); its initial
    font is one of ours, so no unembedded Helvetica creeps in."""
    check_source_date_epoch()
    rl_config.useA85 = 0  # binary streams: smaller, and no ASCII85 pass over every font
    pdfdoc.PDFStreamFilterZCompress.encode = _flate
    canvas = Canvas(
        buffer, pagesize=page_size, invariant=True, pageCompression=1, lang=info.language, initialFontName=font, initialFontSize=9
    )
    canvas.setTitle(info.title)
    canvas.setAuthor(info.author)
    canvas.setSubject(info.subject)
    canvas.setCreator(info.creator)
    canvas.setProducer("publish (reportlab)")
    return canvas


LAST_EPOCH = 253402300799  # 9999-12-31 23:59:59 UTC: the last date a PDF date can say


def check_source_date_epoch() -> None:
    """SOURCE_DATE_EPOCH (reproducible builds), which reportlab reads for the PDF's dates, is a
    whole number of seconds since 1970 or unset; anything else is a one-line ConfigError (the
    spec asks a build to stop on a malformed value, not to guess)."""
    import os

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value and not (value.isascii() and value.isdigit() and int(value) <= LAST_EPOCH):
        raise ConfigError(
            f"must be a whole number of seconds since 1970-01-01 UTC (at most {LAST_EPOCH}), not {value!r}",
            key="SOURCE_DATE_EPOCH",
        )


class _Encoder:
    """Per document and font: each character's subset, its one-byte code (hex) and advance.
    reportlab assigns the codes (so its subsets and ToUnicode maps stay right); this remembers
    them, as looking them up again for every line is what drawing spends its time on."""

    def __init__(self, canvas: Canvas):
        self.doc = canvas._doc
        self.fonts: dict[str, tuple] = {}
        self.styles: dict[tuple[float, float], tuple[str, str]] = {}
        self.read_ahead: Callable[[Callable, object], Future] | None = None  # a thread's submit (`_save`)
        self.reading: list[Future] = []

    def font(self, name: str) -> tuple:
        entry = self.fonts.get(name)
        if entry is None:
            font = pdfmetrics.getFont(name)
            entry = self.fonts[name] = (font, {}, font.face.charWidths)
            if self.read_ahead is not None:
                self.reading.append(self.read_ahead(_font_file, font))
        return entry

    def add(self, name: str, ch: str) -> tuple[str, str, float]:
        font, codes, widths = self.font(name)
        [(subset, data)] = font.splitString(ch, self.doc)
        found = codes[ch] = (font.getSubsetInternalName(subset, self.doc), "%02x" % data[0], widths.get(ord(ch), 1000) / 1000.0)
        return found

    def style(self, size: float, hscale: float) -> tuple[str, str]:
        """The start of a run's Tm (its Tz before) and the end of its Tf, for a size and scale."""
        found = self.styles.get((size, hscale))
        if found is None:
            found = self.styles[(size, hscale)] = (f"{num(hscale * 100)} Tz 1 0 0 1 ", f" {num(size)} Tf [")
        return found


def _font_file(font) -> None:
    """The font's file, which subsetting reads and a cached face reads on first use (fonts.py):
    read by a thread while this one draws (a file read lets go of the interpreter), not after."""
    font.face._ttf_data  # noqa: B018


def draw_line(
    canvas: Canvas,
    line: Line,
    left: float,
    baseline: float,
    artifact: bool = False,
    colour: Colour | None = None,
    tag: Tag | None = None,
) -> None:
    """Draw one line as TJ arrays: each character lands at the x the composer gave it (the
    numbers between characters move the pen by what compression and spacing changed). On a
    tagged canvas the line is marked content of its element (`tag`), furniture an /Artifact."""
    if not artifact and any(map(_ARTIFACT, line.glyphs)):  # a hyphenated word's hyphen: drawn, not text
        draw_line(canvas, replace(line, glyphs=[g for g in line.glyphs if not g.artifact]), left, baseline, False, colour, tag)
        draw_line(canvas, replace(line, glyphs=[g for g in line.glyphs if g.artifact]), left, baseline, True, colour)
        return
    marks = _marks(canvas)
    if artifact:
        code = ["/Artifact BMC"]  # page furniture: not part of the articles' text
    elif marks is None or marks.go_on(canvas._code, tag):
        code = []
    else:
        code = [marks.open(tag)]
    if colour is not None:
        code.append("q " + ink.fill(canvas, colour))
    text = _show_text(line.glyphs, left, num(baseline), _encoder(canvas))
    code.append(f"BT {text} ET" if text else "BT ET")
    if colour is not None:
        code.append("Q")
    if artifact or marks is not None:
        code.append("EMC")
    canvas._code.append(" ".join(code))
    if marks is not None and not artifact:
        marks.closed(canvas._code, tag)


_ARTIFACT = attrgetter("artifact")


def _marks(canvas: Canvas) -> Marks | None:
    """What the canvas marked so far, when it draws a tagged PDF (else None)."""
    return canvas.__dict__.get("_publish_marks")


def _show_text(glyphs: list[Glyph], left: float, y: str, encoder: _Encoder) -> str:
    """The text operators of a line: per run of glyphs sharing font, size and scale a Tz and Tm,
    per font subset a Tf, and TJ arrays of character codes and the pen moves that put each
    character at its x. One loop over the characters, writing pieces of text: this is where
    drawing spends its time, and two characters in three change subset (reportlab numbers a
    font's characters 256 to a subset as they first appear)."""
    out: list[str] = []
    font = current = tf = ""
    size = hscale = pen = unit = scale = 0.0
    codes: dict = {}
    widths: dict = {}
    hexing = False  # a hex string is open
    for text, face, points, x, _, stretch, tracking, _ in glyphs:
        if face != font or points != size or stretch != hscale:
            if current:
                out.append(">] TJ ")
            if not text:  # a new run starts at the next glyph that has characters
                font, current = "", ""
                continue
            font, size, hscale = face, points, stretch
            _, codes, widths = encoder.font(font)
            unit = size * hscale
            scale = 1000.0 / unit
            tz, tf = encoder.style(size, hscale)
            out.append(f"{tz}{num(left + x)} {y} Tm ")
            pen, current = x, ""
        for ch, at in ((text, x),) if len(text) == 1 else _spread(text, x, size, hscale, tracking, widths):
            internal, byte, advance = codes.get(ch) or encoder.add(font, ch)
            if internal != current:
                if current:
                    out.append(">] TJ ")
                out.append(internal + tf)
                current, hexing = internal, False
            delta = at - pen
            if delta > EPS or delta < -EPS:
                adjust = round(-delta * scale, 1)
                if adjust:
                    number = "%.1f " % adjust if adjust % 1 else "%d " % adjust
                    out.append("> " + number if hexing else number)
                    hexing = False
                    pen -= adjust / scale
                if abs(at - pen) > 0.02:
                    pen = at  # not reachable by a pen move (never happens for set lines)
            if hexing:
                out.append(byte)
            else:
                out.append("<" + byte)
                hexing = True
            pen += advance * unit
    if current:
        out.append(">] TJ")
    return "".join(out).rstrip(" ")


def _spread(text: str, x: float, size: float, hscale: float, tracking: float, widths: dict) -> list[tuple[str, float]]:
    """The characters of a glyph of several (a word, a number), each with its x: the font's
    advances, tracking between them."""
    chars = []
    for ch in text:
        chars.append((ch, x))
        x += widths.get(ord(ch), 1000) / 1000.0 * size * hscale + tracking
    return chars


def render_flow(flow, info: DocInfo, jobs: int = 1, output: Output = PLAIN, pages: Iterable[int] | None = None) -> bytes:
    """The PDF of a laid-out flow: every placed line at its column and grid row. `pages`: the
    page numbers in order as the flow is done with each (layout.flow.flow_pages), each drawn
    as it comes while the rest are set; by default the flow is done. With `jobs` > 1 a thread
    compresses the streams while this one draws and saves (`_save`).
    Tagged (`output.tagged`): each article an Art of its headline parts and paragraphs."""
    spec = flow.spec
    buffer = io.BytesIO()
    pages = iter(range(flow.pages) if pages is None else pages)
    ready = _until_drawn(flow, pages)  # the canvas starts in the font of the first line drawn
    first = next((p.line.glyphs[0].font for p in flow.placed if p.line.glyphs), "Helvetica")
    canvas = new_canvas(buffer, (spec.width, spec.height), info, first)
    marks = canvas._publish_marks = Marks() if output.tagged else None

    def draw() -> None:
        for placed_on_page in _page_lines(flow, itertools.chain(ready, pages)):
            if marks is not None:
                marks.new_page()
            for placed in placed_on_page:
                baseline = spec.baseline(placed.row + placed.rows - 1)
                draw_line(canvas, placed.line, spec.column_left(placed.column), baseline, tag=placed.tag)
            _show_page(canvas)

    ink.prepare(canvas, output)
    _save(canvas, draw, jobs)
    if marks is not None:
        marks.order, marks.titles = list(dict.fromkeys(placed.article for placed in flow.placed)), flow.titles
    return finish(buffer.getvalue(), output, marks)


def _until_drawn(flow, pages: Iterator[int]) -> list[int]:
    """The pages done until the flow holds a line with glyphs (or all of them)."""
    ready = []
    while not any(p.line.glyphs for p in flow.placed):
        page = next(pages, None)
        if page is None:
            break
        ready.append(page)
    return ready


def _page_lines(flow, pages: Iterable[int]) -> Iterator[list]:
    """The placed lines of each page (the flow places them in page order)."""
    at = 0
    for page in pages:
        end = at
        while end < len(flow.placed) and flow.placed[end].page == page:
            end += 1
        yield flow.placed[at:end]
        at = end


def _save(canvas: Canvas, draw: Callable[[], None], jobs: int) -> None:
    """Run `draw` and save. With `jobs` > 1 a thread compresses each page while the next is
    drawn, and the font subsets are made before the save, the thread compressing them while
    the next are made and the save goes on (zlib lets go of the interpreter: 20 ms of the
    baseline set's 120 off this process's thread). A forked worker making the subsets, as
    before, cost more than it took off: subsetting is a few milliseconds a font."""
    encoder = _encoder(canvas)
    if jobs <= 1:
        draw()
        with _subsetting([entry[0] for entry in encoder.fonts.values()]):
            canvas.save()
        return
    with _Packer() as packer:
        canvas._publish_packer, encoder.read_ahead = packer, packer.pool.submit
        try:
            draw()
            for reading in encoder.reading:
                reading.result()
            fonts = [entry[0] for entry in encoder.fonts.values()]
            with _subsetting(fonts):
                made = _make_subsets(fonts, canvas._doc, packer.compress)
                with _premade_subsets(fonts, made):
                    canvas.save()
        finally:
            del canvas._publish_packer
            encoder.read_ahead = None


def _encoder(canvas: Canvas) -> _Encoder:
    encoder = canvas.__dict__.get("_publish_encoder")
    if encoder is None:
        encoder = canvas._publish_encoder = _Encoder(canvas)
    return encoder


def _make_subsets(
    fonts: list, doc, compress: Callable[[bytes], Future]
) -> dict[tuple[str, tuple[int, ...]], tuple[bytes, Future]]:
    """Every subset of every font, as reportlab would make it (inside `_subsetting`), and its
    compressed stream to come."""
    made = {}
    for font in fonts:
        state = font.state.get(doc)
        for subset in state.subsets if state is not None else ():
            data = font.face.makeSubset(subset)
            made[(font.fontName, tuple(subset))] = (data, compress(data))
    return made


@contextmanager
def _subsetting(fonts: list) -> Iterator[None]:
    """reportlab's save as it is, less its waste: makeSubset copied a font's whole glyf table
    (megabytes) for every subset of 256 characters and summed each table's words through a
    tuple of all of them; every number of the PDF's objects (256 widths a subset, most of them
    alike) was formatted anew. The same bytes; the save of the baseline set 20 ms faster."""
    ttfonts.calcChecksum, pdfdoc.fp_str = _checksum, partial(_number, {}, _REPORTLAB[1])
    for font in fonts:
        font.face.get_table = partial(_table, font.face)
    try:
        yield
    finally:  # reportlab's own back (not what was there: saves in two threads would leave a cache in place)
        ttfonts.calcChecksum, pdfdoc.fp_str = _REPORTLAB
        for font in fonts:
            font.face.__dict__.pop("get_table", None)


_REPORTLAB = (ttfonts.calcChecksum, pdfdoc.fp_str)


def _number(made: dict, fp_str: Callable[..., str], *values) -> str:
    """reportlab's fp_str, each number (of the object formatter's: one int or float) once."""
    if len(values) == 1 and type(values[0]) in (int, float):
        text = made.get(values[0])
        if text is None:
            text = made[values[0]] = fp_str(values[0])
        return text
    return fp_str(*values)


def _table(face, tag: str):
    """A table of the font; the glyf table as a view that copies only the glyphs asked for."""
    if tag == "glyf":
        return _GlyphTable(face)
    return ttfonts.TTFontFile.get_table(face, tag)


class _GlyphTable:
    """makeSubset's glyf table: a slice of it is the bytes of the glyphs in that slice."""

    def __init__(self, face):
        start, length = face.get_table_pos("glyf")
        self.view = memoryview(face._ttf_data)[start : start + length]

    def __getitem__(self, part: slice) -> bytes:
        return self.view[part].tobytes()


def _checksum(data: bytes) -> int:
    """A TrueType table's checksum (the sum of its big-endian 32-bit words, modulo 2**32), as
    four sums of every fourth byte: twice as fast as unpacking the words."""
    if len(data) & 3:
        data = bytes(data) + b"\0" * (4 - (len(data) & 3))
    return ((sum(data[0::4]) << 24) + (sum(data[1::4]) << 16) + (sum(data[2::4]) << 8) + sum(data[3::4])) & 0xFFFFFFFF


@contextmanager
def _premade_subsets(fonts: list, made: dict) -> Iterator[None]:
    """reportlab's save takes the subsets made before it instead of making them again."""
    for font in fonts:
        original = font.face.makeSubset

        def premade(subset, name=font.fontName, original=original):
            found = made.get((name, tuple(subset)))
            if found is None:
                return original(subset)
            packed = _Packed(found[0])
            packed.compressed = found[1]
            return packed

        font.face.makeSubset = premade
    try:
        yield
    finally:
        for font in fonts:
            font.face.__dict__.pop("makeSubset", None)


def render_pages(
    laid: Laid,
    info: DocInfo,
    jobs: int = 1,
    on_photo: Callable[[PlacedImage, PhotoWarning], None] | None = None,
    output: Output = PLAIN,
) -> bytes:
    """The PDF of laid-out newspaper pages: lines, rules, boxes and photos; an outline with each
    page and article; links from jump lines to where the article goes on. A photo that cannot
    be drawn leaves its box blank and goes to `on_photo` (with no handler: a Python warning).
    Tagged (`output.tagged`): article lines and photos are marked content of their elements
    (the layout's Tags), the rest artifacts; the Marks make the structure tree (tags.py)."""
    grid = laid.grid
    buffer = io.BytesIO()
    first = next((d.line.glyphs[0].font for page in laid.pages for d in page.lines if d.line.glyphs), "Helvetica")
    canvas = new_canvas(buffer, (grid.width, grid.height), info, first)
    marks = canvas._publish_marks = _issue_marks(laid) if output.tagged else None
    described = _link_descriptions(laid)

    def draw() -> None:
        for number, page in enumerate(laid.pages):
            if marks is not None:
                marks.new_page()
            key = f"page{number}"
            canvas.bookmarkHorizontalAbsolute(key, grid.height)
            canvas.addOutlineEntry(f"第{page.label}版" + (f" {page.name}" if page.name else ""), key, level=0)
            for anchor in page.anchors:
                canvas.bookmarkHorizontalAbsolute(anchor.key, anchor.y)
            for entry in page.outline:
                canvas.addOutlineEntry(entry.title, entry.key, level=1)
            for drawn in page.lines:
                draw_line(canvas, drawn.line, drawn.x, drawn.baseline, drawn.artifact, drawn.colour, drawn.tag)
            for image in page.images:
                _draw_placed(canvas, image, on_photo)
            if page.rules:
                canvas._code.append("/Artifact BMC")
                for rule in page.rules:
                    canvas.setLineWidth(rule.width)
                    canvas.line(rule.x0, rule.y0, rule.x1, rule.y1)
                canvas._code.append("EMC")
            for link in page.links:
                canvas.linkAbsolute("", link.key, Rect=link.rect, thickness=0)
                if marks is not None:
                    marks.links[-1].append((link.article, described.get(link.key, link.key)))
            _show_page(canvas)
            attach_record(canvas, page_record(page, grid, page.top_rows))

    ink.prepare(canvas, output)
    _save(canvas, draw, jobs)
    return finish(buffer.getvalue(), output, marks)


def _link_descriptions(laid: Laid) -> dict[str, str]:
    """What a link to each destination says to a screen reader (its /Contents): the story it
    opens and its 版次 (a 导读 entry), or the 版次 the article goes on at (a 下转 line)."""
    described = {}
    for page in laid.pages:
        titles = {entry.key: entry.title for entry in page.outline}
        for anchor in page.anchors:
            title = titles.get(anchor.key)
            described[anchor.key] = f"{title}（第{page.label}版）" if title else f"下转第{page.label}版"
    return described


def _issue_marks(laid: Laid) -> Marks:
    """Marks to collect while drawing an issue, with its articles in the outline's order."""
    entries = [entry for page in laid.pages for entry in page.outline if entry.article is not None]
    return Marks(order=[entry.article for entry in entries], titles={entry.article: entry.title for entry in entries})


def _draw_placed(canvas: Canvas, image: PlacedImage, on_photo: Callable[[PlacedImage, PhotoWarning], None] | None) -> None:
    """A photo fills its box (images.py); a logo fits inside its box (a broken logo is an error).
    A logo is an /Artifact; on a tagged canvas, a photo is its Figure's marked content."""
    if not image.cover:
        canvas._code.append("/Artifact BMC")
        draw_image(canvas, image.file, image.x, image.y, image.width, image.height)
        canvas._code.append("EMC")
        ppi = logo_ppi(image.file, image.width, image.height)
        if ppi is not None and ppi < LOW_PPI:  # said as the layout says it of photos
            _report(image, PhotoWarning(f"logo {image.file} prints at {ppi:.0f} ppi (below {LOW_PPI})"), on_photo)
        return
    marks, start = _marks(canvas), len(canvas._code)
    if marks is not None:
        canvas._code.append(marks.open(image.tag) if image.tag is not None else "/Artifact BMC")
    try:
        draw_photo(canvas, image)
        if marks is not None:
            canvas._code.append("EMC")
    except PhotoWarning as problem:
        del canvas._code[start:]  # a blank box: no Figure
        if marks is not None and image.tag is not None:
            marks.close_unused()
        _report(image, problem, on_photo)


def _report(image: PlacedImage, problem: PhotoWarning, on_photo: Callable[[PlacedImage, PhotoWarning], None] | None) -> None:
    """A problem with a placed image, to the caller's handler (else a Python warning)."""
    if on_photo is None:
        import warnings

        warnings.warn(str(problem), stacklevel=5)
    else:
        on_photo(image, problem)


FIXED_DATE = "D:20000101000000+00'00'"  # the date reportlab's invariant mode gives the document: same bytes every run


def attach_record(canvas: Canvas, record: dict) -> None:
    """Put the layout record on the page just shown, as its /PieceInfo << /Publish << /LastModified
    /Private >> >> (PDF 14.5, an application's private data, allowed in PDF/A): a compressed JSON
    stream that `publish check --layout` reads back."""
    page = canvas._doc.Pages.pages[-1]
    text = json.dumps(record, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    stream = pdfdoc.PDFStream(content=text.encode("ascii"), filters=[pdfdoc.PDFZCompress])
    date = pdfdoc.PDFString(FIXED_DATE)
    data = pdfdoc.PDFDictionary({"LastModified": date, "Private": canvas._doc.Reference(stream)})
    page.PieceInfo = pdfdoc.PDFDictionary({PIECE: data})
    page.LastModified = date


def check_logo(path: str) -> None:
    """Fail with one line (the file and why) unless `path` is an image or SVG drawing that
    `draw_image` can draw: a missing file, a text file or a broken SVG is a mistake in a setting."""
    from pathlib import Path

    if not Path(path).is_file():
        raise ImageError("logo not found", file=path)
    if path.lower().endswith(".svg"):
        _svg_drawing(path)
        return
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.verify()  # reads it through: a truncated file fails here, not in the middle of a PDF
    except UnidentifiedImageError:
        raise ImageError("logo is not an image (SVG, PNG or JPEG)", file=path) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageError(f"logo is a broken image: {_one_line(error)}", file=path) from None


def _svg_drawing(path: str):
    """The SVG file as a reportlab drawing with a size, or an ImageError saying why not (svglib
    logs its own complaints: they are kept out of the user's terminal)."""
    import logging
    from xml.etree import ElementTree

    from reportlab.graphics.shapes import Image
    from svglib.svglib import svg2rlg

    try:
        ElementTree.parse(path)  # svglib would recover from broken XML and draw part of it, or nothing
    except ElementTree.ParseError as error:
        raise ImageError(f"logo is a broken SVG: {_one_line(error)}", file=path) from None
    logger = logging.getLogger("svglib.svglib")
    level, logger.level = logger.level, logging.CRITICAL + 1
    try:
        drawing = svg2rlg(path)
    except Exception as error:  # lxml and svglib raise their own
        raise ImageError(f"logo is a broken SVG: {_one_line(error)}", file=path) from None
    finally:
        logger.setLevel(level)
    if drawing is None:
        raise ImageError("logo is a broken SVG: not readable as XML", file=path)
    if any(isinstance(node, Image) for node in shapes(drawing)):
        raise ImageError(
            "logo is an SVG with an embedded <image>, which cannot be drawn: give the image file as the logo", file=path
        )
    if not drawing.width or not drawing.height:
        raise ImageError("logo is an SVG without a size (width and height, or a viewBox)", file=path)
    return drawing


def draw_image(canvas: Canvas, path: str, x: float, y: float, width: float, height: float) -> None:
    """An image file (PNG, JPEG…) or an SVG, as large as fits the box, centred in it. SVG stays
    vector; its text is set in the canvas's font (embedded), whatever font it names."""
    if path.lower().endswith(".svg"):
        from reportlab.graphics import renderPDF
        from reportlab.graphics.shapes import String

        drawing = _svg_drawing(path)
        scale = min(width / drawing.width, height / drawing.height)
        drawing.scale(scale, scale)
        drawing.initialFontName = canvas._fontname  # one of ours: reportlab would otherwise set Helvetica, unembedded
        for node in shapes(drawing):
            if isinstance(node, String):  # <text>: in our font, embedded (not Helvetica, nor a system font svglib found)
                node.fontName = canvas._fontname
        knockout = ink.separate_drawing(canvas, drawing)
        left = x + (width - drawing.width * scale) / 2
        bottom = y + (height - drawing.height * scale) / 2
        if knockout:  # a press logo's colours knock out (ink.separate_drawing)
            canvas._code.append(f"q /{ink.KNOCKOUT} gs")
        renderPDF.draw(drawing, canvas, left, bottom)
        if knockout:
            canvas._code.append("Q")
        return
    if ink.press(canvas) is not None or (canvas.__dict__.get("_publish_rgb_only") and _is_cmyk(path)):
        draw_logo(canvas, path, x, y, width, height)  # made CMYK with the press profile; for the archive, sRGB
        return
    try:
        canvas.drawImage(path, x, y, width, height, preserveAspectRatio=True, anchor="c", mask="auto")
    except Exception as error:  # PIL and reportlab each raise their own
        check_logo(path)  # says what is wrong with the file, if that is it
        raise ImageError(f"cannot draw the logo: {_one_line(error)}", file=path) from None


def _is_cmyk(path: str) -> bool:
    """Whether a raster file holds CMYK (the archive draws it as sRGB: PDF/A under an sRGB intent)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.mode == "CMYK"
    except (OSError, SyntaxError, ValueError):
        return False  # drawImage says what is wrong with it


def logo_ppi(path: str, width: float, height: float) -> float | None:
    """Pixels per inch of a raster logo fitted in its box (None: an SVG, or unreadable)."""
    if path.lower().endswith(".svg"):
        return None
    from PIL import Image

    try:
        with Image.open(path) as image:
            pixels = image.size
    except (OSError, SyntaxError, ValueError):
        return None
    return 72.0 / min(width / pixels[0], height / pixels[1])
