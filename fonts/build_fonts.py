"""Build the fonts `publish` ships, reproducibly, from Debian's packages (run by hand).

    apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai unicode-data
    pip install fonttools
    python fonts/build_fonts.py            # rebuilds fonts/*.ttf, tgh-8105.txt, manifest.json

Noto Serif/Sans CJK SC are CFF-outline OpenType, which reportlab cannot embed, so each weight
is subset (GB2312 + the 8,105 characters of 通用规范汉字表 + Latin, punctuation and symbol
blocks), redrawn as TrueType quadratic outlines, and renamed (a modified OFL font may not
keep the original family name). LXGW WenKai is already TrueType and is copied byte for byte.

The fallback face (PublishSerifSC-Extra.ttf) holds every character Noto Serif CJK SC Regular
has that the common subset lacks (the rest of the URO block, Extension A, B and later,
compatibility ideographs, Hangul, other symbols), plus the few that only Noto Sans CJK SC has
(drawn from Sans Regular), so that every character a Noto CJK SC face has prints in every role.
Two runs give identical files: timestamps come from the sources, not the clock.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
SC_INDEX = 2  # Simplified Chinese is the third font of each Noto CJK collection

# output file, source collection, Debian package, family, style, weight class
CONVERSIONS = [
    ("PublishSerifSC-Regular.ttf", "NotoSerifCJK-Regular.ttc", "fonts-noto-cjk", "Publish Serif SC", "Regular", 400),
    ("PublishSerifSC-Bold.ttf", "NotoSerifCJK-Bold.ttc", "fonts-noto-cjk", "Publish Serif SC", "Bold", 700),
    ("PublishSerifSC-Black.ttf", "NotoSerifCJK-Black.ttc", "fonts-noto-cjk-extra", "Publish Serif SC Black", "Regular", 900),
    ("PublishSansSC-Bold.ttf", "NotoSansCJK-Bold.ttc", "fonts-noto-cjk", "Publish Sans SC", "Bold", 700),
    ("PublishSansSC-Black.ttf", "NotoSansCJK-Black.ttc", "fonts-noto-cjk-extra", "Publish Sans SC Black", "Regular", 900),
]

# the fallback face: output file, family, serif source (its characters the common subset lacks),
# sans source (its characters the serif lacks)
FALLBACK = ("PublishSerifSC-Extra.ttf", "Publish Serif SC Extra", "NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc")
GLYPH_LIMIT = 65535  # TrueType's glyph ids are 16-bit

# Blocks kept besides the Han lists: Latin, Greek, Cyrillic, punctuation, symbols, kana, forms.
BLOCKS = [
    (0x0020, 0x007E), (0x00A0, 0x024F), (0x02B0, 0x02FF), (0x0370, 0x03FF), (0x0400, 0x04FF),
    (0x1E00, 0x1EFF), (0x2000, 0x206F), (0x2070, 0x209F), (0x20A0, 0x20CF), (0x2100, 0x214F),
    (0x2150, 0x218F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2300, 0x23FF), (0x2460, 0x24FF),
    (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF), (0x2E80, 0x2EFF),
    (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F), (0x31C0, 0x31EF), (0x3200, 0x32FF),
    (0x3300, 0x33FF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
]


def gb2312() -> set[int]:
    """Every character of GB 2312 (symbols, kana, Greek, Cyrillic and 6,763 hanzi)."""
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((lead, trail)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return chars


def tgh_8105() -> list[int]:
    """The 8,105 characters of 通用规范汉字表 (2013), from Unihan's kTGH field, in table order."""
    entries = []
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as handle:
        for line in handle:
            if "\tkTGH\t" in line:
                code, _, value = line.rstrip("\n").split("\t")
                number = int(value.split()[0].split(":")[1])
                entries.append((number, int(code[2:], 16)))
    return [code for _, code in sorted(entries)]


def wanted_unicodes(han: list[int]) -> set[int]:
    codes = gb2312() | set(han)
    for first, last in BLOCKS:
        codes.update(range(first, last + 1))
    return codes


