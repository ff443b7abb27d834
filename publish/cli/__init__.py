"""The `publish` command line: one module per command, each a thin function (options → the
library → what to print). A PublishError becomes one line and its exit code in `app.command`.

`main` imports and registers only the command its command line names (the other eight modules
and typer's reading of their options cost every run 6 ms); `app`, as tests and documentation
take it, has every command."""

from __future__ import annotations

import sys
from importlib import import_module
from typing import TYPE_CHECKING

from . import app as _app

if TYPE_CHECKING:
    import typer

del app  # noqa: F821 — the submodule's import bound its name here; `publish.cli.app` is the typer app (below)

COMMANDS = ("parse", "pdf", "check", "audio", "voices", "pinyin", "build", "web", "formats")  # in --help's order


def with_commands(names: tuple[str, ...] = COMMANDS) -> typer.Typer:
    """The typer app with the named commands registered (each once; listed in COMMANDS' order)."""
    registered = {info.callback.__name__ for info in _app.app.registered_commands}
    _app.register(*(getattr(import_module(f"{__name__}.{name}"), name) for name in names if name not in registered))
    _app.app.registered_commands.sort(key=lambda info: COMMANDS.index(info.callback.__name__))
    return _app.app


def main() -> None:
    """Console entry point: the command named first on the command line, else every command
    (for `publish --help`, `--version`, a mistyped name)."""
    named = sys.argv[1] if len(sys.argv) > 1 else ""
    with_commands((named,) if named in COMMANDS else COMMANDS)
    _app.main()


def __getattr__(name: str) -> object:
    if name == "app":
        return with_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
