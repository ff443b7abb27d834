"""Photos in the PDF: a file (JPEG, PNG, WebP, CMYK JPEG, greyscale…) made into an image XObject
that fills its box, cropped evenly on the two overflowing sides by a clip (never distorted).

* A JPEG the printer can take as it is (upright, grey, RGB in sRGB or CMYK, ≤ 300 ppi at its
  size) is embedded byte for byte: its DCT stream is the file, clipped to the box.
* Anything else is decoded at the least size it needs (JPEG DCT scaling), turned upright (EXIF
  orientation, all 8 values), cut to the visible region, downsampled with Lanczos to ≤ 300 ppi
  and encoded again: JPEG quality 85 for photos; Flate (lossless) for graphics, a non-JPEG file
  with at most 256 colours (charts, maps, line art), whose flat colours and edges JPEG would
  blur. Transparency is flattened on white (the paper's colour): press standards (PDF/X-1a,
  PDF/A-1) forbid soft masks, and on white paper the print is the same.
* CMYK stays CMYK, in the Adobe convention (inverted) that Photoshop writes and Pillow reads.
* For the press (`--standard press`) every photo is encoded again, separated to the press
  profile's CMYK (icc.py: from its embedded profile, else sRGB; greyscale in black ink alone)
  within the ink limit, so the PDF holds DeviceCMYK images only; logos likewise (Flate).
* For the archive (`--standard archive`, PDF/A-2u with an sRGB output intent) CMYK photos are
  converted to sRGB (from their embedded profile, else as the press's CMYK): PDF/A allows
  DeviceCMYK only under a CMYK output intent.
* The XObject is named by a digest of its bytes, so the same photo in two boxes of one size, or a
  passed-through JPEG at any size, is embedded once, and two renders give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import zlib
from dataclasses import dataclass

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from ..errors import PhotoWarning
from ..layout.page import PlacedImage
from ..layout.photos import cover_scale, visible_region
from .icc import PressProfile, cmyk_to_srgb, separate_image
from .ops import num

MAX_PPI = 300.0  # photos are downsampled to at most this at their printed size
JPEG_QUALITY = 85  # of photos encoded again: no visible loss at 300 ppi on newsprint
GRAPHIC_COLOURS = 256  # a non-JPEG file with at most this many colours is a graphic: kept lossless
FLATE_LEVEL = 6
UPRIGHT = (None, 1)  # EXIF orientations that need no turning (0 and 9+ are invalid: ignored too)
TURNS = {2, 3, 4, 5, 6, 7, 8}
SIDEWAYS = {5, 6, 7, 8}  # orientations whose stored width is the displayed height
COLOUR_SPACES = {"L": "DeviceGray", "RGB": "DeviceRGB", "CMYK": "DeviceCMYK"}


@dataclass(frozen=True)
class Prepared:
    """An image XObject's content and where it goes in its box (pt from the box's lower left)."""

    name: str
    width: int  # pixels
    height: int
    mode: str  # L, RGB or CMYK
    filter: str  # DCTDecode or FlateDecode
    data: bytes
    rect: tuple[float, float, float, float]  # x, y, width, height
    passed: bool  # the file's own bytes (a JPEG embedded without encoding again)


def one_line(error: BaseException) -> str:
    """An exception's message on one line, without the memory addresses some libraries put in it."""
    text = " ".join(str(error).split()) or type(error).__name__
    return re.sub(r" ?<[^<>]* at 0x[0-9a-f]+>", "", text)


