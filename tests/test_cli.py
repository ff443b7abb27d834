"""The `publish` command as users run it: output, exit status, one clear line per bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from publish import __version__
from publish.cli import app

runner = CliRunner()

GOOD = "溪口镇首家智慧农贸市场开门\n\n本报记者 单丽华\n\n昨天，溪口镇首家智慧农贸市场开门迎客。\n\n市场共有摊位120个。\n"
RECORD = {"title": "南岭街道“暖心食堂”开门", "content": "    食堂今天开门。    老人就餐打八折。", "date": "2026-11-21"}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "publish", *args], capture_output=True, text=True, timeout=120)


def test_bad_inputs_get_one_line_each_and_the_rest_is_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03binary")
    (folder / "garbled.txt").write_bytes("正文第一行\n".encode() + b"\xff\xfe\xfd\xfc\x80\x81\x82")
    (folder / "trailer.txt").write_text("--> 2022-04-27 1 1 黔东南日报 c186197.html 1 标题 /enpproperty-->\n", encoding="utf-8")
    (folder / "huge.txt").write_text("很长" * 2_600_000, encoding="utf-8")
    good_line = json.dumps(RECORD, ensure_ascii=False)
    (folder / "feed.jsonl").write_text(f"{good_line}\n{{broken\n{good_line}\n", encoding="utf-8")
    (folder / "README.md").write_text("# not an article\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"

    out = run_cli("parse", "--json", str(folder), str(missing))

    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    titles = [a["title"] for a in json.loads(out.stdout)]
    assert titles == ["南岭街道“暖心食堂”开门", "南岭街道“暖心食堂”开门", "溪口镇首家智慧农贸市场开门"]
    problems = [line for line in out.stderr.splitlines() if line.startswith("publish: error: ")]
    expected = [
        f"{missing}: no such file or directory",
        f"{folder}/binary.txt:1: binary file: it contains NUL bytes, not article text",
        f"{folder}/empty.txt: empty file",
        f"{folder}/feed.jsonl:2: invalid JSON in record 2: Expecting property name enclosed in double quotes (column 2)",
        f"{folder}/garbled.txt:2: undecodable bytes (0xff at byte 16): not UTF-8, GB18030/GBK or Big5 text (use --encoding to force one)",
        f"{folder}/huge.txt:1: line 1 is 5,200,000 characters long (a text article line is at most 100,000); this is not an article in a text form",
        f"{folder}/trailer.txt:1: only an ENP trailer, no article text",
    ]
    assert [p.removeprefix("publish: error: ") for p in problems] == expected
    assert out.stderr.splitlines()[-1].startswith("parsed 3 articles from 7 files")


def test_all_good_exits_zero_and_writes_atomically(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    target = tmp_path / "out" / "articles.json"
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "--json", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert [a["title"] for a in json.loads(target.read_text(encoding="utf-8"))] == ["溪口镇首家智慧农贸市场开门"]
    assert sorted(p.name for p in target.parent.iterdir()) == ["articles.json"]


def test_same_input_gives_the_same_bytes(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    outputs = []
    for name in ("one.json", "two.json"):
        runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "--json", "-o", str(tmp_path / name)])
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]


def test_tree_view_shows_what_was_understood(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "-o", str(tmp_path / "tree.txt")])
    assert result.exit_code == 0
    tree = (tmp_path / "tree.txt").read_text(encoding="utf-8")
    assert "title 主题  溪口镇首家智慧农贸市场开门" in tree
    assert "byline (head)  单丽华（记者）" in tree
    assert "source  " in tree and "· text · utf-8" in tree


def test_unknown_format_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "--format", "docx"])
    assert result.exit_code == 2
    assert "unknown format 'docx'; known formats: csv, enp, json, jsonl, markdown, rmrb, text, xmwb" in result.stderr


def test_forcing_a_format(tmp_path):
    (tmp_path / "a.dat").write_text(json.dumps(RECORD, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["parse", str(tmp_path / "a.dat"), "--format", "json", "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["source"]["format"] == "json"


def test_formats_and_version():
    result = runner.invoke(app, ["formats"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == ["enp", "rmrb", "xmwb", "json", "jsonl", "csv", "markdown", "text"]
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"publish {__version__}"


@pytest.mark.parametrize("command", ["parse", "formats"])
def test_every_command_documents_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: publish " in result.stdout
