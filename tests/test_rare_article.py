"""The team-written article full of rare characters (tests/data/rare: Extension A, B and G,
compatibility ideographs, a variation sequence, private-use 造字 — one from GB 18030-2005, one the
paper maps in its publish.toml) goes through pdf, check, audio, pinyin and build: exit 0, no
traceback, no .notdef, every character printed, each one without a reading named once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

RARE = Path(__file__).parent / "data" / "rare"
ARTICLE = RARE / "2026-12-04-rare.md"
HEADLINE = "㘃村的䶮先生和他的族谱"
PRINTED = ["㘃", "䶮", "堃", "𠮷", "𠮟", "𬌗", "𰻞", "\uf90a", "\ufa19", "葛", "龴"]  # 龴: U+E81E of GB 18030-2005


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rare")
    result = run("pdf", str(RARE), "-o", str(out / "pdf"), "--strict")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "warning" not in result.stderr, result.stderr
    return out


def test_every_character_prints_with_a_real_glyph_and_check_is_clean(made):
    [pdf] = (made / "pdf").glob("*.pdf")
    text = "".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf))
    for char in PRINTED:
        assert char in text, f"U+{ord(char):04X} not printed"
    assert "\ue3a1" not in text and "\ue81e" not in text  # the 造字 are mapped: [chars] and the GB 18030 table
    assert "〓" not in text
    check = run("check", str(pdf), "--source", str(RARE))
    assert check.returncode == 0, check.stdout
    assert f"{pdf}: OK" in check.stdout and "text: same as the source" in check.stdout


def test_the_narration_reads_compatibility_ideographs_as_unified_and_names_what_it_cannot_read(tmp_path):
    result = run("audio", str(RARE), "-o", str(tmp_path / "audio"), "--script")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("publish: warning:")]
    assert warnings and all(
        f"{ARTICLE.relative_to(Path.cwd()) if ARTICLE.is_relative_to(Path.cwd()) else ARTICLE}" in w for w in warnings
    )
    assert len(warnings) == len(set(warnings))  # each character once
    assert any("U+3603" in w for w in warnings) and any("U+20BB7" in w for w in warnings)
    [script] = (tmp_path / "audio").rglob("script.txt")
    lines = script.read_text(encoding="utf-8").splitlines()
    said = "".join(line for line in lines if line.lstrip().startswith("→"))  # what the engine is sent
    assert "\u91d1字、\u795e字" in said and "\u845b氏" in said  # U+F90A, U+FA19 read as 金, 神; 葛 without its selector
    assert "\uf90a" not in said and "\U000e0100" not in said and "\ue3a1" not in said
    assert "\uf90a字、\ufa19字" in "".join(lines)  # the printed text is shown as printed


def test_pinyin_prints_characters_without_a_reading_unchanged():
    result = run("pinyin", str(ARTICLE), "--tone3")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "㘃" in result.stdout and "𠮷" in result.stdout
    assert "publish: warning:" in result.stderr and "U+3603" in result.stderr


def test_a_build_reads_it_and_names_the_article_of_each_character_without_a_reading(tmp_path):
    result = run("build", str(RARE), "-o", str(tmp_path / "site"), "--engine", "offline", "-j", "1")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"《{HEADLINE}》: 㘃 (U+3603) has no reading" in result.stderr
