"""`publish parse`: what was understood in article files, as a tree or as JSON."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import command, done
from .options import EncodingOption, FormatOption, ImageRootOption, Inputs, QuietOption, SidecarsOption, VerboseOption, articles
from .output import err, plural, write_file

AsJsonOption = Annotated[bool, typer.Option("--json", help="Print the articles as JSON (the documented public form).")]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of standard output.")
]


@command
def parse(
    paths: Inputs,
    as_json: AsJsonOption = False,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    output: OutputOption = None,
    sidecars: SidecarsOption = True,
    image_root: ImageRootOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Show what was understood in article files: headline, bylines, paper facts, body blocks.

    Bad files get one line each (file:line: reason) on standard error; the others are still
    read, and the exit status is 1 when anything failed (with nothing printed when no article
    was read).

    Example: publish parse examples --json -o out/examples.json
    """
    started = time.perf_counter()
    if output is not None and output.is_dir():
        raise UsageError(f"--output {output} is a folder; give a file name")
    result = articles(paths, format, encoding, sidecars, "parse", verbose, None, image_root)
    if as_json:
        text = json.dumps([a.to_dict() for a in result.articles], ensure_ascii=False, indent=2) + "\n"
    else:
        text = trees(result.articles, plain=output is not None)
    if output is not None:
        write_file(output, text)
    else:
        sys.stdout.write(text)
    if not quiet:
        problems = f"; {plural(len(result.errors), 'problem')}" if result.errors else ""
        err.print(
            f"parsed {plural(len(result.articles), 'article')} from {plural(result.files, 'file')} "
            f"({result.bytes / 1024:,.1f} KB) in {time.perf_counter() - started:.2f} s{problems}"
            + (f" → {output}" if output else "")
        )
    raise done(bool(result.errors))


UNWRAPPED = 1_000_000  # columns: a tree in a file or a pipe is never wrapped nor cut


def trees(articles, plain: bool) -> str:
    """The articles as trees: on a terminal printed here, in colour and as wide as the terminal
    (nothing returned); in a file or a pipe returned as plain text, one line per node, whole."""
    import io

    from rich.console import Console

    from .tree import article_tree

    buffer = io.StringIO()
    if plain or not sys.stdout.isatty():
        console = Console(file=buffer, width=UNWRAPPED, color_system=None, highlight=False)
    else:
        console = Console(highlight=False)
    for article in articles:
        console.print(article_tree(article))
        console.print()
    return buffer.getvalue()
