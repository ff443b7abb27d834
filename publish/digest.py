"""Content digests: what an output was made from, as a short hex string.

Every "is this still up to date?" in publish — an article's content, a batch task, an audio
edition, a section file, a cached clip, the fonts and lexicons in use — compares digests made
here, so that two records of the same thing always agree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


def digest(value: Any, length: int = 64, *, ascii: bool = False) -> str:
    """The sha256 of `value` as canonical JSON (keys sorted; anything else JSON lacks as its
    `str`), its first `length` hex digits. `ascii` escapes non-ASCII characters: the form some
    records have always been written in (file lists, section tags), kept so they still match."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=ascii, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def fields_digest(*fields: str, length: int = 64) -> str:
    """The sha256 of text fields joined by the unit separator (U+001F), `length` hex digits."""
    return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:length]


def file_digest(path: Path) -> str:
    """A file's sha256, read in blocks (a CJK font is 15 MB: no need to hold it); "" when it
    cannot be read."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""


def files_digest(files: Iterable[tuple[str, Path]]) -> str:
    """One digest of several files by name and content (fonts, lexicons)."""
    return digest([(name, file_digest(path)) for name, path in files], ascii=True)


def still_made(record: Mapping[str, Any] | None, digest: str, folder: Path, files: Iterable[str] | None = None) -> bool:
    """Whether a record of something made (its digest and files, relative to `folder`) still
    stands for `digest`: the one test of reuse, for batch tasks and audio editions alike."""
    if not record or record.get("digest") != digest:
        return False
    names = record.get("files", []) if files is None else files
    return all((folder / name).is_file() for name in names)
