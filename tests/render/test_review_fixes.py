"""The reviewer's defects of issue 17, each fixed: archive CMYK logos, SVG gradients, text and
<image> in logos, truncated ICC profiles, low-resolution logos, SOURCE_DATE_EPOCH, lone
surrogates in JSON, Ghostscript's blank renders and option-like file names."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from publish.check import ink as check_ink
from publish.errors import ConfigError, ImageError
from publish.layout.grid import Grid
from publish.layout.page import Laid, Page, PlacedImage
from publish.render import icc
from publish.render import pdf as render
from publish.render.output import Output
from tests.render.test_press import images, scan

GRADIENTS = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60">
  <defs>
    <linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#c8161d"/><stop offset="1" stop-color="#1a4fa0"/></linearGradient>
    <radialGradient id="r"><stop offset="0" stop-color="#ffcc00"/><stop offset="1" stop-color="#008000"/></radialGradient>
  </defs>
  <rect width="120" height="60" fill="url(#g)"/>
  <circle cx="160" cy="30" r="25" fill="url(#r)"/>
  <text x="10" y="40" font-family="Helvetica" font-size="20" fill="#c8161d">Daily</text>
  <text x="130" y="55" font-size="8">Evening 日报</text>
</svg>
"""


def one_logo(path: Path, width: float = 200, height: float = 60) -> Laid:
    return Laid([Page("1", images=[PlacedImage(str(path), 20, 20, width, height)])], Grid(width=300, height=300))


def fonts_of(data: bytes) -> dict[str, bool]:
    """Every font on every page (and its forms): its name and whether it is embedded."""
    found = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font.DescendantFonts[0].get("/FontDescriptor")
                embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                found[str(font.BaseFont)] = embedded
    return found


def test_an_archive_pdf_draws_a_cmyk_logo_in_srgb(tmp_path):
    logo = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (600, 180), (0, 230, 230, 20)).save(logo, quality=95)
    archive = images(render.render_pages(one_logo(logo), render.DocInfo(), output=Output("archive")))
    plain = images(render.render_pages(one_logo(logo), render.DocInfo(), output=Output("plain")))
    assert [space for space, _d, _p in plain] == ["/DeviceCMYK"]
    [(space, _decode, picture)] = archive
    assert space == "/DeviceRGB"
    red, green, blue = picture.getpixel((10, 10))
    assert red > 150 and green < 80 and blue < 80  # still the logo's red
    twice = render.render_pages(one_logo(logo), render.DocInfo(), output=Output("archive"))
    assert twice == render.render_pages(one_logo(logo), render.DocInfo(), output=Output("archive"))


def test_svg_gradients_are_separated_for_the_press(tmp_path):
    svg = tmp_path / "gradients.svg"
    svg.write_text(GRADIENTS)
    data = render.render_pages(one_logo(svg), render.DocInfo(), output=Output("press"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        shadings = pdf.pages[0].Resources.Shading
        assert len(shadings) == 2
        assert {str(shading.ColorSpace) for shading in shadings.values()} == {"/DeviceCMYK"}
    assert scan(data) == []  # its black text overprints, as the page's does
    assert data == render.render_pages(one_logo(svg), render.DocInfo(), output=Output("press"))


@pytest.mark.parametrize("standard", ["plain", "press", "archive"])
def test_svg_text_is_set_in_an_embedded_font(tmp_path, standard):
    """svglib would set it in Helvetica (unembedded) or a system font it finds: it takes the
    canvas's initial font, one of ours (an issue's first line's)."""
    from publish.layout.page import Drawn
    from publish.typeset import FontStack
    from publish.typeset.compose import Glyph, Line

    svg = tmp_path / "text.svg"
    svg.write_text(GRADIENTS)
    face = FontStack().for_char("正", "body").name
    line = Line([Glyph("正", face, 9.0, 0.0, 9.0)], 9.0, 9.0, 0.0)
    laid = one_logo(svg)
    laid.pages[0].lines.append(Drawn(line, 20, 200))
    data = render.render_pages(laid, render.DocInfo(), output=Output(standard))
    found = fonts_of(data)
    assert len(found) == 1 and all(found.values()), found  # the page's own font, embedded: no Helvetica, no system font


def test_an_svg_with_an_image_is_one_line(tmp_path):
    png = tmp_path / "dot.png"
    Image.new("RGB", (40, 20), (0, 128, 255)).save(png)
    svg = tmp_path / "image.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60">'
        '<image x="10" y="10" width="40" height="20" xlink:href="dot.png"/></svg>'
    )
    with pytest.raises(ImageError) as caught:
        render.render_pages(one_logo(svg), render.DocInfo())
    assert str(caught.value) == (
        f"{svg}: logo is an SVG with an embedded <image>, which cannot be drawn: give the image file as the logo"
    )
    with pytest.raises(ImageError):
        render.check_logo(str(svg))  # before anything is typeset


def test_a_truncated_icc_profile_is_one_line(tmp_path):
    whole = icc.BUNDLED.read_bytes()
    half = tmp_path / "half.icc"
    half.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ConfigError) as caught:
        icc.press_profile(str(half))
    assert str(caught.value) == f"{half}: not a usable ICC profile (cannot build transform)"