def subset_font(font: TTFont, unicodes: set[int]) -> None:
    options = subset.Options()
    options.layout_features = []  # reportlab does no shaping; this also drops locl (JP/KR/TC forms)
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def cff_to_glyf(font: TTFont) -> None:
    """Redraw CFF outlines as TrueType quadratic contours (within 1 unit of 1000)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    for name, glyph in glyphs.items():
        glyph.recalcBounds(glyf)
        width, _ = font["hmtx"][name]
        font["hmtx"][name] = (width, getattr(glyph, "xMin", 0))
    del font["CFF "]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr, value in (("maxZones", 1), ("maxTwilightPoints", 0), ("maxStorage", 0), ("maxFunctionDefs", 0),
                        ("maxInstructionDefs", 0), ("maxStackElements", 0), ("maxSizeOfInstructions", 0),
                        ("maxComponentElements", 0), ("maxComponentDepth", 0)):
        setattr(maxp, attr, value)
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = None
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, family: str, style: str, weight: int, source: str) -> None:
    """New family names (OFL: a modified font drops the original names); credit the source."""
    postscript = family.replace(" ", "") + "-" + style
    full = family if style == "Regular" else f"{family} {style}"
    table = font["name"]
    version = table.getDebugName(5) or ""
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, vendor, designer, URLs, licence
    table.names = [record for record in table.names if record.nameID in keep]
    records = {
        1: family,
        2: style,
        3: f"{postscript};{version.split(';')[0]};publish build of {source}",
        4: full,
        5: f"{version.split(';')[0]}; publish subset of {source}",
        6: postscript,
        16: family,
        17: style,
    }
    for name_id, value in records.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    font["OS/2"].usWeightClass = weight
    font["OS/2"].fsSelection = (font["OS/2"].fsSelection & ~0b1100001) | (0b100000 if style == "Bold" else 0b1000000)
    font["head"].macStyle = 1 if style == "Bold" else 0


def converted(collection: str, unicodes: set[int]) -> TTFont:
    """One Noto SC face subset to `unicodes` and redrawn as TrueType (timestamps of the source)."""
    font = TTCollection(str(NOTO / collection), recalcTimestamp=False).fonts[SC_INDEX]
    created, modified = font["head"].created, font["head"].modified
    subset_font(font, unicodes)
    cff_to_glyf(font)
    font["head"].created, font["head"].modified = created, modified
    return font


def fallback_font(common: set[int]) -> tuple[TTFont, int, int, int]:
    """The fallback face: what the serif has beyond `common` (the common subset's characters),
    then the sans's characters the serif lacks, its glyphs renamed so the two sets never clash.
    Returns the font, how many characters came from each source, and how many the two have."""
    filename, family, serif_source, sans_source = FALLBACK
    serif_all = set(TTCollection(str(NOTO / serif_source), lazy=True).fonts[SC_INDEX].getBestCmap())
    sans_all = set(TTCollection(str(NOTO / sans_source), lazy=True).fonts[SC_INDEX].getBestCmap())
    from_serif, from_sans = serif_all - common, sans_all - serif_all - common
    font = converted(serif_source, from_serif)
    if from_sans:
        sans = converted(sans_source, from_sans)
        renamed = {name: f"sans.{name}" for name in sans.getGlyphOrder() if name != ".notdef"}
        order = font.getGlyphOrder() + list(renamed.values())
        for old, new in renamed.items():
            font["glyf"].glyphs[new] = sans["glyf"].glyphs[old]
            font["hmtx"].metrics[new] = sans["hmtx"].metrics[old]
        font["glyf"].glyphOrder = order
        font.setGlyphOrder(order)
        added = {code: renamed[name] for code, name in sans.getBestCmap().items()}
        for table in font["cmap"].tables:
            if table.isUnicode() and table.format != 14:
                table.cmap.update({c: n for c, n in added.items() if c <= 0xFFFF or table.format in (12, 13)})
    if len(font.getGlyphOrder()) > GLYPH_LIMIT:
        sys.exit(f"{filename}: {len(font.getGlyphOrder()):,} glyphs, over TrueType's {GLYPH_LIMIT:,}")
    rename(font, family, "Regular", 400, f"{serif_source} (SC) and {sans_source} (SC)")
    return font, len(from_serif), len(from_sans), len(serif_all | sans_all)


# Marks whose blank half the line composer compresses; their ink extents go to punctuation.json.
PUNCTUATION = "，。、：；！？．“”‘’（）〔〕［］｛｝〈〉《》「」『』【】〖〗〘〙·・—―…⋯～／"


def punctuation_metrics(path: Path) -> dict[str, list[int]]:
    """advance, ink xMin, ink xMax (font units of a 1000-unit em) of each mark the font has."""
    font = TTFont(str(path), lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    cmap, glyf, hmtx = font.getBestCmap(), font["glyf"], font["hmtx"]
    metrics = {}
    for ch in PUNCTUATION:
        name = cmap.get(ord(ch))
        if name is None:
            continue
        glyph = glyf[name]
        advance = hmtx[name][0]
        metrics[ch] = [round(advance * scale), round(getattr(glyph, "xMin", 0) * scale), round(getattr(glyph, "xMax", 0) * scale)]
    return metrics


def package_version(package: str) -> str:
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(out: Path) -> dict:
    han = tgh_8105()
    if len(han) != 8105:
        sys.exit(f"expected 8,105 kTGH characters in {UNIHAN}, found {len(han)}")
    (out / "tgh-8105.txt").write_text("".join(chr(c) for c in han) + "\n", encoding="utf-8")
    unicodes = wanted_unicodes(han)
    manifest = {"fonts": [], "tgh_8105": {"file": "tgh-8105.txt", "source": f"Unihan kTGH, Debian unicode-data {package_version('unicode-data')}"}}
    for filename, collection, package, family, style, weight in CONVERSIONS:
        started = time.perf_counter()
        source = NOTO / collection
        font = TTCollection(str(source), recalcTimestamp=False).fonts[SC_INDEX]
        created, modified = font["head"].created, font["head"].modified
        subset_font(font, unicodes)
        cff_to_glyf(font)
        rename(font, family, style, weight, f"{collection} (SC)")
        font["head"].created, font["head"].modified = created, modified
        target = out / filename
        font.save(str(target), reorderTables=True)
        reopened = TTFont(str(target), recalcTimestamp=False)
        manifest["fonts"].append({
            "file": filename,
            "family": family,
            "style": style,
            "source": {"package": package, "version": package_version(package), "file": str(source), "subfont": SC_INDEX},
            "conversion": "fontTools subset + cu2qu (max_err 1.0), renamed",
            "licence": "OFL-1.1",
            "characters": len(reopened.getBestCmap()),
            "bytes": target.stat().st_size,
            "sha256": sha256(target),
        })
        print(f"{filename}: {target.stat().st_size / 1e6:.1f} MB, {len(reopened.getBestCmap()):,} characters, {time.perf_counter() - started:.1f} s")
    manifest["fonts"].append(build_fallback(out, manifest["fonts"][0]["file"]))
    wenkai = out / WENKAI.name
    shutil.copyfile(WENKAI, wenkai)
    manifest["fonts"].append({
        "file": WENKAI.name,
        "family": "LXGW WenKai",
        "style": "Regular",
        "source": {"package": "fonts-lxgw-wenkai", "version": package_version("fonts-lxgw-wenkai"), "file": str(WENKAI)},
        "conversion": "none: copied unmodified (Reserved Font Names LXGW, 霞鹜)",
        "licence": "OFL-1.1",
        "characters": len(TTFont(str(wenkai), lazy=True).getBestCmap()),
        "bytes": wenkai.stat().st_size,
        "sha256": sha256(wenkai),
    })
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    metrics = {entry["file"]: punctuation_metrics(out / entry["file"]) for entry in manifest["fonts"]}
    (out / "punctuation.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return manifest


def build_fallback(out: Path, common_file: str) -> dict:
    """Write the fallback face beside the common subsets; its manifest entry."""
    started = time.perf_counter()
    filename, family, serif_source, sans_source = FALLBACK
    common = set(TTFont(str(out / common_file), lazy=True).getBestCmap())
    font, from_serif, from_sans, noto = fallback_font(common)
    target = out / filename
    font.save(str(target), reorderTables=True)
    reopened = TTFont(str(target), lazy=True)
    characters, glyphs = len(reopened.getBestCmap()), reopened["maxp"].numGlyphs
    print(f"{filename}: {target.stat().st_size / 1e6:.1f} MB, {characters:,} characters, {glyphs:,} glyphs, {time.perf_counter() - started:.1f} s")
    return {
        "file": filename,
        "family": family,
        "style": "Regular",
        "role": "fallback",
        "source": [
            {"package": "fonts-noto-cjk", "version": package_version("fonts-noto-cjk"), "file": str(NOTO / serif_source), "subfont": SC_INDEX, "characters": from_serif},
            {"package": "fonts-noto-cjk", "version": package_version("fonts-noto-cjk"), "file": str(NOTO / sans_source), "subfont": SC_INDEX, "characters": from_sans},
        ],
        "conversion": f"fontTools subset (every character the sources have that {common_file} lacks) + cu2qu (max_err 1.0), merged, renamed",
        "licence": "OFL-1.1",
        "characters": characters,
        "noto_sc_characters": noto,  # with the common subset's: every character of Noto Serif/Sans CJK SC
        "glyphs": glyphs,
        "bytes": target.stat().st_size,
        "sha256": sha256(target),
    }


def rebuild_fallback(out: Path) -> None:
    """Only the fallback face, its manifest entry and punctuation entry (the rest as they are)."""
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    entry = build_fallback(out, manifest["fonts"][0]["file"])
    manifest["fonts"] = [f for f in manifest["fonts"] if f["file"] != entry["file"]]
    manifest["fonts"].insert(len(CONVERSIONS), entry)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    metrics = {f["file"]: punctuation_metrics(out / f["file"]) for f in manifest["fonts"]}
    (out / "punctuation.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="where to write the fonts (default: fonts/)")
    parser.add_argument("--fallback-only", action="store_true", help="rebuild only the fallback face (its manifest entry too)")
    args = parser.parse_args()
    missing = [str(p) for p in (NOTO / "NotoSerifCJK-Black.ttc", WENKAI, UNIHAN) if not p.exists()]
    if missing:
        sys.exit("missing sources (apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai unicode-data): " + ", ".join(missing))
    args.out.mkdir(parents=True, exist_ok=True)
    if args.fallback_only:
        rebuild_fallback(args.out)
        return
    build(args.out)


if __name__ == "__main__":
    main()
