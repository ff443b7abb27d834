"""publish never reads its own outputs back as articles: a folder of inputs that holds what an
earlier run wrote (build records and indexes, audio editions, narration scripts, parse JSON) gives
exactly the articles the user wrote; and a default output never lands inside a folder of inputs."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publish.cli import app
from publish.fsutil import OUTPUT_MARKER
from publish.ingest import collect

from .conftest import EXAMPLES

runner = CliRunner()
ARTICLES = 12  # in examples/


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def paper(tmp_path) -> Path:
    """A newsroom's folder of articles (a copy of examples/)."""
    copy = tmp_path / "paper"
    shutil.copytree(EXAMPLES, copy)
    return copy


def parsed(folder: Path, *options) -> list[dict]:
    result = run("parse", folder, "--json", "-q", *options)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_build_into_its_input_folder_reads_only_the_articles_run_after_run(paper, tmp_path):
    common = ["--engine", "offline", "--cache", tmp_path / "cache", "-j", "1", "--no-previews"]
    first = run("build", paper, "-o", paper / "out", *common)
    assert first.exit_code == 0, first.output
    assert f"{ARTICLES} articles in 3 issues: 21 of 21 tasks to do" in first.stderr
    again = run("build", paper, "-o", paper / "out", "-v", *common)
    assert again.exit_code == 0, again.output
    assert f"publish: skipped {paper / 'out'}/: publish's own output folder (it holds {OUTPUT_MARKER})" in again.stderr
    assert f"{ARTICLES} articles in 3 issues: 0 of 21 tasks to do" in again.stderr and "nothing to do" in again.stderr
    # an output folder without the marker (an older publish, or copied): its build records say whose it is
    (paper / "out" / OUTPUT_MARKER).unlink()
    unmarked = run("build", paper, "-o", paper / "out", "-v", *common)
    assert unmarked.exit_code == 0, unmarked.output
    assert f"publish: skipped {paper / 'out'}/: the index of publish build" in unmarked.stderr
    assert f"{ARTICLES} articles in 3 issues: 0 of 21 tasks to do" in unmarked.stderr


def test_audio_then_pdf_and_parse_read_only_the_articles(paper, tmp_path):
    audio = run("audio", paper, "-o", paper / "out" / "audio", "--engine", "offline", "--cache", tmp_path / "cache", "-q")
    assert audio.exit_code == 0, audio.output
    assert list((paper / "out" / "audio").glob("*/manifest.json"))
    scripts = run("audio", paper, "--script", "-o", paper / "scripts", "-q")
    assert scripts.exit_code == 0 and list((paper / "scripts").glob("*/script.txt"))
    assert run("parse", paper, "--json", "-o", paper / "parsed.json", "-q").exit_code == 0
    pdf = run("pdf", paper, "-o", tmp_path / "paper.pdf", "--no-previews", "-v")
    assert pdf.exit_code == 0, pdf.output
    assert sum(int(n) for n in re.findall(r"pages?, (\d+) articles?, ", pdf.stderr)) == ARTICLES
    for skipped in (f"{paper / 'out'}/: publish's own output folder", f"{paper / 'scripts'}/: publish's own output folder",
                    f"{paper / 'parsed.json'}: articles as publish parse --json wrote them"):  # fmt: skip
        assert f"publish: skipped {skipped}" in pdf.stderr
    assert len(parsed(paper)) == ARTICLES
    assert "skipped" not in run("parse", paper, "-q").stderr  # said with -v only


def test_outputs_are_known_by_their_shape_without_the_marker(paper, tmp_path):
    """An audio edition and narration scripts of publish's copied in without their folder's marker."""
    assert (
        run(
            "audio", paper / "markdown", "-o", tmp_path / "audio", "--engine", "offline", "--cache", tmp_path / "c", "-q"
        ).exit_code
        == 0
    )
    assert run("audio", paper / "markdown", "--script", "-o", tmp_path / "scripts", "-q").exit_code == 0
    shutil.copytree(tmp_path / "audio", paper / "listen", ignore=shutil.ignore_patterns(OUTPUT_MARKER))
    shutil.copytree(tmp_path / "scripts", paper / "read", ignore=shutil.ignore_patterns(OUTPUT_MARKER))
    result = collect([paper])
    assert len(result.articles) == ARTICLES and not result.errors
    whys = {str(s.path.relative_to(paper)): s.why for s in result.skipped}
    assert set(whys.values()) == {
        "the manifest of an audio edition (publish audio)",
        "a narration script of publish audio --script",
    }
    assert len(whys) == 4  # two issues' editions, two issues' scripts


def test_the_users_own_files_with_those_names_are_read(paper):
    """Only publish's shapes are skipped: a paper's own manifest.json, build.json or script.txt
    holding articles is read, and so is an output folder or file the user names."""
    record = {"paper": "青梧晚报", "title": "社区图书馆延长开放时间", "content": "本报讯 社区图书馆自下月起每晚开放到九点。"}
    (paper / "desk").mkdir()
    for name in ("manifest.json", "build.json", "index.json"):
        (paper / "desk" / name).write_text(json.dumps([record], ensure_ascii=False), encoding="utf-8")
    (paper / "desk" / "script.txt").write_text(
        "广播稿：明日起城区降温\n\n本报讯 气象台预计明日起城区气温下降六到八度。\n", encoding="utf-8"
    )
    assert len(parsed(paper)) == ARTICLES + 4
    assert run("parse", paper, "--json", "-o", paper / "out" / "parsed.json", "-q").exit_code == 0
    assert len(parsed(paper)) == ARTICLES + 4  # parse's JSON is not read back ...
    assert len(parsed(paper / "out" / "parsed.json")) == ARTICLES + 4  # ... unless named


def test_a_default_output_inside_an_input_folder_is_a_usage_error(paper, monkeypatch):
    """`cd archive && publish build .`: out/build would be inside the input folder, where the next
    run reads; the user says where (-o, or output in publish.toml)."""
    monkeypatch.chdir(paper)
    for command, default in (("build", "out/build"), ("audio", "out/audio"), ("pdf", "out")):
        result = run(
            command, ".", "--engine" if command != "pdf" else "--no-previews", *(["offline"] if command != "pdf" else [])
        )
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.strip().splitlines()[-1] == (
            f"publish: error: the default output folder {default}/ is inside the input folder .: "
            "give --output (-o) to say where the outputs go"
        )
    assert not (paper / "out").exists()
    # elsewhere, or said: fine
    monkeypatch.chdir(paper.parent)
    assert run("pdf", paper / "markdown", "--no-previews", "-q").exit_code == 0 and (paper.parent / "out").is_dir()
