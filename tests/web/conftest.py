"""Real-browser fixtures for the web edition: Chromium driven by Playwright, a local HTTP server
that answers byte ranges (seeking needs them) at the root or under a `/sub/` prefix, the examples'
site built once per session, and a record of what each page load fetched.

A test needing the browser skips with the reason when Playwright or Chromium is missing, and fails
instead under PUBLISH_REQUIRE_TOOLS=1 (.ci/run installs Debian's chromium). Nothing is downloaded:
Chromium is Debian's (`executable_path`: $PUBLISH_CHROMIUM or /usr/bin/chromium), never
`playwright install`. PUBLISH_TEST_SITE=<folder> runs the tests against an already built site."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from publish.web.serve import byte_range  # the edition's own server reads Range the same way (tests/web/test_serve.py)
from tests.conftest import EXAMPLES, ROOT, require_shared
from tests.validators import need

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]
MIME = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "text/plain; charset=utf-8",
    ".lrc": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
    ".m3u8": "application/vnd.apple.mpegurl",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
CHUNK = 64 * 1024


def chromium_path() -> str:
    return os.environ.get("PUBLISH_CHROMIUM") or "/usr/bin/chromium"


def sync_playwright():
    """Playwright's sync API entry, or skip (fail under PUBLISH_REQUIRE_TOOLS=1) without it."""
    try:
        from playwright.sync_api import sync_playwright as entry
    except ImportError:
        entry = None
    need(entry is not None, "playwright is not installed (pip install -e '.[test]'; never `playwright install`)")
    path = chromium_path()
    need(
        Path(path).is_file() and os.access(path, os.X_OK),
        f"Chromium is not at {path} (apt-get install chromium, or set PUBLISH_CHROMIUM)",
    )
    return entry


# --- the server ------------------------------------------------------------------------------


@dataclass
class Hit:
    """One request the server answered: what was asked, the status, and the body bytes sent."""

    method: str
    path: str
    status: int
    range: str | None
    sent: int


@dataclass
class Server:
    """A folder served over HTTP on 127.0.0.1 under `prefix` ("/" or "/sub/"); every hit kept."""

    root: Path
    prefix: str
    port: int = 0
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        return self.origin + self.prefix

    def url(self, relative: str | Path = "") -> str:
        """The URL of a file given relative to the root (its path percent-encoded)."""
        from urllib.parse import quote

        return self.base + quote(str(relative).replace(os.sep, "/"))

    def relative(self, url: str) -> str | None:
        """The path under the root a URL of this server names (decoded), or None for another place."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin or not unquote(parts.path).startswith(self.prefix):
            return None
        return unquote(parts.path)[len(self.prefix) :]

    @contextmanager
    def recording(self) -> Iterator[list[Hit]]:
        """The hits answered while the block runs (filled in as they come)."""
        with self.lock:
            start = len(self.hits)
        seen: list[Hit] = []
        try:
            yield seen
        finally:
            with self.lock:
                seen.extend(self.hits[start:])

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the served folder with byte ranges (206, Content-Range, Accept-Ranges)."""

    server_info: Server  # set on the subclass made per server
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def file(self) -> Path | None:
        """The file the request path names, or None (outside the prefix or the folder, missing)."""
        info = self.server_info
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(info.prefix):
            return None
        root = info.root.resolve()
        target = (root / path[len(info.prefix) :]).resolve()
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() and target.is_relative_to(root) else None

    def answer(self, body: bool) -> None:
        target = self.file()
        asked = self.headers.get("Range")
        if target is None:
            return self.fail(404, asked)
        size = target.stat().st_size
        span = byte_range(asked, size)
        if span is False:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return self.server_info.record(Hit(self.command, self.path, 416, asked, 0))
        first, last = span if span else (0, size - 1)
        status = 206 if span else 200
        self.send_response(status)
        self.send_header("Content-Type", MIME.get(target.suffix.lower(), "application/octet-stream"))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(last - first + 1))
        self.send_header("Cache-Control", "no-cache")
        if span:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.end_headers()
        sent = self.send_body(target, first, last) if body else 0
        self.server_info.record(Hit(self.command, self.path, status, asked, sent))

    def send_body(self, target: Path, first: int, last: int) -> int:
        """Write the bytes first..last in chunks; how many were written before the client left."""
        sent = 0
        with target.open("rb") as handle:
            handle.seek(first)
            while sent < last - first + 1:
                chunk = handle.read(min(CHUNK, last - first + 1 - sent))
                try:
                    self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True
                    break
                sent += len(chunk)
        return sent

    def fail(self, status: int, asked: str | None) -> None:
        text = b"not found\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(text)
        self.server_info.record(Hit(self.command, self.path, status, asked, 0))


