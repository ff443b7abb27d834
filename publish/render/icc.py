"""The press's CMYK output profile (`--standard press`): which one, its total ink limit, and
separating colours and photos to it.

The profile is the one `--icc` (or `[press] icc`) names; else a newsprint profile installed on
the system (Debian's non-free `icc-profiles`: WAN-IFRA 26v5, then ISO 26v4); else the bundled
IDEAlliance CGATS21_CRPC1 (US coldset newsprint), which its licence lets us ship unaltered.
Its ink limit: the figure the printing condition specifies (26v5 220 %, 26v4 240 %, CRPC1
240 %), else what the profile's own separation of black adds up to; `tac` overrides it.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ConfigError

SYSTEM_PROFILES = (
    "/usr/share/color/icc/WAN-IFRAnewspaper26v5.icc",
    "/usr/share/color/icc/ISOnewspaper26v4.icc",
)
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "icc" / "CGATS21_CRPC1.icc"
# known printing conditions: a fragment of the profile's description or file name (lower case) →
# the condition's identifier (ICC registry / file name) and its total ink limit (percent)
CONDITIONS = {
    "newspaper26v5": ("WAN-IFRAnewspaper26v5", 220.0),  # ISO 12647-3:2013 coldset, WAN-IFRA
    "newspaper26v4": ("ISOnewspaper26v4", 240.0),  # ISO 12647-3:2004
    "crpc1": ("CGATS21_CRPC1", 240.0),  # CGATS.21-2 CRPC1; the profile's black separates to 240 %
}
TAC_RANGE = (100.0, 400.0)  # four inks at 100 % are 400 %; under 100 % even black cannot print
PERCEPTUAL, RELATIVE = 0, 1  # ICC rendering intents: photos, flat colours
PHOTO_MARGIN = 5  # photos stay 2 % (of 255 per ink) under the limit: JPEG's rounding adds a little ink back


@dataclass(frozen=True)
class PressProfile:
    """A CMYK output profile for the press: its file, bytes (embedded as the PDF/X output
    intent), description, printing condition identifier and total ink limit (percent)."""

    path: str
    data: bytes = field(repr=False)
    description: str
    condition: str  # OutputConditionIdentifier of the output intent
    tac: float  # total area coverage allowed, percent (C + M + Y + K)

    @property
    def info(self) -> str:
        """The output intent's /Info: the condition in words."""
        return self.description

    @property
    def limit(self) -> int:
        """The ink limit on 8-bit channels (255 per ink at 100 %)."""
        return int(self.tac * 255 / 100)


def press_profile(icc: str | None = None, tac: float | None = None) -> PressProfile:
    """The press profile for `--icc` (None: the system's newsprint profile, else the bundled one)
    with its ink limit (`tac` percent, None: the condition's own). A profile that cannot be used
    is a one-line ConfigError: not found, not an ICC profile, not a CMYK output profile."""
    if tac is not None and not (TAC_RANGE[0] <= tac <= TAC_RANGE[1]):
        raise ConfigError(f"must be from {TAC_RANGE[0]:g} to {TAC_RANGE[1]:g} (percent), not {tac:g}", key="tac")
    if icc is None:
        icc = next((p for p in SYSTEM_PROFILES if Path(p).is_file()), str(BUNDLED))
    path = Path(icc)
    if not path.is_file():
        raise ConfigError(f"{icc}: ICC profile not found", key="icc", label="")
    found = _read(str(path.resolve()), path.stat().st_mtime_ns)
    return found if tac is None else PressProfile(found.path, found.data, found.description, found.condition, float(tac))


@functools.lru_cache(maxsize=4)
def _read(path: str, _mtime: int) -> PressProfile:
    """The profile at `path`, checked (read once per file and version)."""
    from PIL import ImageCms

    data = Path(path).read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp":
        raise ConfigError(f"{path}: not an ICC profile", key="icc", label="")
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (ImageCms.PyCMSError, OSError) as error:
        raise ConfigError(f"{path}: a broken ICC profile ({' '.join(str(error).split())})", key="icc", label="") from None
    space, kind = profile.profile.xcolor_space.strip(), profile.profile.device_class
    if space != "CMYK" or kind != "prtr":
        raise ConfigError(f"{path}: not a CMYK output profile (it is {space} {kind})", key="icc", label="")
    try:  # the header can be whole and the tables cut off: only building the transforms tells
        _transform(path, "RGB", RELATIVE), _transform(path, "RGB", PERCEPTUAL), grey_ramp(path)
    except (ImageCms.PyCMSError, OSError, ValueError) as error:
        raise ConfigError(f"{path}: not a usable ICC profile ({' '.join(str(error).split())})", key="icc", label="") from None
    description = (profile.profile.profile_description or Path(path).stem).strip()
    key = (description + " " + Path(path).stem).lower()
    condition, tac = next(((c, t) for frag, (c, t) in CONDITIONS.items() if frag in key), (None, None))
    if condition is None:
        condition, tac = description.removesuffix(".icc"), _black_ink(profile)
    return PressProfile(path, data, description, condition, tac)


def _black_ink(profile) -> float:
    """What the profile separates black to, in percent: the ink limit built into its tables."""
    from PIL import Image, ImageCms

    black = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1)), ImageCms.createProfile("sRGB"), profile, renderingIntent=RELATIVE, outputMode="CMYK"
    )
    return round(sum(black.getpixel((0, 0))) * 100 / 255)


@functools.lru_cache(maxsize=4)
def _transform(path: str, mode: str, intent: int):
    """A littleCMS transform from sRGB (or an embedded profile's bytes, `mode` RGB or CMYK) to
    the press profile at `path`."""
    from PIL import ImageCms

    target = ImageCms.ImageCmsProfile(path)
    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), target, mode, "CMYK", renderingIntent=intent, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION
    )