def prepare_photo(path: str, box_w: float, box_h: float, press: PressProfile | None = None, rgb_only: bool = False) -> Prepared:
    """The photo at `path` ready to fill a box of `box_w` × `box_h` pt (separated for the
    `press` when given; CMYK made sRGB when `rgb_only`, the archive's), or a PhotoWarning (the
    file and why) when it is missing or cannot be read."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # a 100-megapixel photo is a photo
            image = Image.open(path)
        with image:
            orientation, size, mode = _orientation(image), image.size, image.mode
            passes = press is None and not (rgb_only and mode == "CMYK")
            if passes and _passes(image, orientation, box_w, box_h):
                return _passed_through(path, size, mode, box_w, box_h)
            return _encoded(image, orientation, box_w, box_h, press, rgb_only)
    except FileNotFoundError:
        raise PhotoWarning("photo not found (left blank)", file=path) from None
    except UnidentifiedImageError:
        raise PhotoWarning("photo is not an image Pillow can read (left blank)", file=path) from None
    except Image.DecompressionBombError:
        raise PhotoWarning(
            f"photo is too large to read (more than {2 * Image.MAX_IMAGE_PIXELS:,} pixels; left blank)", file=path
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoWarning(f"photo is broken (left blank): {one_line(error)}", file=path) from None


def _orientation(image) -> int | None:
    try:
        value = image.getexif().get(0x0112)
    except Exception:  # a broken EXIF block: read as upright, as viewers do
        return None
    return value if value in TURNS else None


def _passes(image, orientation: int | None, box_w: float, box_h: float) -> bool:
    """Whether the JPEG can go into the PDF as it is: upright, a colour space PDF names directly
    (RGB only when it is sRGB or untagged), and at most MAX_PPI where it is printed."""
    if image.format != "JPEG" or orientation not in UPRIGHT or image.mode not in COLOUR_SPACES:
        return False
    if image.mode == "RGB" and not _is_srgb(image.info.get("icc_profile")):
        return False
    if 72.0 / cover_scale(image.width, image.height, box_w, box_h) > MAX_PPI + 1e-6:
        return False
    image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()  # decoded at 1/8 scale: reads every byte, so a truncated file fails here, not in a viewer
    return True


def _is_srgb(profile: bytes | None) -> bool:
    if not profile:
        return True
    from PIL import ImageCms

    try:
        return "srgb" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile))).lower()
    except (ImageCms.PyCMSError, OSError, TypeError):
        return True  # a profile that cannot be read is ignored, as viewers ignore it


def _passed_through(path: str, size: tuple[int, int], mode: str, box_w: float, box_h: float) -> Prepared:
    with open(path, "rb") as handle:
        data = handle.read()
    scale = cover_scale(size[0], size[1], box_w, box_h)
    shown_w, shown_h = size[0] * scale, size[1] * scale
    rect = ((box_w - shown_w) / 2, (box_h - shown_h) / 2, shown_w, shown_h)
    return Prepared(_name(data), size[0], size[1], mode, "DCTDecode", data, rect, True)


def _encoded(
    image, orientation: int | None, box_w: float, box_h: float, press: PressProfile | None = None, rgb_only: bool = False
) -> Prepared:
    """Decode no more than needed, turn upright, cut the visible region, downsample to MAX_PPI
    (never up), separate for the press (or make CMYK sRGB), and encode again: JPEG for photos,
    Flate for graphics."""
    from PIL import Image, ImageOps

    sideways = orientation in SIDEWAYS
    width, height = (image.height, image.width) if sideways else image.size
    target = _target_size(width, height, box_w, box_h)
    if image.format == "JPEG":
        left, top, right, bottom = visible_region(width, height, box_w, box_h)
        need = (math.ceil(width * target[0] / (right - left)), math.ceil(height * target[1] / (bottom - top)))
        image.draft(image.mode, (need[1], need[0]) if sideways else need)  # DCT scaling: decodes at ½, ¼ or ⅛ when that suffices
    source_format, source_mode = image.format, image.mode
    upright = ImageOps.exif_transpose(image) if orientation else image
    flat = _flattened(upright)
    del upright
    if flat.mode == "RGB" and not _is_srgb(image.info.get("icc_profile")):
        flat = _to_srgb(flat, image.info["icc_profile"])
    if rgb_only and flat.mode == "CMYK":
        flat = cmyk_to_srgb(flat, image.info.get("icc_profile"))
    graphic = source_format != "JPEG" and (source_mode in ("1", "P", "PA") or flat.getcolors(GRAPHIC_COLOURS) is not None)
    box = visible_region(flat.width, flat.height, box_w, box_h)
    resample = Image.Resampling.NEAREST if graphic and _same_size(box, target) else Image.Resampling.LANCZOS
    shown = flat.resize(target, resample, box=box)
    del flat
    if press is not None:
        shown = separate_image(press, shown, image.info.get("icc_profile") if shown.mode == "CMYK" else None)
    if graphic:
        data, kind = zlib.compress(shown.tobytes(), FLATE_LEVEL), "FlateDecode"
    else:
        buffer = io.BytesIO()
        shown.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False)
        data, kind = buffer.getvalue(), "DCTDecode"
    return Prepared(_name(data, kind), shown.width, shown.height, shown.mode, kind, data, (0.0, 0.0, box_w, box_h), False)


def _same_size(box: tuple[float, float, float, float], target: tuple[int, int]) -> bool:
    return abs(box[2] - box[0] - target[0]) < 0.5 and abs(box[3] - box[1] - target[1]) < 0.5


def _target_size(width: int, height: int, box_w: float, box_h: float) -> tuple[int, int]:
    """Pixels of the visible region once encoded: its own, or fewer when they exceed MAX_PPI."""
    left, top, right, bottom = visible_region(width, height, box_w, box_h)
    cap_w, cap_h = math.floor(box_w * MAX_PPI / 72 + 1e-6), math.floor(box_h * MAX_PPI / 72 + 1e-6)
    return max(1, min(round(right - left), cap_w)), max(1, min(round(bottom - top), cap_h))


def _flattened(image):
    """The image as L, RGB or CMYK: transparency composed on white, 16-bit grey scaled to 8,
    palettes and other modes expanded."""
    from PIL import Image

    mode = image.mode
    if mode == "CMYK" or (mode in ("L", "RGB") and "transparency" not in image.info):
        return image
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        wide = image.convert("I") if mode != "F" else image
        top = 65535 if mode.startswith("I;16") or (image.getextrema()[1] or 0) > 255 else 255
        return wide.point(lambda v: v * (255 / top)).convert("L")
    if mode == "1":
        return image.convert("L")
    grey = mode in ("LA", "La", "L")
    if mode in ("RGBA", "RGBa", "LA", "La", "PA", "P", "RGB", "L") and _has_alpha(image):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, rgba).convert("RGB")
        return flat.convert("L") if grey else flat
    return image.convert("L" if grey else "RGB")


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "RGBa", "LA", "La", "PA") or "transparency" in image.info


def _to_srgb(image, profile: bytes):
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError):
        return image


def _name(data: bytes, kind: str = "DCTDecode") -> str:
    return "Photo" + hashlib.sha256(kind.encode() + data).hexdigest()[:24]


def draw_photo(canvas: Canvas, image: PlacedImage) -> None:
    """Fill the placed box with its photo, clipped to it; raise PhotoWarning (drawing nothing)
    when the file is missing or broken. Prepared once per file and box size within a canvas."""
    cache = canvas.__dict__.setdefault("_publish_photos", {})
    key = (image.file, round(image.width, 3), round(image.height, 3))
    found = cache.get(key)
    if found is None:
        try:
            press = canvas.__dict__.get("_publish_press")  # ink.prepare: a press PDF's profile
            rgb_only = canvas.__dict__.get("_publish_rgb_only", False)  # … an archive's sRGB
            found = cache[key] = _register(canvas, prepare_photo(image.file, image.width, image.height, press, rgb_only))
        except PhotoWarning as problem:
            found = cache[key] = problem
    if isinstance(found, PhotoWarning):
        raise found
    name, (dx, dy, width, height) = found
    canvas._currentPageHasImages = 1
    x, y = image.x, image.y
    canvas._code.append(
        f"q {num(x)} {num(y)} {num(image.width)} {num(image.height)} re W n "
        f"{num(width)} 0 0 {num(height)} {num(x + dx)} {num(y + dy)} cm /{canvas._doc.getXObjectName(name)} Do Q"
    )
    canvas._formsinuse.append(name)


def _register(canvas: Canvas, prepared: Prepared) -> tuple[str, tuple[float, float, float, float]]:
    """The XObject in the document (once per content), and where it goes in the box."""
    doc = canvas._doc
    registered = doc.getXObjectName(prepared.name)
    if doc.idToObject.get(registered) is None:
        xobject = pdfdoc.PDFImageXObject(prepared.name)
        xobject.width, xobject.height = prepared.width, prepared.height
        xobject.bitsPerComponent = 8
        xobject.colorSpace = COLOUR_SPACES[prepared.mode]
        # Decode [1 0 …]: the Adobe (inverted) CMYK of JPEG files; Flate data is CMYK as it is
        xobject._dotrans = prepared.mode == "CMYK" and prepared.filter == "DCTDecode"
        xobject._filters = (prepared.filter,)
        xobject.streamContent = prepared.data
        xobject.mask = None
        doc.Reference(xobject, registered)
        doc.addForm(prepared.name, xobject)
    return prepared.name, prepared.rect


def draw_logo(canvas: Canvas, path: str, x: float, y: float, width: float, height: float) -> None:
    """A raster logo for the press (or a CMYK one for the archive): as large as fits the box and
    centred in it, transparency on white, separated to the press profile's CMYK (the archive's:
    made sRGB, as CMYK photos are) and kept lossless (Flate). A file that cannot be read is an
    ImageError (a setting names the logo)."""
    from PIL import Image

    from ..errors import ImageError

    press = canvas.__dict__.get("_publish_press")
    try:
        with Image.open(path) as image:
            flat = _flattened(image)
            if flat.mode == "RGB" and not _is_srgb(image.info.get("icc_profile")):
                flat = _to_srgb(flat, image.info["icc_profile"])
            profile = image.info.get("icc_profile") if flat.mode == "CMYK" else None
            separated = separate_image(press, flat, profile) if press is not None else cmyk_to_srgb(flat, profile)
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageError(f"cannot draw the logo: {one_line(error)}", file=path) from None
    scale = min(width / separated.width, height / separated.height)
    shown_w, shown_h = separated.width * scale, separated.height * scale
    data = zlib.compress(separated.tobytes(), FLATE_LEVEL)
    rect = ((width - shown_w) / 2, (height - shown_h) / 2, shown_w, shown_h)
    mode = separated.mode
    prepared = Prepared(_name(data, "FlateDecode"), separated.width, separated.height, mode, "FlateDecode", data, rect, False)
    name, (dx, dy, w, h) = _register(canvas, prepared)
    canvas._currentPageHasImages = 1
    canvas._code.append(f"q {num(w)} 0 0 {num(h)} {num(x + dx)} {num(y + dy)} cm /{canvas._doc.getXObjectName(name)} Do Q")
    canvas._formsinuse.append(name)
