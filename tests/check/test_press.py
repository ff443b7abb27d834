"""`publish check --press`: one-page fixtures each breaking one press rule are reported with
exactly that rule id; the clean CMYK page reports none."""

from __future__ import annotations

import io
import json
import os
import shutil

import pikepdf
import pytest
from reportlab.pdfgen import canvas
from typer.testing import CliRunner

from publish.check import ink
from publish.check.press import RULES, check_press
from publish.cli import app
from tests.check.standard_pdfs import HIDDEN, SIZE, press_pdf, with_hidden

runner = CliRunner()
PRESS_FAULTS = [rule.removeprefix("press-") for rule in RULES if rule != "press-halftone"]  # a warning: tested with HIDDEN
GS = shutil.which("gs")


def require_gs() -> None:
    if GS is None:
        if os.environ.get("PUBLISH_REQUIRE_TOOLS") == "1":
            pytest.fail("Ghostscript (gs) is not on PATH and PUBLISH_REQUIRE_TOOLS=1")
        pytest.skip("Ghostscript (gs) is not on PATH")


def errors(report) -> set[str]:
    return {f.rule for f in report.faults if not f.warning}


def test_the_clean_press_page_reports_nothing(tmp_path):
    report = check_press(press_pdf(tmp_path))
    assert report.faults == []
    assert report.ok


@pytest.mark.parametrize("fault", PRESS_FAULTS)
def test_each_fixture_is_reported_with_exactly_its_rule(tmp_path, fault):
    report = check_press(press_pdf(tmp_path, fault))
    assert errors(report) == {f"press-{fault}"}, report.summary()


@pytest.mark.parametrize("fault", PRESS_FAULTS)
def test_without_ghostscript_each_fixture_is_still_reported_with_exactly_its_rule(tmp_path, fault):
    report = check_press(press_pdf(tmp_path, fault), render=False)
    assert errors(report) == {f"press-{fault}"}, report.summary()
    assert "measured from the content's CMYK colours and image samples (Ghostscript not used" in report.notes[-1]


def test_the_ink_is_measured_by_ghostscript_with_the_intents_profile(tmp_path):
    require_gs()
    report = check_press(press_pdf(tmp_path, "tac"))
    assert "Ghostscript tiff32nc at 100 dpi with the output profile" in report.notes[-1]
    (fault,) = [f for f in report.faults if f.rule == "press-tac"]
    assert fault.detail.startswith("total ink 360 % over the limit")  # C100 M100 Y100 K60, the same profile in and out


def test_the_limit_is_the_profiles_unless_given(tmp_path):
    path = press_pdf(tmp_path)
    assert errors(check_press(path, render=False)) == set()
    assert errors(check_press(path, tac=150, render=False)) == {"press-tac"}  # the M100 Y100 headline is 200 %
    assert ink.ink_limit(None, "WAN-IFRAnewspaper26v5.icc") == (220.0, "26v5 newsprint")
    assert ink.ink_limit(None, "ISOnewspaper26v4") == (240.0, "26v4 newsprint")


def test_the_fault_line_says_file_page_rule_what_and_where(tmp_path):
    path = press_pdf(tmp_path, "type-size")
    result = runner.invoke(app, ["check", "--press", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0]
        == f"{path}: page 1: press-type-size: one-ink solid K100 text 5.0 pt (under 6 pt) (14 mm from the left, 55 mm from the top)"
    )
    assert lines[1] == f"{path}: press: 1 fault (press-type-size)"
    assert lines[2].startswith(f"{path}: press-tac: max ")


