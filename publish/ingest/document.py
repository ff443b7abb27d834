"""The decoded input file every reader reads: its name, text, encoding, lines and sidecar record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

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
