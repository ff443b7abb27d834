"""Fonts by role (宋 body, 黑 headings, 楷 bylines…) with a per-character fallback chain.

The bundled fonts live in the repository's `fonts/` folder (`PUBLISH_FONTS` overrides it).
After a role's own fonts come the fallbacks every role shares: the common serif, the big
rare-character face (loaded only when a text needs it) and WenKai. A character none of them
has is printed as 〓 (the typesetter's mark for a missing character) and reported through
`FontStack.missing` — never silently dropped or drawn as an empty box.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts

from ..clreq import IGNORABLE, MISSING_MARK
from ..errors import FontError

FONT_DIR = Path(os.environ.get("PUBLISH_FONTS", Path(__file__).resolve().parents[2] / "fonts"))

FONTS = {
    "serif": "PublishSerifSC-Regular.ttf",
    "serif-bold": "PublishSerifSC-Bold.ttf",
    "serif-black": "PublishSerifSC-Black.ttf",
    "sans-bold": "PublishSansSC-Bold.ttf",
    "sans-black": "PublishSansSC-Black.ttf",
    "kai": "LXGWWenKai-Regular.ttf",
    "serif-extra": "PublishSerifSC-Extra.ttf",  # 34,000 rare characters: loaded only when needed
}
# tried after every role's own chain, in order (the common serif first: it is fast and loaded anyway)
FALLBACK = ("serif", "serif-extra", "kai")

# role → fonts tried in order for each character (the FALLBACK chain is tried after them)
ROLES: dict[str, tuple[str, ...]] = {
    "body": ("serif",),
    "body-bold": ("serif-bold", "serif"),
    "headline": ("serif-black", "serif-bold"),  # 标宋
    "headline-sans": ("sans-black", "sans-bold"),  # 黑体大标题
    "kicker": ("kai", "serif"),  # 楷
    "subtitle": ("serif-bold", "serif"),
    "byline": ("kai", "serif"),
    "heading": ("sans-bold", "serif-bold"),  # 小标题 in 黑体
    "note": ("serif",),
    "caption": ("kai", "serif"),
    "label": ("sans-bold",),
}


@dataclass(frozen=True)
class Missing:
    """A character no bundled font has (printed as 〓)."""

    char: str
    role: str
    context: str  # where it was met: "file: article title"

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"

    def __str__(self) -> str:
        return f"{self.context}: no bundled font has {self.char!r} ({self.code_point}); printed as {MISSING_MARK}"


@dataclass
class Face:
    """One loaded font: its registered name, advances, coverage and punctuation ink extents."""

    key: str
    name: str  # the name registered with reportlab
    widths: dict[int, float]  # code point → advance in 1/1000 em
    punctuation: dict[str, tuple[int, int, int]]  # char → (advance, ink xMin, ink xMax) per 1000 em
    font: ttfonts.TTFont

    def covers(self, char: str) -> bool:
        return ord(char) in self.widths

    def advance(self, char: str) -> float:
        """Advance width in ems (missing characters: 1 em, the box they would get)."""
        return self.widths.get(ord(char), 1000.0) / 1000.0


@dataclass
class FontStack:
    """The fonts of a document, loaded on first use, and the characters none of them had."""

    font_dir: Path = FONT_DIR
    missing: list[Missing] = field(default_factory=list)
    on_missing: Callable[[Missing], None] | None = None
    cache: dict = field(default_factory=dict)  # per-role lookups the composer keeps
    roles: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(ROLES))  # a template may change them
    _faces: dict[str, Face] = field(default_factory=dict)
    _choice: dict[tuple[str, str], Face] = field(default_factory=dict)
    _absent: set[tuple[str, str]] = field(default_factory=set)  # (role, char) no font has
    _seen: set[tuple[str, str]] = field(default_factory=set)  # (char, context) reported

    def face(self, key: str) -> Face:
        if key not in self._faces:
            self._faces[key] = load_face(key, self.font_dir)
        return self._faces[key]

    def for_char(self, char: str, role: str, context: str = "") -> Face:
        """The first font of the role's chain, then of FALLBACK, that covers `char`. A character
        none has gets the font that draws 〓 in its place, reported once per character and context."""
        cached = self._choice.get((role, char))
        if cached is None:
            cached = self._choice[(role, char)] = self._search(char, role)
        if (role, char) in self._absent:
            self.report(char, role, context)
        return cached

    def _search(self, char: str, role: str) -> Face:
        chain = self.roles.get(role)
        if chain is None:
            raise FontError(f"unknown font role {role!r}; roles: {', '.join(self.roles)}")
        if IGNORABLE.match(char):
            return self.face(chain[0])  # never drawn (atoms leave it out): nothing to load or report
        keys = (*chain, *(key for key in FALLBACK if key not in chain))
        for key in keys:
            face = self.face(key)  # loaded here, on first need: the rare-character face only for rare text
            if face.covers(char) or char in " \u3000":
                return face
        self._absent.add((role, char))
        return next(face for face in map(self.face, keys) if face.covers(MISSING_MARK))

    def loaded(self) -> list[str]:
        """Keys of the faces loaded so far."""
        return sorted(self._faces)

    def adopt(self, missing: list[Missing], faces: list[str]) -> None:
        """Take over what a worker process found: its missing characters (passed on as if found
        here) and the faces its lines use (loaded here too, for drawing)."""
        for key in faces:
            self.face(key)
        for item in missing:
            self.report(item.char, item.role, item.context)

    def report(self, char: str, role: str, context: str) -> None:
        """Record (and pass on) a character no bundled font has, once per character and context
        (file and headline), whatever roles it appears in."""
        if (char, context) not in self._seen:
            self._seen.add((char, context))
            missing = Missing(char, role, context)
            self.missing.append(missing)
            if self.on_missing:
                self.on_missing(missing)


def load_face(key: str, font_dir: Path) -> Face:
    filename = FONTS.get(key, key)
    path = font_dir / filename
    if not path.is_file():
        raise FontError(f"font file not found: {path} (the fonts ship in the repository's fonts/ folder)")
    install_tounicode_fix()
    name = f"publish-{path.stem}"
    font = pdfmetrics._fonts.get(name)  # getFont would first search the disk for AFM files
    if font is None:
        try:
            font = _cached_ttfont(name, path)
        except Exception as error:  # reportlab raises its own TTFError and plain ones
            raise FontError(f"cannot read font {path}: {error}") from None
        pdfmetrics.registerFont(font)
    return Face(key, name, font.face.charWidths, punctuation_metrics(path), font)


def _cache_path(path: Path) -> Path | None:
    """Where the parsed tables of a font are kept between runs ($PUBLISH_CACHE, or off). A
    bundled font is known by its manifest checksum, so every clone shares one entry; any other
    by its size and modification time."""
    import reportlab

    setting = os.environ.get("PUBLISH_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "publish"
    stat = path.stat()
    digest = _manifest_sums(str(path.parent)).get(path.name)
    key = f"sha{digest[:16]}-{stat.st_size}" if digest else f"{stat.st_size}-{stat.st_mtime_ns}"
    return base / "fonts" / f"{path.stem}-{key}-reportlab{reportlab.Version}.tables"


@cache
def _manifest_sums(font_dir: str) -> dict[str, str]:
    try:
        manifest = json.loads((Path(font_dir) / "manifest.json").read_text(encoding="utf-8"))
        return {f["file"]: f["sha256"] for f in manifest["fonts"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


# the tables only drawing and subsetting read: kept pickled apart, unpickled on first use
LAZY_TABLES = ("charToGlyph", "glyphToChar", "hmetrics", "glyphPos")


class _CachedFace(ttfonts.TTFontFace):
    """A face read from the cache. Composing reads its widths alone, so its big tables are
    unpickled, and the font file read, the first time something asks for them: a worker that
    only composes never does (40 ms a process for the six bundled faces)."""

    def __getattr__(self, name: str):
        import pickle

        with _LAZY_LOCK:  # two threads drawing their first PDFs: one unpickles, the other finds it
            if name in self.__dict__:
                return self.__dict__[name]
            lazy = self.__dict__.get("_publish_lazy")
            if lazy is not None and name in lazy:
                value = pickle.loads(lazy.pop(name))
            elif name == "_ttf_data" and "_publish_path" in self.__dict__:
                value = _font_bytes(Path(self.__dict__["_publish_path"]), self.__dict__.get("_publish_size"))
            else:
                raise AttributeError(name)
            self.__dict__[name] = value
            return value


_LAZY_LOCK = threading.Lock()


def _font_bytes(path: Path, size: int | None) -> bytes:
    """The font file, read when a subset is first made: one that changed size since its tables
    were loaded (replaced while publish ran) is an error, not a damaged subset."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FontError(f"cannot read font {path}: {error.strerror or error}") from None
    if size is not None and len(data) != size:
        raise FontError(f"font {path} changed while publish was running ({size} bytes then, {len(data)} now): run again")
    return data


