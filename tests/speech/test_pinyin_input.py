"""`publish pinyin`'s input: a file in any of the encodings newsrooms use, a mistyped file name,
and lexicon files written the simple way (top-level entries)."""

from __future__ import annotations

import codecs

import pytest
from typer.testing import CliRunner

from publish.cli import app

runner = CliRunner()
TEXT = "行长在银行\n重庆的夜景\n"
EXPECTED = "hang2 zhang3 zai4 yin2 hang2\nchong2 qing4 de5 ye4 jing3\n"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", TEXT.encode("utf-8")),
        ("bom.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf16le.txt", TEXT.encode("utf-16")),  # with its BOM
        ("utf16be.txt", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
        ("gb.txt", TEXT.replace("\n", "\r\n").encode("gb18030")),
    ],
)
def test_the_file_encoding_is_detected(tmp_path, name, data):
    source = tmp_path / name
    source.write_bytes(data)
    result = runner.invoke(app, ["pinyin", "--tone3", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED


def test_standard_input_in_gb18030(tmp_path):
    result = runner.invoke(app, ["pinyin", "--tone3", "-"], input=TEXT.encode("gb18030"))
    assert result.exit_code == 0 and result.stdout == EXPECTED


@pytest.mark.parametrize("name", ["稿件.txt", "drafts/today", "./notes", "news.md", "../in/a.json"])
def test_a_mistyped_file_name_is_an_error(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["pinyin", "--tone3", name])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"publish: error: {name}: no such file\n"


@pytest.mark.parametrize(
    ("text", "expected"), [("第2/3季度", "di4 ji4 du4"), ("行长 银行", "hang2 zhang3 yin2 hang2"), ("版本3.5", "ban3 ben3")]
)
def test_text_that_is_not_a_file_name_is_read(text, expected):
    result = runner.invoke(app, ["pinyin", "--tone3", text])
    assert result.exit_code == 0 and result.stdout == expected + "\n"


def test_top_level_lexicon_entries_beside_tables(tmp_path):
    own = tmp_path / "lexicon.toml"
    own.write_text(
        '# a paper\'s own readings\n"锦屏" = "jin3 ping2"\n"朝阳" = { reading = "chao2 yang2", after = "区" }\n'
        '"分子" = [{ reading = "fen4 zi3", before = "罪" }, "fen1 zi3"]\n\n[surnames]\n"单" = "shan4"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["pinyin", "--tone3", "--lexicon", str(own), "--name", "单晓明", "锦屏朝阳区犯罪分子单晓明"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "jin3 ping2 chao2 yang2 qu1 fan4 zui4 fen4 zi3 shan4 xiao3 ming2\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('"锦屏" = "jin3"\n', "2: '锦屏': the reading must be one TONE3 syllable per character"),
        ('"锦屏" = 3\n', "2: '锦屏': the reading must be one TONE3 syllable per character"),
        ('"锦屏" = { reading = "jin3 ping2", when = "区" }\n', "2: '锦屏': an entry is \"reading\" or"),
    ],
)
def test_a_bad_top_level_entry_is_one_line_with_file_and_line(tmp_path, content, message):
    bad = tmp_path / "bad.toml"
    bad.write_text('"行长" = "hang2 zhang3"\n' + content, encoding="utf-8")
    result = runner.invoke(app, ["pinyin", "--tone3", "--lexicon", str(bad), "行长"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"publish: error: {bad}:{message}") and result.stderr.count("\n") == 1


def test_the_readme_example_lexicon_loads(tmp_path):
    """The complete lexicon file the README shows is one that loads and reads as it says."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(# publish-lexicon\.toml.*?)```", readme, re.S)
    assert example, "the README shows a complete lexicon file"
    own = tmp_path / "publish-lexicon.toml"
    own.write_text(example.group(1), encoding="utf-8")
    result = runner.invoke(app, ["pinyin", "--tone3", "--lexicon", str(own), "锦屏县的朝阳路"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "jin3 ping2 xian4 de5 chao2 yang2 lu4\n"
