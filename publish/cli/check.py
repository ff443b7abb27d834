"""`publish check`: preflight PDFs for Chinese composition faults and lost text."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .app import command, done, several
from .options import articles
from .output import err

PdfsOption = Annotated[list[Path], typer.Argument(help="PDF files, or folders of them, to check.", show_default=False)]
SourceOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--source",
        "-s",
        help="The article files or folders the PDFs were made from (several after one --source): each article must be "
        "in the PDF of its issue, exactly once.",
    ),
]
AsJsonOption = Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")]
LayoutOption = Annotated[
    bool,
    typer.Option(
        "--layout",
        help="Check the page layout instead: fill, empty space, module shapes, headline order, 碰题, photos, jumps "
        "(from the layout record publish embeds in each page; other PDFs from their ink only).",
    ),
]
VerapdfOption = Annotated[
    bool,
    typer.Option("--verapdf", help="Run veraPDF (PDF/A, PDF/UA) on the PDFs, if it is on PATH (else say so and skip)."),
]
PressOption = Annotated[
    bool,
    typer.Option(
        "--press",
        help="Check the press rules instead (PDF/X-4 and the Ghent Workgroup's newspaper rules): CMYK only, black text "
        "overprinted, type size, line weight, boxes, output intent, fonts, image ppi, total ink, metadata.",
    ),
]
ArchiveOption = Annotated[
    bool,
    typer.Option(
        "--archive", help="Check the PDF/A-2u points instead: output intent, colours, XMP pdfaid, fonts, nothing forbidden."
    ),
]
TacOption = Annotated[
    float | None,
    typer.Option(
        "--tac",
        metavar="N",
        help="With --press: the total ink limit in percent (default: the output profile's).",
        min=100,
        max=400,
    ),
]
several("source", lambda value: not value.lower().endswith(".pdf"))  # --source a.txt b/ out.pdf: out.pdf is checked


@command
def check(
    pdfs: PdfsOption,
    source: SourceOption = None,
    as_json: AsJsonOption = False,
    layout: LayoutOption = False,
    verapdf: VerapdfOption = False,
    press: PressOption = False,
    archive: ArchiveOption = False,
    tac: TacOption = None,
) -> None:
    """Preflight PDFs for Chinese composition faults: prohibited line starts and ends, lines not
    flush, glyphs outside their column or overlapping, inter-character expansion, Han–Latin
    gaps, single-character last lines, missing or unmapped characters, fonts not embedded or
    without ToUnicode, and (with --source) text lost, added or changed.

    With --source, each article is matched with the PDF of its issue (paper and date, as the
    PDF's title and masthead give them; else the PDF holding its text), and a difference is
    reported on that PDF.

    With --layout, each page's layout instead: one line per page (fill, the largest empty
    rectangle, 碰题, jumps, photos), then the faults (layout-fill, layout-hole, layout-shape,
    layout-ladder, layout-collision, layout-jump-avoidable, layout-jump-unpaired,
    layout-photo-caption, layout-overlap, layout-offgrid).

    With --verapdf, veraPDF's verdict on each PDF (the standard its metadata claims), if veraPDF
    is on PATH; without it, "veraPDF not found; skipped" and exit status 0.

    With --press, the press rules (press-colour-space, press-black-overprint, press-rich-black,
    press-white-overprint, press-type-size, press-line-weight, press-boxes, press-output-intent, press-fonts,
    press-image-ppi, press-tac, press-metadata, press-forbidden); with --archive, the PDF/A-2u
    rules (archive-output-intent, archive-colour, archive-metadata, archive-fonts,
    archive-forbidden): one line per fault, then a line per file.

    Exit status 1 when any PDF has a fault or cannot be read, or when fewer than 95 % of its
    justified lines keep the inter-character expansion within 0.1 em.

    Example: publish check out/issues --source examples
    """
    from ..check.sources import check_pdfs

    if press or archive or tac is not None:
        check_standards(pdfs, "--source" if source else "--layout" if layout else "", as_json, press, archive, tac)
    if layout:
        check_layout(pdfs, source, as_json)
    if verapdf:
        check_verapdf(pdfs)

    expected = sources(articles(source, None, None, True, "compare").articles) if source else None
    found = check_pdfs(pdfs, expected)
    report(found, as_json)


def check_layout(pdfs: list[Path], source: list[Path] | None, as_json: bool) -> None:
    """`publish check --layout`: the measures of each page, then the faults; exits."""
    from ..check.layout import check_layouts
    from ..errors import UsageError

    if source:
        raise UsageError("--source compares the text; it does not go with --layout (run them one after the other)")
    found = check_layouts(pdfs)
    report(found, as_json)


def check_verapdf(pdfs: list[Path]) -> None:
    """`publish check --verapdf`: veraPDF's verdict on each PDF, or that it is not installed; exits."""
    from ..check.verapdf import run_verapdf, verapdf_command

    command = verapdf_command()
    if command is None:
        typer.echo("veraPDF not found; skipped")
        raise done(False)
    files = [f for p in pdfs for f in (sorted(p.rglob("*.pdf")) if p.is_dir() else [p])]
    verdicts = run_verapdf(command, files)
    for verdict in verdicts:
        typer.echo(f"{verdict.pdf}: {verdict.detail}")
    raise done(not all(v.passed for v in verdicts))


def check_standards(pdfs: list[Path], other: str, as_json: bool, press: bool, archive: bool, tac: float | None) -> None:
    """`publish check --press` / `--archive`: one line per fault, a line per file; exits. `other`:
    an option given with them that does not go with them (--source, --layout), else ""."""
    from ..check.sources import Checked
    from ..errors import UsageError

    if other:
        raise UsageError(f"{other} does not go with --press or --archive (run them one after the other)")
    if tac is not None and not press:
        raise UsageError("--tac is the press's ink limit: it goes with --press")
    found = []
    if press:
        from ..check.press import check_press_files

        found.append(check_press_files(pdfs, tac))
    if archive:
        from ..check.archive import check_archive_files

        found.append(check_archive_files(pdfs))
    report(Checked([r for each in found for r in each.reports], found[0].unread), as_json)


def report(found, as_json: bool) -> None:
    """Each PDF that could not be read on one line, then the reports (or their JSON); exits,
    non-zero on any fault or unread PDF."""
    for problem in found.unread:
        err.error(problem)
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in found.reports], ensure_ascii=False, indent=2) + "\n")
    elif found.reports:
        typer.echo(found.summary())
    raise done(not found.ok)


def sources(loaded) -> list:
    """The articles as the check matches them with PDFs: printed text, name, paper, date, 版次."""
    from ..check.sources import Source
    from ..pipeline import printed_text  # typesetting modules only when there is text to compare

    made = []
    for a in loaded:
        label = f"{a.title!r} ({a.source.file if a.source else 'article'})"
        made.append(Source(printed_text([a]), label, a.paper.name or "", a.paper.date, a.paper.page or ""))
    return made
