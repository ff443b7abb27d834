"""`--standard press`: pages drawn in DeviceCMYK only, black text and rules 100 % K overprinted
(op/OP true, OPM 1), photos and logos separated to the press profile within its ink limit, and
the profile found, checked and described (render/icc.py)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageCms

import publish
from publish import pipeline
from publish.errors import ConfigError
from publish.layout.flow import flow_articles
from publish.layout.grid import Grid
from publish.layout.page import Colour, Laid, Page, PlacedImage
from publish.layout.template import load_template, parse_template
from publish.render import icc
from publish.render import pdf as render
from publish.render.output import Output
from publish.typeset import FontStack
from tests.conftest import EXAMPLES

COLOUR_OPERATORS = {"rg", "RG", "g", "G", "k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}
SHOWS_TEXT = {"TJ", "Tj", "'", '"'}
PAINTS_FILL = {"f", "F", "f*", "B", "B*", "b", "b*"}
PAINTS_STROKE = {"S", "s", "B", "B*", "b", "b*"}


def press_pdfs(monkeypatch, output: Output) -> list[bytes]:
    """The examples' newspaper PDFs made for `output` (as `publish pdf --standard press` makes them)."""
    articles = publish.collect([EXAMPLES]).articles
    return [made.data for made in pipeline.newspaper_pdfs(articles, jobs=1, output=output)]


@pytest.fixture(scope="module")
def examples_press():
    with pytest.MonkeyPatch.context() as monkeypatch:
        return press_pdfs(monkeypatch, Output("press"))


def scan(data: bytes) -> list[str]:
    """Every colour fault of a press PDF's pages: an RGB or grey operator, a colour space, text or
    a line (stroke) in black that does not overprint (op/OP true with OPM 1), anything painted
    before a CMYK colour is set (DeviceGray black, the PDF's default). Black shapes (a logo's)
    may knock out."""
    faults = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            states = page.Resources.get("/ExtGState", {})
            state = {"fill": None, "stroke": None, "op": False, "OP": False, "OPM": 0}
            stack = []
            for instruction in pikepdf.parse_content_stream(page.obj):
                op, operands = str(instruction.operator), instruction.operands
                if op == "q":
                    stack.append(dict(state))
                elif op == "Q":
                    state = stack.pop()
                elif op == "gs":
                    given = states[operands[0]]
                    state.update({key: given[f"/{key}"] for key in ("op", "OP", "OPM") if f"/{key}" in given})
                    if "/OP" in given and "/op" not in given:
                        state["op"] = given["/OP"]  # op defaults to OP
                elif op in ("k", "K"):
                    state["fill" if op == "k" else "stroke"] = tuple(float(v) for v in operands)
                elif op in COLOUR_OPERATORS:
                    faults.append(f"page {number}: {op} {[str(v) for v in operands]}")
                for paints, which, flag in ((SHOWS_TEXT | PAINTS_FILL, "fill", "op"), (PAINTS_STROKE, "stroke", "OP")):
                    if op in paints:
                        colour = state[which]
                        if colour is None:
                            faults.append(f"page {number}: {op} in DeviceGray (no CMYK {which} colour set)")
                        elif (
                            colour == (0, 0, 0, 1)
                            and not (which == "fill" and op in PAINTS_FILL)
                            and not (state[flag] and state["OPM"] == 1)
                        ):
                            faults.append(f"page {number}: {op} in black without overprint ({state})")
    return faults


def images(data: bytes) -> list[pikepdf.Object]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = []
        for page in pdf.pages:
            for xobject in page.Resources.get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Image":
                    jpeg = xobject.get("/Filter") == "/DCTDecode"  # Pillow reads its inks (the Adobe convention) right
                    picture = (
                        Image.open(io.BytesIO(xobject.read_raw_bytes())) if jpeg else pikepdf.PdfImage(xobject).as_pil_image()
                    )
                    picture.load()
                    found.append((str(xobject.ColorSpace), xobject.get("/Decode") is not None, picture))
        return found


def test_a_press_pdf_of_the_examples_draws_in_cmyk_only_with_black_overprinted(examples_press):
    assert len(examples_press) == 3
    for data in examples_press:
        assert scan(data) == []
        text = b"".join(
            pikepdf.unparse_content_stream(pikepdf.parse_content_stream(p.obj)) for p in pikepdf.open(io.BytesIO(data)).pages
        )
        assert b"/GSop gs\n0 0 0 1 k\n0 0 0 1 K" in text  # every page starts in overprinting K100
        assert b"0 1 1 0 k" in text  # the masthead's red, M100 Y100 as the template gives it


