"""Files → Articles: find inputs, decode them, pick a reader, build the article model.

collect(paths)  every article and every problem (what the CLI uses)
load(paths)     the articles, raising the first problem (or skipping, errors="skip")
loads(text)     articles from a string
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..article import Article

# name → its module, imported when first asked for: `from publish.ingest.chars import HAN` (the
# composer, the check) must not import every reader with it (20 ms of `publish check`)
_FROM = {
    "publish.article": ("Article",),
    "publish.errors": ("InputWarning",),
    "publish.ingest.decode": ("decode_bytes",),
    "publish.ingest.document": ("Document",),
    "publish.ingest.loader": (
        "ARTICLE_SUFFIXES",
        "Input",
        "LoadResult",
        "collect",
        "find_inputs",
        "private_use_warnings",
        "read_input",
    ),
    "publish.ingest.private_use": ("resolve_private_use",),
    "publish.ingest.registry": ("Reader", "detect", "get_reader", "readers", "register"),
}
_LAZY = {name: module for module, names in _FROM.items() for name in names}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


LOG = logging.getLogger("publish")


def load(
    paths: str | Path | Iterable[str | Path],
    *,
    format: str | None = None,
    encoding: str | None = None,
    sidecars: bool = True,
    errors: Literal["raise", "skip"] = "raise",
    chars: Mapping[str, str] | None = None,
    image_root: str | Path | None = None,
) -> list[Article]:
    """Articles from files or folders. With errors="raise" the first problem is raised as a
    PublishError; with errors="skip" bad inputs are logged on the "publish" logger and skipped.
    Warnings (an unmapped private-use character, a photo not found) are logged; `chars` maps a
    paper's own 造字; photos must lie inside `image_root` (default: the folder named, or the file's).
    """
    from .loader import collect

    if isinstance(paths, (str, Path)):
        paths = [paths]
    result = collect(paths, format=format, encoding=encoding, sidecars=sidecars, chars=chars, image_root=image_root)
    for warning in result.warnings:
        LOG.warning("%s", warning)
    if result.errors:
        if errors == "raise":
            raise result.errors[0]
        for problem in result.errors:
            LOG.warning("%s", problem)
    return result.articles


def loads(text: str, *, format: str | None = None, name: str = "<text>") -> list[Article]:
    """Articles from a string (format detected unless given); raises the first problem. A string has
    no folder: its photos are named, never looked for (their `file` stays None)."""
    from ..article import Article
    from ..errors import InputWarning
    from .decode import decode_bytes
    from .document import Document
    from .loader import private_use_warnings
    from .private_use import resolve_private_use
    from .registry import detect, get_reader

    decoded = decode_bytes(text.encode("utf-8"), name)
    resolved, unmapped = resolve_private_use(decoded.text)
    for warning in private_use_warnings(name, unmapped):
        LOG.warning("%s", warning)
    doc = Document(name, resolved, "utf-8")
    reader = get_reader(format) if format else detect(doc)
    results = reader.read(doc)
    for item in results:
        if isinstance(item, InputWarning):
            LOG.warning("%s", item)
        elif not isinstance(item, Article):
            raise item
    return [item for item in results if isinstance(item, Article)]


__all__ = [
    "ARTICLE_SUFFIXES",
    "Document",
    "Input",
    "LoadResult",
    "Reader",
    "collect",
    "detect",
    "find_inputs",
    "get_reader",
    "load",
    "loads",
    "read_input",
    "readers",
    "register",
]
