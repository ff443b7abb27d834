"""The `publish` command: the typer app, the one place a PublishError becomes its one-line
message and exit code, and the console entry point."""

from __future__ import annotations

import difflib
import functools
import gc
import re
import sys
from collections.abc import Callable
from typing import Annotated, TypeVar

import typer

from .._version import __version__
from ..errors import PublishError, UsageError
from .output import err, stop_bars

click = getattr(typer.core, "_click", None) or typer.core.click  # typer ≥ 0.23 carries its own copy of click
HELP_SHOWN = getattr(click.exceptions, "NoArgsIsHelpError", ())  # `publish` alone: the help, as click shows it


# options that take several values after one flag (`--source a.txt b/`), by parameter name: each
# with the test of whether a following argument is one of its values (else it is the command's)
SEVERAL: dict[str, Callable[[str], bool]] = {}


def several(name: str, takes: Callable[[str], bool]) -> None:
    """Let the list option `name` take every following argument that `takes` accepts, as the
    README's `--source FILE…|DIR` reads (repeating the option works too)."""
    SEVERAL[name] = takes


def spread(args: list[str], takes: dict[str, Callable[[str], bool]]) -> list[str]:
    """`--source a b c.pdf` → `--source a --source b c.pdf`: the values after an option of
    `takes` (its spellings → its test), until an option, `--`, or an argument it does not take."""
    out: list[str] = []
    flag, first = None, False
    for n, arg in enumerate(args):
        if arg == "--":
            return out + args[n:]
        if first:
            first = False
        elif flag is not None and not arg.startswith("-") and takes[flag](arg):
            out.append(flag)
        else:
            flag = arg if arg in takes else arg.partition("=")[0] if arg.partition("=")[0] in takes else None
            first = arg in takes
        out.append(arg)
    return out


def metavar(param) -> str:
    """How help and usage lines name a parameter's value: an argument by its name in capitals
    (`PATHS...`, `SOURCE`), an option's value by its kind (`PATH`, `N`, `NUMBER`, `TEXT`)."""
    if param.param_type_name == "argument":
        return param.name.upper() + ("..." if param.nargs != 1 else "")
    kind = param.type.name.lower()
    return "PATH" if "path" in kind else "N" if "int" in kind else "NUMBER" if "float" in kind else "TEXT"


class Command(typer.core.TyperCommand):
    """A publish command: its usage line and --help name values the same way in every command
    (`publish check [OPTIONS] PDFS...`), whatever click's own style of the day is."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.metavar is None and not getattr(param, "is_flag", False):
                param.metavar = metavar(param) + ("..." if getattr(param, "multiple", False) and param.name in SEVERAL else "")

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        takes = {
            opt: SEVERAL[p.name] for p in self.params if getattr(p, "multiple", False) and p.name in SEVERAL for opt in p.opts
        }
        try:
            return super().parse_args(ctx, spread(args, takes) if takes else args)
        except click.exceptions.UsageError as error:
            error.ctx = error.ctx or ctx  # the parser leaves some without: the usage hint needs the command
            raise

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(param.metavar if param.required else f"[{param.metavar}]")
        return pieces


class Mistake(click.exceptions.ClickException):
    """A mistake click finds in a command line, said as every other usage error is: one line
    `publish: error: …`, exit status 2."""

    exit_code = UsageError.exit_code

    def show(self, file=None) -> None:
        err.error(self.message)


def mistake(error) -> str:
    """Click's message for a mistake in a command line, in publish's words (those the settings'
    own checks use: `--jobs must be at least 1, not 0`), with where to look for the usage."""
    param, text = getattr(error, "param", None), error.format_message().rstrip(".")
    see = f" (see {error.ctx.command_path if error.ctx is not None else 'publish'} --help)"
    if isinstance(error, click.exceptions.MissingParameter) and param is not None:
        return f"missing {_name(param)}{see}"
    if isinstance(error, click.exceptions.NoSuchOption):
        near = ""
        if error.possibilities:  # difflib's nearest first
            near = f"; did you mean {difflib.get_close_matches(error.option_name, error.possibilities, 1, 0)[0]}?"
        return f"no such option {error.option_name}{near}{see}"
    if isinstance(error, click.exceptions.BadParameter) and param is not None:
        return f"{_name(param)} {_bad_value(param, re.sub(r'^Invalid value for [^:]*: ', '', text))}"
    if found := re.match(r"Got unexpected extra argument\S* \((.*)\)", text):
        return f"unexpected {'arguments' if ' ' in found.group(1) else 'argument'}: {found.group(1)}{see}"
    if found := re.match(r"Option '(.*)' requires an argument", text):
        return f"{found.group(1)} needs a value{see}"
    text = text.replace(". Did you mean", "; did you mean")
    return f"{text[:1].lower()}{text[1:]}{see}"


def _name(param) -> str:
    """An option by its long spelling (`--jobs`), an argument by its metavar (`PATHS...`)."""
    return max(param.opts, key=len) if param.param_type_name == "option" and param.opts else param.metavar or param.name


def _bad_value(param, reason: str) -> str:
    """`must be at least 1, not 0`, `must be int, not 'abc'`, or click's reason."""
    if found := re.match(r"(.+) is not in the range", reason):
        low, high = getattr(param.type, "min", None), getattr(param.type, "max", None)
        if low is not None and high is not None:
            return f"must be from {low} to {high}, not {found.group(1)}"
        return (
            f"must be at least {low}, not {found.group(1)}" if high is None else f"must be at most {high}, not {found.group(1)}"
        )
    if found := re.match(r"('.*') is not a valid (\w+)", reason):
        return f"must be {'int' if found.group(2) == 'integer' else found.group(2)}, not {found.group(1)}"
    return reason


class Group(typer.core.TyperGroup):
    """The `publish` command group: a mistake in any command line (a missing argument, an
    unknown option, a bad value) becomes one `publish: error:` line and exit status 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except HELP_SHOWN:
            raise
        except click.exceptions.UsageError as error:
            raise Mistake(mistake(error)) from None

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except HELP_SHOWN:
            raise
        except click.exceptions.UsageError as error:
            raise Mistake(mistake(error)) from None


app = typer.Typer(
    cls=Group,
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
        app.command(cls=Command)(fn)


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
        app(prog_name="publish")
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
