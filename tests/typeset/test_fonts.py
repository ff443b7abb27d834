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
from publish.typeset.fonts import FONT_DIR, FONTS, MISSING_MARK, ROLES, make_tounicode_cmap
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
    if entry.get("role") == "fallback":  # only what the common subsets lack: they stay first and fast
        with TTFont(str(FONT_DIR / FONTS["serif"]), lazy=True) as common:
            assert set(cmap).isdisjoint(common.getBestCmap())
            # together: every character a Noto Serif/Sans CJK SC face has (both are subsets of those)
            assert len(set(cmap) | set(common.getBestCmap())) == entry["noto_sc_characters"] == 44810
        assert all(ord(c) in cmap for c in RARE)
        assert entry["glyphs"] <= 65535
        return
    assert [c for c in TGH if c not in cmap] == []
    assert sorted(c for c in gb2312() if c not in cmap) == []


def test_every_role_font_is_shipped_with_its_licence():
    assert {e["file"] for e in MANIFEST["fonts"]} == set(FONTS.values())
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "LXGW" in licence and "Adobe" in licence
    assert (ROOT / "fonts" / "build_fonts.py").is_file()


def test_fallback_and_missing_characters_are_reported():
    fonts = FontStack()
    serif, extra, kai = fonts.face("serif"), fonts.face("serif-extra"), fonts.face("kai")
    only_in_kai = next(chr(c) for c in sorted(kai.widths) if c > 0x4E00 and c not in serif.widths and c not in extra.widths)
    assert fonts.for_char("中", "body").key == "serif"
    assert fonts.for_char("㘃", "body").key == "serif-extra"  # the rare-character face before WenKai
    in_both = next(chr(c) for c in sorted(kai.widths) if c >= 0x3400 and c in extra.widths)
    assert fonts.for_char(in_both, "body").key == "serif-extra"
    assert fonts.for_char(in_both, "caption").key == "kai"  # a 楷 role keeps its own face where it has the character
    assert fonts.for_char(only_in_kai, "body", "a.txt: 标题").key == "kai"
    assert fonts.missing == []
    nowhere = "\U00013000"  # an Egyptian hieroglyph: no Chinese font has it
    assert fonts.for_char(nowhere, "body", "a.txt: 标题").covers(MISSING_MARK)  # the face that draws 〓 instead
    assert fonts.for_char(nowhere, "headline", "a.txt: 标题").covers(MISSING_MARK)
    [missing] = fonts.missing  # once per file and article, whatever the roles
    assert (missing.char, missing.code_point, missing.context) == (nowhere, "U+13000", "a.txt: 标题")
    assert str(missing) == "a.txt: 标题: no bundled font has '\U00013000' (U+13000); printed as 〓"


def test_the_rare_character_face_loads_only_when_a_text_needs_it():
    fonts = FontStack()
    make_atoms([("中文和English，全角标点。①②", "body", 9.0), ("标题", "headline", 20.0)], fonts)
    assert "serif-extra" not in fonts.loaded() and "kai" not in fonts.loaded()
    make_atoms([("姓㘃", "body", 9.0)], fonts)
    assert "serif-extra" in fonts.loaded()


# Extension A, URO beyond 通用规范, B, C, D, E, F, G, compatibility ideographs (and supplement), Hangul; the common 䶮 堃 𬌗
RARE = "㘃㐀龘𠮷𪧦𫝆𬂁𭕄𰻞﨑\U0002f804가"
COMMON_RARE = "䶮堃𬌗"


def glyphs_drawn(data: bytes) -> dict[str, tuple[str, int, int]]:
    """Each character of the PDF's embedded TrueType subsets → (font, glyph id, contours), read
    from the font programs and their ToUnicode maps."""
    from pypdf import PdfReader

    from publish.check.pdf import _to_unicode

    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            with TTFont(io.BytesIO(program)) as tt:
                cmap = tt["cmap"].getcmap(3, 0) or tt["cmap"].getcmap(1, 0) or tt["cmap"].getcmap(3, 1)
                for code, char in _to_unicode(font).items():
                    name = cmap.cmap.get(code) or cmap.cmap.get(0xF000 + code)
                    glyph = tt["glyf"][name] if name else None
                    found[char] = (
                        str(font["/BaseFont"]),
                        tt.getGlyphID(name) if name else 0,
                        glyph.numberOfContours if glyph else 0,
                    )
    return found


