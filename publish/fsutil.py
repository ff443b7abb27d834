"""Files: atomic writes (a temporary file in the same folder, flushed, then renamed over the
target; `write_if_changed` leaves a file alone when its content is the same), the mark publish
leaves in the output folders it makes (`output_folder`), and TOML reading with the file and
line of a mistake (`read_toml`, `toml_line`)."""

from __future__ import annotations

import os
import re
import tempfile
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


def write_if_changed(path: str | Path, data: bytes | str) -> bool:
    """`atomic_write_bytes` unless the file already holds exactly `data` (then it is not touched:
    its time and inode stay, so mirrors and caches see no change). True when it was written."""
    content = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(path)
    try:
        if target.stat().st_size == len(content) and target.read_bytes() == content:
            return False
    except OSError:
        pass  # not there (or unreadable): write it
    atomic_write_bytes(target, content)
    return True


OUTPUT_MARKER = ".output-of-publish"  # in every output folder publish makes: reading inputs skips that folder
_MARKER_TEXT = "This folder holds what publish wrote; publish skips it when it reads a folder of articles.\n"


def output_folder(path: str | Path) -> Path:
    """Make an output folder (with its parents), marked as publish's own (`mark_output`)."""
    made = folders_to_make(path)
    Path(path).mkdir(parents=True, exist_ok=True)
    mark_output(made)
    return Path(path)


def folders_to_make(path: str | Path) -> list[Path]:
    """The folders an output folder `path` needs made (itself, its parents), and `path` when it
    is there but empty: the ones publish may mark as its own once it has written there."""
    folder = Path(path)
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    if not missing and folder.is_dir() and not any(folder.iterdir()):
        return [folder]
    return missing


def mark_output(folders: list[Path]) -> None:
    """Leave the marker in each of `folders` that exists, so that a later run reading a folder of
    articles above it skips it. A folder that held anything before is never marked: it may be
    the user's."""
    for folder in folders:
        marker = folder / OUTPUT_MARKER
        if folder.is_dir() and not marker.exists():
            marker.write_text(_MARKER_TEXT, encoding="utf-8")


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether `path` is `folder` or lies under it (both resolved: `.`, links)."""
    return Path(path).resolve().is_relative_to(Path(folder).resolve())


def read_toml(path: Path, error: type[PublishError]) -> tuple[dict[str, Any], str]:
    """A TOML file's data and text; a syntax error becomes `error` with the file and line."""
    import tomllib  # only when a run has a TOML file to read: its import compiles 3 ms of patterns

    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data[: problem.start].count(b"\n") + 1
        raise error(f"not UTF-8 text (byte {problem.start}); TOML files are UTF-8", file=path, line=line) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as problem:
        line = re.search(r"line (\d+)", str(problem))
        reason = re.sub(r"\(at line \d+, column (\d+)\)", r"(column \1)", str(problem))  # the line is said before it
        raise error(f"not valid TOML: {reason}", file=path, line=int(line.group(1)) if line else None) from None


def toml_line(text: str, key: str) -> int | None:
    """The line a dotted key is on in a TOML text, for an error message: its `key = …` line in
    whatever table, dotted key or header spells its path (`[paper]` + `name`, `paper.name`,
    `[paper.extra]`, `[[build]]`), else the line of the inline table holding it (`paper = {…}`)."""
    if not text or not key:
        return None
    wanted = _key_path(key)
    table: list[str] = []
    holder = None
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[\[?([^\[\]]+)\]\]?\s*(#.*)?$", line)
        if header:
            table = _key_path(header.group(1))
            path = table
        elif assign := re.match(r"""\s*((?:"[^"]*"|'[^']*'|[^=#"'\s]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[^=#."'\s]+))*)\s*=""", line):
            path = table + _key_path(assign.group(1))
        else:
            continue
        if path == wanted:
            return number
        if holder is None and header is None and len(path) < len(wanted) and wanted[: len(path)] == path:
            holder = number  # an inline table (or array) that holds the key
    return holder


def _key_path(key: str) -> list[str]:
    """`paper.name`, `"paper" . 'name'` → ["paper", "name"] (dots inside quotes kept)."""
    parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^."']+)\s*(?:\.|$)""", key)
    return [part.strip().strip("\"'") for part in parts]
