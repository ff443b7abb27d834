"""The test server itself: byte ranges as browsers ask for them, the media types of the site's
files, a `/sub/` prefix with nothing outside it, and Chromium seeking in audio it serves."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
import wave

import pytest

from .conftest import byte_range, serve


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def tone(seconds: float = 3.0, rate: int = 8000) -> bytes:
    """A short mono WAV (a quiet square wave) for the player."""
    frames = bytes(((i // 20) % 2) * 40 + 100 for i in range(int(seconds * rate)))
    out = io.BytesIO()
    with wave.open(out, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(rate)
        audio.writeframes(frames)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    site = tmp_path / "site"
    (site / "期").mkdir(parents=True)
    (site / "index.html").write_text('<!doctype html><title>首页</title><a href="期/a.html">a</a>', encoding="utf-8")
    (site / "期" / "a.html").write_text("<!doctype html><title>a</title>", encoding="utf-8")
    (site / "期" / "tone.wav").write_bytes(tone())
    for name in ("p.webp", "a.mp3", "a.vtt", "x.json", "feed.xml", "logo.svg"):
        (site / name).write_bytes(b"0123456789")
    return site


def test_byte_ranges_are_read_as_browsers_send_them():
    assert byte_range(None, 100) is None
    assert byte_range("bytes=0-", 100) == (0, 99)
    assert byte_range("bytes=10-19", 100) == (10, 19)
    assert byte_range("bytes=90-200", 100) == (90, 99)
    assert byte_range("bytes=-10", 100) == (90, 99)
    assert byte_range("bytes=100-", 100) is False
    assert byte_range("bytes=5-1", 100) is False
    assert byte_range("bytes=0-1,5-6", 100) is False


def test_the_server_answers_ranges_with_206_and_the_media_types(folder):
    with serve(folder) as server:
        status, headers, body = fetch(server.url("a.mp3"), {"Range": "bytes=2-5"})
        assert (status, body, headers["Content-Range"], headers["Accept-Ranges"]) == (206, b"2345", "bytes 2-5/10", "bytes")
        assert fetch(server.url("a.mp3"), {"Range": "bytes=20-"})[0] == 416
        status, headers, body = fetch(server.url("a.mp3"))
        assert (status, body, headers["Accept-Ranges"]) == (200, b"0123456789", "bytes")
        types = {
            name: fetch(server.url(name))[1]["Content-Type"]
            for name in ("p.webp", "a.mp3", "a.vtt", "x.json", "feed.xml", "logo.svg")
        }
        assert types == {
            "p.webp": "image/webp",
            "a.mp3": "audio/mpeg",
            "a.vtt": "text/vtt; charset=utf-8",
            "x.json": "application/json",
            "feed.xml": "application/xml",
            "logo.svg": "image/svg+xml",
        }
        assert fetch(server.url("期/a.html"))[0] == 200
        assert fetch(server.url("../etc/passwd"))[0] == 404
        assert [hit.status for hit in server.hits][:2] == [206, 416]


def test_under_a_prefix_nothing_outside_it_is_served(folder):
    with serve(folder, "/sub/") as server:
        assert server.base.endswith("/sub/")
        assert fetch(server.url("index.html"))[0] == 200
        assert fetch(server.origin + "/index.html")[0] == 404
        assert fetch(server.base)[2].startswith(b"<!doctype html>")  # a folder serves its index.html
        assert server.relative(server.url("期/a.html")) == "期/a.html"
        assert server.relative(server.origin + "/期/a.html") is None


def test_chromium_seeks_in_audio_the_server_answers_in_ranges(folder, new_context):
    (folder / "player.html").write_text(
        '<!doctype html><audio id="player" preload="metadata" src="期/tone.wav"></audio>', encoding="utf-8"
    )
    with serve(folder) as server:
        page = new_context().new_page()
        page.goto(server.url("player.html"))
        page.wait_for_function("() => document.getElementById('player').readyState >= 1")
        page.evaluate("() => { document.getElementById('player').currentTime = 2.25; }")
        page.wait_for_function("() => !document.getElementById('player').seeking")
        assert page.evaluate("() => document.getElementById('player').currentTime") == pytest.approx(2.25, abs=0.01)
        assert any(hit.status == 206 and hit.path.endswith("tone.wav") for hit in server.hits)
