"""`publish web OUT --serve`: the web edition on this machine, from a server that answers byte
ranges. Python's own `http.server` does not, and a browser then cannot seek in the audio
(chapters, a click on a sentence, the scrubber all jump back to the start)."""

from __future__ import annotations

import functools
import http.server
import re
from pathlib import Path
from typing import ClassVar

TYPES = {".webp": "image/webp", ".avif": "image/avif", ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".m3u8": "audio/x-mpegurl",
         ".json": "application/json", ".xml": "application/xml", ".js": "text/javascript"}  # fmt: skip


def byte_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """The (first, last) bytes a `Range: bytes=a-b` header asks for; None without one, False when
    it cannot be met (one range only: what browsers ask for media)."""
    if not header:
        return None
    match = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", header)
    if not match or not (match[1] or match[2]):
        return False
    if not match[1]:
        first, last = max(0, size - int(match[2])), size - 1
    else:
        first, last = int(match[1]), min(size - 1, int(match[2])) if match[2] else size - 1
    return (first, last) if first <= last < size else False


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """The standard library's file handler, answering `Range` requests with 206 (or 416)."""

    extensions_map: ClassVar[dict[str, str]] = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}
    span: tuple[int, int] | None = None

    def send_head(self):  # http.server's hook: the headers sent, then the open file or None
        path = Path(self.translate_path(self.path))
        self.span = None
        if path.is_dir() or not path.is_file() or "Range" not in self.headers:
            return super().send_head()
        size = path.stat().st_size
        span = byte_range(self.headers["Range"], size)
        if not span:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = path.open("rb")
        self.span = span
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {span[0]}-{span[1]}/{size}")
        self.send_header("Content-Length", str(span[1] - span[0] + 1))
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if self.span is None:
            self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:
        if self.span is None:
            return super().copyfile(source, outputfile)
        first, last = self.span
        source.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = source.read(min(left, 1 << 16))
            if not chunk:
                break
            outputfile.write(chunk)
            left -= len(chunk)

    def log_message(self, format: str, *args) -> None:  # quiet: the command says where it serves
        pass


def make_server(folder: Path, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A threading server of `folder` on host:port (port 0: any free one); serve_forever() runs it."""
    handler = functools.partial(RangeHandler, directory=str(folder))
    return http.server.ThreadingHTTPServer((host, port), handler)