def drawn_pdf(runs: list[tuple[str, str, float]], fonts: FontStack) -> bytes:
    buffer = io.BytesIO()
    lines = [line for run in runs for line in compose([run], Settings(measure=400, size=run[2], indent=0), fonts)]
    canvas = new_canvas(buffer, (500, 60 + 40 * len(lines)), DocInfo(), lines[0].glyphs[0].font)
    for n, line in enumerate(lines):
        draw_line(canvas, line, 20, 20 + 40 * (len(lines) - n))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_rare_characters_print_with_a_real_glyph_in_every_role(role):
    fonts = FontStack()
    data = drawn_pdf([(f"姓{RARE}{COMMON_RARE}名", role, 12.0)], fonts)
    assert fonts.missing == []
    drawn = glyphs_drawn(data)
    for char in RARE + COMMON_RARE:
        font, glyph_id, contours = drawn[char]
        assert glyph_id != 0 and contours > 0, (role, char, font)  # not .notdef, not empty
    assert drawn["𰻞"][0].split("+")[1] in ("PublishSerifSCExtra-Regular", "LXGWWenKai-Regular")  # the 楷 roles: WenKai
    page = pdfium.PdfDocument(data)[0]
    assert "".join(page.get_textpage().get_text_range().split()) == f"姓{RARE}{COMMON_RARE}名"


def test_a_character_no_font_has_prints_as_the_missing_mark_and_check_flags_it(tmp_path):
    fonts = FontStack()
    data = drawn_pdf([("甲\U00013000乙\U00013000丙", "body", 12.0), ("标\U00013000题", "headline", 20.0)], fonts)
    assert [m.code_point for m in fonts.missing] == ["U+13000"]
    text = "".join(pdfium.PdfDocument(data)[0].get_textpage().get_text_range().split())
    assert text == "甲〓乙〓丙标〓题"
    _, glyph_id, contours = glyphs_drawn(data)[MISSING_MARK]
    assert glyph_id != 0 and contours > 0
    path = tmp_path / "missing.pdf"
    path.write_bytes(data)
    report = check_pdf(path)
    assert [f.kind for f in report.faults] == ["missing character (〓)"] * 3 and not report.ok
    quoted = check_pdf(path, "甲〓乙〓丙标〓题")  # a source that itself holds 〓 (it quotes the mark)
    assert quoted.faults == [] and quoted.ok
    against = check_pdf(path, "甲\U00013000乙\U00013000丙标\U00013000题")
    assert sorted({f.kind for f in against.faults}) == ["missing character (〓)", "text differs from the source"]


def test_variation_selectors_no_font_draws_are_left_out_not_marked(tmp_path):
    fonts = FontStack()
    source = "葛\U000e0100城\u200d市"
    data = drawn_pdf([(source, "body", 12.0)], fonts)
    assert fonts.missing == [] and "serif-extra" not in fonts.loaded()  # nothing searched for them
    assert "".join(pdfium.PdfDocument(data)[0].get_textpage().get_text_range().split()) == "葛城市"
    path = tmp_path / "ivs.pdf"
    path.write_bytes(data)
    assert check_pdf(path, source).text["equal"] and check_pdf(path, [source]).text["equal"]  # the check reads them alike


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
    (folder / "PublishSansSC-Bold-old-reportlab0.tables").write_bytes(b"stale")
    (folder / "PublishSansSC-Bold-old-reportlab0.pickle").write_bytes(b"the format before the tables were kept apart")
    path = FONT_DIR / "PublishSansSC-Bold.ttf"
    parsed = _cached_ttfont("test-parsed", path)
    [entry] = folder.iterdir()  # the stale entries of the same font are gone
    assert entry.name.startswith("PublishSansSC-Bold-sha")
    cached = _cached_ttfont("test-cached", path)
    assert cached.face.charWidths == parsed.face.charWidths and cached.face.charToGlyph == parsed.face.charToGlyph
    assert cached.face._ttf_data == path.read_bytes()


def test_cached_tables_load_once_under_threads_and_a_font_replaced_meanwhile_is_an_error(tmp_path, monkeypatch):
    import shutil
    import sys
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from publish.errors import FontError
    from publish.typeset.fonts import FONT_DIR, _cached_ttfont

    monkeypatch.setenv("PUBLISH_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "PublishSerifSC-Regular.ttf"
    shutil.copy(FONT_DIR / "PublishSerifSC-Regular.ttf", path)
    parsed = _cached_ttfont("test-threads-parsed", path)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as they can: the race shows if there is one
    try:
        for n in range(60):
            face = _cached_ttfont(f"test-threads-{n}", path).face
            together = threading.Barrier(6)

            def tables(_, face=face, together=together):
                together.wait()
                return face.hmetrics, face.charToGlyph, face.glyphPos, face.glyphToChar

            with ThreadPoolExecutor(6) as pool:
                seen = list(pool.map(tables, range(6)))
            assert all(t[0] == parsed.face.hmetrics and t[1] == parsed.face.charToGlyph for t in seen)
    finally:
        sys.setswitchinterval(interval)
    face = _cached_ttfont("test-replaced", path).face
    shutil.copy(FONT_DIR / "PublishSansSC-Bold.ttf", path)  # another font put in its place before the first subset
    with pytest.raises(FontError, match="changed while publish was running"):
        face._ttf_data  # noqa: B018