def test_a_clean_file_exits_0_with_its_summary_line(tmp_path):
    path = press_pdf(tmp_path)
    result = runner.invoke(app, ["check", "--press", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{path}: press: no faults"


def test_json_lists_the_faults_with_their_rule_ids(tmp_path):
    result = runner.invoke(app, ["check", "--press", "--json", str(press_pdf(tmp_path, "boxes"))])
    assert result.exit_code == 1
    (report,) = json.loads(result.output)
    assert [f["rule"] for f in report["faults"]] == ["press-boxes"]
    assert report["faults"][0]["page"] == 1


def test_tac_goes_with_press_only(tmp_path):
    result = runner.invoke(app, ["check", "--archive", "--tac", "240", str(press_pdf(tmp_path))])
    assert result.exit_code == 2
    assert "--tac is the press's ink limit: it goes with --press" in result.output


def test_press_does_not_go_with_layout(tmp_path):
    result = runner.invoke(app, ["check", "--press", "--layout", str(press_pdf(tmp_path))])
    assert result.exit_code == 2
    assert "--layout does not go with --press or --archive" in result.output


def test_an_unreadable_file_is_one_line_and_the_others_are_checked(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf")
    good = press_pdf(tmp_path)
    result = runner.invoke(app, ["check", "--press", str(bad), str(good)])
    assert result.exit_code == 1
    assert f"{bad}: cannot read as PDF" in result.output
    assert f"{good}: press: no faults" in result.output
    assert "Traceback" not in result.output


def _with_form(path, draw) -> None:
    """The clean page with a Form XObject (drawn by `draw` on a reportlab canvas) placed on it."""
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=SIZE, invariant=1)
    draw(c)
    c.showPage()
    c.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf, pikepdf.open(io.BytesIO(out.getvalue())) as other:
        form = pdf.copy_foreign(other.pages[0].as_form_xobject())
        page = pdf.pages[0]
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="Fm")
        page.contents_add(pdf.make_stream(f"q 0.5 0 0 0.5 0 0 cm {name} Do Q\n".encode()))
        pdf.save(path, force_version="1.6", deterministic_id=True)


def test_form_xobjects_are_walked_with_their_matrix(tmp_path):
    path = press_pdf(tmp_path)

    def draw(c):
        c.setFillColorCMYK(0, 0, 0, 1)
        c.setFillOverprint(True)
        c.setOverprintMask(1)
        c.setFont("fixture-sans", 10)
        c.drawString(40, 40, "表格")  # 10 pt in the form, 5 pt on the page: the form is drawn at half size

    _with_form(path, draw)
    report = check_press(path, render=False)
    assert errors(report) == {"press-type-size"}
    assert "one-ink solid K100 text 5.0 pt (under 6 pt)" in report.faults[0].detail


def test_implicit_gray_is_a_colour_space_fault(tmp_path):
    path = press_pdf(tmp_path)
    _with_form(path, lambda c: c.rect(40, 40, 20, 20, stroke=0, fill=1))  # reportlab's default: no colour set
    report = check_press(path, render=False)
    assert errors(report) == {"press-colour-space"}
    assert report.faults[0].detail.startswith("fill in DeviceGray (no colour set)")


def test_thin_rules_above_the_hairline_are_warnings(tmp_path):
    path = press_pdf(tmp_path)

    def draw(c):
        c.setStrokeColorCMYK(0, 0, 0, 1)
        c.setStrokeOverprint(True)
        c.setOverprintMask(1)
        c.setLineWidth(0.6)  # 0.3 pt on the page: a column rule
        c.line(40, 40, 400, 40)

    _with_form(path, draw)
    report = check_press(path, render=False)
    assert report.ok
    assert [(f.rule, f.warning) for f in report.faults] == [("press-line-weight", True)]
    assert "line 0.30 pt (under NIAD's 1 pt)" in report.faults[0].detail


def test_a_spot_colours_tint_is_read_from_scn(tmp_path):
    path = press_pdf(tmp_path)

    def draw(c):
        from reportlab.lib.colors import CMYKColorSep

        c.setFillColor(CMYKColorSep(0, 0.5, 1, 0, spotName="Orange", density=0.5))  # a tint: 8 pt at least
        c.setFont("fixture-sans", 14)
        c.drawString(40, 40, "专栏")  # 7 pt on the page

    _with_form(path, draw)
    report = check_press(path, render=False)
    assert [(f.rule, f.detail.split(" (")[0]) for f in report.faults] == [("press-type-size", "one-ink tint text 7.0 pt")]


def test_when_ghostscript_fails_the_ink_is_measured_from_the_content(tmp_path, monkeypatch):
    def broken(*_args):
        raise OSError("Unrecoverable error")

    monkeypatch.setattr(ink, "rendered", broken)
    report = check_press(press_pdf(tmp_path, "tac"), render=True)
    assert errors(report) == {"press-tac"}
    assert (
        "measured from the content's CMYK colours and image samples (Ghostscript failed: Unrecoverable error" in report.notes[-1]
    )


def test_a_page_group_blending_in_rgb_is_a_colour_space_fault(tmp_path):
    path = press_pdf(tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].obj.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceRGB)
        pdf.save(path, force_version="1.6", deterministic_id=True)
    report = check_press(path, render=False)
    assert [(f.rule, f.detail) for f in report.faults] == [
        ("press-colour-space", "the page's transparency group blends in DeviceRGB")
    ]


HIDDEN_RULES = {case: "press-colour-space" for case in HIDDEN} | {"transfer": "press-forbidden", "halftone": ""}


