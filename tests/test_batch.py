"""`publish build`: issues from a batch of articles, incremental, parallel, on Dask, and robust."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from publish import load
from publish.batch import BuildSettings, build
from publish.cli import app
from publish.errors import PublishError

from .conftest import EXAMPLES

runner = CliRunner()
ISSUES = {"青梧日报-2026-11-20", "青梧晚报-2026-11-21", "articles-undated"}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def examples(tmp_path) -> Path:
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy)
    return copy


def test_builds_every_issue_then_has_nothing_to_do(examples, tmp_path):
    out, cache = tmp_path / "site", tmp_path / "cache"
    result = run("build", examples, "-o", out, "--engine", "offline", "--cache", cache, "-j", "1")
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir() if p.is_dir()} == ISSUES
    daily = out / "青梧日报-2026-11-20"
    assert (daily / "青梧日报-2026-11-20.pdf").read_bytes().startswith(b"%PDF")
    assert len(list(daily.glob("*-p*.png"))) == 4
    assert len(list(daily.glob("*/article.mp3"))) == 8 and (daily / "feed.xml").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    key = quote("青梧日报-2026-11-20")
    assert index.count("<tr>") == 4 and f'href="{key}/{key}.pdf"' in index and f'href="{key}/feed.xml"' in index
    assert "3 issues: 6 built (3 PDF, 3 audio), 0 up to date, 0 failed" in result.stderr
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name not in ("index.json", "index.html")}
    again = run("build", examples, "-o", out, "--engine", "offline", "--cache", cache)
    assert again.exit_code == 0 and "nothing to do: 3 issues up to date" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_editing_one_article_redoes_its_issue_and_its_changed_request(examples, tmp_path):
    out = tmp_path / "site"
    settings = BuildSettings(engine="offline", cache=str(tmp_path / "cache"))
    build(load(examples), out, settings)
    article = examples / "qingwu-daily" / "2026-11-20-p02-1.txt"
    text = article.read_text(encoding="utf-8")
    edited = text.replace("关键在长效管理。", "关键在建立长效管理机制。")
    assert edited != text
    article.write_text(edited, encoding="utf-8")
    report = build(load(examples), out, settings)
    built = {(o.issue, o.kind) for o in report.outcomes if o.status == "built"}
    assert built == {("青梧日报-2026-11-20", "pdf"), ("青梧日报-2026-11-20", "audio")}
    (audio,) = [o for o in report.outcomes if o.kind == "audio" and o.status == "built"]
    assert audio.detail["synthesised"] == 1  # one request of one section, the rest from the clip cache


def test_one_failing_issue_never_fails_the_batch(examples, tmp_path, monkeypatch):
    import publish.batch as batch

    real = batch._make_pdf

    def flaky(task, settings):
        if task.issue == "青梧晚报-2026-11-21":
            raise PublishError("the template has no room for this issue", file="templates/broadsheet.toml")
        return real(task, settings)

    monkeypatch.setattr(batch, "_make_pdf", flaky)
    result = run("build", examples, "-o", tmp_path / "site", "--no-audio", "-j", "1")
    assert result.exit_code == 1
    assert "[3/3] 青梧晚报-2026-11-21 pdf: FAILED: templates/broadsheet.toml: the template has no room" in result.stderr
    assert (
        "failed:\n  青梧晚报-2026-11-21 pdf  templates/broadsheet.toml: the template has no room for this issue" in result.stderr
    )
    assert "3 issues: 2 built (2 PDF, 0 audio), 0 up to date, 1 failed" in result.stderr
    assert (tmp_path / "site" / "青梧日报-2026-11-20" / "青梧日报-2026-11-20.pdf").is_file()
    monkeypatch.setattr(batch, "_make_pdf", real)
    again = run("build", examples, "-o", tmp_path / "site", "--no-audio", "-j", "1")
    assert again.exit_code == 0 and "1 built (1 PDF, 0 audio), 2 up to date, 0 failed" in again.stderr


def test_killed_with_sigkill_and_started_again_finishes_without_partial_files(examples, tmp_path):
    out = tmp_path / "site"
    command = [sys.executable, "-c", "from publish.cli import main; main()", "build", str(examples), "-o", str(out)]
    command += ["--engine", "offline", "--cache", str(tmp_path / "cache"), "-j", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/build.json")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)  # well into the next task
    process.send_signal(signal.SIGKILL)
    process.wait()
    first = [p.parent.name for p in out.glob("*/build.json")]
    assert first, "the run was killed before it finished anything"
    result = run("build", examples, "-o", out, "--engine", "offline", "--cache", tmp_path / "cache", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "up to date" in result.stderr and " 0 failed" in result.stderr
    assert not [p for p in out.rglob(".*")]  # no temporary file or scratch folder left
    for pdf in out.glob("*/*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    final = run("build", examples, "-o", out, "--engine", "offline", "--cache", tmp_path / "cache")
    assert "nothing to do" in final.stderr


# distributed leaves a probing socket for the garbage collector: its leak, not ours
DASK_LEAKS = [
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]


@DASK_LEAKS[0]
@DASK_LEAKS[1]
def test_processes_and_a_dask_local_cluster_give_identical_outputs(examples, tmp_path):
    pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'publish[dask]'")
    common = ["--engine", "offline", "--cache", tmp_path / "cache"]
    one = run("build", examples, "-o", tmp_path / "one", "-j", "1", *common)
    assert one.exit_code == 0, one.output
    dask = run("build", examples, "-o", tmp_path / "dask", "--scheduler", "local", "-j", "2", *common)
    assert dask.exit_code == 0, dask.output
    assert "running on Dask local" in dask.stderr
    processes = run("build", examples, "-o", tmp_path / "processes", "-j", "2", *common)
    assert processes.exit_code == 0, processes.output
    assert files(tmp_path / "one") == files(tmp_path / "dask") == files(tmp_path / "processes")


@DASK_LEAKS[0]
@DASK_LEAKS[1]
@pytest.mark.parametrize("scheduler", ["processes", "local"])
def test_edge_requests_are_limited_across_workers(edge_server, examples, tmp_path, scheduler):
    if scheduler == "local":
        pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'publish[dask]'")
    server = edge_server(latency=0.05)
    (examples / "publish.toml").write_text("[build]\nedge_requests = 1\n", encoding="utf-8")
    where = ["--scheduler", "local"] if scheduler == "local" else []
    result = run("build", examples, "-o", tmp_path / "site", "--no-pdf", "--engine", "edge", "-j", "3", *where,
                 "--cache", tmp_path / "cache")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert server.stats.succeeded > 50 and server.stats.peak == 1  # three workers, one request at a time


def test_build_settings_and_mistakes(examples, tmp_path):
    (examples / "publish.toml").write_text("[build]\njobs = 'many'\n", encoding="utf-8")
    result = run("build", examples, "-o", tmp_path / "site")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"publish: error: {examples / 'publish.toml'}: build.jobs: must be int, not 'many'"
    (examples / "publish.toml").write_text("[build]\naudio = false\npreviews = false\n", encoding="utf-8")
    result = run("build", examples, "-o", tmp_path / "site", "-j", "1")
    assert result.exit_code == 0, result.output
    assert not list((tmp_path / "site").glob("*/feed.xml")) and not list((tmp_path / "site").glob("*/*.png"))
    assert run("build", examples, "--no-pdf", "--no-audio").stderr.strip() == (
        "publish: error: --no-pdf and --no-audio leave nothing to build"
    )
    result = run("build", examples, "-o", tmp_path / "x", "--no-audio", "--scheduler", "tcp://127.0.0.1:9")
    if os.environ.get("PUBLISH_NO_DASK") is None and result.exit_code == 1:
        assert "publish: error: --scheduler tcp://127.0.0.1:9: cannot connect" in result.stderr


def test_a_nightly_run_adds_its_issue_to_the_archive_index(examples, tmp_path):
    out = tmp_path / "site"
    for day in ("qingwu-daily", "plain"):
        result = run("build", examples / day, "-o", out, "--no-audio", "-j", "1")
        assert result.exit_code == 0, result.output
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [i["issue"] for i in index["issues"]] == ["articles-undated", "青梧日报-2026-11-20"]
    assert index["issues"][1]["pdf"]["pages"] == 4 and index["issues"][1]["articles"] == 7


def test_odd_paper_names_and_outputs_stay_inside_and_are_one_line_errors(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.md").write_text("---\npaper: ../../escape\ndate: 2026-11-24\n---\n\n# 标题\n\n正文一段。\n", encoding="utf-8")
    out = tmp_path / "a" / "b" / "out"
    result = run("build", source, "-o", out, "--no-audio", "-j", "1")
    assert result.exit_code == 0, result.output
    assert [p.relative_to(tmp_path) for p in tmp_path.rglob("*.pdf")] == [
        Path("a/b/out/_.._escape-2026-11-24/_.._escape-2026-11-24.pdf")
    ]
    assert run("build", source, "--scheduler", "bogus").stderr.strip() == (
        "publish: error: --scheduler bogus: give an address like tcp://host:8786, or local"
    )
    (tmp_path / "afile").write_text("", encoding="utf-8")
    result = run("build", source, "-o", tmp_path / "afile" / "sub", "--no-audio")
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"publish: error: {tmp_path / 'afile' / 'sub'}: cannot write the output folder: Not a directory"
    )