def _cached_ttfont(name: str, path: Path) -> ttfonts.TTFont:
    """reportlab's TTFont, its parsed tables read from a cache when one is there.

    Parsing a 10,000-glyph font's cmap and metrics costs 20–70 ms a run; the cache makes it
    a few. The font file itself is read when subsetting needs its bytes, and any problem
    with the cache falls back to parsing.
    """
    import pickle
    from weakref import WeakKeyDictionary

    cache = _cache_path(path)
    if cache is not None and cache.is_file():
        try:
            state, lazy = pickle.loads(cache.read_bytes())
            face = _CachedFace.__new__(_CachedFace)
            face.__dict__.update(state)
            face._publish_lazy, face._publish_path, face._publish_size = dict(lazy), str(path), path.stat().st_size
            units = state["unitsPerEm"]
            face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
            font = ttfonts.TTFont.__new__(ttfonts.TTFont)
            font.fontName = name
            font.face = face
            font.encoding = ttfonts.TTEncoding()
            font.state = WeakKeyDictionary()
            font._asciiReadable = _ascii_readable(font)
            font.shapable = True
            return font
        except Exception:  # a cache from elsewhere, damaged or stale: parse instead
            pass
    font = ttfonts.TTFont(name, str(path))
    font._asciiReadable = _ascii_readable(font)
    if cache is not None:
        tables = font.face.__dict__
        state = {k: v for k, v in tables.items() if k not in ("_ttf_data", "_pdfScale", *LAZY_TABLES)}
        lazy = {k: pickle.dumps(tables[k], protocol=pickle.HIGHEST_PROTOCOL) for k in LAZY_TABLES if k in tables}
        try:
            from ..fsutil import atomic_write_bytes

            atomic_write_bytes(cache, pickle.dumps((state, lazy), protocol=pickle.HIGHEST_PROTOCOL))
            for stale in [*cache.parent.glob(f"{path.stem}-*.tables"), *cache.parent.glob(f"{path.stem}-*.pickle")]:
                # older versions of this font, and the cache's format before issue 19
                if stale != cache:
                    stale.unlink(missing_ok=True)
        except (OSError, pickle.PicklingError):
            pass
    return font


