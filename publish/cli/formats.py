"""`publish formats`: the input formats publish reads."""

from __future__ import annotations

import typer

from .app import command


@command
def formats() -> None:
    """List the input formats `publish` reads and how each is recognised.

    Example: publish formats
    """
    from ..ingest import readers

    for name, reader in readers().items():
        typer.echo(f"{name:<10} {' '.join(reader.extensions):<16} {reader.description}")
