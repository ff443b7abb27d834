"""The options several commands share, and reading the articles they work on."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import PublishError, UsageError
from ..fsutil import inside
from .app import several
from .output import counter, err

if TYPE_CHECKING:
    from ..ingest import LoadResult

Inputs = Annotated[list[Path], typer.Argument(help="Article files or folders (searched recursively).", show_default=False)]
FormatOption = Annotated[
    str | None,
    typer.Option("--format", "-f", help="Read every file as this format instead of detecting it (see `publish formats`)."),
]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="Decode every file with this encoding instead of detecting it.")
]
SidecarsOption = Annotated[
    bool, typer.Option("--sidecars/--no-sidecars", help="Read X.json beside X.txt as its metadata record.")
]
ImageRootOption = Annotated[
    Path | None,
    typer.Option(
        "--image-root",
        help="Folder the articles' photos may lie in (default: each input folder, or a file's own folder); "
        "URLs, absolute paths and paths leading out of it are refused.",
        show_default=False,
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only, no summary.")]
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also say what was not read: publish's own outputs inside input folders.")
]
LexiconOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--lexicon",
        "-l",
        help="Lexicon TOML files (several after one --lexicon), after the built-in, paper and user ones (later files win).",
    ),
]
several("lexicons", lambda value: value.lower().endswith(".toml"))  # --lexicon a.toml b.toml examples/: examples/ is an input
EngineOption = Annotated[str, typer.Option("--engine", "-e", help="auto, edge or offline.")]
VoiceOption = Annotated[str | None, typer.Option("--voice", help="Voice name (see `publish voices`).")]
CacheOption = Annotated[
    Path | None,
    typer.Option(
        "--cache", help="Clip cache folder, shared by all workers (default: $PUBLISH_CACHE or ~/.cache/publish/speech)."
    ),
]
RequestsOption = Annotated[
    int | None,
    typer.Option("--requests", min=1, max=32, help="Requests to the speech engine at once (default 4).", show_default=False),
]


LeadOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lead",
        metavar="TEXT",
        help="Make the article whose title contains TEXT, or whose file name matches it, its page's lead (头条); repeatable.",
        show_default=False,
    ),
]
StandardOption = Annotated[
    str | None,
    typer.Option(
        "--standard",
        help="plain (PDF 1.7, RGB), press (PDF/X-4 for a newspaper press: CMYK, the output profile embedded) or archive "
        "(PDF/A-2u).",
        show_default="plain",
    ),
]
IccOption = Annotated[
    Path | None,
    typer.Option(
        "--icc",
        help="--standard press: the press's CMYK ICC profile (publish.toml: [press] icc; default: a newsprint profile "
        "found on the system, else the bundled CGATS21_CRPC1).",
    ),
]
TacOption = Annotated[
    float | None,
    typer.Option(
        "--tac", help="--standard press: total ink limit in percent (publish.toml: [press] tac; default: the profile's)."
    ),
]
TaggedOption = Annotated[
    bool | None,
    typer.Option("--tagged/--no-tagged", help="A structure tree for screen readers (PDF/UA-1).", show_default="on"),
]
DateOption = Annotated[
    str | None,
    typer.Option("--date", help="The date of articles that carry none, YYYY-MM-DD (publish.toml: [paper] date)."),
]


def edited(articles: list, config, facts=None, leads=None, date=None, masthead: bool = True, name_option=None) -> list[str]:
    """The editor's word on the articles read (--date and [paper] date for undated ones,
    [[articles]], --lead); a warning printed for each rule or lead that names no article and,
    when a masthead is printed, for each issue whose paper name or date is unknown. The warnings."""
    from ..config import editorial_settings
    from ..editorial import apply_editorial, unknown_facts

    settings = editorial_settings(config, date=date, leads=leads)
    warnings = apply_editorial(articles, settings.date, settings.rules, settings.leads)
    warnings += unknown_facts(articles, facts, name_option) if masthead else []
    for warning in warnings:
        err.warning(warning)
    return warnings


def read(
    paths: list[Path],
    format: str | None,
    encoding: str | None,
    sidecars: bool,
    verbose: bool = False,
    config=None,
    image_root: Path | None = None,
) -> LoadResult:
    """The articles in `paths` and the inputs that could not be read (a progress bar on a
    terminal when there are many files); with `verbose`, a line for each output of publish's
    that was skipped. `config`: the inputs' publish.toml when the command has read it already;
    `image_root`: --image-root, the folder photos may lie in."""
    from ..config import load_config
    from ..ingest import collect, find_inputs  # not at the top: `publish --help` and `publish check` read no article

    chars = (config or load_config(paths)).chars  # the paper's 造字 ([chars] in publish.toml)
    progress = None
    if err.is_terminal:
        inputs, _ = find_inputs(paths, sidecars)
        progress = counter("reading", len(inputs))
    if image_root is not None and not image_root.is_dir():
        raise UsageError(f"--image-root {image_root}: no such folder")
    result = collect(
        paths, format=format, encoding=encoding, sidecars=sidecars, on_file=progress, chars=chars, image_root=image_root
    )
    if verbose:
        for skipped in result.skipped:
            err.print(f"publish: {skipped}")
    return result


def articles(
    paths: list[Path],
    format: str | None,
    encoding: str | None,
    sidecars: bool,
    what: str,
    verbose: bool = False,
    config=None,
    image_root: Path | None = None,
) -> LoadResult:
    """`read`, each input that cannot be read reported on one line (a photo that cannot be
    used too, as a warning); the command stops (status 1) when no article is left to `what`."""
    result = read(paths, format, encoding, sidecars, verbose, config, image_root)
    for warning in result.warnings:
        err.warning(warning)
    for problem in result.errors:
        err.error(problem)
    if not result.articles:
        raise PublishError(f"no articles to {what}")
    return result


def default_output(default: Path, paths: list[Path]) -> Path:
    """Where outputs go when no --output says: `default`, unless that is inside a folder of
    inputs (a later run would find them there): then the user must say where."""
    for path in paths:
        if path.is_dir() and inside(default, path):
            raise UsageError(
                f"the default output folder {default}/ is inside the input folder {path}: "
                "give --output (-o) to say where the outputs go"
            )
    return default
