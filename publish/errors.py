"""The one exception family of `publish`; each error names the file and line it is about.

    PublishError                 anything `publish` reports as a user-facing problem
    ├── InputError               an input file cannot be read as an article
    │   ├── DecodeError          its bytes are not text in a supported encoding
    │   └── FormatError          its text does not have the shape of the chosen format
    ├── UsageError               options or arguments that do not make sense together
    └── SpeechError              audio could not be made (publish.speech.engines.base)
        ├── EngineUnavailable    the engine cannot be used here (auto falls back to offline)
        └── ServiceFailed        the service kept failing: the run stopped

The CLI prints ``str(error)`` as one line and exits non-zero; no traceback.
"""

from __future__ import annotations

from pathlib import Path


class PublishError(Exception):
    """A problem the user can act on, located in a file (and line) when known."""

    def __init__(self, message: str, *, file: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    @property
    def location(self) -> str:
        """`file:line`, `file`, or empty when the error is not about a file."""
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        where = self.location
        return f"{where}: {self.message}" if where else self.message


class InputError(PublishError):
    """An input file (or one record in it) cannot be read as an article."""


class DecodeError(InputError):
    """The file's bytes are not text in UTF-8, UTF-16, GB18030/GBK or Big5."""


class FormatError(InputError):
    """The text does not have the shape the format needs (or no format fits)."""


class UsageError(PublishError):
    """Arguments that cannot work: an unknown format name, a missing path."""
