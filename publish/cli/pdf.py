"""`publish pdf`: articles → newspaper pages, one PDF per issue (or a galley), with previews."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from ..errors import PublishError, UsageError
from .app import command, done
from .options import (
    DateOption,
    EncodingOption,
    FormatOption,
    IccOption,
    ImageRootOption,
    Inputs,
    LeadOption,
    QuietOption,
    SidecarsOption,
    StandardOption,
    TacOption,
    TaggedOption,
    VerboseOption,
    articles,
    default_output,
    edited,
)
from .output import counter, err, plural, write_file

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="The PDF to write, or a folder for one PDF per issue (default: out/<input name>.pdf)."),
]
TemplateOption = Annotated[
    str,
    typer.Option(
        "--template", "-t", help="A bundled template (broadsheet, tabloid, a4, a3), a .toml file, or galley (plain columns)."
    ),
]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", min=1, help="Processes to compose and check with (default: the cores available; 1: no forking)."
    ),
]


PaperOption = Annotated[str | None, typer.Option("--paper", help="The paper's name for the masthead (overrides the articles').")]
CnOption = Annotated[str | None, typer.Option("--cn", help="国内统一刊号, e.g. CN52-0017.")]
IssueNumberOption = Annotated[int | None, typer.Option("--issue-number", min=1, help="总第N期.")]
PublisherOption = Annotated[str | None, typer.Option("--publisher", help="Publisher line, e.g. 某某日报社出版.")]
LogoOption = Annotated[Path | None, typer.Option("--logo", help="The paper's logo (SVG, PNG or JPEG) in place of the set name.")]
PreviewsOption = Annotated[bool, typer.Option("--previews/--no-previews", help="PNG previews of every page beside the PDF.")]
PreviewDpiOption = Annotated[int, typer.Option("--preview-dpi", min=10, max=600, help="Resolution of the previews.")]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Fail (exit 1) on any fault publish reports: a character no font has, an unmapped 造字, a fault its check finds in a PDF.",
    ),
]
StrictBreakingOption = Annotated[
    bool, typer.Option("--strict-breaking", help="clreq strict line breaking: no —— or …… at a line start either.")
]
PagesOption = Annotated[
    str,
    typer.Option(
        "--pages",
        help="auto: 版次 whose copy leaves their pages under-filled share a page, copy a page cannot hold goes on at the "
        "next; keep: one page per 版次, as the paper printed it (each page's fill is printed).",
    ),
]
CheckOption = Annotated[
    bool, typer.Option("--check/--no-check", help="Check each PDF written as `publish check` does and print its faults.")
]
SHOWN_PER_KIND = 5  # faults of one kind printed per PDF; `publish check` lists them all


@command
def pdf(
    paths: Inputs,
    output: OutputOption = None,
    template: TemplateOption = "",
    paper: PaperOption = None,
    cn: CnOption = None,
    issue_number: IssueNumberOption = None,
    publisher: PublisherOption = None,
    logo: LogoOption = None,
    date: DateOption = None,
    lead: LeadOption = None,
    previews: PreviewsOption = True,
    preview_dpi: PreviewDpiOption = 72,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    image_root: ImageRootOption = None,
    strict: StrictOption = False,
    strict_breaking: StrictBreakingOption = False,
    pages: PagesOption = "auto",
    standard: StandardOption = None,
    icc: IccOption = None,
    tac: TacOption = None,
    tagged: TaggedOption = None,
    check: CheckOption = True,
    jobs: JobsOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Typeset articles as newspaper pages: one PDF per issue (paper and date), with a masthead
    on page 1, running heads, article modules across columns and jumps between pages.

    Paper facts come from the articles, then a publish.toml next to the input ([paper] name,
    cn, publisher, issue_number, pages, post_code, website, date; template), then these options;
    an issue whose paper name or date is still unknown is warned of. --lead (and publish.toml's
    [[articles]]) names each page's lead.
    A character no bundled font has prints as 〓 and is reported (file, article, code point).
    --standard press makes PDF/X-4 for a newspaper press (CMYK, --icc profile, --tac ink limit;
    publish.toml [press] icc, tac), archive PDF/A-2u; every PDF is tagged unless --no-tagged.
    Each PDF written is checked as `publish check` does (without --source); its faults are
    printed, one line each (--no-check: not checked). --strict makes any of these fail the run.

    Example: publish pdf examples -t broadsheet -o out/examples.pdf
    """
    from ..config import load_config, pdf_settings
    from ..pipeline import pdfs

    started, warned = time.perf_counter(), []
    check_output(output, paths)
    config = load_config(paths)
    result = articles(paths, format, encoding, sidecars, "typeset", verbose, config, image_root)
    facts = {"name": paper, "cn": cn, "issue_number": issue_number, "publisher": publisher, "logo": str(logo) if logo else None}
    options = {"previews": previews, "preview_dpi": preview_dpi, "strict": strict_breaking, "jobs": jobs, "pages": pages}
    options |= {"standard": standard, "icc": str(icc) if icc else None, "tac": tac, "tagged": tagged}
    settings = pdf_settings(config if template != "galley" else None, template=template or None, paper=facts, **options)
    warned += edited(result.articles, config, settings.facts, lead, date, not settings.galley, "--paper")
    made = pdfs(result.articles, settings, input_name(paths), warn(warned), counter("typesetting", len(result.articles)))
    dpi = preview_dpi if previews else 0
    targets = [write_one(one, pdf_target(output, paths, one.key, len(made)), dpi, quiet, warn(warned)) for one in made]
    faults = report_faults(targets, jobs) if check else 0
    if not quiet:
        err.print(f"{plural(len(made), 'PDF')} in {time.perf_counter() - started:.2f} s")
    raise done(bool(result.errors) or (strict and bool(warned or faults or result.warnings)))


