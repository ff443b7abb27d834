"""`publish audio` and `publish voices` as a user runs them: messages, exit codes, files."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from typer.testing import CliRunner

from publish.cli import app
from publish.fsutil import OUTPUT_MARKER

from .conftest import EXAMPLES

runner = CliRunner()
INTERVIEW = EXAMPLES / "qingwu-daily" / "2026-11-20-p02-1.txt"


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_script_shows_sections_and_what_is_sent():
    result = run("audio", INTERVIEW, "--script")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("=== 青梧日报-2026-11-20 ===")
    assert "## 01-headline  让老街区留住烟火气 焕发新活力" in out
    assert "## 02-body  正文" in out
    assert "问卷回收率不低于80%" in out and "→ " in out and "百分之八十" in out


def test_script_to_files(tmp_path):
    result = run("audio", EXAMPLES / "qingwu-daily", "--script", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    (script,) = tmp_path.glob("*/script.txt")
    assert script.parent.name == "青梧日报-2026-11-20"
    assert script.read_text(encoding="utf-8").count("## 01-headline") == 7


def test_offline_edition_and_summary(tmp_path):
    result = run("audio", INTERVIEW, "-o", tmp_path / "audio", "--engine", "offline", "--cache", tmp_path / "cache", "--gap", "1")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "audio" / "青梧日报-2026-11-20"
    assert sorted(p.name for p in folder.iterdir()) == ["01-300104", "feed.xml", "manifest.json", "playlist.m3u8"]
    assert {p.suffix for p in (folder / "01-300104").iterdir()} == {".mp3", ".srt", ".vtt", ".lrc", ".json"}
    assert {"chapters.json", "chapters.vtt", "article.vtt"} <= {p.name for p in (folder / "01-300104").iterdir()}
    assert "wrote " in result.stderr and "1 article, 2 sections" in result.stderr
    assert "offline (cmn)" in result.stderr and "synthesised, 0 from the cache" in result.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for article in manifest["articles"]:
        assert -16.5 <= article["loudness"] <= -15.5 and article["true_peak"] <= -1.5
    again = run("audio", INTERVIEW, "-o", tmp_path / "audio", "--engine", "offline", "--cache", tmp_path / "cache", "--gap", "1")
    assert " 0 synthesised" in again.stderr


def test_bad_options_are_one_line(tmp_path):
    for args, message in [
        (["--engine", "azure"], "--engine must be one of auto, edge, offline, not 'azure'"),
        (["--rate", "fast"], "rate 'fast' is not like +10%"),
        (["--cover", tmp_path / "nope.png"], "not a PNG or JPEG file"),
    ]:
        result = run("audio", INTERVIEW, "-o", tmp_path, *args)
        assert result.exit_code == 2, result.output
        assert result.stderr.strip() == f"publish: error: {message}" or message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_bad_file_is_reported_and_others_still_read(tmp_path):
    bad = tmp_path / "in" / "empty.txt"
    bad.parent.mkdir()
    bad.write_text("\n", encoding="utf-8")
    good = tmp_path / "in" / "good.txt"
    good.write_text(INTERVIEW.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("audio", tmp_path / "in", "--script")
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "publish: error:" in result.stderr
    assert "## 01-headline" in result.stdout


def test_outage_message(edge_server, tmp_path):
    edge_server(down="503")
    result = run("audio", INTERVIEW, "-o", tmp_path / "out", "--engine", "edge", "--cache", tmp_path / "cache")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("publish: error: edge-tts:") and "503" in line
    assert not (tmp_path / "out").exists()


def test_voices_offline_and_edge(edge_server):
    result = run("voices", "--engine", "offline")
    assert result.exit_code == 0, result.output
    assert "cmn" in result.stdout
    edge_server()
    result = run("voices", "--engine", "edge", "--locale", "zh-CN")
    assert result.exit_code == 0, result.output
    assert "zh-CN-YunyangNeural" in result.stdout
    assert all(line.split()[1].startswith("zh-CN") for line in result.stdout.splitlines())


def test_cover_art_in_tags_and_feed(tmp_path):
    cover = Path(__file__).resolve().parents[1] / "docs" / "issue-page1.png"
    result = run(
        "audio",
        INTERVIEW,
        "-o",
        tmp_path,
        "--engine",
        "offline",
        "--cache",
        tmp_path / "cache",
        "--cover",
        cover,
        "--base-url",
        "https://example.org/audio",
    )
    assert result.exit_code == 0, result.output
    from mutagen.id3 import ID3

    folder = tmp_path / "青梧日报-2026-11-20"
    (mp3,) = folder.glob("*/article.mp3")
    assert ID3(mp3).getall("APIC")[0].data == cover.read_bytes()
    feed = (folder / "feed.xml").read_text(encoding="utf-8")
    issue = quote("青梧日报-2026-11-20")
    assert f'href="https://example.org/audio/{issue}/cover.png"' in feed
    assert f"https://example.org/audio/{issue}/01-300104/article.mp3" in feed


def test_ctrl_c_stops_cleanly(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    command = [sys.executable, "-m", "publish", "audio", EXAMPLES, "-o", tmp_path / "out", "--cache", tmp_path / "cache"]
    child = subprocess.Popen(
        [*map(str, command), "--engine", "offline"],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # as a terminal would: a shell running tests in the background leaves SIGINT ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and child.poll() is None and not any(p.is_file() for p in (tmp_path / "cache").rglob("*")):
        time.sleep(0.02)  # interrupt as soon as synthesis is under way
    os.killpg(child.pid, signal.SIGINT)
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 130
    assert stderr.strip().splitlines()[-1] == "publish: interrupted" and "Traceback" not in stderr
    out = tmp_path / "out"
    leftovers = [p for p in out.rglob(".*") if p.name != OUTPUT_MARKER] if out.exists() else []  # the marker is no leftover
    assert leftovers == []


def _paged_issue(folder: Path) -> Path:
    """Three articles of one issue whose file names (input order) are not their page order."""
    folder.mkdir()
    for name, page, title in [("a", 3, "第三版的文章"), ("b", 1, "头版的文章"), ("c", 2, "第二版的文章")]:
        text = f"---\npaper: 测试报\ndate: 2026-01-02\npage: {page}\n---\n\n# {title}\n\n这是{title}的正文。\n"
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


def test_playlist_feed_and_numbers_follow_page_order(tmp_path):
    inputs = _paged_issue(tmp_path / "in")
    in_page_order = ["头版的文章", "第二版的文章", "第三版的文章"]
    script = run("audio", inputs, "--script")
    headings = [line for line in script.stdout.splitlines() if line.startswith("# ")]
    assert headings == [f"# {n:02d} {title}" for n, title in enumerate(in_page_order, 1)]
    result = run("audio", inputs, "-o", tmp_path / "audio", "--engine", "offline", "--cache", tmp_path / "cache", "-q")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "audio" / "测试报-2026-01-02"
    playlist = (folder / "playlist.m3u8").read_text(encoding="utf-8")
    assert [line.split(",", 1)[1] for line in playlist.splitlines() if line.startswith("#EXTINF")] == in_page_order
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(a["folder"], a["title"]) for a in manifest["articles"]] == list(zip(["01", "02", "03"], in_page_order, strict=True))
    feed = (folder / "feed.xml").read_text(encoding="utf-8")
    assert feed.index("头版的文章") < feed.index("第二版的文章") < feed.index("第三版的文章")


def test_progress_lines_when_not_on_a_terminal(tmp_path):
    inputs = _paged_issue(tmp_path / "in")
    args = ("audio", inputs, "-o", tmp_path / "audio", "--engine", "offline", "--cache", tmp_path / "cache", "-j", "1")
    result = run(*args)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "synthesised 1 of 6 requests" and "synthesised 6 of 6 requests" in lines
    written = [line for line in lines if line.startswith("[")]
    assert [line[:5] for line in written] == ["[1/3]", "[2/3]", "[3/3]"] and all("》" in line for line in written)
    assert not [line for line in run(*args, "-q").stderr.splitlines() if line.startswith(("[", "synth"))]
