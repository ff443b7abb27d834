"""Recognising publish's own outputs among inputs, so that reading a folder never takes what an
earlier run wrote there (build records, indexes, audio manifests, narration scripts, parse
JSON) for articles. A folder is publish's when it holds the marker publish leaves in the
output folders it makes, or the files a build or an audio edition leaves in each folder; a
file, when it has the shape of one of publish's outputs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..fsutil import OUTPUT_MARKER

_MAX_JSON = 64 << 20  # larger JSON files are not publish's records: read as articles


def own_folder(folder: Path) -> str | None:
    """Why `folder` holds publish's output (None: it does not)."""
    if (folder / OUTPUT_MARKER).is_file():
        return f"publish's own output folder (it holds {OUTPUT_MARKER})"
    for name in ("build.json", "index.json", "manifest.json"):
        path = folder / name
        if path.is_file() and (why := own_file(path)):
            return why
    return None


def own_file(path: Path) -> str | None:
    """Why the file `path` is one of publish's outputs (None: it is not)."""
    name = path.name.lower()
    if name == "script.txt":
        return "a narration script of publish audio --script" if _is_script(path) else None
    if path.suffix.lower() != ".json":
        return None
    if name not in ("build.json", "index.json", "manifest.json", "articles.json") and not _may_be_parse_json(path):
        return None  # an article file is read once, by its reader: not parsed here too
    data = _json(path)
    if name == "build.json" and isinstance(data, dict) and data and set(data) <= {"pdf", "web", "audio", "feed"}:
        return "the build record of an issue (publish build)"
    if name == "index.json" and isinstance(data, dict) and {"version", "issues"} <= set(data):
        return "the index of publish build"
    if name == "manifest.json" and isinstance(data, dict) and {"issue", "articles", "loudness_target"} <= set(data):
        return "the manifest of an audio edition (publish audio)"
    if name == "articles.json" and isinstance(data, dict) and {"version", "issue", "articles"} <= set(data):
        return "the article records of a web edition (publish build)"
    if isinstance(data, list) and data and all(_parsed_article(item) for item in data):
        return "articles as publish parse --json wrote them"
    return None


def _json(path: Path) -> Any:
    try:
        if path.stat().st_size > _MAX_JSON:
            return None
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _may_be_parse_json(path: Path) -> bool:
    """Whether a JSON file starts as `publish parse --json` writes: a list of article objects."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[") and b'"byline_lines"' in head


def _parsed_article(item: Any) -> bool:
    """An article object as `publish parse --json` writes it (keys only it puts together)."""
    return isinstance(item, dict) and {"paper", "byline_lines", "blocks", "sections"} <= set(item)


_SCRIPT_HEAD = re.compile(r"# \d+ ")
_SCRIPT_SECTION = re.compile(r"^## \d+-\S+", re.MULTILINE)
_SCRIPT_LINE = re.compile(r"^\[\s*\d+\] ", re.MULTILINE)


def _is_script(path: Path) -> bool:
    """A narration script: `# 01 headline`, then `## 01-headline …` sections of `[  1] …` lines."""
    try:
        with path.open("rb") as handle:
            head = handle.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff")
    except OSError:
        return False
    first = next((line for line in head.splitlines() if line.strip()), "")
    return bool(_SCRIPT_HEAD.match(first) and _SCRIPT_SECTION.search(head) and _SCRIPT_LINE.search(head))
