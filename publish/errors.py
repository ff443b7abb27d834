"""The one exception family of `publish`; each error names the file and line it is about.

    PublishError                 anything `publish` reports as a user-facing problem (exit 1)
    ├── InputError               an input file cannot be read as an article
    │   ├── DecodeError          its bytes are not text in a supported encoding
    │   ├── FormatError          its text does not have the shape of the chosen format
    │   └── InputWarning         something in a file read with a doubt (reported, not fatal)
    │       └── PhotoWarning     a photo that cannot be drawn: its box is left blank
    ├── UsageError               options or arguments that do not make sense together (exit 2)
    │   ├── ConfigError          a setting that cannot be used: publish.toml, an option, a Python argument
    │   │   └── TemplateError    a page template (templates/*.toml or the user's)
    │   └── ImageError           an image (a paper's logo) that cannot be drawn
    ├── LexiconError             a pronunciation lexicon file (one given as an option: a ConfigError)
    ├── FontError                a font file is missing or unreadable
    ├── LayoutError              articles that cannot be laid out with the chosen template
    ├── SpeechError              audio could not be made
    │   ├── EngineUnavailable    the engine cannot be used here (auto falls back to offline)
    │   └── ServiceFailed        the service kept failing: the run stopped
    └── BuildError               a batch that cannot start (scheduler, Dask, output folder)

The CLI prints ``str(error)`` as one line and exits with ``error.exit_code``; no traceback.
"""

from __future__ import annotations

from pathlib import Path


class PublishError(Exception):
    """A problem the user can act on, located in a file (and line) when known."""

    exit_code = 1

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


class InputWarning(InputError):
    """Something kept as it was that print or speech may not show right (a private-use 造字 with
    no mapping, Markdown that is not supported): reported as a warning, the article is still read."""


class PhotoWarning(InputWarning):
    """A photo that cannot be drawn (missing, vanished or broken since it was read): its box is
    left blank and the rest of the page is made (a failure under --strict)."""


class UsageError(PublishError):
    """Arguments that cannot work: an unknown format name, a missing path."""

    exit_code = 2


class ConfigError(UsageError):
    """A setting that cannot be used, wherever it came from: `publish.toml` (file, line, key),
    a command-line option, or an argument of the Python API. It reads `key: reason` — or, once
    `located` with the option that gave the value, `--option reason`."""

    def __init__(
        self,
        message: str,
        *,
        key: str | None = None,
        label: str | None = None,
        file: str | Path | None = None,
        line: int | None = None,
    ):
        self.key = key
        self.reason = message
        self.label = key if label is None else label  # "": the message names what it is about
        if self.label:
            message = f"{self.label} {message}" if self.label.startswith("--") else f"{self.label}: {message}"
        super().__init__(message, file=file, line=line)

    def located(self, *, label: str | None = None, file: str | Path | None = None, line: int | None = None) -> ConfigError:
        """The same error about the same key, said of where its value came from."""
        return type(self)(self.reason, key=self.key, label=self.label if label is None else label, file=file, line=line)


class TemplateError(ConfigError):
    """A template that cannot be used: unknown or missing key, wrong type, impossible value."""


class LexiconError(PublishError):
    """A lexicon file that cannot be used: its file, line and the entry at fault. One the user
    names (--lexicon) is a usage error; one found beside an input is a problem with that input."""


class FontError(PublishError):
    """A font file is missing or unreadable."""


class LayoutError(PublishError):
    """Articles that cannot be laid out with this template."""


class ImageError(UsageError):
    """An image (a paper's logo) that cannot be drawn: a setting names it, so a usage error."""


class SpeechError(PublishError):
    """Audio could not be made (the CLI prints it as one line)."""


class EngineUnavailable(SpeechError):
    """The engine cannot be used at all here: its service is unreachable or its library missing.
    `--engine auto` falls back to the offline engine on this error."""


class ServiceFailed(SpeechError):
    """The service kept failing after retries (or too many requests failed in a row): the run
    stops with this report instead of hammering the service."""


class BuildError(PublishError):
    """A batch that cannot start: a bad scheduler address, Dask missing, an unwritable output."""
