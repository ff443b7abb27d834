"""`publish build`: a batch of issues — PDFs, previews, audio editions and an index — redone
only where something changed, on worker processes or Dask."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from .app import command, done
from .options import (
    CacheOption,
    DateOption,
    EncodingOption,
    FormatOption,
    IccOption,
    ImageRootOption,
    Inputs,
    LeadOption,
    LexiconOption,
    QuietOption,
    RequestsOption,
    SidecarsOption,
    StandardOption,
    TacOption,
    TaggedOption,
    VerboseOption,
    VoiceOption,
    articles,
    default_output,
    edited,
)
from .output import duration, err, plural

KINDS = (("pdf", "PDF"), ("web", "web record"), ("audio", "article audio"), ("feed", "feed"))


OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="The output folder: one subfolder per issue (default: out/build).")
]
PdfOption = Annotated[
    bool | None, typer.Option("--pdf/--no-pdf", help="Typeset each issue (with PNG previews).", show_default="on")
]
AudioOption = Annotated[bool | None, typer.Option("--audio/--no-audio", help="Read each issue aloud.", show_default="on")]
JobsOption = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        max=256,
        help="Worker processes (or Dask workers with --scheduler local).",
        show_default="the cores",
    ),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option("--scheduler", help="Run on Dask: tcp://host:8786, or local for a LocalCluster (pip install 'publish[dask]')."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Redo everything, even what is up to date.")]
PruneOption = Annotated[
    bool,
    typer.Option("--prune", help="Remove issue folders of earlier builds that these inputs no longer give (kept by default)."),
]
PagesOption = Annotated[
    str | None, typer.Option("--pages", help="auto (default): under-filled 版次 share a page; keep: one page per 版次.")
]
TemplateOption = Annotated[
    str | None, typer.Option("--template", "-t", help="Page template: broadsheet, tabloid, a4, a3 or a .toml path.")
]
BaseUrlOption = Annotated[
    str | None, typer.Option("--base-url", help="Where OUT will be served: the feeds' enclosure URLs start with it.")
]
PreviewsOption = Annotated[
    bool | None, typer.Option("--previews/--no-previews", help="PNG previews of every page.", show_default="on")
]
EngineOption = Annotated[str | None, typer.Option("--engine", "-e", help="auto, edge or offline.", show_default="auto")]
WebOption = Annotated[
    bool | None,
    typer.Option("--web/--no-web", help="The web edition (数字报): page, article and archive views, search.", show_default="on"),
]
EpisodesOption = Annotated[
    int | None, typer.Option("--episodes", min=1, max=100_000, help="Articles in each paper's whole feed.", show_default="100")
]


@command
def build(
    paths: Inputs,
    output: OutputOption = None,
    pdf: PdfOption = None,
    audio: AudioOption = None,
    web: WebOption = None,
    episodes: EpisodesOption = None,
    jobs: JobsOption = None,
    scheduler: SchedulerOption = None,
    force: ForceOption = False,
    prune: PruneOption = False,
    template: TemplateOption = None,
    pages: PagesOption = None,
    standard: StandardOption = None,
    icc: IccOption = None,
    tac: TacOption = None,
    tagged: TaggedOption = None,
    base_url: BaseUrlOption = None,
    previews: PreviewsOption = None,
    engine: EngineOption = None,
    voice: VoiceOption = None,
    cache: CacheOption = None,
    requests: RequestsOption = None,
    lexicons: LexiconOption = None,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    image_root: ImageRootOption = None,
    date: DateOption = None,
    lead: LeadOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Publish a batch: group the articles into issues (paper and date) and write, per issue, the
    PDF with previews and the audio edition (per article its files; feed, playlist, manifest),
    plus the web edition of all issues (数字报: index.html, page and article views, 往期, search)
    and index.json (--no-web: index.html is a plain table of the issues). A re-run redoes only what changed
    (build.json in each issue folder records what was made from what), and an edited article
    synthesises only its changed sections; --force redoes all. One failed article or issue never
    stops the others: a table lists what failed and why, and the exit status is 1.

    Settings come from the [build] table of the input folder's publish.toml; options override.
    Outputs of publish inside the input folders are not read (-v names them); the default output
    folder may not be inside one (give -o).

    Example: publish build archive/ -o site/ --jobs 8
    """
    from ..batch import build as run_build
    from ..config import build_run, load_config

    started = time.perf_counter()
    config = load_config(paths)
    run = build_run(config, output=output, jobs=jobs, scheduler=scheduler, pdf=pdf, audio=audio, web=web, episodes=episodes,
                    template=template, pages=pages, previews=previews, engine=engine, voice=voice, base_url=base_url,
                    standard=standard, icc=str(icc) if icc else None, tac=tac, tagged=tagged,
                    edge_requests=requests, cache=str(cache) if cache else None,
                    lexicons=tuple(str(p) for p in lexicons) if lexicons else None)  # fmt: skip
    if output is None and not config.build.get("output"):
        default_output(run.output, paths)
    result = articles(paths, format, encoding, sidecars, "build", verbose, config, image_root)
    edited(result.articles, config, run.settings.facts, lead, date, run.settings.pdf)
    progress = Progress(run, len(result.articles), quiet, len(result.errors) if prune else 0)
    report = run_build(result.articles, run.output, run.settings, jobs=run.workers.count, scheduler=run.workers.scheduler,
                       force=force, prune=prune and not result.errors, on_plan=progress.planned, on_done=progress.finished)  # fmt: skip
    if report.failed:
        width = max(len(o.name) for o in report.failed)
        err.print("\nfailed:\n" + "\n".join(f"  {o.name:<{width}}  {o.message}" for o in report.failed))
    for note in report.notes[progress.noted :]:  # the web edition's, said after the tasks
        err.warning(note)
    if not quiet or report.failed:
        err.print(summary(report, run, time.perf_counter() - started))
    raise done(bool(result.errors or report.failed))