def test_the_scan_finds_what_a_plain_pdf_does(monkeypatch):
    """The plain standard stays RGB and grey (unchanged): the scan above would see it."""
    [daily] = [data for data in press_pdfs(monkeypatch, Output("plain")) if len(data) > 1_000_000]
    faults = scan(daily)
    assert any(" rg " in f for f in faults) and any("DeviceGray" in f for f in faults)


def test_photos_in_a_press_pdf_are_cmyk_and_within_the_ink_limit(examples_press):
    found = [image for data in examples_press for image in images(data)]
    assert len(found) >= 4
    limit = icc.press_profile().limit
    for space, _decode, picture in found:
        assert space == "/DeviceCMYK" and picture.mode == "CMYK"
        inks = np.asarray(picture, dtype=np.int32).sum(axis=2)
        assert np.percentile(inks, 99.9) <= limit  # (JPEG's rounding may add a little here and there: Ghostscript's test)


def test_a_press_pdf_is_the_same_bytes_twice(examples_press, monkeypatch):
    icc._read.cache_clear()
    icc.grey_ramp.cache_clear()
    icc._transform.cache_clear()
    assert press_pdfs(monkeypatch, Output("press")) == examples_press


def require_gs() -> str:
    """Ghostscript, or skip (fail under PUBLISH_REQUIRE_TOOLS=1) when it is not on PATH."""
    found = shutil.which("gs")
    if found:
        return found
    if os.environ.get("PUBLISH_REQUIRE_TOOLS") == "1":
        pytest.fail("Ghostscript (gs) is not on PATH; PUBLISH_REQUIRE_TOOLS=1 makes it required")
    pytest.skip("Ghostscript (gs) is not on PATH")


