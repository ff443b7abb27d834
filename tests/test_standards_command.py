"""`--standard`, `--icc`, `--tac`, `--tagged` and publish.toml's [press] as users give them to
`publish pdf` and `publish build`; `publish check --verapdf` without veraPDF."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.conftest import SHARED

ARTICLE = "青梧夜市开到零点\n\n本报记者 林晓雯\n\n入冬以来，青梧夜市把营业时间延长到零点，摊主们说，晚上九点以后的客流比去年多了三成。\n"
NAMED = ("--paper", "青梧日报", "--date", "2026-11-20", "--no-previews")


def run_cli(*args: str, cwd=None, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env)


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "in" / "a.txt"
    path.parent.mkdir()
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def claims(path: Path) -> tuple[str, str | None]:
    """The PDF's version and the standard its output intent names."""
    with pikepdf.open(path) as pdf:
        intents = pdf.Root.get("/OutputIntents", [])
        return pdf.pdf_version, (str(intents[0].S) if len(intents) else None)


def test_standard_archive_writes_a_pdfa_file(article, tmp_path):
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), "--standard", "archive", *NAMED)
    assert out.returncode == 0, out.stderr
    assert claims(tmp_path / "a.pdf") == ("1.7", "/GTS_PDFA1")


def test_plain_is_the_default(article, tmp_path):
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), *NAMED)
    assert out.returncode == 0, out.stderr
    assert claims(tmp_path / "a.pdf") == ("1.7", None)


def test_press_takes_the_profile_from_publish_toml_beside_the_input(article, tmp_path):
    icc = SHARED / "icc" / "CGATS21_CRPC1.icc"
    if not icc.is_file():
        pytest.skip(f"no press profile at {icc}")
    (article.parent / "profiles").mkdir()
    (article.parent / "profiles" / "press.icc").symlink_to(icc)
    (article.parent / "publish.toml").write_text('[press]\nicc = "profiles/press.icc"\ntac = 240\n', encoding="utf-8")
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), "--standard", "press", *NAMED)
    assert out.returncode == 0, out.stderr
    assert claims(tmp_path / "a.pdf") == ("1.6", "/GTS_PDFX")
    with pikepdf.open(tmp_path / "a.pdf") as pdf:
        assert pdf.Root.OutputIntents[0].DestOutputProfile.read_bytes() == icc.read_bytes()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--standard", "pdfx"), "publish: error: --standard must be one of plain, press, archive, not 'pdfx'"),
        (("--standard", "press", "--tac", "50"), "publish: error: --tac must be from 100 to 400 percent, not 50"),
        (("--standard", "press", "--icc", "missing.icc"), "publish: error: --icc missing.icc: ICC profile not found"),
    ],
)
def test_bad_options_are_one_line_usage_errors(article, tmp_path, options, message):
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), *options, *NAMED, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == message
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[press]\ntac = "lots"\n', "publish.toml:2: press.tac: must be a number of percent, not 'lots'"),
        ("[press]\nink = 240\n", "publish.toml:2: press.ink: unknown key; known: icc, tac"),
        ("\n[press]\ntac = 500\n", "publish.toml:3: press.tac: must be from 100 to 400 percent, not 500"),
    ],
)
def test_a_bad_press_table_names_its_file_and_line(article, tmp_path, table, message):
    (article.parent / "publish.toml").write_text(table, encoding="utf-8")
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), *NAMED)
    assert out.returncode == 2
    assert out.stderr.strip() == f"publish: error: {article.parent / message}"


def test_build_makes_its_pdfs_to_the_standard_asked(article, tmp_path):
    out = run_cli("build", str(article.parent), "-o", str(tmp_path / "site"), "--no-audio", "--standard", "archive", "-j", "1")
    assert out.returncode == 0, out.stderr
    (made,) = (p for p in (tmp_path / "site").rglob("*.pdf") if "web" not in p.parent.parts)  # not the web's page PDFs
    assert claims(made) == ("1.7", "/GTS_PDFA1")


def test_check_verapdf_without_verapdf_says_so_and_passes(article, tmp_path):
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), *NAMED)
    assert out.returncode == 0, out.stderr
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {**os.environ, "PATH": str(bare)}  # no veraPDF on this PATH, whatever the machine has
    out = run_cli("check", "--verapdf", str(tmp_path / "a.pdf"), env=env)
    assert (out.returncode, out.stdout.strip()) == (0, "veraPDF not found; skipped")


@pytest.mark.parametrize("command", ["pdf", "build"])
def test_press_options_without_the_press_standard_are_refused(article, tmp_path, command):
    out = run_cli(command, str(article), "-o", str(tmp_path / "out"), "--tac", "220", "--date", "2026-11-20")
    assert out.returncode == 2
    assert out.stderr.strip() == "publish: error: --tac is for the press: it goes with --standard press (not plain)"
    assert not (tmp_path / "out").exists()


def test_a_press_table_is_not_used_by_other_standards(article, tmp_path):
    (article.parent / "publish.toml").write_text("[press]\ntac = 220\n", encoding="utf-8")
    out = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), *NAMED)
    assert out.returncode == 0, out.stderr
    assert claims(tmp_path / "a.pdf") == ("1.7", None)


def test_a_missing_press_profile_in_the_toml_fails_only_a_press_run(article, tmp_path):
    """[press] icc is read when a run is for the press; a plain run does not use it."""
    (article.parent / "publish.toml").write_text('\n[press]\nicc = "missing.icc"\n', encoding="utf-8")
    plain = run_cli("pdf", str(article), "-o", str(tmp_path / "a.pdf"), *NAMED)
    assert plain.returncode == 0, plain.stderr
    for command in (
        ["pdf", str(article), "-o", str(tmp_path / "b.pdf"), *NAMED],
        ["build", str(article.parent), "-o", str(tmp_path / "site"), "--no-audio"],
    ):
        out = run_cli(*command, "--standard", "press")
        assert out.returncode == 2
        toml = article.parent / "publish.toml"
        assert (
            out.stderr.strip() == f"publish: error: {toml}:3: press.icc: {article.parent / 'missing.icc'}: ICC profile not found"
        )
