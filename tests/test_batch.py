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
from pypdf import PdfReader
from typer.testing import CliRunner

from publish import load
from publish.batch import build
from publish.cli import app
from publish.config import BuildSettings
from publish.errors import PublishError
from publish.fsutil import OUTPUT_MARKER

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
    assert {p.name for p in out.iterdir() if (p / "build.json").is_file()} == ISSUES
    daily = out / "青梧日报-2026-11-20"
    assert (daily / "青梧日报-2026-11-20.pdf").read_bytes().startswith(b"%PDF")
    pages = len(PdfReader(str(daily / "青梧日报-2026-11-20.pdf")).pages)
    assert pages >= 2 and len(list(daily.glob("*-p*.png"))) == pages  # a preview of every page
    assert len(list(daily.glob("*/article.mp3"))) == 8 and (daily / "feed.xml").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")  # the web edition's home
    key = quote("青梧日报-2026-11-20")
    assert f'href="{key}/{key}.pdf"' in index and f'href="{key}/index.html"' in index and 'href="archive/index.html"' in index
    if (daily / "web" / "pages.json").is_file():  # the page views (web.pages) and article views (web.record)
        assert f'href="{key}/page-01.html"' in index and (daily / "page-01.html").is_file()
    if (daily / "web" / "articles.json").is_file():
        assert f'href="{key}/01-300101/index.html"' in index and (daily / "01-300101" / "index.html").is_file()
    assert (out / "index.json").is_file()
    assert "12 articles in 3 issues: 21 of 21 tasks to do (3 PDFs, 3 web records, 12 article audio, 3 feeds)" in result.stderr
    assert "[21/21] 青梧晚报-2026-11-21 feed: 3 articles, " in result.stderr  # an issue's feed once its articles are done
    assert (
        "3 issues: built 3 PDFs, 3 web records, 12 article audio, 3 feeds (33 sections, 33 made); 0 up to date" in result.stderr
    )
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    again = run("build", examples, "-o", out, "--engine", "offline", "--cache", cache)
    assert again.exit_code == 0 and "nothing to do: 3 issues up to date" in again.stderr
    # not a file touched, the index neither: mirrors and caches see no change
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()} == before


def test_editing_one_article_redoes_its_issue_pdf_and_its_changed_section(examples, tmp_path):
    out = tmp_path / "site"
    settings = BuildSettings(engine="offline", cache=str(tmp_path / "cache"))
    build(load(examples), out, settings)
    daily = out / "青梧日报-2026-11-20"
    before = {p: p.stat().st_mtime_ns for p in daily.rglob("*.mp3")}
    article = examples / "qingwu-daily" / "2026-11-20-p02-1.txt"
    text = article.read_text(encoding="utf-8")
    edited = text.replace("关键在长效管理。", "关键在建立长效管理机制。")
    assert edited != text
    article.write_text(edited, encoding="utf-8")
    report = build(load(examples), out, settings)
    built = {(o.issue, o.part, o.kind) for o in report.outcomes if o.status == "built"}
    issue = "青梧日报-2026-11-20"
    assert built == {(issue, "", "pdf"), (issue, "", "web"), (issue, "04-300104", "audio"), (issue, "", "feed")}
    (audio,) = [o for o in report.outcomes if o.kind == "audio" and o.status == "built"]
    assert audio.detail["sections"] == 2 and audio.detail["changed"] == 1  # one section has new speech …
    assert audio.detail["synthesised"] == 1  # … one request; the rest came from the clip cache
    touched = {str(p.relative_to(daily)) for p, made in before.items() if p.stat().st_mtime_ns != made}
    # the other articles' files, and the edited article's other section, were left alone
    assert touched == {"04-300104/article.mp3", "04-300104/02-body.mp3"}
    edited_build = files(daily)
    forced = build(load(examples), out, settings, force=True)
    made = [o.detail for o in forced.outcomes if o.kind == "audio"]
    assert len(made) == 12 and all(d["changed"] == d["sections"] for d in made)  # --force takes nothing over
    assert files(daily) == edited_build  # what was taken over is what making it all again gives
    manifest = json.loads((daily / "manifest.json").read_text(encoding="utf-8"))
    assert [a["folder"] for a in manifest["articles"]][2:5] == ["03-300103", "04-300104", "05-300105"]


