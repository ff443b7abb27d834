"""Pronunciation in `publish audio` as a user meets it: the script shows each fix, the engine is
sent the fixed text, subtitles keep the printed one, and lexicons are found beside the input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from publish.cli import app
from publish.speech.text.homophones import substitutes_for

runner = CliRunner()

ARTICLE = """---
paper: 青梧晚报
date: 2026-11-24
page: 3
author: 记者 单晓明
---

# 乐清乐队到六安演出

本报讯（记者 单晓明）昨晚，来自乐清的青年乐队在六安市文化馆演出，行长和市民一起观看。
"""


def write_article(folder: Path, text: str = ARTICLE) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "2026-11-24-band.md"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def sent_line(script: str, start: str) -> str:
    """The script's "→" line (what is sent, fixes marked) of the request that starts with `start`."""
    lines = script.splitlines()
    at = next(n for n, line in enumerate(lines) if line[6:].startswith(start))
    return lines[at + 1].strip() if lines[at + 1].startswith("    → ") else ""


def test_script_shows_each_fix_for_the_engine(tmp_path):
    article = write_article(tmp_path / "in")
    result = run("audio", article, "--script", "--engine", "edge")
    assert result.exit_code == 0, result.output
    line = sent_line(result.stdout, "本报讯")
    shan = substitutes_for("shan4")[0]
    assert f"单[shàn→{shan}]晓明" in line  # the dateline's reporter
    assert "乐[yuè→" in line and "六[lù→" in line  # a place (乐清), a misread word (乐队), a place (六安)
    assert "行长和市民" in line  # the service reads 行长 right by itself: no fix
    assert "(pronunciation for edge: 7 fixed)" in result.stdout
    offline = run("audio", article, "--script", "--engine", "offline").stdout
    assert "单[shàn→shan4]晓明" in sent_line(offline, "本报讯") and "(pronunciation for offline: " in offline
    plain = run("audio", article, "--script", "--engine", "edge", "--no-fixes").stdout
    assert "[" not in sent_line(plain, "本报讯") and "pronunciation" not in plain


def test_edge_is_sent_the_fixed_text_and_subtitles_keep_the_printed(edge_server, tmp_path):
    server = edge_server()
    article = write_article(tmp_path / "in")
    result = run("audio", article, "-o", tmp_path / "out", "--engine", "edge", "--cache", tmp_path / "cache")
    assert result.exit_code == 0, result.output
    sent = "".join(server.stats.texts)
    assert substitutes_for("shan4")[0] + "晓明" in sent and "单晓明" not in sent
    assert "六安" not in sent and "行长" in sent
    (srt,) = (tmp_path / "out").glob("*/*/*.srt")
    subtitles = srt.read_text(encoding="utf-8")
    assert "单晓明" in subtitles and "六安市文化馆" in subtitles and "乐清的青年乐队" in subtitles
    (manifest,) = (tmp_path / "out").glob("*/manifest.json")
    (record,) = json.loads(manifest.read_text(encoding="utf-8"))["articles"]
    assert record["pronunciation"]["engine"] == "edge" and record["pronunciation"]["not_fixable"] == []
    assert f"单[shàn→{substitutes_for('shan4')[0]}]" in record["pronunciation"]["fixed"]


def test_a_paper_lexicon_beside_the_input_and_the_users_are_found(tmp_path, monkeypatch):
    monkeypatch.delenv("PUBLISH_LEXICON", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paper = tmp_path / "paper"
    article = write_article(paper / "2026" / "11", ARTICLE.replace("六安市文化馆", "乐水镇文化站"))
    (paper / "publish-lexicon.toml").write_text('[places]\n"乐水" = "yue4 shui3"\n', encoding="utf-8")
    line = sent_line(run("audio", article, "--script", "--engine", "edge").stdout, "本报讯")
    assert "在乐[yuè→" in line  # 乐水 as the paper's lexicon reads it
    user = tmp_path / "config" / "publish" / "lexicon.toml"
    user.parent.mkdir(parents=True)
    user.write_text('[places]\n"乐水" = "le4 shui3"\n', encoding="utf-8")  # the user's comes later: it wins
    line = sent_line(run("audio", article, "--script", "--engine", "edge").stdout, "本报讯")
    assert "在乐水镇" in line


def test_a_bad_lexicon_is_one_line_with_file_and_line(tmp_path):
    article = write_article(tmp_path / "in")
    bad = tmp_path / "bad.toml"
    bad.write_text('[places]\n"六安" = "lu4"\n', encoding="utf-8")
    result = run("audio", article, "--script", "--lexicon", bad)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"publish: error: {bad}:2: '六安': the reading must be one TONE3 syllable per character, "
        "like \"hang2 zhang3\" (found 'lu4')"
    )
    paper = tmp_path / "in" / "publish-lexicon.toml"
    paper.write_text("[places\n", encoding="utf-8")
    result = run("audio", article, "--script")
    assert result.exit_code == 1 and result.stderr.startswith(f"publish: error: {paper}:1: not valid TOML")


def test_no_fixes_for_a_voice_that_does_not_speak_mandarin(tmp_path):
    article = write_article(tmp_path / "in")
    out = run("audio", article, "--script", "--engine", "edge", "--voice", "zh-HK-HiuGaaiNeural").stdout
    assert "pronunciation" not in out and "[" not in sent_line(out, "本报讯")


def test_pinyin_command_mistakes():
    long = "中" * 300  # a text too long to be a file name is read as text
    assert run("pinyin", "--tone3", long).stdout == " ".join(["zhong1"] * 300) + "\n"
    result = run("pinyin", "--tone3", "--fixes", "行长")
    assert result.exit_code == 2 and "--fixes and --tone3 show different things" in result.stderr
