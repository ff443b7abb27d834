"""Files: atomic writes (a temporary file in the same folder, flushed, then renamed over the
target) and TOML reading with the file and line of a mistake (`read_toml`, `toml_line`)."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from .errors import PublishError


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the whole new one, never a part."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def read_toml(path: Path, error: type[PublishError]) -> tuple[dict[str, Any], str]:
    """A TOML file's data and text; a syntax error becomes `error` with the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as problem:
        raise error(f"not UTF-8 text (byte {problem.start}); TOML files are UTF-8", file=path) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as problem:
        line = re.search(r"line (\d+)", str(problem))
        raise error(f"not valid TOML: {problem}", file=path, line=int(line.group(1)) if line else None) from None


def toml_line(text: str, key: str) -> int | None:
    """The line a key is on in a TOML text, for an error message: `section.key` inside its
    `[section]`; a bare `key`, the `[key]` header or else a top-level `key = …`."""
    if not text:
        return None
    section, _, name = key.partition(".")
    lines = text.splitlines()
    header = next((n for n, line in enumerate(lines) if re.match(rf"\s*\[{re.escape(section)}\]\s*(#.*)?$", line)), None)
    if header is None:
        if name:
            return None
        name, header = section, -1  # a top-level key, before any table
    elif not name:
        return header + 1
    for n in range(header + 1, len(lines)):
        if re.match(r"\s*\[", lines[n]):
            break
        if re.match(rf"\s*{re.escape(name)}\s*=", lines[n]):
            return n + 1
    return None