def test_a_logo_below_150_ppi_is_reported(tmp_path):
    small = tmp_path / "small.png"
    Image.new("RGB", (100, 30), (200, 22, 29)).save(small)  # 200 pt wide: 36 ppi
    sharp = tmp_path / "sharp.png"
    Image.new("RGB", (900, 270), (200, 22, 29)).save(sharp)  # 162 ppi
    said: list[str] = []

    def heard(_image, problem) -> None:
        said.append(str(problem))

    for standard in ("plain", "press"):
        render.render_pages(one_logo(small), render.DocInfo(), 1, heard, Output(standard))
        assert said == [f"logo {small} prints at 36 ppi (below 150)"]
        said.clear()
        render.render_pages(one_logo(sharp), render.DocInfo(), 1, heard, Output(standard))
        assert said == []


def test_a_malformed_source_date_epoch_is_one_line(monkeypatch):
    laid = Laid([Page("1")], Grid(width=300, height=300))
    for value in ("abc", "1.5", "-1", "99999999999999"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
        with pytest.raises(ConfigError) as caught:
            render.render_pages(laid, render.DocInfo())
        assert str(caught.value) == (
            f"SOURCE_DATE_EPOCH: must be a whole number of seconds since 1970-01-01 UTC (at most 253402300799), not {value!r}"
        )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    render.render_pages(laid, render.DocInfo())


@pytest.mark.parametrize("name", ["a.json", "a.jsonl"])
def test_a_lone_surrogate_in_json_is_replaced_and_said(tmp_path, name):
    """Half a character (a broken \\u escape) is lost already: the record is kept, the place of
    the loss shows as U+FFFD, and a warning names the file and line (an error under --strict)."""
    import publish
    from publish.pipeline import newspaper_pdfs

    path = tmp_path / name
    path.write_text('{"title": "标题", "text": "第一段\\ud800正文。"}\n', encoding="utf-8")
    result = publish.collect([path])
    assert result.errors == []
    assert [str(w) for w in result.warnings] == [
        f"{path}:1: record 1: lone surrogate \\ud800 (half of a broken \\u escape) replaced by U+FFFD: the character is lost"
    ]
    [article] = result.articles
    assert "第一段\ufffd正文。" in json.dumps(article.to_dict(), ensure_ascii=False)
    [issue] = newspaper_pdfs(result.articles, jobs=1)  # typeset and drawn: no UnicodeEncodeError
    assert issue.data.startswith(b"%PDF")


def test_a_lone_surrogate_in_yaml_front_matter_is_replaced_and_said(tmp_path):
    import publish
    from publish.pipeline import newspaper_pdfs

    path = tmp_path / "a.md"
    path.write_text('---\ntitle: "标题\\ud800"\n---\n\n正文第一段。\n', encoding="utf-8")
    result = publish.collect([path])
    assert [str(w) for w in result.warnings] == [
        f"{path}:1: front matter: lone surrogate \\ud800 (half of a broken \\u escape) replaced by U+FFFD: the character is lost"
    ]
    [issue] = newspaper_pdfs(result.articles, jobs=1)
    assert issue.data.startswith(b"%PDF")


def require_gs() -> None:
    if shutil.which("gs") is None:
        if os.environ.get("PUBLISH_REQUIRE_TOOLS") == "1":
            pytest.fail("Ghostscript (gs) is not on PATH and PUBLISH_REQUIRE_TOOLS=1")
        pytest.skip("Ghostscript (gs) is not on PATH")


def inked_page(path: Path) -> None:
    from reportlab.pdfgen import canvas

    page = canvas.Canvas(str(path), pagesize=(200, 200), invariant=True)
    page.setFillColorCMYK(0, 1, 1, 0)
    page.rect(20, 20, 100, 100, fill=1, stroke=0)
    page.save()


def test_ghostscript_is_given_an_absolute_path(tmp_path, monkeypatch):
    require_gs()
    path = tmp_path / "-x.pdf"
    inked_page(path)
    monkeypatch.chdir(tmp_path)
    with pikepdf.open(path) as pdf:
        [measure] = check_ink.rendered(Path("-x.pdf"), None, list(pdf.pages))
    assert measure.tac > 150


def test_a_blank_render_of_an_inked_page_is_a_failed_measurement(tmp_path, monkeypatch):
    """A Ghostscript that renders nothing (here a stand-in writing blank pages) is not 0 % ink."""
    fake = tmp_path / "gs"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nfrom PIL import Image\n"
        "out = sys.argv[sys.argv.index('-o') + 1]\nImage.new('CMYK', (10, 10)).save(out % 1)\n"
    )
    fake.chmod(0o755)
    monkeypatch.setattr(check_ink, "ghostscript", lambda: str(fake))
    path = tmp_path / "inked.pdf"
    inked_page(path)
    with pikepdf.open(path) as pdf, pytest.raises(OSError) as caught:
        check_ink.rendered(path, None, list(pdf.pages))
    assert str(caught.value) == "it rendered page 1 blank, though the page puts ink on it"
    from publish.check.press import check_press

    report = check_press(path, render=True)
    assert "Ghostscript failed: it rendered page 1 blank, though the page puts ink on it" in report.notes[-1]