def total_ink(path: Path, profile: str, tmp_path: Path) -> float:
    """The most ink (percent) on any 15 mm² of any page, as the press would lay it down:
    Ghostscript renders to CMYK (tiff32nc, 100 dpi) with the press profile (print.md §3)."""
    tiff = tmp_path / "ink.tif"
    gs = require_gs()
    run = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", "-r100"]
    subprocess.run([*run, f"-sDefaultCMYKProfile={profile}", f"-sOutputICCProfile={profile}", "-o", tiff, path], check=True)
    side = round(15**0.5 / 25.4 * 100)  # px of a 3.9 mm square at 100 dpi
    most = 0.0
    with Image.open(tiff) as pages:
        for n in range(pages.n_frames):
            pages.seek(n)
            ink = np.asarray(pages.convert("CMYK"), dtype=np.float64).sum(axis=2) * 100 / 255
            sums = np.pad(ink, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
            windows = sums[side:, side:] - sums[:-side, side:] - sums[side:, :-side] + sums[:-side, :-side]
            most = max(most, float(windows.max()) / side**2)
    return most


@pytest.mark.parametrize("tac", [None, 200.0])
def test_ghostscript_measures_the_total_ink_within_the_limit(monkeypatch, tmp_path, tac):
    profile = icc.press_profile(None, tac)
    measured = []
    for n, data in enumerate(press_pdfs(monkeypatch, Output("press", tac=tac))):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(data)
        measured.append(total_ink(path, profile.path, tmp_path))
    assert max(measured) <= profile.tac
    assert max(measured) >= profile.tac - 25  # the photos' shadows do reach it (the limit is not far below)


def test_the_press_profile_is_found_checked_and_described(tmp_path, monkeypatch):
    bundled = icc.press_profile()
    assert Path(bundled.path) == icc.BUNDLED
    assert (
        bundled.data[36:40] == b"acsp" and bundled.data == (EXAMPLES.parent / "publish/data/icc/CGATS21_CRPC1.icc").read_bytes()
    )
    assert (bundled.description, bundled.condition, bundled.tac) == ("CGATS21_CRPC1 V2.icc", "CGATS21_CRPC1", 240.0)
    assert icc.press_profile(None, 220).tac == 220
    system = tmp_path / "WAN-IFRAnewspaper26v5.icc"
    system.write_bytes(bundled.data)
    monkeypatch.setattr(icc, "SYSTEM_PROFILES", (str(tmp_path / "missing.icc"), str(system)))
    found = icc.press_profile()
    assert (found.path, found.condition, found.tac) == (str(system), "WAN-IFRAnewspaper26v5", 220.0)
    given = tmp_path / "ours.icc"
    given.write_bytes(bundled.data)
    assert icc.press_profile(str(given)).path == str(given)


def test_an_unknown_cmyk_profile_limits_ink_to_what_it_separates_black_to():
    swop = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Ghostscript's own (Debian libgs-common)
    if not swop.is_file():
        pytest.skip(f"no unknown CMYK profile here to try ({swop})")
    profile = icc.press_profile(str(swop))
    assert profile.condition == profile.description and 250 <= profile.tac <= 400


def test_a_bad_press_profile_is_one_line(tmp_path):
    text = tmp_path / "notes.icc"
    text.write_text("not a profile\n" * 20)
    rgb = tmp_path / "srgb.icc"
    rgb.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    cases = [
        (str(tmp_path / "missing.icc"), None, f"{tmp_path}/missing.icc: ICC profile not found"),
        (str(text), None, f"{text}: not an ICC profile"),
        (str(rgb), None, f"{rgb}: not a CMYK output profile (it is RGB mntr)"),
        (None, 50.0, "tac: must be from 100 to 400 (percent), not 50"),
    ]
    for path, tac, message in cases:
        with pytest.raises(ConfigError) as caught:
            icc.press_profile(path, tac)
        assert str(caught.value) == message
    laid = Laid([Page("1")], Grid(width=300, height=300))
    with pytest.raises(ConfigError, match="not an ICC profile"):  # before anything is drawn
        render.render_pages(laid, render.DocInfo(), output=Output("press", icc=str(text)))


def test_the_galley_pdf_draws_for_the_press_too():
    flow = flow_articles(publish.load(EXAMPLES / "plain"), FontStack(), jobs=1)
    data = render.render_flow(flow, render.DocInfo(title="galley"), output=Output("press"))
    assert scan(data) == []


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
  <rect x="0" y="0" width="200" height="60" fill="#c8161d"/>
  <circle cx="30" cy="30" r="20" fill="#ffffff" stroke="#000000" stroke-width="2"/>
  <path d="M60 10 L190 10 L190 50 Z" fill="#1a4fa0" fill-opacity="0.5"/>
  <rect x="70" y="40" width="20" height="10" fill="#808080"/>
  <rect x="100" y="40" width="20" height="10"/>
</svg>
"""


def logo_page(tmp_path) -> Laid:
    svg = tmp_path / "logo.svg"
    svg.write_text(SVG)
    png = tmp_path / "logo.png"
    image = Image.new("RGBA", (480, 160), (200, 22, 29, 255))  # 288 ppi in its box (below 150: a warning)
    image.putpixel((0, 0), (0, 0, 0, 0))
    image.save(png)
    logos = [PlacedImage(str(svg), 20, 20, 200, 60), PlacedImage(str(png), 20, 120, 120, 40)]
    return Laid([Page("1", images=logos)], Grid(width=300, height=300))


def test_logos_are_separated_for_the_press(tmp_path):
    laid = logo_page(tmp_path)
    data = render.render_pages(laid, render.DocInfo(), output=Output("press"))
    assert scan(data) == []
    [(space, decode, picture)] = images(data)
    assert space == "/DeviceCMYK" and not decode and picture.getpixel((0, 0)) == (0, 0, 0, 0)  # transparent: paper
    with pikepdf.open(io.BytesIO(data)) as pdf:
        text = pikepdf.unparse_content_stream(pikepdf.parse_content_stream(pdf.pages[0].obj))
    assert b"/GSko gs" in text  # the logo knocks out: its white circle stays white
    assert b"0 0 0 .353 k" in text  # its grey in black ink alone
    plain = render.render_pages(laid, render.DocInfo(), output=Output("plain"))
    assert b"/GSko" not in plain and images(plain)[0][0] == "/DeviceRGB"


def test_a_logo_stays_within_the_ink_limit(tmp_path):
    """Black shapes on its red ground knock out (overprinted, they would add K100 to 207 %)."""
    path = tmp_path / "logo.pdf"
    path.write_bytes(render.render_pages(logo_page(tmp_path), render.DocInfo(), output=Output("press")))
    profile = icc.press_profile()
    assert total_ink(path, profile.path, tmp_path) <= profile.tac


def test_greyscale_photos_print_in_black_ink_alone(tmp_path):
    grey = tmp_path / "grey.png"
    Image.linear_gradient("L").resize((300, 200)).save(grey)
    laid = Laid(
        [Page("1", images=[PlacedImage(str(grey), 20, 20, 200, 130, cover=True, article=0)])], Grid(width=300, height=300)
    )
    [(space, _decode, picture)] = images(render.render_pages(laid, render.DocInfo(), output=Output("press")))
    c, m, y, k = picture.split()
    assert space == "/DeviceCMYK" and c.getextrema() == m.getextrema() == y.getextrema() == (0, 0)
    assert k.getextrema()[0] <= 10 and k.getextrema()[1] >= 240  # white paper to solid black


def test_the_ink_limit_keeps_black_and_scales_the_colours():
    dark = Image.new("CMYK", (2, 1))
    dark.putpixel((0, 0), (200, 200, 200, 250))
    dark.putpixel((1, 0), (10, 10, 10, 10))
    limited = icc.limit_ink(dark, 510)
    assert limited.getpixel((0, 0))[3] == 250 and sum(limited.getpixel((0, 0))) <= 510
    assert limited.getpixel((1, 0)) == (10, 10, 10, 10)


def test_template_colours_carry_the_press_inks():
    template = load_template("broadsheet")
    assert template.colours["masthead"] == Colour((200 / 255, 22 / 255, 29 / 255), (0.0, 1.0, 1.0, 0.0))
    assert template.colours["text"].cmyk == template.colours["rule"].cmyk == (0.0, 0.0, 0.0, 1.0)
    text = Path(template.source).read_text(encoding="utf-8")
    mine = parse_template(
        __import__("tomllib").loads(
            text.replace('masthead = { rgb = "#c8161d", cmyk = [0, 100, 100, 0] }', 'masthead = "#666666"')
        )
    )
    assert mine.colours["masthead"] == Colour((0.4, 0.4, 0.4))  # the press separates it: black ink alone
    profile = icc.press_profile()
    assert icc.separate_colour(profile, (0.4, 0.4, 0.4))[:3] == (0.0, 0.0, 0.0)


def test_a_cmyk_photo_without_a_profile_keeps_its_inks_within_the_limit(tmp_path):
    """Untagged CMYK is taken as the press's own (not converted), only held under the limit; a
    JPEG that plain output would embed byte for byte is encoded again for the press."""
    from publish.render.images import prepare_photo

    profile = icc.press_profile()
    for inks, expected in (((30, 200, 150, 40), (30, 200, 150, 40)), ((250, 250, 250, 250), None)):
        path = tmp_path / f"{inks[0]}.jpg"
        Image.new("CMYK", (400, 300), inks).save(path, quality=95)
        assert prepare_photo(str(path), 200, 150).passed
        prepared = prepare_photo(str(path), 200, 150, profile)
        assert not prepared.passed and prepared.mode == "CMYK"
        printed = Image.open(io.BytesIO(prepared.data)).getpixel((10, 10))
        if expected:
            assert max(abs(a - b) for a, b in zip(printed, expected, strict=True)) <= 2
        else:
            assert printed[3] >= 248 and sum(printed) <= profile.limit  # black kept, the colours scaled down


def test_an_archive_pdf_holds_no_cmyk_photo(monkeypatch):
    """PDF/A under an sRGB output intent: the examples' CMYK JPEG is made sRGB (plain keeps it)."""
    archive = [image for data in press_pdfs(monkeypatch, Output("archive")) for image in images(data)]
    plain = [image for data in press_pdfs(monkeypatch, Output("plain")) for image in images(data)]
    assert "/DeviceCMYK" in {space for space, _decode, _picture in plain}
    assert {space for space, _decode, _picture in archive} <= {"/DeviceRGB", "/DeviceGray"}
    assert len(archive) == len(plain)


def test_publish_check_press_finds_no_fault_in_the_examples_press_pdfs(examples_press, tmp_path):
    """What a press operator runs on our press PDFs: no fault (the thin rules are warnings under
    NIAD's 1 pt), the red paper name in the running heads included (two inks, so ≥ 10 pt)."""
    from publish.check.press import check_press

    for n, data in enumerate(examples_press):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(data)
        report = check_press(path, render=False)
        assert report.errors == [], report.summary()
        assert {f.rule for f in report.faults} <= {"press-line-weight"}
