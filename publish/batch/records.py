"""`OUT/<issue>/build.json`: what each task of an issue was last made from (its digest) and the
files it made. A task is up to date when its record has the task's digest and its files are
all there; a record is written only after its files are in place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..digest import still_made
from ..fsutil import write_if_changed

MANIFEST = "build.json"
VOLATILE = {"synthesised", "changed"}  # reported, not recorded: they depend on the cache, not the input


def read_manifest(folder: Path) -> dict[str, Any]:
    """An issue folder's build.json ({} when there is none or it cannot be read)."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recorded(manifest: dict[str, Any], kind: str, part: str = "") -> dict[str, Any]:
    """What an issue's manifest records of a task of `kind` (audio: of article `part`); {} when nothing."""
    found = manifest.get(kind)
    if kind == "audio" and isinstance(found, dict):
        found = found.get(part)
    return found if isinstance(found, dict) else {}


def up_to_date(kind: str, part: str, digest: str, folder: Path, manifest: dict[str, Any] | None = None) -> bool:
    """Whether the issue's manifest records this digest for the task and its files are all there."""
    return still_made(recorded(read_manifest(folder) if manifest is None else manifest, kind, part), digest, folder)


def record(folder: Path, kind: str, part: str, entry: dict[str, Any], data: dict[str, Any] | None = None) -> None:
    """Note a finished task (`entry`: its digest, files and details) in the issue's manifest;
    `data`: the manifest as the run holds it (else it is read), updated in place and written."""
    data = read_manifest(folder) if data is None else data
    entry = {k: v for k, v in entry.items() if k not in VOLATILE}  # no times: same input, same file
    if kind == "audio":
        audio = data.get("audio")
        if not isinstance(audio, dict) or "digest" in audio:  # none yet, or a whole issue's (publish < 0.7)
            audio = data["audio"] = {}
        audio[part] = entry
    else:
        data[kind] = entry
        if kind == "feed" and isinstance(data.get("audio"), dict):  # articles the issue no longer has
            data["audio"] = {k: v for k, v in data["audio"].items() if k in entry.get("parts", [])}
    write_if_changed(folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
