"""The registry of input formats: each reader turns one decoded file into articles.

A reader is an object with `name`, `extensions`, `description`, `sniff(doc) -> float`
(how sure it is the file is its format, 0–1) and `read(doc) -> list[Article | InputError]`
(a bad record becomes an InputError in the list; the other records still come back).
Register your own with `register(reader)`. The built-in readers (`formats.BUILTIN`) are
registered, in that order, the first time the registry is asked for one.
"""

from __future__ import annotations

from typing import Protocol

from ..article import Article
from ..errors import FormatError, InputError, UsageError
from .document import Document


class Reader(Protocol):
    """What the registry needs of a reader (see the module docstring)."""

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
    """Register the built-in readers (`formats.BUILTIN`, in its order) when none are registered yet."""
    if not _READERS:
        from .formats import BUILTIN

        for reader in BUILTIN:
            register(reader, aliases=reader.aliases)