def separate_colour(press: PressProfile, rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
    """A flat colour (RGB 0–1) as the press prints it (CMYK 0–1): greys in black ink only (no
    rich black in text and rules), other colours through the profile (relative colorimetric),
    within its ink limit."""
    if max(rgb) - min(rgb) < 1e-6:
        return (0.0, 0.0, 0.0, round(grey_ramp(press.path)[round(rgb[0] * 255)] / 255, 3))
    from PIL import Image, ImageCms

    pixel = Image.new("RGB", (1, 1), tuple(round(v * 255) for v in rgb))
    cmyk = limit_ink(ImageCms.applyTransform(pixel, _transform(press.path, "RGB", RELATIVE)), press.limit).getpixel((0, 0))
    return tuple(round(v / 255, 3) for v in cmyk)  # type: ignore[return-value]


@functools.lru_cache(maxsize=4)
def grey_ramp(path: str) -> tuple[int, ...]:
    """For each sRGB grey level (0–255), the black ink (0–255) the press profile prints at the
    same lightness: greyscale photos and grey colours go in black alone, as newspapers print
    them (no registration blur, no rich black)."""
    from PIL import Image, ImageCms

    lab = ImageCms.createProfile("LAB")
    ramp = Image.new("CMYK", (256, 1))
    ramp.putdata([(0, 0, 0, k) for k in range(256)])
    printed = ImageCms.profileToProfile(ramp, ImageCms.ImageCmsProfile(path), lab, renderingIntent=RELATIVE, outputMode="LAB")
    greys = Image.new("RGB", (256, 1))
    greys.putdata([(g, g, g) for g in range(256)])
    wanted = ImageCms.profileToProfile(greys, ImageCms.createProfile("sRGB"), lab, renderingIntent=RELATIVE, outputMode="LAB")
    ink = [printed.getpixel((k, 0))[0] for k in range(256)]  # L* (0–255), falling as k grows
    darkest, white = ink[255], ink[0]
    ramp_out = []
    for g in range(256):  # black point compensation: sRGB black is the darkest black ink alone prints
        target = darkest + wanted.getpixel((g, 0))[0] * (white - darkest) / 255
        ramp_out.append(min(range(256), key=lambda k, t=target: (abs(ink[k] - t), k)))
    return tuple(ramp_out)


def separate_image(press: PressProfile, image, source_profile: bytes | None = None):
    """A photo (Pillow image, L, RGB or CMYK) in the press's CMYK within its ink limit: RGB
    from its embedded profile (else sRGB) through the profile (perceptual); greyscale in black
    ink alone; CMYK from its embedded profile, else taken as the press's own. Deterministic."""
    from PIL import ImageCms

    if image.mode == "L":
        from PIL import Image

        k = image.point(list(grey_ramp(press.path)))
        blank = Image.new("L", image.size, 0)
        return Image.merge("CMYK", (blank, blank, blank, k))
    embedded = _profile(source_profile, image.mode)
    if embedded is not None:
        target = ImageCms.ImageCmsProfile(press.path)
        flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
        image = ImageCms.profileToProfile(image, embedded, target, renderingIntent=PERCEPTUAL, outputMode="CMYK", flags=flags)
    elif image.mode == "RGB":
        image = ImageCms.applyTransform(image, _transform(press.path, "RGB", PERCEPTUAL))
    return limit_ink(image, press.limit - PHOTO_MARGIN)


def _profile(data: bytes | None, mode: str):
    """An embedded profile of the image's colour space, or None (missing, broken or another space)."""
    if not data:
        return None
    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (ImageCms.PyCMSError, OSError, TypeError):
        return None
    return profile if profile.profile.xcolor_space.strip() == mode else None


def limit_ink(image, limit: int):
    """A CMYK image whose inks add up to at most `limit` (255 per ink at 100 %) in every pixel:
    where they exceed it, cyan, magenta and yellow are scaled down together and black kept
    (black carries the detail, and the colour's hue stays). Done in bands of rows, so a large
    photo needs a few MB of working memory, not several copies of itself."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(image)  # uint8, height × width × 4
    out = None
    for top in range(0, pixels.shape[0], LIMIT_BAND):
        band = pixels[top : top + LIMIT_BAND].astype(np.int32)
        over = band.sum(axis=2) > limit
        if not over.any():
            continue
        if out is None:
            out = pixels.copy()
        cmy = band[..., :3]
        black = np.minimum(band[..., 3], limit)
        room = np.maximum(limit - black, 0)
        coloured = np.maximum(cmy.sum(axis=2), 1)
        scaled = (cmy * room[..., None]) // coloured[..., None]
        limited = np.concatenate([scaled, black[..., None]], axis=2).astype(np.uint8)
        out[top : top + LIMIT_BAND][over] = limited[over]
    return image if out is None else Image.frombytes("CMYK", image.size, out.tobytes())


LIMIT_BAND = 128  # rows of a photo limited at a time


def cmyk_to_srgb(image, source_profile: bytes | None = None):
    """A CMYK photo in sRGB (for the archive, whose output intent is sRGB): from its embedded
    profile, else as printed by the press profile (untagged CMYK is taken as the press's own)."""
    from PIL import ImageCms

    source = _profile(source_profile, "CMYK") or ImageCms.ImageCmsProfile(press_profile().path)
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    return ImageCms.profileToProfile(
        image, source, ImageCms.createProfile("sRGB"), renderingIntent=PERCEPTUAL, outputMode="RGB", flags=flags
    )
