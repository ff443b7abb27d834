"""The `publish` command as users run it: output, exit status, one clear line per bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

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


COMMANDS = ["parse", "pdf", "check", "audio", "voices", "pinyin", "build", "formats"]
ARGUMENTS = {
    "parse": "PATHS...",
    "pdf": "PATHS...",
    "check": "PDFS...",
    "audio": "PATHS...",
    "pinyin": "SOURCE",
    "build": "PATHS...",
}


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_and_help_name_values_the_same_way_in_every_command(command):
    result = runner.invoke(app, [command, "--help"], prog_name="publish")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == f"Usage: publish {command} [OPTIONS] {ARGUMENTS.get(command, '')}".rstrip()
    listed = lines[lines.index("Arguments:" if command in ARGUMENTS else "Options:") :]
    rows = [re.split(r"\s{2,}", line.strip())[0] for line in listed if re.match(r"  (-|[A-Z])", line)]
    assert rows, result.stdout
    for row in rows:  # `-o, --output PATH`, `--jobs N`, `--json`, `--fixes / --no-fixes`, `PATHS...`
        assert re.fullmatch(r"(-\w, )?--[\w-]+( (PATH|N|NUMBER|TEXT)(\.\.\.)?)?( / --[\w-]+)?|[A-Z]+(\.\.\.)?", row), row


def test_parse_trees_are_not_wrapped_in_a_pipe(tmp_path):
    folder = tmp_path / ("a-folder-with-a-name-long-enough-to-pass-any-terminal-width-" * 2)
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "publish", "parse", str(folder / "a.txt")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "40"},
    )
    assert out.returncode == 0, out.stderr
    assert f"└── source  {folder / 'a.txt'} · text · utf-8 · lines 1–7" in out.stdout.splitlines()
    assert "├── title 主题  溪口镇首家智慧农贸市场开门" in out.stdout.splitlines()
    assert "├── body  2 blocks · 1 section · 30 characters" in out.stdout.splitlines()  # one section, not 1 sections
    assert max(len(line) for line in out.stdout.splitlines()) > 80


def mistakes(tmp: Path) -> list[tuple[str, list[str], int, list[str]]]:
    """(mistake, command line, exit status, the error lines it must print, in order)."""
    missing, empty, binary, junk = tmp / "missing.txt", tmp / "empty", tmp / "binary.txt", tmp / "junk.pdf"
    no_files = f"{empty}: no article files here (.txt .md .json .jsonl .csv)"
    cases = []
    for command, what in (("parse", "parse"), ("pdf", "typeset"), ("audio", "read"), ("build", "build")):
        cases += [
            (
                "missing input path",
                [command, str(missing)],
                1,
                [f"{missing}: no such file or directory", f"no articles to {what}"],
            ),
            (
                "unreadable file",
                [command, str(binary)],
                1,
                [f"{binary}:1: binary file: it contains NUL bytes, not article text", f"no articles to {what}"],
            ),
            ("no articles found", [command, str(empty)], 1, [no_files, f"no articles to {what}"]),
            ("missing argument", [command], 2, [f"missing PATHS... (see publish {command} --help)"]),
        ]
    cases += [
        ("missing input path", ["check", str(missing)], 1, [f"{missing}: no such file or directory"]),
        (
            "unreadable file",
            ["check", str(junk)],
            1,
            [f"{junk}: cannot read as PDF (Failed to load document (PDFium: Data format error).)"],
        ),
        ("no articles found", ["check", str(junk), "--source", str(empty)], 1, [no_files, "no articles to compare"]),
        ("no PDFs found", ["check", str(empty)], 1, [f"{empty}: no PDF files here"]),
        (
            "no voices found",
            ["voices", "--engine", "offline", "--locale", "xx"],
            1,
            ["no offline voices for locale 'xx' (3 voices in all)"],
        ),
        ("missing argument", ["check"], 2, ["missing PDFS... (see publish check --help)"]),
        ("missing argument", ["pinyin"], 2, ["missing SOURCE (see publish pinyin --help)"]),
        (
            "bad option value",
            ["parse", "a.txt", "--format", "docx"],
            2,
            ["unknown format 'docx'; known formats: csv, enp, json, jsonl, markdown, rmrb, text, xmwb"],
        ),
        ("bad option value", ["pdf", "a.txt", "--jobs", "0"], 2, ["--jobs must be at least 1, not 0"]),
        ("bad option value", ["build", "a.txt", "--jobs", "0"], 2, ["--jobs must be from 1 to 256, not 0"]),
        ("bad option value", ["build", "a.txt", "--jobs", "many"], 2, ["--jobs must be int, not 'many'"]),
        ("bad option value", ["audio", "a.txt", "--gap", "20"], 2, ["--gap must be from 0.0 to 10.0, not 20.0"]),
        (
            "bad option value",
            ["audio", "a.txt", "--engine", "azure"],
            2,
            ["--engine must be one of auto, edge, offline, not 'azure'"],
        ),
        ("bad option value", ["voices", "--engine", "azure"], 2, ["--engine must be one of auto, edge, offline, not 'azure'"]),
        ("bad option value", ["pdf", "a.txt", "--preview-dpi", "1000"], 2, ["--preview-dpi must be from 10 to 600, not 1000"]),
        ("option without its value", ["check", "a.pdf", "--source"], 2, ["--source needs a value (see publish check --help)"]),
        ("extra argument", ["formats", "x"], 2, ["unexpected argument: x (see publish formats --help)"]),
        ("extra argument", ["voices", "x", "y"], 2, ["unexpected arguments: x y (see publish voices --help)"]),
        ("no such command", ["prase"], 2, ["no such command 'prase'; did you mean 'parse'? (see publish --help)"]),
    ]
    cases += [("unknown option", [c, "--zzz"], 2, [f"no such option --zzz (see publish {c} --help)"]) for c in COMMANDS]
    cases += [
        (
            "unknown option",
            ["build", "x", "--jbos", "2"],
            2,
            ["no such option --jbos; did you mean --jobs? (see publish build --help)"],
        )
    ]
    return cases


def test_every_command_says_the_same_mistake_the_same_way(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03binary")
    (tmp_path / "junk.pdf").write_bytes(b"not a PDF at all")
    for mistake, args, status, lines in mistakes(tmp_path):
        if args[0] == "audio" and len(args) > 1 and not args[1].startswith("-"):
            args = [*args, "--script"]  # nothing synthesised
        if args[0] == "build":
            args = [*args, "-o", str(tmp_path / "site")]
        result = runner.invoke(app, args, prog_name="publish")
        said = (mistake, args, result.exit_code, result.stderr.splitlines())
        assert said == (mistake, args, status, [f"publish: error: {line}" for line in lines]), result.output


def test_counts_read_as_english_everywhere():
    from publish.wording import plural

    assert [plural(n, "section") for n in (0, 1, 2, 12345)] == ["0 sections", "1 section", "2 sections", "12,345 sections"]
    assert plural(1, "process") == "1 process" and plural(3, "process") == "3 processes"
    assert plural(2, "more value", "more values") == "2 more values"
    source = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "publish").rglob("*.py"))
    assert not re.findall(r"""\{'s' if|\{"s" if|\{'' if [^}]*== 1 else 's'\}|\{"" if [^}]*== 1 else "s"\}""", source)


def test_options_shown_with_several_values_take_several_after_one_flag(tmp_path):
    from publish.cli.app import spread

    pdf_or_not = {"--source": lambda value: not value.endswith(".pdf")}
    assert spread(["a.pdf", "--source", "x", "y/", "b.pdf", "--json"], pdf_or_not) == [
        *("a.pdf", "--source", "x", "--source", "y/", "b.pdf", "--json")
    ]
    assert spread(["--source", "x", "--", "y"], pdf_or_not) == ["--source", "x", "--", "y"]
    lexicons = []
    for name, reading in (("one", "hang2 zhang3"), ("two", "hang2 zhang3")):
        lexicons.append(tmp_path / f"{name}.toml")
        lexicons[-1].write_text(f'[words]\n"行长" = "{reading}"\n', encoding="utf-8")
    result = runner.invoke(app, ["pinyin", "--lexicon", *map(str, lexicons), "行长来了", "--tone3"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "hang2 zhang3 lai2 le5\n"