def _ascii_readable(font: ttfonts.TTFont) -> bool:
    """reportlab gives ASCII its own codes in a font's first subset — unless the font has no
    ASCII (the rare-character face): then those codes would map to missing glyphs."""
    from reportlab import rl_config

    return bool(rl_config.ttfAsciiReadable) and 0x41 in font.face.charWidths


@cache
def _bundled_metrics(font_dir: str) -> dict[str, dict[str, list[int]]]:
    path = Path(font_dir) / "punctuation.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


@cache
def punctuation_metrics(path: Path) -> dict[str, tuple[int, int, int]]:
    """Ink extents of the punctuation the composer compresses (precomputed for bundled fonts)."""
    bundled = _bundled_metrics(str(path.parent)).get(path.name)
    if bundled is not None:
        return {ch: (a, lo, hi) for ch, (a, lo, hi) in bundled.items()}
    from fontTools.ttLib import TTFont  # only for fonts the project did not measure in advance

    out: dict[str, tuple[int, int, int]] = {}
    with TTFont(str(path), lazy=True) as font:
        scale = 1000 / font["head"].unitsPerEm
        cmap = font.getBestCmap()
        glyf = font.get("glyf", None)
        for ch in "，。、：；！？．“”‘’（）〔〕［］｛｝〈〉《》「」『』【】〖〗〘〙·・—―…⋯～／":
            name = cmap.get(ord(ch))
            if name is None or glyf is None:
                continue
            glyph = glyf[name]
            out[ch] = (
                round(font["hmtx"][name][0] * scale),
                round(getattr(glyph, "xMin", 0) * scale),
                round(getattr(glyph, "xMax", 0) * scale),
            )
    return out


_FIX_INSTALLED = False


def install_tounicode_fix() -> None:
    """Make reportlab write ToUnicode maps that give back characters outside the BMP.

    reportlab 5.1 writes code points above U+FFFF as raw hex, so text extraction turns 𬌗
    into ⰱ; a ToUnicode map must hold them as UTF-16 surrogate pairs. Also splits the
    map into blocks of 100 entries, as the PDF specification asks.
    """
    global _FIX_INSTALLED
    if not _FIX_INSTALLED:
        ttfonts.makeToUnicodeCMap = make_tounicode_cmap
        _FIX_INSTALLED = True


def make_tounicode_cmap(fontname: str, subset: list[int]) -> str:
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
    ]
    entries = [f"<{code:02X}> <{_utf16_hex(cp)}>" for code, cp in enumerate(subset)]
    for start in range(0, len(entries), 100):
        chunk = entries[start : start + 100]
        lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _utf16_hex(code_point: int) -> str:
    if code_point <= 0xFFFF:
        return f"{code_point:04X}"
    value = code_point - 0x10000
    return f"{0xD800 + (value >> 10):04X}{0xDC00 + (value & 0x3FF):04X}"
