"""The registry of input formats: each reader turns one decoded file into articles.

A reader is an object with `name`, `extensions`, `description`, `sniff(doc) -> float`
(how sure it is the file is its format, 0–1) and `read(doc) -> list[Article | InputError]`
(a bad record becomes an InputError in the list; the other records still come back).
Register your own with `register(reader)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Protocol

from ..article import Article
from ..errors import FormatError, InputError, UsageError

_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass
class Document:
    """A decoded input file, with the record from a sidecar `.json` beside it when there is one."""

    name: str  # the path as the user gave it (used in messages)
    text: str
    encoding: str
    sidecar: dict[str, Any] | None = None
    lines: list[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Only \n, \r\n and \r end lines (as editors count them); U+2028 or \x0c inside a
        # JSON string or a paragraph must not split it.
        self.lines = _NEWLINE.split(self.text)
        if self.lines and self.lines[-1] == "":
            self.lines.pop()

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()


class Reader(Protocol):
    name: str
    extensions: tuple[str, ...]
    description: str

    def sniff(self, doc: Document) -> float: ...

    def read(self, doc: Document) -> list[Article | InputError]: ...


_READERS: dict[str, Reader] = {}
_ALIASES: dict[str, str] = {}


def register(reader: Reader, aliases: tuple[str, ...] = ()) -> Reader:
    """Add a reader (replacing one of the same name); returns it, so it works as a decorator."""
    _READERS[reader.name] = reader
    for alias in aliases:
        _ALIASES[alias] = reader.name
    return reader


def unregister(name: str) -> None:
    """Remove a reader and its aliases (tests and plugins that replace a built-in)."""
    _READERS.pop(name, None)
    for alias in [a for a, target in _ALIASES.items() if target == name]:
        del _ALIASES[alias]


def readers() -> dict[str, Reader]:
    """The registered readers by name, in registration order."""
    _ensure_builtins()
    return dict(_READERS)


def get_reader(name: str) -> Reader:
    _ensure_builtins()
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in _READERS:
        known = ", ".join(sorted(_READERS))
        raise UsageError(f"unknown format {name!r}; known formats: {known}")
    return _READERS[key]


def detect(doc: Document) -> Reader:
    """The reader most sure of the document (ties go to the one registered first)."""
    _ensure_builtins()
    best: tuple[float, int, Reader] | None = None
    for order, reader in enumerate(_READERS.values()):
        score = reader.sniff(doc)
        if score > 0 and (best is None or score > best[0]):
            best = (score, order, reader)
    if best is None:
        raise FormatError("no reader recognises this file (use --format to choose one)", file=doc.name)
    return best[2]


def _ensure_builtins() -> None:
    if not _READERS:
        from . import enp, markdown, records, rmrb, text, xmwb

        for module in (enp, rmrb, xmwb, records, markdown, text):
            module.register_readers()