class Quiet(ThreadingHTTPServer):
    """A threading server that lets a browser drop a connection without a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path, prefix: str = "/") -> Iterator[Server]:
    """Serve `root` on 127.0.0.1 (a free port) under `prefix` until the block ends."""
    info = Server(Path(root), prefix)
    handler = type("SiteHandler", (Handler,), {"server_info": info})
    httpd = Quiet(("127.0.0.1", 0), handler)
    info.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield info
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium_ready():
    """Playwright's entry point once Playwright and Chromium are known to be there (else skip, or
    fail under PUBLISH_REQUIRE_TOOLS=1): checked before any site is built."""
    return sync_playwright()


@pytest.fixture(scope="module")
def browser(chromium_ready):
    """Debian's Chromium, headless, for one test module. Not for the session: Playwright's sync API
    cannot run twice at once, and other test modules may start their own."""
    with chromium_ready() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def new_context(browser):
    """Make browser contexts (fresh cache and storage each), closed when the test ends."""
    made = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


MEDIA = (".mp3", ".wav", ".m4a", ".ogg", ".opus", ".mp4", ".webm")


@dataclass
class Load:
    """What one page load fetched from the server: every hit, and the bytes of all but the media
    streams (an <audio preload="metadata"> fetches what the browser's buffers take, which
    says nothing of the page; the tests check the preload attribute instead)."""

    hits: list[Hit]

    @property
    def media(self) -> list[Hit]:
        return [hit for hit in self.hits if Path(unquote(urlsplit(hit.path).path)).suffix.lower() in MEDIA]

    @property
    def bytes(self) -> int:
        return sum(hit.sent for hit in self.hits if hit not in self.media)

    def listing(self) -> str:
        return ", ".join(f"{unquote(hit.path)} {hit.status} {hit.sent:,} B" for hit in self.hits)


def record_load(page, server: Server, url: str, settle_ms: int = 300) -> Load:
    """Open `url` in `page` (a fresh context: nothing comes from cache) and keep what the server
    answered until the load settles (the load event, the network idle, a short wait)."""
    from playwright.sync_api import Error as PlaywrightError

    with server.recording() as hits:
        page.goto(url, wait_until="load")
        with suppress(PlaywrightError):  # a media stream held open is still a settled page
            page.wait_for_load_state("networkidle", timeout=5_000)
        page.wait_for_timeout(settle_ms)
    return Load(hits)


# --- the sites -------------------------------------------------------------------------------


def _build(source: Path, out: Path, *options: str) -> Path:
    """`publish build source -o out --engine offline` in its own process (Playwright's event loop
    runs in this one); a failed build fails the test with its last lines."""
    command = [sys.executable, "-m", "publish", "build", str(source), "-o", str(out), "--engine", "offline"]
    command += ["--cache", str(out.parent / "cache"), *options]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    if done.returncode:
        pytest.fail(f"publish build {source} failed (exit {done.returncode}): {done.stderr.strip()[-600:]}")
    return out


@pytest.fixture(scope="session")
def examples_site(tmp_path_factory, chromium_ready) -> Path:
    """The examples built once with the web edition (offline voice), or $PUBLISH_TEST_SITE
    (no build when the browser tests skip)."""
    given = os.environ.get("PUBLISH_TEST_SITE")
    if given:
        return Path(given)
    return _build(EXAMPLES, tmp_path_factory.mktemp("examples") / "site")


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory, chromium_ready) -> Path:
    """../shared/corpus built once without audio (search needs the records, not the voice), or
    $PUBLISH_TEST_CORPUS_SITE."""
    given = os.environ.get("PUBLISH_TEST_CORPUS_SITE")
    if given:
        return Path(given)
    shared = require_shared()
    return _build(shared / "corpus", tmp_path_factory.mktemp("corpus") / "site", "--no-audio")


@pytest.fixture(scope="session")
def examples_server(examples_site) -> Iterator[Server]:
    with serve(examples_site) as server:
        yield server


@pytest.fixture(scope="session")
def examples_sub_server(examples_site) -> Iterator[Server]:
    with serve(examples_site, "/sub/") as server:
        yield server


@pytest.fixture(scope="session")
def corpus_server(corpus_site) -> Iterator[Server]:
    with serve(corpus_site) as server:
        yield server
