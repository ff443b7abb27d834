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


ServeOption = Annotated[
    int | None,
    typer.Option(
        "--serve",
        min=0,
        max=65535,
        help="Then serve OUT on this port of 127.0.0.1 (0: any free one), with the byte ranges audio seeking needs; Ctrl-C stops it.",
        show_default=False,
    ),
]


@command
def web(
    out: OutArgument,
    episodes: EpisodesOption = None,
    base_url: BaseUrlOption = None,
    serve: ServeOption = None,
    quiet: QuietOption = False,
) -> None:
    """Assemble the web edition (数字报) of a build folder again, from the records its build
    left (no typesetting, no audio): home, issue, page and article views, 往期 calendars,
    search index, whole-paper feeds. Only files whose content changes are written.

    Example: publish web out/build --serve 8000
    """
    from ..web.site import rebuild

    site = rebuild(out, episodes, base_url)
    for note in site.notes:
        err.warning(note)
    if not quiet:
        issues = len(site.issues)
        err.print(f"web edition of {plural(issues, 'issue')}: {plural(site.changed, 'file')} written; {out}/index.html")
    if serve is not None:
        serve_site(out, serve)


def serve_site(out: Path, port: int) -> None:
    """Serve the folder until Ctrl-C, saying where."""
    from ..errors import UsageError
    from ..web.serve import make_server

    try:
        server = make_server(out, port)
    except OSError as error:
        raise UsageError(f"--serve {port}: cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
    err.print(f"serving {out} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
