"""The `publish` command: the typer app, the one place a PublishError becomes its one-line
message and exit code, and the console entry point."""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from .._version import __version__
from ..errors import PublishError
from .output import err, stop_bars

app = typer.Typer(
    name="publish",
    help="Chinese newspaper articles in, print-ready pages and audio editions out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 130  # a PublishError brings its own code (2 for usage)

F = TypeVar("F", bound=Callable[..., None])


def command(fn: F) -> F:
    """A command: a PublishError it raises is printed as one line (`publish: error:
    file:line: reason`) and exits with the error's code (2 for a usage error, else 1)."""

    @functools.wraps(fn)
    def run(*args, **kwargs) -> None:
        try:
            fn(*args, **kwargs)
        except PublishError as error:
            stop_bars()
            err.error(error)
            raise typer.Exit(error.exit_code) from None

    return run  # type: ignore[return-value]


def register(*commands: Callable[..., None]) -> None:
    """Add the commands to the app, in the order `publish --help` lists them."""
    for fn in commands:
        app.command()(fn)


def done(problems: bool) -> typer.Exit:
    """The exit of a command that went through: 1 when some input could not be read."""
    return typer.Exit(EXIT_PROBLEMS if problems else EXIT_OK)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"publish {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Chinese newspaper articles in, print-ready pages and audio editions out."""


def main() -> None:
    """Console entry point: no traceback for a user's mistake or an interrupt."""
    try:
        app()
    except KeyboardInterrupt:
        stop_bars()
        err.print("publish: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except SystemExit as finished:
        if finished.code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into a silent exit 130
            stop_bars()
            err.print("publish: interrupted")
        raise
    except PublishError as error:
        err.error(error)
        sys.exit(error.exit_code)
    finally:
        # the process ends here: spare the interpreter's last full collection over everything
        # the command built (a tenth of a short run)
        gc.freeze()
