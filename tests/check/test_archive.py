"""`publish check --archive`: one-page fixtures each breaking one PDF/A-2u rule are reported with
exactly that rule id; the clean sRGB page reports none."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pikepdf
import pytest
from typer.testing import CliRunner

from publish.check.archive import RULES, check_archive, pdf_date, xmp_date
from publish.cli import app
from tests.check.standard_pdfs import ROOT, archive_pdf, with_hidden

runner = CliRunner()


def errors(report) -> set[str]:
    return {f.rule for f in report.faults if not f.warning}


def test_the_clean_archive_page_reports_nothing(tmp_path):
    report = check_archive(archive_pdf(tmp_path))
    assert report.faults == []


@pytest.mark.parametrize("fault", [rule.removeprefix("archive-") for rule in RULES])
def test_each_fixture_is_reported_with_exactly_its_rule(tmp_path, fault):
    report = check_archive(archive_pdf(tmp_path, fault))
    assert errors(report) == {f"archive-{fault}"}, report.summary()


def test_info_and_xmp_must_agree(tmp_path):
    path = archive_pdf(tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.trailer.Info.Title = "另一个标题"
        pdf.save(path, deterministic_id=True)
    report = check_archive(path)
    assert [f.detail for f in report.faults] == ["Info /Title '另一个标题' but XMP dc:title '样张'"]


def test_an_intent_per_standard_must_share_one_profile(tmp_path):
    path = archive_pdf(tmp_path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        first = pdf.Root.OutputIntents[0]
        second = pikepdf.Dictionary({key: first[key] for key in first})
        second.S = pikepdf.Name.GTS_PDFX
        second.DestOutputProfile = pdf.make_stream(first.DestOutputProfile.read_bytes())
        pdf.Root.OutputIntents.append(second)
        pdf.save(path, deterministic_id=True)
    report = check_archive(path)
    assert errors(report) == {"archive-output-intent"}
    assert "2 output intents on 2 different profiles" in report.faults[0].detail


def test_the_cli_prints_a_line_per_fault_and_exits_1(tmp_path):
    path = archive_pdf(tmp_path, "fonts")
    result = runner.invoke(app, ["check", "--archive", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{path}: page 1: archive-fonts: font Helvetica (Type1) not embedded",
        f"{path}: archive: 1 fault (archive-fonts)",
    ]
    assert runner.invoke(app, ["check", "--archive", str(archive_pdf(tmp_path))]).exit_code == 0


def test_dates_compare_as_instants():
    assert pdf_date("D:20261121060000+08'00'") == xmp_date("2026-11-20T22:00:00Z")
    assert pdf_date("D:20261121060000+08'00'") == datetime(2026, 11, 21, 6, tzinfo=timezone(timedelta(hours=8)))
    assert pdf_date("D:2026") == datetime(2026, 1, 1)
    assert pdf_date("yesterday") is None


def test_the_readme_documents_every_rule():
    from publish.check.press import RULES as PRESS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule, (what, threshold, source) in {**PRESS, **RULES}.items():
        assert f"| `{rule}` | {what} | {threshold} | {source} |" in readme, rule


def test_a_transfer_function_in_an_extgstate_without_type_is_forbidden(tmp_path):
    report = check_archive(with_hidden(archive_pdf(tmp_path), "transfer"))
    assert [(f.rule, f.detail) for f in report.faults] == [("archive-forbidden", "1 × transfer function")]


def test_a_type_1_halftone_is_allowed_but_a_named_one_is_not(tmp_path):
    path = with_hidden(archive_pdf(tmp_path), "halftone")
    assert check_archive(path).faults == []
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        (state,) = pdf.pages[0].Resources.ExtGState.values()
        state.HT.HalftoneName = "Round85"
        pdf.save(path, deterministic_id=True)
    report = check_archive(path)
    assert [(f.rule, f.detail) for f in report.faults] == [
        ("archive-forbidden", "1 × halftone not of type 1 or 5, or with a /HalftoneName")
    ]


def test_rgb_in_a_pattern_cell_is_covered_by_the_srgb_intent(tmp_path):
    assert check_archive(with_hidden(archive_pdf(tmp_path), "tiling-rgb")).faults == []