def test_one_failing_article_is_left_out_of_its_feed_until_it_is_made(examples, tmp_path, monkeypatch):
    import publish.speech.sound.editions as speech_build
    from publish.errors import SpeechError

    real = speech_build.article_audio

    def flaky(article, folder, number, **options):
        if number == 2 and folder.name == "青梧日报-2026-11-20":
            raise SpeechError("the engine returned no audio for 《…》", file="examples/qingwu-daily/x.txt")
        return real(article, folder, number, **options)

    monkeypatch.setattr(speech_build, "article_audio", flaky)
    common = ["-o", tmp_path / "site", "--no-pdf", "--engine", "offline", "--cache", tmp_path / "cache", "-j", "1"]
    result = run("build", examples, *common)
    assert result.exit_code == 1
    source = examples / "qingwu-daily" / "2026-11-20-p01-2.txt"  # the file and headline of the article, then why
    line = f"{source}: 《{load(source)[0].title}》: examples/qingwu-daily/x.txt: the engine returned no audio"
    assert f"青梧日报-2026-11-20 02-300102 audio: FAILED: {line}" in result.stderr
    assert "青梧日报-2026-11-20 feed: 7 articles, " in result.stderr and "left out (failed): 02-300102" in result.stderr
    assert f"failed:\n  青梧日报-2026-11-20 02-300102 audio  {line}" in result.stderr
    feed = (tmp_path / "site" / "青梧日报-2026-11-20" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 7 and "02-300102" not in feed
    monkeypatch.setattr(speech_build, "article_audio", real)
    again = run("build", examples, *common)
    assert again.exit_code == 0, again.output
    assert "built 0 PDFs" not in again.stderr and "built 0 web records, 1 article audio, 1 feed" in again.stderr
    feed = (tmp_path / "site" / "青梧日报-2026-11-20" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 8 and "02-300102/article.mp3" in feed
    # its file lost, and the redo fails: the feed does not list what is not there
    (tmp_path / "site" / "青梧日报-2026-11-20" / "02-300102" / "article.mp3").unlink()
    monkeypatch.setattr(speech_build, "article_audio", flaky)
    lost = run("build", examples, *common)
    assert lost.exit_code == 1 and "left out (failed): 02-300102" in lost.stderr
    feed = (tmp_path / "site" / "青梧日报-2026-11-20" / "feed.xml").read_text(encoding="utf-8")
    assert feed.count("<item>") == 7 and "02-300102" not in feed


def test_one_failing_issue_never_fails_the_batch(examples, tmp_path, monkeypatch):
    import publish.batch.tasks as batch

    real = batch.make_pdf

    def flaky(task, settings):
        if task.issue == "青梧晚报-2026-11-21":
            raise PublishError("the template has no room for this issue", file="templates/broadsheet.toml")
        return real(task, settings)

    monkeypatch.setattr(batch, "make_pdf", flaky)
    result = run("build", examples, "-o", tmp_path / "site", "--no-audio", "-j", "1")
    assert result.exit_code == 1
    assert "[5/6] 青梧晚报-2026-11-21 pdf: FAILED: templates/broadsheet.toml: the template has no room" in result.stderr
    assert (
        "failed:\n  青梧晚报-2026-11-21 pdf  templates/broadsheet.toml: the template has no room for this issue" in result.stderr
    )
    assert "3 issues: built 2 PDFs, 3 web records; 0 up to date, 1 failed" in result.stderr
    assert (tmp_path / "site" / "青梧日报-2026-11-20" / "青梧日报-2026-11-20.pdf").is_file()
    monkeypatch.setattr(batch, "make_pdf", real)
    again = run("build", examples, "-o", tmp_path / "site", "--no-audio", "-j", "1")
    assert again.exit_code == 0 and "3 issues: built 1 PDF, 0 web records; 5 up to date, 0 failed" in again.stderr


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
    assert not [p for p in out.rglob(".*") if p.name != OUTPUT_MARKER]  # no temporary file or scratch folder left
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
    assert "21 of 21 tasks to do (3 PDFs, 3 web records, 12 article audio, 3 feeds) on Dask local" in dask.stderr
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
    assert result.stderr.strip() == f"publish: error: {examples / 'publish.toml'}:2: build.jobs: must be int, not 'many'"
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
    pages = len(PdfReader(str(out / "青梧日报-2026-11-20" / "青梧日报-2026-11-20.pdf")).pages)
    assert index["issues"][1]["pdf"]["pages"] == pages and index["issues"][1]["articles"] == 7


def test_odd_paper_names_and_outputs_stay_inside_and_are_one_line_errors(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.md").write_text("---\npaper: ../../escape\ndate: 2026-11-24\n---\n\n# 标题\n\n正文一段。\n", encoding="utf-8")
    out = tmp_path / "a" / "b" / "out"
    result = run("build", source, "-o", out, "--no-audio", "-j", "1")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.pdf")) == [
        Path("a/b/out/_.._escape-2026-11-24/_.._escape-2026-11-24.pdf"),
        Path("a/b/out/_.._escape-2026-11-24/web/_.._escape-2026-11-24-p01.pdf"),  # the page's, for the web edition
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


def test_a_worker_process_that_dies_costs_no_task(examples, tmp_path):
    import multiprocessing

    killed = []

    def kill_a_worker(outcome):
        workers = [p for p in multiprocessing.active_children() if p.is_alive()]
        if not killed and workers:
            os.kill(workers[0].pid, signal.SIGKILL)  # as the out-of-memory killer would
            killed.append(workers[0].pid)

    settings = BuildSettings(pdf=False, engine="offline", cache=str(tmp_path / "cache"))
    report = build(load(examples), tmp_path / "site", settings, jobs=2, on_done=kill_a_worker)
    assert killed and not report.failed
    assert report.count("built", "audio") == 12 and report.count("built", "feed") == 3
    assert len(list((tmp_path / "site").glob("*/*/article.mp3"))) == 12


def test_an_article_that_kills_its_worker_fails_alone(examples, tmp_path, monkeypatch):
    """Worker processes start afresh (spawn): a sitecustomize on their PYTHONPATH makes one
    article's audio task kill its process, every time, as the out-of-memory killer would."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, signal\n"
        "import publish.batch.tasks as batch\n"
        "real = batch.make_audio\n"
        "def deadly(task, settings):\n"
        "    if task.part == '02-300102':\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(task, settings)\n"
        "batch.make_audio = deadly\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), *sys.path]))
    settings = BuildSettings(pdf=False, engine="offline", cache=str(tmp_path / "cache"))
    report = build(load(examples), tmp_path / "site", settings, jobs=2)
    (failed,) = report.failed
    assert (failed.issue, failed.part) == ("青梧日报-2026-11-20", "02-300102")
    assert failed.message == "a worker process died running it, 3 times (out of memory? killed?)"
    assert report.count("built", "audio") == 11 and report.count("built", "feed") == 3
    assert not list((tmp_path / "site").rglob(".publish-*"))  # nothing the dead workers half-made is left


def test_auto_reads_offline_while_edge_is_down_and_again_once_it_answers(edge_server, examples, tmp_path, monkeypatch):
    common = ["-o", tmp_path / "site", "--no-pdf", "--cache", tmp_path / "cache", "-j", "1"]
    monkeypatch.setenv("PUBLISH_EDGE_ENDPOINT", "ws://127.0.0.1:9/edge/v1?TrustedClientToken=x")  # nothing listens
    down = run("build", examples / "records", *common)
    assert down.exit_code == 0, down.output
    assert "the edge-tts service cannot be reached" in down.stderr and "using the offline engine" in down.stderr
    still = run("build", examples / "records", *common)
    assert "publish: warning: 2 articles stay read by the offline engine: edge-tts still does not answer" in still.stderr
    assert "nothing to do: 1 issue up to date" in still.stderr
    server = edge_server()
    back = run("build", examples / "records", *common)
    assert back.exit_code == 0, back.output
    assert "2 articles read by the offline engine in an earlier run: edge-tts answers now, read again" in back.stderr
    assert "built 0 web records, 2 article audio, 1 feed" in back.stderr and server.stats.succeeded > 0
    made = json.loads((tmp_path / "site" / "青梧晚报-2026-11-21" / "build.json").read_text(encoding="utf-8"))
    assert {a["engine"] for a in made["audio"].values()} == {"edge"}
    assert "nothing to do" in run("build", examples / "records", *common).stderr


def test_base_url_remakes_the_feeds_only_and_prune_drops_issues_the_inputs_left(examples, tmp_path):
    out = tmp_path / "site"
    common = ["-o", out, "--no-pdf", "--engine", "offline", "--cache", tmp_path / "cache", "-j", "1"]
    assert run("build", examples, *common).exit_code == 0
    mp3s = {p: p.stat().st_mtime_ns for p in out.rglob("*.mp3")}
    served = run("build", examples, *common, "--base-url", "https://news.example/audio/")
    assert served.exit_code == 0 and "built 0 web records, 0 article audio, 3 feeds" in served.stderr
    assert {p: p.stat().st_mtime_ns for p in mp3s} == mp3s
    feed = (out / "青梧晚报-2026-11-21" / "feed.xml").read_text(encoding="utf-8")
    assert f'url="https://news.example/audio/{quote("青梧晚报-2026-11-21")}/01/article.mp3"' in feed
    kept = run("build", examples / "plain", *common, "--base-url", "https://news.example/audio/")
    assert kept.exit_code == 0 and len(json.loads((out / "index.json").read_text())["issues"]) == 3  # the archive stays
    pruned = run("build", examples / "plain", *common, "--base-url", "https://news.example/audio/", "--prune")
    assert "pruned 2 issue folders no longer given by the inputs: 青梧日报-2026-11-20, 青梧晚报-2026-11-21" in pruned.stderr
    assert sorted(p.name for p in out.iterdir() if (p / "build.json").is_file()) == ["articles-undated"]
    assert not list((out / "feeds").glob("青梧*.xml"))  # the web edition's files of the papers gone, gone too
    assert [i["issue"] for i in json.loads((out / "index.json").read_text())["issues"]] == ["articles-undated"]
    assert run("build", examples, *common).exit_code == 0
    broken = tmp_path / "broken"
    shutil.copytree(examples / "plain", broken)
    (broken / "feed.jsonl").write_text("{not json\n", encoding="utf-8")
    unsure = run("build", broken, *common, "--prune")  # an input it cannot read may be a passing fault
    assert unsure.exit_code == 1 and "publish: warning: --prune: nothing removed, as 1 input could not be read" in unsure.stderr
    assert len([p for p in out.iterdir() if (p / "build.json").is_file()]) == 3


def test_the_fonts_in_use_are_part_of_the_pdf_digest(examples, tmp_path, monkeypatch):
    import publish.typeset.fonts as fonts
    from publish.batch import plan

    articles = load(examples / "records")
    bundled = {t.kind: t.digest for t in plan(articles, tmp_path, BuildSettings())}
    own = tmp_path / "fonts"
    own.mkdir()
    (own / "House-Regular.ttf").write_bytes(b"a house font")
    monkeypatch.setattr(fonts, "FONT_DIR", own)  # as PUBLISH_FONTS=<own> would
    first = {t.kind: t.digest for t in plan(articles, tmp_path, BuildSettings())}
    (own / "House-Regular.ttf").write_bytes(b"a house font, corrected")
    second = {t.kind: t.digest for t in plan(articles, tmp_path, BuildSettings())}
    assert bundled["pdf"] != first["pdf"] != second["pdf"]
    assert bundled["audio"] == first["audio"] == second["audio"]  # speech does not use fonts


@DASK_LEAKS[0]
@DASK_LEAKS[1]
def test_a_dask_scheduler_and_workers_in_their_own_processes_build_it_alike(examples, tmp_path):
    """A cluster as an archive run uses one: `dask scheduler` and `dask worker` processes that
    talk TCP, found through --scheduler tcp://…; its outputs equal a one-process build's."""
    pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'publish[dask]'")
    address_file = tmp_path / "scheduler.json"
    dask = [sys.executable, "-m", "distributed.cli"]
    scheduler = subprocess.Popen([*dask[:2], "distributed.cli.dask_scheduler", "--scheduler-file", str(address_file),
                                  "--host", "127.0.0.1", "--port", "0", "--dashboard-address", ":0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    workers = []
    try:
        deadline = time.monotonic() + 60
        while not address_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        for _ in range(2):
            workers.append(subprocess.Popen([*dask[:2], "distributed.cli.dask_worker", address, "--nthreads", "1",
                                             "--nworkers", "1", "--no-dashboard", "--local-directory", str(tmp_path / "w")],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path))  # fmt: skip
        common = ["--engine", "offline", "--cache", tmp_path / "cache"]
        inputs = [examples / "markdown", examples / "records"]  # two issues, four articles
        cluster = run("build", *inputs, "-o", tmp_path / "cluster", "--scheduler", address, *common)
        assert cluster.exit_code == 0, cluster.output
        assert (
            f"4 articles in 2 issues: 10 of 10 tasks to do (2 PDFs, 2 web records, 4 article audio, 2 feeds) on Dask {address}"
            in cluster.stderr
        )
        alone = run("build", *inputs, "-o", tmp_path / "alone", "-j", "1", *common)
        assert alone.exit_code == 0, alone.output
        assert files(tmp_path / "cluster") == files(tmp_path / "alone")
    finally:
        for process in [*workers, scheduler]:
            process.terminate()
        for process in [*workers, scheduler]:
            process.wait(timeout=30)


@DASK_LEAKS[0]
@DASK_LEAKS[1]
@pytest.mark.parametrize("scheduler", ["processes", "local"])
def test_ctrl_c_stops_the_workers_at_once_and_leaves_nothing_half_made(examples, tmp_path, scheduler):
    if scheduler == "local":
        pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'publish[dask]'")
    out = tmp_path / "site"
    command = [sys.executable, "-m", "publish", "build", str(examples), "-o", str(out), "-j", "2", "--engine", "offline",
               "--cache", str(tmp_path / "cache"), *(["--scheduler", "local"] if scheduler == "local" else [])]  # fmt: skip
    child = subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as a terminal would: a shell running tests in the background leaves SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None and not list(out.glob("*/*/article.mp3")):
        time.sleep(0.02)  # interrupt once the workers are reading articles aloud
    os.killpg(child.pid, signal.SIGINT)  # Ctrl-C: the whole process group, workers too
    made = len(list(out.glob("*/*/article.mp3")))
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130
    assert stderr.strip().splitlines()[-1] == "publish: interrupted" and "Traceback" not in stderr
    # it stopped: the articles queued for the workers were not read first (two may have been finishing)
    assert len(list(out.glob("*/*/article.mp3"))) <= made + 2 < 12
    assert [p for p in out.rglob("*") if p.name.startswith(".") and p.name != OUTPUT_MARKER] == []


def descendants(pid: int) -> set[int]:
    """The processes `pid` started, theirs and so on (Linux: /proc)."""
    found, todo = set(), [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = {int(k) for k in (task / "children").read_text().split()}
            except OSError:
                continue
            todo += kids - found
            found |= kids
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is gone, unreaped
    except (OSError, IndexError):
        return False


@DASK_LEAKS[0]
@DASK_LEAKS[1]
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the workers through Linux's /proc")
@pytest.mark.parametrize("scheduler", ["processes", "local"])
def test_workers_of_a_build_killed_with_sigkill_exit_within_seconds_and_leave_nothing(examples, tmp_path, scheduler):
    """A cron timeout or the OOM killer: `kill -9` of the build while its workers read articles
    aloud. Its workers (and multiprocessing's resource tracker) are gone within 10 s; worker
    processes leave no temporary file (Dask ends its workers at once: the next build sweeps)."""
    if scheduler == "local":
        pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'publish[dask]'")
    out, scratch = tmp_path / "site", tmp_path / "tmp"
    scratch.mkdir()
    command = [sys.executable, "-m", "publish", "build", str(examples), "-o", str(out), "-j", "2", "--engine", "offline",
               "--cache", str(tmp_path / "cache"), *(["--scheduler", "local"] if scheduler == "local" else [])]  # fmt: skip
    env = {**os.environ, "TMPDIR": str(scratch)}
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None and not list(out.glob("*/*/article.mp3")):
        time.sleep(0.02)  # the workers are reading articles aloud
    workers = descendants(child.pid)
    child.kill()
    child.wait()
    assert len(workers) >= 2 and len(list(out.glob("*/*/article.mp3"))) < 12, "the build ended before it was killed"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in workers):
        time.sleep(0.1)
    left = [p for p in workers if alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)  # not to leave them to the next test
    assert left == []
    if scheduler == "processes":  # the killed build's own half-written build.json may stay: the next build sweeps it
        own = {p for p in out.rglob(".*.tmp") if p.name.startswith((".build.json.", ".index."))}
        assert [p.name for p in out.rglob(".*") if p.name != OUTPUT_MARKER and p not in own] == []
        assert list(scratch.iterdir()) == []


def test_a_failure_line_names_the_file_and_headline_of_the_article_that_failed(examples, tmp_path, monkeypatch):
    """A bug met on one article (a library's TypeError deep in typesetting, or in reading aloud)
    fails its task with a line naming that article's file and headline, not just the issue."""
    import publish.layout.columns as columns
    import publish.speech.sound.editions as speech_build

    real_block, real_audio = columns.compose_block, speech_build.article_audio

    def crash_on_one(block, *args, **options):
        if "关键在长效管理" in block.text:
            raise TypeError("'NoneType' object is not subscriptable")
        return real_block(block, *args, **options)

    def crash_reading(article, folder, number, **options):
        if article.title == "外婆家的柿子树":
            raise TypeError("unsupported operand type(s) for +: 'NoneType' and 'str'")
        return real_audio(article, folder, number, **options)

    monkeypatch.setattr(columns, "compose_block", crash_on_one)
    monkeypatch.setattr(speech_build, "article_audio", crash_reading)
    result = run("build", examples / "qingwu-daily", "-o", tmp_path / "site", "--engine", "offline", "--cache",
                 tmp_path / "cache", "-j", "1", "--no-previews")  # fmt: skip
    assert result.exit_code == 1
    paper = load(examples / "qingwu-daily" / "2026-11-20-p02-1.txt")[0].title
    pdf = f"{examples / 'qingwu-daily' / '2026-11-20-p02-1.txt'}: 《{paper}》: internal error TypeError: 'NoneType' object"
    audio = f"{examples / 'qingwu-daily' / '2026-11-20-p04-1.txt'}: 《外婆家的柿子树》: internal error TypeError: unsupported"
    assert f"青梧日报-2026-11-20 pdf: FAILED: {pdf}" in result.stderr
    assert f"青梧日报-2026-11-20 07-300107 audio: FAILED: {audio}" in result.stderr
    table = result.stderr.split("\nfailed:\n", 1)[1]
    assert f"青梧日报-2026-11-20 pdf              {pdf}" in table and f"07-300107 audio  {audio}" in table


def test_a_build_sweeps_the_half_written_files_a_killed_build_left_in_its_output(tmp_path):
    """`kill -9` of the coordinator while it replaced index.json (or an issue's build.json) leaves
    `.index.json.*.tmp`: the next build removes it, and nothing else of the user's."""
    out = tmp_path / "site"
    out.mkdir()
    (out / ".index.json.x1y2z3.tmp").write_text("{", encoding="utf-8")
    (out / ".notes.txt").write_text("the user's", encoding="utf-8")
    settings = BuildSettings(audio=False, previews=False)
    build(load(EXAMPLES / "plain"), out, settings)
    assert not (out / ".index.json.x1y2z3.tmp").exists() and (out / ".notes.txt").exists()
    assert (out / "index.json").is_file()
