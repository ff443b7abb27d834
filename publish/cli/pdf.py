"""`publish pdf`: articles → newspaper pages, one PDF per issue (or a galley), with previews."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from ..errors import PublishError, UsageError
from .app import command, done
from .options import EncodingOption, FormatOption, Inputs, QuietOption, SidecarsOption, VerboseOption, articles, default_output
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
    typer.Option("--jobs", "-j", min=1, help="Processes to compose with (default: the cores available; 1: no forking)."),
]


PaperOption = Annotated[str | None, typer.Option("--paper", help="The paper's name for the masthead (overrides the articles').")]
CnOption = Annotated[str | None, typer.Option("--cn", help="国内统一刊号, e.g. CN52-0017.")]
IssueNumberOption = Annotated[int | None, typer.Option("--issue-number", min=1, help="总第N期.")]
PublisherOption = Annotated[str | None, typer.Option("--publisher", help="Publisher line, e.g. 某某日报社出版.")]
LogoOption = Annotated[Path | None, typer.Option("--logo", help="The paper's logo (SVG, PNG or JPEG) in place of the set name.")]
PreviewsOption = Annotated[bool, typer.Option("--previews/--no-previews", help="PNG previews of every page beside the PDF.")]
PreviewDpiOption = Annotated[int, typer.Option("--preview-dpi", min=10, max=600, help="Resolution of the previews.")]
StrictOption = Annotated[bool, typer.Option("--strict", help="clreq strict line breaking: no —— or …… at a line start either.")]


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
    previews: PreviewsOption = True,
    preview_dpi: PreviewDpiOption = 72,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    strict: StrictOption = False,
    jobs: JobsOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Typeset articles as newspaper pages: one PDF per issue (paper and date), with a masthead
    on page 1, running heads, article modules across columns and jumps between pages.

    Paper facts come from the articles, then a publish.toml next to the input ([paper] name,
    cn, publisher, issue_number, pages, post_code, website; template), then these options.
    Characters no font covers are reported (file, article, character, code point). Check the
    result with `publish check`.

    Example: publish pdf examples -t broadsheet -o out/examples.pdf
    """
    from ..config import load_config, pdf_settings
    from ..pipeline import pdfs

    started = time.perf_counter()
    check_output(output, paths)
    result = articles(paths, format, encoding, sidecars, "typeset", verbose)
    facts = {"name": paper, "cn": cn, "issue_number": issue_number, "publisher": publisher, "logo": str(logo) if logo else None}
    config = load_config(paths) if template != "galley" else None
    settings = pdf_settings(
        config, template=template or None, paper=facts, previews=previews, preview_dpi=preview_dpi, strict=strict, jobs=jobs
    )
    made = pdfs(result.articles, settings, input_name(paths), err.warning, counter("typesetting", len(result.articles)))
    for one in made:
        target = pdf_target(output, paths, one.key, len(made))
        write_file(target, one.data)
        shown = previews_of(target, preview_dpi) if previews else []
        if not quiet:
            extra = f" + {plural(len(shown), 'preview')}" if shown else ""
            err.print(
                f"wrote {target}{extra}: {plural(one.pages, 'page')}, {plural(one.articles, 'article')}, {one.lines:,} lines"
            )
    if not quiet:
        err.print(f"{plural(len(made), 'PDF')} in {time.perf_counter() - started:.2f} s")
    raise done(bool(result.errors))


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