@pytest.mark.parametrize("case", HIDDEN)
@pytest.mark.parametrize("render", [False, None])
def test_colour_and_graphics_state_outside_the_page_content_are_reported(tmp_path, case, render):
    """Patterns' cells, shadings, annotations' appearances, spot colours' alternates, groups' and soft
    masks' blending spaces, transfer functions: each reported with exactly its rule."""
    report = check_press(with_hidden(press_pdf(tmp_path), case), render=render)
    expected = {HIDDEN_RULES[case]} - {""}
    assert errors(report) == expected, report.summary()
    if case != "halftone":
        return
    assert [(f.rule, f.warning) for f in report.faults] == [("press-halftone", True)]


def test_an_rgb_pattern_cell_is_named_and_placed(tmp_path):
    report = check_press(with_hidden(press_pdf(tmp_path), "tiling-rgb"), render=False)
    (fault,) = report.faults
    assert fault.detail.startswith("fill in DeviceRGB (")
    report = check_press(with_hidden(press_pdf(tmp_path), "separation-rgb"), render=False)
    assert report.faults[0].detail.startswith("fill in Separation (DeviceRGB)")


def test_a_spot_colour_with_a_cmyk_alternate_and_a_gray_soft_mask_are_fine(tmp_path):
    path = press_pdf(tmp_path)

    def draw(c):
        from reportlab.lib.colors import CMYKColorSep

        c.setFillColor(CMYKColorSep(0, 0.5, 1, 0, spotName="Orange", density=1))
        c.rect(40, 40, 100, 100, stroke=0, fill=1)

    _with_form(path, draw)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:  # a luminosity mask whose group blends in gray
        page = pdf.pages[0]
        form = pdf.make_stream(b"1 g 0 0 100 100 re f\n")
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 100, 100]
        form.Group = pikepdf.Dictionary(S=pikepdf.Name.Transparency, CS=pikepdf.Name.DeviceGray)
        mask = pikepdf.Dictionary(S=pikepdf.Name.Luminosity, G=form)
        name = page.add_resource(pdf.make_indirect(pikepdf.Dictionary(SMask=mask)), pikepdf.Name.ExtGState, prefix="GS")
        page.contents_add(pdf.make_stream(f"q {name} gs Q\n".encode()))
        pdf.save(path, force_version="1.6", deterministic_id=True)
    assert check_press(path, render=False).faults == []


def test_an_uncoloured_pattern_is_judged_in_its_underlying_space(tmp_path):
    path = press_pdf(tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        page = pdf.pages[0]
        cell = pdf.make_stream(b"0 0 5 5 re f\n")
        cell.Type, cell.PatternType, cell.PaintType, cell.TilingType = pikepdf.Name.Pattern, 1, 2, 1
        cell.BBox, cell.XStep, cell.YStep, cell.Resources = [0, 0, 10, 10], 10, 10, pikepdf.Dictionary()
        pattern = page.add_resource(cell, pikepdf.Name.Pattern, prefix="P")
        space = page.add_resource(
            pikepdf.Array([pikepdf.Name.Pattern, pikepdf.Name.DeviceRGB]), pikepdf.Name.ColorSpace, prefix="CS"
        )
        page.contents_add(pdf.make_stream(f"q {space} cs 1 0 0 {pattern} scn 40 300 100 60 re f Q\n".encode()))
        pdf.save(path, force_version="1.6", deterministic_id=True)
    report = check_press(path, render=False)
    assert [f.rule for f in report.faults] == ["press-colour-space"]
    assert report.faults[0].detail.startswith("fill in Pattern (DeviceRGB)")


def test_a_hidden_annotations_appearance_is_not_printed(tmp_path):
    path = with_hidden(press_pdf(tmp_path), "annotation-rgb")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[0].Annots[0].F = 2  # Hidden
        pdf.save(path, force_version="1.6", deterministic_id=True)
    assert check_press(path, render=False).faults == []


def test_a_group_colour_space_is_no_ink_in_the_own_measure():
    """A transparency group's or soft mask's colour space is where colours blend, not a colour
    printed: the content measure does not count it (a DeviceCMYK group read as 0 0 0 1 was 100 %)."""
    from publish.check.content import Colour, Mark, State

    cmyk = Colour("DeviceCMYK", (0.0, 0.0, 0.0, 1.0), implicit=False)
    red = Colour("DeviceCMYK", (0.0, 1.0, 1.0, 0.0), implicit=False)
    marks = [Mark("group", cmyk, State(), 10, 10), Mark("soft mask", cmyk, State(), 10, 10), Mark("fill", red, State(), 20, 20)]
    assert ink.measured(1, marks).tac == 200
    assert ink.measured(1, marks[:2]).tac == 0
