"""Total area coverage (TAC) of a press PDF: the largest mean of C+M+Y+K over a 15 mm² window
(ISO 12647-3's measure; `../shared/notes/print.md` §3), per page.

Measured by rendering each page to CMYK with Ghostscript's `tiff32nc` device, the output
intent's profile as both the default CMYK and the output profile, when `gs` is on PATH; else
from the page itself: the CMYK colours its content sets and the samples of its CMYK images (not
counting where marks overprint one another). The report says which was used.
"""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pikepdf

from .content import Mark, Painter

WINDOW_MM2 = 15.0  # ISO 12647-3: the area the ink is averaged over
DPI = 100  # Ghostscript's rendering: a 15 mm² window is 15 × 15 pixels
FALLBACK_LIMIT = 240.0  # NIAD's newsprint maximum, when no profile says otherwise
KNOWN_LIMITS = (("26v5", 220.0), ("26v4", 240.0), ("IFRA26", 240.0))  # ISO 12647-3:2013 / :2004 newsprint


@dataclass(frozen=True)
class PageInk:
    """The largest windowed TAC of a page (percent) and where (points from the bottom left)."""

    page: int
    tac: float
    x: float
    y: float


def ink_limit(profile: bytes | None, names: str) -> tuple[float, str]:
    """The TAC limit for an output condition and why: 26v5 220 %, 26v4 240 %, else the ink
    the profile itself puts on black (its separation of sRGB black), else NIAD's 240 %."""
    for key, limit in KNOWN_LIMITS:
        if key.lower() in names.lower():
            return limit, f"{key} newsprint"
    black = profile_black(profile)
    if black is not None:
        return black, "the profile's black"
    return FALLBACK_LIMIT, "NIAD newsprint (no profile to read)"


def profile_black(profile: bytes | None) -> float | None:
    """The total ink a CMYK profile gives sRGB black, rounded to a whole percent."""
    if not profile:
        return None
    from PIL import Image, ImageCms

    try:
        cmyk = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"), cmyk, "RGB", "CMYK")
        pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), (0, 0, 0)), transform).getpixel((0, 0))
    except (OSError, ImageCms.PyCMSError, ValueError):
        return None
    return float(round(sum(pixel) / 2.55))


def window_max(tac: np.ndarray, side: int) -> tuple[float, int, int]:
    """The largest mean over a side × side window of a 2-D array, and the window's centre (col, row)."""
    side = max(1, min(side, *tac.shape))
    total = np.pad(tac.astype(np.float64).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    sums = total[side:, side:] - total[:-side, side:] - total[side:, :-side] + total[:-side, :-side]
    row, col = np.unravel_index(int(np.argmax(sums)), sums.shape)
    return float(sums[row, col]) / (side * side), int(col) + side // 2, int(row) + side // 2


def ghostscript() -> str | None:
    return shutil.which("gs")


def rendered(path: Path, profile: bytes | None, pages: list[pikepdf.Page]) -> list[PageInk]:
    """Each page's TAC from Ghostscript's tiff32nc rendering at DPI, with the profile given. A
    page rendered blank that has inked marks is a failed render (OSError: measure otherwise)."""
    from PIL import Image

    side = round(math.sqrt(WINDOW_MM2) / 25.4 * DPI)
    found = []
    with tempfile.TemporaryDirectory(prefix="publish-tac-") as folder:
        command = [ghostscript() or "gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiff32nc", f"-r{DPI}"]
        if profile:
            icc = Path(folder) / "output.icc"
            icc.write_bytes(profile)
            command += [f"-sDefaultCMYKProfile={icc}", f"-sOutputICCProfile={icc}"]
        command += ["-o", str(Path(folder) / "page%05d.tif"), str(Path(path).resolve())]  # absolute: `-x.pdf` is no option
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if done.returncode:
            raise OSError(" ".join((done.stderr or done.stdout).split())[:200] or f"exit status {done.returncode}")
        for number, page in enumerate(pages):
            with Image.open(Path(folder) / f"page{number + 1:05d}.tif") as tiff:
                samples = np.asarray(tiff.convert("CMYK"), dtype=np.uint16)
            if not samples.any() and measured(number, list(Painter(page).marks())).tac > 0:
                raise OSError(f"it rendered page {number + 1} blank, though the page puts ink on it")
            tac, col, row = window_max(samples.sum(axis=2) / 2.55, side)
            box = [float(v) for v in page.mediabox]
            found.append(PageInk(number, tac, box[0] + col * 72 / DPI, box[3] - row * 72 / DPI))
    return found


NO_INK = ("group", "soft mask")  # a group's or soft mask's colour space: where colour is blended, not a colour printed


def measured(number: int, marks: list[Mark]) -> PageInk:
    """A page's TAC from its own content: the largest CMYK colour it paints with, and the largest
    windowed sum of its CMYK images' samples (an image's window: 15 mm² at its resolution)."""
    best = PageInk(number, 0.0, 0.0, 0.0)
    for mark in marks:
        if mark.kind in NO_INK:
            continue
        if mark.image is not None:
            tac = _image_tac(mark)
        else:
            cmyk = mark.colour.cmyk
            tac = sum(cmyk) * 100 if cmyk else _spot_tac(mark)
        if tac > best.tac:
            best = PageInk(number, tac, mark.x, mark.y)
    return best


def _spot_tac(mark: Mark) -> float:
    if mark.colour.family in ("Separation", "DeviceN"):
        return sum(min(1.0, max(0.0, v)) for v in mark.colour.values) * 100
    return 0.0


def _image_tac(mark: Mark) -> float:
    image = mark.image
    assert image is not None
    if image.stream is None or image.mask or image.colour.family != "DeviceCMYK":
        return 0.0
    try:
        picture = pikepdf.PdfImage(image.stream).as_pil_image()
    except Exception:  # pikepdf raises several kinds for images it cannot decode
        return 0.0
    if picture.mode != "CMYK":
        return 0.0
    samples = np.asarray(picture, dtype=np.uint16).sum(axis=2) / 2.55
    ppi = image.ppi if math.isfinite(image.ppi) else 72.0
    side = round(math.sqrt(WINDOW_MM2) / 25.4 * ppi)
    return window_max(samples, side)[0]