class Progress:
    """What a build prints as it goes: the plan, then a line per finished task."""

    def __init__(self, run, articles: int, quiet: bool, unread: int):
        self.run, self.articles, self.quiet, self.unread = run, articles, quiet, unread  # unread: inputs, with --prune
        self.done = self.total = self.noted = 0

    def planned(self, tasks, todo, notes) -> None:
        self.total, self.noted = len(todo), len(notes)
        if self.unread:
            notes = [f"--prune: nothing removed, as {plural(self.unread, 'input')} could not be read", *notes]
        for note in notes:
            err.warning(note)  # as publish audio and voices say the same fallback
        if self.quiet:
            return
        kinds = ", ".join(plural(sum(1 for t in todo if t.kind == k), *name) for k, name in made_kinds(self.run.settings))
        work = sum(1 for t in todo if t.kind != "feed")  # feeds are made in the main process
        processes = min(self.run.workers.count, work) if work > 1 else 1
        scheduler = self.run.workers.scheduler
        where = f"Dask {scheduler}" if scheduler else plural(processes, "process")
        err.print(
            f"{plural(self.articles, 'article')} in {plural(len({t.issue for t in tasks}), 'issue')}: {len(todo)} of "
            f"{plural(len(tasks), 'task')} to do ({kinds})" + (f" on {where}" if todo else "")
        )

    def finished(self, outcome) -> None:
        self.done += 1
        for warning in outcome.detail.get("warnings", []):  # characters read as they are: said even with -q
            err.warning(warning)
        if self.quiet and outcome.status != "failed":
            return
        what = f"[{self.done}/{self.total}] {outcome.name}"
        if outcome.status == "failed":
            err.print(f"{what}: FAILED: {outcome.message}")
        else:
            err.print(f"{what}: {made(outcome)} in {outcome.seconds:.1f} s")


def made(outcome) -> str:
    """What a finished task made, in a few words."""
    detail = outcome.detail
    if outcome.kind == "pdf":
        return plural(detail.get("pages", 0), "page")
    if outcome.kind == "web":
        photos = f", {plural(detail['photos'], 'photo')}" if detail.get("photos") else ""
        return plural(detail.get("articles", 0), "article") + " recorded" + photos
    if outcome.kind == "feed":
        text = f"{plural(detail.get('articles', 0), 'article')}, {duration(detail.get('duration', 0))}"
        return text + (f"; left out (failed): {', '.join(detail['incomplete'])}" if detail.get("incomplete") else "")
    if "nothing" in detail:
        return f"nothing to read aloud ({detail['nothing']})"
    return (
        f"{duration(detail.get('duration', 0))}, {plural(detail.get('sections', 0), 'section')} "
        f"({detail.get('changed', 0)} made, {plural(detail.get('synthesised', 0), 'request')} synthesised)"
    )


def made_kinds(settings) -> list[tuple[str, tuple[str, str | None]]]:
    """The kinds of task this build has: PDFs, web records, article audio and feeds."""
    has = {"pdf": settings.pdf, "web": settings.web, "audio": settings.audio, "feed": settings.audio}
    return [(k, (name, name if k == "audio" else None)) for k, name in KINDS if has[k]]


def summary(report, run, seconds: float) -> str:
    """The last line: what was built, what was up to date, what failed, and the time."""
    built, skipped = report.count("built"), report.count("skipped")
    if not built and not report.failed:
        return f"nothing to do: {plural(report.issues, 'issue')} up to date in {run.output}/ ({seconds:.1f} s)"
    sections, changed = report.sections()
    kinds = ", ".join(plural(report.count("built", k), *name) for k, name in made_kinds(run.settings))
    sounds = f" ({plural(sections, 'section')}, {changed} made)" if run.settings.audio else ""
    return (
        f"{plural(report.issues, 'issue')}: built {kinds}{sounds}; {skipped} up to date, {len(report.failed)} failed; "
        f"{run.output}/index.html; {seconds:.1f} s"
    )
