"""Private-use characters (造字): the standard table, warnings for the others, a paper's [chars]."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

import publish
from publish.config import read_config
from publish.errors import ConfigError
from publish.ingest import collect
from publish.ingest.private_use import STANDARD, STANDARD_CODES, resolve_private_use

DUMP = "青梧日报\n\n2026年11月20日\n\n古字新读\n\n他叫刘{a}，字{b}，住在{c}村。\n\n第二段{c}又{c}一次，还有{d}。\n"


def _glibc_gb18030(sequences: list[bytes]) -> list[str] | None:
    """What glibc's GB18030 converter (the 2022 edition since glibc 2.35) makes of each sequence."""
    if shutil.which("iconv") is None:
        return None
    run = subprocess.run(["iconv", "-f", "GB18030", "-t", "UTF-8"], input=b"\n".join(sequences), capture_output=True)
    out = run.stdout.decode("utf-8").split("\n")
    return out if run.returncode == 0 and len(out) == len(sequences) else None


@pytest.mark.parametrize(("pua", "row"), sorted(STANDARD_CODES.items()))
def test_every_row_is_what_gb18030_says(pua, row):
    gb, code = row
    assert 0xE000 <= pua <= 0xF8FF
    assert unicodedata.category(chr(code)) != "Co" and (unicodedata.name(chr(code), "") or 0x20000 <= code <= 0x3134F)
    # Python's codec (GB 18030-2005) decodes the bytes to the private-use point or already to the standard one
    assert bytes.fromhex(gb).decode("gb18030") in (chr(pua), chr(code))
    assert STANDARD[chr(pua)] == chr(code)


def test_the_table_agrees_with_gb18030_2022():
    rows = sorted(STANDARD_CODES.items())
    decoded = _glibc_gb18030([bytes.fromhex(gb) for _, (gb, _) in rows])
    if decoded is None or decoded[0] != "\u20ac" or "\ue81e" in decoded:
        pytest.skip("no iconv with GB 18030-2022 tables here")
    assert decoded == [chr(code) for _, (_, code) in rows]
    assert len(rows) == 106
    assert {chr(p) for p, (gb, _) in rows if bytes.fromhex(gb).decode("gb18030") == chr(p)} >= {"\ue81e", "\ue78d", "\ue816"}


def test_a_gb18030_dump_prints_the_standard_characters(write):
    text = DUMP.format(a="\ue863", b="\ue81e", c="\ue78d", d="\ue816")
    [article] = publish.load(write("a.txt", text.encode("gb18030")))
    assert [b.text for b in article.blocks] == ["他叫刘䶮，字龴，住在︐村。", "第二段︐又︐一次，还有𠂇。"]


def test_other_private_use_characters_are_kept_and_reported_once_per_line(write):
    path = write("a.txt", DUMP.format(a="\ue000", b="\ue81e", c="\ue001", d="\ue000").encode("gb18030"))
    result = collect([path])
    assert not result.errors
    assert [b.text for b in result.articles[0].blocks] == [
        "他叫刘\ue000，字龴，住在\ue001村。",
        "第二段\ue001又\ue001一次，还有\ue000。",
    ]
    assert [(w.line, w.message.split(" (")[0]) for w in result.warnings] == [
        (7, "private-use character U+E000"),
        (7, "private-use character U+E001"),
        (9, "private-use character U+E001"),
        (9, "private-use character U+E000"),
    ]
    assert str(result.warnings[0]).startswith(f"{path}:7: private-use character U+E000")
    assert '[chars] "U+E000" = "…"' in str(result.warnings[0])


def test_a_paper_maps_its_own(write, tmp_path):
    write("publish.toml", '[paper]\nname = "青梧日报"\n\n[chars]\n"U+E000" = "䶮"\n"U+F0001" = "⿰石页"\n')
    chars = read_config(tmp_path / "publish.toml").chars
    assert chars == {"\ue000": "䶮", "\U000f0001": "⿰石页"}
    path = write("a.txt", DUMP.format(a="\ue000", b="\ue81e", c="\U000f0001", d="\ue000"))
    result = collect([path], chars=chars)
    assert not result.warnings and not result.errors
    assert result.articles[0].blocks[0].text == "他叫刘䶮，字龴，住在⿰石页村。"


@pytest.mark.parametrize(
    ("entry", "line", "reason"),
    [
        ('"U+4E00" = "一"', 5, 'chars."U+4E00": U+4E00 is not a private-use code point'),
        ('"E3A1" = "䶮"', 5, 'chars."E3A1": the key must be a code point written U+XXXX'),
        ('"U+E3A1" = ""', 5, "chars.\"U+E3A1\": must be the character that stands for U+E3A1, not ''"),
        ('"U+E3A1" = 1', 5, 'chars."U+E3A1": must be the character that stands for U+E3A1, not 1'),
        ('"U+E3A1" = "a b"', 5, 'chars."U+E3A1": must be one character or a short text'),
    ],
)
def test_bad_chars_entries_name_their_line(write, tmp_path, entry, line, reason):
    path = write("publish.toml", f'[paper]\nname = "青梧日报"\n\n[chars]\n{entry}\n')
    with pytest.raises(ConfigError) as info:
        read_config(path)
    assert (info.value.file, info.value.line) == (str(path), line)
    assert str(info.value).startswith(f"{path}:{line}: {reason}")


def test_compatibility_ideographs_and_variation_sequences_stay_as_written(write):
    compat = "\uf929\ufa10\U0002f804"  # 朗 塚 (compatibility forms) and a supplement one
    ivs = "葛\U000e0100"  # 葛 with its first registered variation
    body = f"今日来客{compat}先生,住在{ivs},3个人同行。"
    [article] = publish.load(write("a.md", f"# 标题{ivs}\n\n{body}\n"))
    assert article.title == f"标题{ivs}"
    assert article.blocks[0].text == f"今日来客{compat}先生，住在{ivs}，3个人同行。"
    assert resolve_private_use(body) == (body, [])


def test_publish_parse_warns_and_reads_the_papers_chars(tmp_path):
    from typer.testing import CliRunner

    from publish.cli import app

    (tmp_path / "a.txt").write_bytes(DUMP.format(a="\ue000", b="\ue81e", c="\ue3a1", d="。").encode("gb18030"))
    result = CliRunner().invoke(app, ["parse", str(tmp_path), "--json"])
    assert result.exit_code == 0
    assert f"publish: warning: {tmp_path / 'a.txt'}:7: private-use character U+E000" in result.output
    (tmp_path / "publish.toml").write_text('[chars]\n"U+E000" = "䶮"\n"U+E3A1" = "𬌗"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(tmp_path), "--json"])
    assert result.exit_code == 0 and "warning" not in result.output
    assert "他叫刘䶮，字龴，住在𬌗村。" in result.output
    (tmp_path / "publish.toml").write_text('[chars]\n"U+E000" = "䶮"\n"U+4E00" = "一"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(tmp_path)])
    assert result.exit_code == 2
    assert 'publish.toml:3: chars."U+4E00": U+4E00 is not a private-use code point' in result.output
