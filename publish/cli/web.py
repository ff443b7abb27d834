"""`publish web`: the digital edition (数字报) of a build folder assembled again from its records."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import command
from .options import QuietOption
from .output import err, plural

OutArgument = Annotated[Path, typer.Argument(help="A folder `publish build` wrote (its issue folders, each with build.json).")]
EpisodesOption = Annotated[
    int | None,
    typer.Option(
        "--episodes", min=1, max=100_000, help="Articles in each paper's whole feed.", show_default="as last built, else 100"
    ),
]
BaseUrlOption = Annotated[
    str | None,
    typer.Option("--base-url", help="Where OUT will be served: the feeds' URLs start with it.", show_default="as last built"),
]


@command
def web(out: OutArgument, episodes: EpisodesOption = None, base_url: BaseUrlOption = None, quiet: QuietOption = False) -> None:
    """Assemble the web edition (数字报) of a build folder again, from the records its build
    left (no typesetting, no audio): home, issue, page and article views, 往期 calendars,
    search index, whole-paper feeds. Only files whose content changes are written.

    Example: publish web out/build
    """
    from ..web.site import rebuild

    site = rebuild(out, episodes, base_url)
    for note in site.notes:
        err.warning(note)
    if not quiet:
        issues = len(site.issues)
        err.print(f"web edition of {plural(issues, 'issue')}: {plural(site.changed, 'file')} written; {out}/index.html")
