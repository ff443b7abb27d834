"""`publish check`: preflight PDFs for Chinese composition faults and lost text."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..ingest import collect
from .app import EXIT_OK, EXIT_PROBLEMS, command
from .output import err

PdfsOption = Annotated[list[Path], typer.Argument(help="PDF files to check.", show_default=False)]
SourceOption = Annotated[
    list[Path] | None, typer.Option("--source", "-s", help="The articles the PDF was made from: its text must match theirs.")
]
AsJsonOption = Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")]


@command
def check(
    pdfs: PdfsOption,
    source: SourceOption = None,
    as_json: AsJsonOption = False,
) -> None:
    """Preflight PDFs for Chinese composition faults: prohibited line starts and ends, lines not
    flush, glyphs outside their column or overlapping, inter-character expansion, Han–Latin
    gaps, single-character last lines, missing or unmapped characters, fonts not embedded or
    without ToUnicode, and (with --source) text lost, added or changed.

    Exit status 1 when any PDF has a fault, or when fewer than 95 % of its justified lines keep
    the inter-character expansion within 0.1 em.

    Example: publish check out/examples.pdf --source examples
    """
    from ..check.pdf import check_pdfs

    expected = None
    if source:
        from ..config import load_config

        loaded = collect(source, chars=load_config(source).chars)  # read as `publish pdf` read them
        for problem in loaded.errors:
            err.error(problem)
        from ..pipeline import printed_text  # typesetting modules only when there is text to compare

        expected = [printed_text([article]) for article in loaded.articles]
    found = check_pdfs(pdfs, expected)
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in found.reports], ensure_ascii=False, indent=2) + "\n")
    else:
        typer.echo(found.summary())
    raise typer.Exit(EXIT_OK if found.ok else EXIT_PROBLEMS)
