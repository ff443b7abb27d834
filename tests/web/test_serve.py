"""`publish web OUT --serve`: a local server that answers byte ranges, which seeking in the
audio needs (Python's http.server answers every request with the whole file)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from publish.web.serve import byte_range, make_server


@pytest.fixture
def served(tmp_path):
    (tmp_path / "a.mp3").write_bytes(bytes(range(100)))
    (tmp_path / "p.webp").write_bytes(b"RIFF")
    (tmp_path / "c.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (tmp_path / "index.html").write_text("<!doctype html>", encoding="utf-8")
    server = make_server(tmp_path, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def fetch(url: str, headers: dict | None = None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {})) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_range_gets_206_with_those_bytes(served):
    status, headers, body = fetch(served + "a.mp3", {"Range": "bytes=10-19"})
    assert (status, body) == (206, bytes(range(10, 20)))
    assert headers["Content-Range"] == "bytes 10-19/100" and headers["Content-Type"] == "audio/mpeg"
    assert fetch(served + "a.mp3", {"Range": "bytes=-5"})[2] == bytes(range(95, 100))
    assert fetch(served + "a.mp3", {"Range": "bytes=90-"})[2] == bytes(range(90, 100))


def test_the_whole_file_says_it_takes_ranges_and_a_bad_range_is_416(served):
    status, headers, body = fetch(served + "a.mp3")
    assert (status, len(body), headers["Accept-Ranges"]) == (200, 100, "bytes")
    status, headers, _ = fetch(served + "a.mp3", {"Range": "bytes=200-300"})
    assert (status, headers["Content-Range"]) == (416, "bytes */100")
    assert fetch(served + "p.webp")[1]["Content-Type"] == "image/webp"
    assert fetch(served + "c.vtt")[1]["Content-Type"] == "text/vtt"
    assert fetch(served + "../../etc/passwd")[0] == 404


@pytest.mark.parametrize(
    ("header", "span"),
    [(None, None), ("bytes=0-0", (0, 0)), ("bytes=5-", (5, 9)), ("bytes=-3", (7, 9)), ("bytes=-20", (0, 9)),
     ("bytes=3-99", (3, 9)), ("bytes=10-", False), ("bytes=5-2", False), ("bytes=-", False), ("items=1-2", False),
     ("bytes=1-2,4-5", False)],
)  # fmt: skip
def test_byte_range(header, span):
    assert byte_range(header, 10) == span


def test_publish_web_serve_says_where_and_serves(tmp_path):
    out = tmp_path / "out"
    (out / "纸-2026-01-05").mkdir(parents=True)
    (out / "纸-2026-01-05" / "build.json").write_text("{}", encoding="utf-8")  # an issue folder with nothing built yet
    process = subprocess.Popen(
        [sys.executable, "-m", "publish", "web", str(out), "--serve", "0"], stderr=subprocess.PIPE, text=True
    )
    try:
        lines = []
        while not (lines and lines[-1].startswith("serving")) and process.poll() is None:
            lines.append(process.stderr.readline())
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[-1])
        assert found, lines
        status, _, body = fetch(found[0])
        assert status == 200 and b"<html" in body
    finally:
        process.terminate()
        process.wait(10)
        process.stderr.close()
