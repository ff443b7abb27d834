"""The `publish` command: parse options, call the library, print. Problems become one line each."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import __version__
from .errors import PublishError, UsageError
from .fsutil import atomic_write_text
from .ingest import collect, find_inputs, readers
from .report import article_tree

app = typer.Typer(
    name="publish",
    help="Chinese newspaper articles in, print-ready pages and audio editions out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"publish {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
) -> None:
    """Chinese newspaper articles in, print-ready pages and audio editions out."""


@app.command()
def parse(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (searched recursively).", show_default=False)],
    as_json: Annotated[bool, typer.Option("--json", help="Print the articles as JSON (the documented public form).")] = False,
    format: Annotated[str | None, typer.Option("--format", "-f", help="Read every file as this format instead of detecting it (see `publish formats`).")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Decode every file with this encoding instead of detecting it.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of standard output.")] = None,
    sidecars: Annotated[bool, typer.Option("--sidecars/--no-sidecars", help="Read X.json beside X.txt as its metadata record.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only, no summary.")] = False,
) -> None:
    """Show what was understood in article files: headline, bylines, paper facts, body blocks.

    Bad files get one line each (file:line: reason) on standard error; the others are still
    read, and the exit status is 1 when anything failed.

    Example: publish parse examples --json -o out/examples.json
    """
    started = time.perf_counter()
    try:
        if output is not None and output.is_dir():
            raise UsageError(f"--output {output} is a folder; give a file name")
        result = collect(paths, format=format, encoding=encoding, sidecars=sidecars, on_file=_progress(paths, sidecars))
    except UsageError as error:
        err.print(f"publish: error: {error}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        text = json.dumps([a.to_dict() for a in result.articles], ensure_ascii=False, indent=2) + "\n"
    else:
        text = _trees(result.articles, plain=output is not None)
    if output is not None:
        try:
            atomic_write_text(output, text)
        except OSError as error:
            err.print(f"publish: error: cannot write {output}: {error.strerror or error}", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    elif as_json:
        sys.stdout.write(text)
    for problem in result.errors:
        err.print(f"publish: error: {problem}", markup=False)
    if not quiet:
        seconds = time.perf_counter() - started
        where = f" → {output}" if output else ""
        problems = f"; {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''}" if result.errors else ""
        err.print(
            f"parsed {len(result.articles)} article{'s' if len(result.articles) != 1 else ''} from {result.files} "
            f"file{'s' if result.files != 1 else ''} ({result.bytes / 1024:,.1f} KB) in {seconds:.2f} s{problems}{where}",
            markup=False,
        )
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


def _trees(articles, plain: bool) -> str:
    if plain:
        buffer = io.StringIO()
        console = Console(file=buffer, width=110, color_system=None, highlight=False)
    else:
        console = Console(highlight=False)
    for article in articles:
        console.print(article_tree(article))
        console.print()
    return buffer.getvalue() if plain else ""


def _progress(paths: list[Path], sidecars: bool):
    """A progress bar on a terminal when there are many files; otherwise nothing."""
    if not err.is_terminal:
        return None
    inputs, _ = find_inputs(paths, sidecars)
    if len(inputs) < 50:
        return None
    progress = Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True)
    task = progress.add_task("files", total=len(inputs))
    progress.start()

    def advance(_item) -> None:
        progress.advance(task)
        if progress.tasks[task].completed >= len(inputs):
            progress.stop()

    return advance


@app.command()
def formats() -> None:
    """List the input formats `publish` reads and how each is recognised.

    Example: publish formats
    """
    for name, reader in readers().items():
        typer.echo(f"{name:<10} {' '.join(reader.extensions):<16} {reader.description}")


def main() -> None:
    """Console entry point: no traceback for a user's mistake or an interrupt."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("publish: interrupted", markup=False)
        sys.exit(130)
    except PublishError as error:
        err.print(f"publish: error: {error}", markup=False)
        sys.exit(EXIT_PROBLEMS)
