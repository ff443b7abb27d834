"""Characters without a reading (㘃 U+3603, 𠮷 U+20BB7, private-use 造字): never a crash; printed
and sent as they are, and reported once with where they stand."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from publish.cli import app
from publish.speech.text.pronounce import Pronouncer
from publish.speech.text.readings import HAN, WANTS_READING, PinyinReader, tone3, unread

runner = CliRunner()
RARE = "㘃"  # U+3603, CJK Extension A: pypinyin has no reading for it


@pytest.fixture(scope="module")
def reader():
    return PinyinReader()


def test_a_character_without_a_reading_stands_as_it_is(reader):
    assert reader.tone3_lines(f"我{RARE}你\n𠮷野家") == [f"wo3 {RARE} ni3", "𠮷 ye3 jia1"]
    read = reader.readings(f"行长{RARE}\ue000")
    assert [(r.char, r.pinyin) for r in read] == [("行", "hang2"), ("长", "zhang3"), (RARE, None), ("\ue000", None)]
    assert unread([read]) == {RARE: [1], "\ue000": [1]}


def test_a_compatibility_ideograph_is_read_as_its_unified_character(reader):
    assert reader.tone3_lines("\uf900") == ["qi3"]  # 豈 U+F900 is 豈 U+8C48


def test_pinyin_command_prints_it_and_warns_once_with_file_and_line(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text(f"银行\n我{RARE}你\n{RARE}\n", encoding="utf-8")
    result = runner.invoke(app, ["pinyin", "--tone3", str(source)])
    assert result.exit_code == 0
    assert result.stdout == f"yin2 hang2\nwo3 {RARE} ni3\n{RARE}\n"
    assert (
        result.stderr
        == f"publish: warning: {source}:2: {RARE} (U+3603) has no reading: printed as it is (also on 1 other line)\n"
    )
    listed = runner.invoke(app, ["pinyin", f"我{RARE}"])
    assert listed.exit_code == 0 and listed.stdout == f"我(wo3) {RARE}\n"
    fixes = runner.invoke(app, ["pinyin", "--fixes", f"行长{RARE}"])
    assert fixes.exit_code == 0 and "has no reading: sent as it is" in fixes.stderr


def test_ten_thousand_lines_do_not_die_on_one_character():
    lines = ["今天天气很好。"] * 10_000
    lines[5_000] = f"他叫{RARE}。"
    result = runner.invoke(app, ["pinyin", "--tone3", "-"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0
    out = result.stdout.splitlines()
    assert len(out) == 10_000 and out[5_000] == f"ta1 jiao4 {RARE}"
    assert result.stderr == f"publish: warning: <stdin>:5001: {RARE} (U+3603) has no reading: printed as it is\n"


def test_audio_script_sends_it_as_it_is_and_names_file_and_article(tmp_path):
    article = tmp_path / "in" / "2026-11-24-rare.md"
    article.parent.mkdir()
    article.write_text(
        f"---\npaper: 青梧晚报\ndate: 2026-11-24\n---\n\n# 老街{RARE}记\n\n本报讯 老街上的{RARE}字招牌又挂了起来，{RARE}字念什么？\n",
        encoding="utf-8",
    )
    for engine in ("edge", "offline"):
        result = runner.invoke(app, ["audio", str(article), "--script", "--engine", engine])
        assert result.exit_code == 0, result.output
        assert f"老街上的{RARE}字招牌" in result.stdout
        warned = [line for line in result.stderr.splitlines() if "has no reading" in line]
        assert warned == [
            f"publish: warning: {article}: 《老街{RARE}记》: {RARE} (U+3603) has no reading: sent to the engine as it is"
        ]


# Any character of any plane (controls, bidi marks, combining marks, private use…), mixed with
# rare ideographs, variation sequences, emoji sequences and polyphone words.
TEXT = st.lists(
    st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from([RARE, "𠮷", "\ue000", "\ue815", "\uf900", "葛\U000e0100", "\u200f", "\u0301", "👨‍👩‍👧", "行长", "很长"]),
    max_size=40,
).map("".join)


@given(TEXT)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_is_read_and_every_character_accounted_for(reader, text):
    read = reader.readings(text)
    assert "".join(r.char for r in read) == text
    for r in read:
        assert r.pinyin is None or (r.pinyin[-1] in "12345" and WANTS_READING.match(r.char))
    tokens = tone3(read).split(" ") if tone3(read) else []
    wanted = [r for r in read if r.pinyin or WANTS_READING.match(r.char)]
    assert tokens == [r.pinyin or r.char for r in wanted]
    assert all(HAN.match(r.char) or WANTS_READING.match(r.char) for r in wanted)
    fixed = Pronouncer("edge", reader).fix(text)
    assert len(fixed.sent) == len(text)
    assert [fixed.sent[at] for at in fixed.unread] == [text[at] for at in fixed.unread]


@given(TEXT)
@settings(max_examples=60, deadline=None)
def test_any_text_through_publish_pinyin_never_a_traceback(text):
    lines = [line.replace("\r", "") for line in text.split("\n")]
    data = "\n".join(lines).encode("utf-8") + b"\n"
    result = runner.invoke(app, ["pinyin", "--tone3", "-"], input=data)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code == 0:  # else one line: a binary-looking input (NUL, control bytes) is refused
        assert result.stdout.count("\n") == (len(lines) if data.strip() else 0)
    else:
        assert result.exit_code == 1 and result.stderr.startswith("publish: error: <stdin>") and result.stderr.count("\n") == 1


def test_a_placeholder_box_is_no_polyphone(reader):
    """The polyphone model's dictionary lists □ (a placeholder of its training text); a symbol
    gets no reading from it (hypothesis found □ read biu1)."""
    assert [r.pinyin for r in reader.readings("□")] == [None]
    assert [r.pinyin for r in reader.readings("a□b")] == [None, None, None]