def warn(warned: list):
    """Print a warning and keep it (under --strict any warning fails the run)."""

    def warning(problem: object) -> None:
        warned.append(problem)
        err.warning(problem)

    return warning


def write_one(one, target: Path, preview_dpi: int, quiet: bool, warning=None) -> Path:
    """Write one PDF (and its previews, at `preview_dpi`; 0: none), say so (with the layout's
    warnings and how full its pages are); where it went."""
    write_file(target, one.data)
    for problem in getattr(one, "warnings", []):
        (warning or err.warning)(problem)
    if not quiet:
        for note in getattr(one, "notes", []):
            err.print(f"publish: note: {note}")
    shown = previews_of(target, preview_dpi) if preview_dpi else []
    if not quiet:
        extra = f" + {plural(len(shown), 'preview')}" if shown else ""
        err.print(
            f"wrote {target}{extra}: {plural(one.pages, 'page')}, {plural(one.articles, 'article')}, {plural(one.lines, 'line')}"
        )
    return target


def report_faults(targets: list[Path], jobs: int | None = None) -> int:
    """Check the PDFs written as `publish check` would (on `jobs` cores) and print each fault on
    one line; how many there were."""
    from ..check.pdf import own_faults

    faults = 0
    for target in targets:
        for fault in own_faults(target, SHOWN_PER_KIND, jobs):
            err.warning(f"{target}: {fault}")
            faults += 1
    return faults


def check_output(output: Path | None, paths: list[Path]) -> None:
    """Before any work: -o names a .pdf or a folder, and the default out/ is not inside an input folder."""
    if output is None:
        default_output(Path("out"), paths)
    elif output.suffix.lower() != ".pdf" and output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} exists and is not a folder or a .pdf file")


def pdf_target(output: Path | None, paths: list[Path], key: str, count: int) -> Path:
    """Where a PDF goes: -o FILE.pdf (several: FILE-<key>.pdf), -o FOLDER/<key>.pdf, or
    out/<input name>.pdf (several: out/<key>.pdf)."""
    if output is not None and output.suffix.lower() == ".pdf":
        return output if count == 1 else output.with_name(f"{output.stem}-{key}.pdf")
    folder = output or default_output(Path("out"), paths)
    return folder / (f"{input_name(paths)}.pdf" if output is None and count == 1 else f"{key}.pdf")


def previews_of(target: Path, dpi: int) -> list[Path]:
    from ..render.preview import write_previews

    try:
        return write_previews(target, dpi)
    except OSError as error:
        raise PublishError(f"cannot write previews of {target}: {error.strerror or error}") from None


def input_name(paths: list[Path]) -> str:
    """The name a single input gives its galley PDF (several inputs: articles)."""
    if len(paths) == 1:
        return paths[0].resolve().stem or "articles"
    return "articles"
