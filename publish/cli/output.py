"""What the commands print: one-line messages on standard error, progress bars on a terminal,
and the plural and duration forms the summaries use."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import PublishError, UsageError
from ..fsutil import atomic_write_bytes, atomic_write_text


class Stderr:
    """Messages to stderr, one line each. rich (its import costs a short run 16 ms) is only
    loaded for progress bars, and then carries the messages too so they do not tear the bar."""

    def __init__(self) -> None:
        self.console = None

    @property
    def is_terminal(self) -> bool:
        try:
            return sys.stderr.isatty()
        except (AttributeError, ValueError):
            return False

    def rich(self):
        if self.console is None:
            from rich.console import Console

            self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        return self.console

    def print(self, text: str) -> None:
        if self.console is not None:
            self.console.print(text, markup=False)
        else:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()

    def error(self, problem: object) -> None:
        self.print(f"publish: error: {problem}")

    def warning(self, problem: object) -> None:
        self.print(f"publish: warning: {problem}")


err = Stderr()


class Bar:
    """A transient progress bar: call it once per item done; `stop()` (safe twice) restores
    the terminal when a run ends early."""

    def __init__(self, what: str, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.total = total
        self.progress = Progress(
            TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err.rich(), transient=True
        )
        self.task = self.progress.add_task(what, total=total)
        self.progress.start()

    def __call__(self, _item=None) -> None:
        self.progress.advance(self.task)
        if self.progress.tasks[self.task].completed >= self.total:
            self.stop()

    def stop(self) -> None:
        self.progress.stop()


_BARS: list[Bar] = []


def counter(what: str, total: int) -> Bar | None:
    """A transient progress bar on a terminal for 50 or more items; otherwise nothing."""
    if not err.is_terminal or total < 50:
        return None
    bar = Bar(what, total)
    _BARS.append(bar)
    return bar


def stop_bars() -> None:
    while _BARS:
        _BARS.pop().stop()


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def duration(seconds: float) -> str:
    """`m:ss`, or `h:mm:ss` from an hour."""
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}" if whole >= 3600 else f"{whole // 60}:{whole % 60:02d}"


def write_file(target: Path, data: bytes | str) -> None:
    """Write an output atomically; a folder in its place is a usage error, a failed write one line."""
    if target.is_dir():
        raise UsageError(f"--output {target} is a folder; give a file name")
    try:
        if isinstance(data, str):
            atomic_write_text(target, data)
        else:
            atomic_write_bytes(target, data)
    except OSError as error:
        raise PublishError(f"cannot write {target}: {error.strerror or error}") from None


def is_file(source: str) -> bool:
    """Whether a command-line argument names a file (a long text is not a file name)."""
    try:
        return Path(source).is_file()
    except (OSError, ValueError):
        return False
