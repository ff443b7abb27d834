"""The shipped fonts: checksums, coverage, the fallback chain and the ToUnicode fix."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont

from publish.check.pdf import check_pdf
from publish.render.pdf import DocInfo, draw_line, new_canvas
from publish.typeset import FontStack, Settings, compose
from publish.typeset.atoms import make_atoms
from publish.typeset.fonts import FONT_DIR, FONTS, make_tounicode_cmap
from tests.conftest import ROOT

MANIFEST = json.loads((FONT_DIR / "manifest.json").read_text(encoding="utf-8"))


def gb2312() -> set[int]:
    chars = set()
    for lead in range(0xA1, 0xF8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(ord(bytes((lead, trail)).decode("gb2312")))
    return chars


TGH = [ord(c) for c in (FONT_DIR / "tgh-8105.txt").read_text(encoding="utf-8").strip()]


def test_the_8105_list_is_whole():
    assert len(TGH) == len(set(TGH)) == 8105
    assert sum(1 for c in TGH if c > 0xFFFF) == 196


@pytest.mark.parametrize("entry", MANIFEST["fonts"], ids=lambda e: e["file"])
def test_checksum_and_coverage(entry):
    path = FONT_DIR / entry["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
    assert path.stat().st_size == entry["bytes"]
    with TTFont(str(path), lazy=True) as font:
        cmap = font.getBestCmap()
        assert "glyf" in font  # TrueType outlines: reportlab can embed them
    assert len(cmap) == entry["characters"]
    assert [c for c in TGH if c not in cmap] == []
    assert sorted(c for c in gb2312() if c not in cmap) == []


def test_every_role_font_is_shipped_with_its_licence():
    assert {e["file"] for e in MANIFEST["fonts"]} == set(FONTS.values())
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "LXGW" in licence and "Adobe" in licence
    assert (ROOT / "fonts" / "build_fonts.py").is_file()


def test_fallback_and_missing_characters_are_reported():
    fonts = FontStack()
    serif, kai = fonts.face("serif"), fonts.face("kai")
    only_in_kai = next(chr(c) for c in sorted(kai.widths) if c > 0x4E00 and c not in serif.widths)
    assert fonts.for_char("中", "body").key == "serif"
    assert fonts.for_char(only_in_kai, "body", "a.txt: 标题").key == "kai"
    assert fonts.missing == []
    nowhere = "\U00013000"  # an Egyptian hieroglyph: no Chinese font has it
    assert fonts.for_char(nowhere, "body", "a.txt: 标题").key == "kai"
    [missing] = fonts.missing
    assert (missing.char, missing.code_point, missing.context) == (nowhere, "U+13000", "a.txt: 标题")
    assert "U+13000" in str(missing) and "last resort" in str(missing)


def test_tounicode_map_writes_surrogate_pairs():
    cmap = make_tounicode_cmap("F", [0x41, 0x4E2D, 0x2C317])
    assert "<00> <0041>" in cmap and "<01> <4E2D>" in cmap and "<02> <D870DF17>" in cmap


def test_text_outside_the_bmp_extracts_back(tmp_path):
    rare = "".join(chr(c) for c in TGH if c > 0xFFFF)[:12]
    text = f"罕见字{rare}测试"
    fonts = FontStack()
    lines = compose([(text, "body", 9.0)], Settings(measure=200, size=9, indent=0), fonts)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, (300, 300), DocInfo(), lines[0].glyphs[0].font)
    for n, line in enumerate(lines):
        draw_line(canvas, line, 20, 250 - 15 * n)
    canvas.showPage()
    canvas.save()
    page = pdfium.PdfDocument(buffer.getvalue())[0]
    extracted = page.get_textpage().get_text_range()
    assert "".join(extracted.split()) == text
    assert fonts.missing == []
    path = tmp_path / "rare.pdf"
    path.write_bytes(buffer.getvalue())
    report = check_pdf(path, text)
    assert report.faults == [] and report.text["equal"]


def test_every_article_reports_each_missing_character_even_inside_a_word():
    fonts = FontStack()
    for article in ("a.txt: 甲", "b.txt: 乙"):
        make_atoms([("符号xᚠᚡ和𓀀𓀀", "body", 9.0)], fonts, context=article)
    reported = [(m.char, m.context) for m in fonts.missing]
    expected = [(ch, article) for article in ("a.txt: 甲", "b.txt: 乙") for ch in ("ᚠ", "ᚡ", "𓀀")]
    assert sorted(reported) == sorted(expected)


def test_parsed_font_tables_are_cached_once_per_font_and_give_the_same_metrics(tmp_path, monkeypatch):
    from publish.typeset.fonts import FONT_DIR, _cached_ttfont

    monkeypatch.setenv("PUBLISH_CACHE", str(tmp_path))
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "PublishSansSC-Bold-old-reportlab0.pickle").write_bytes(b"stale")
    path = FONT_DIR / "PublishSansSC-Bold.ttf"
    parsed = _cached_ttfont("test-parsed", path)
    [entry] = folder.iterdir()  # the stale entry of the same font is gone
    assert entry.name.startswith("PublishSansSC-Bold-sha")
    cached = _cached_ttfont("test-cached", path)
    assert cached.face.charWidths == parsed.face.charWidths and cached.face.charToGlyph == parsed.face.charToGlyph
    assert cached.face._ttf_data == path.read_bytes()
