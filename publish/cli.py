"""The `publish` command: parse options, call the library, print. Problems become one line each."""

from __future__ import annotations

import gc
import io
import json
import sys
import time
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .errors import PublishError, UsageError
from .fsutil import atomic_write_bytes, atomic_write_text
from .ingest import collect, find_inputs, readers

app = typer.Typer(
    name="publish",
    help="Chinese newspaper articles in, print-ready pages and audio editions out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class _Stderr:
    """Messages to stderr, one line each. rich (its import costs a short run 16 ms) is only
    loaded for progress bars, and then carries the messages too so they do not tear the bar."""

    def __init__(self) -> None:
        self.console = None

    @property
    def is_terminal(self) -> bool:
        try:
            return sys.stderr.isatty()
        except (AttributeError, ValueError):
            return False

    def rich(self):
        if self.console is None:
            from rich.console import Console

            self.console = Console(stderr=True, highlight=False, soft_wrap=True)
        return self.console

    def print(self, text: str, markup: bool = False) -> None:
        if self.console is not None:
            self.console.print(text, markup=markup)
        else:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()


err = _Stderr()

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 Layer III, as 24 kHz mono needs

# Options the commands that read articles share.
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
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only, no summary.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"publish {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = None,
) -> None:
    """Chinese newspaper articles in, print-ready pages and audio editions out."""


@app.command()
def parse(
    paths: Inputs,
    as_json: Annotated[bool, typer.Option("--json", help="Print the articles as JSON (the documented public form).")] = False,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (atomically) instead of standard output.")
    ] = None,
    sidecars: SidecarsOption = True,
    quiet: QuietOption = False,
) -> None:
    """Show what was understood in article files: headline, bylines, paper facts, body blocks.

    Bad files get one line each (file:line: reason) on standard error; the others are still
    read, and the exit status is 1 when anything failed.

    Example: publish parse examples --json -o out/examples.json
    """
    started = time.perf_counter()
    try:
        if output is not None and output.is_dir():
            raise UsageError(f"--output {output} is a folder; give a file name")
        result = collect(paths, format=format, encoding=encoding, sidecars=sidecars, on_file=_progress(paths, sidecars))
    except UsageError as error:
        err.print(f"publish: error: {error}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        text = json.dumps([a.to_dict() for a in result.articles], ensure_ascii=False, indent=2) + "\n"
    else:
        text = _trees(result.articles, plain=output is not None)
    if output is not None:
        try:
            atomic_write_text(output, text)
        except OSError as error:
            err.print(f"publish: error: cannot write {output}: {error.strerror or error}", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    elif as_json:
        sys.stdout.write(text)
    for problem in result.errors:
        err.print(f"publish: error: {problem}", markup=False)
    if not quiet:
        seconds = time.perf_counter() - started
        where = f" → {output}" if output else ""
        problems = f"; {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''}" if result.errors else ""
        err.print(
            f"parsed {len(result.articles)} article{'s' if len(result.articles) != 1 else ''} from {result.files} "
            f"file{'s' if result.files != 1 else ''} ({result.bytes / 1024:,.1f} KB) in {seconds:.2f} s{problems}{where}",
            markup=False,
        )
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


def _trees(articles, plain: bool) -> str:
    from rich.console import Console

    from .report import article_tree

    if plain:
        buffer = io.StringIO()
        console = Console(file=buffer, width=110, color_system=None, highlight=False)
    else:
        console = Console(highlight=False)
    for article in articles:
        console.print(article_tree(article))
        console.print()
    return buffer.getvalue() if plain else ""


def _progress(paths: list[Path], sidecars: bool):
    """A progress bar on a terminal when there are many files; otherwise nothing."""
    if not err.is_terminal:
        return None
    inputs, _ = find_inputs(paths, sidecars)
    return _counter("reading", len(inputs))


class _Bar:
    """A transient progress bar: call it once per item done; `stop()` (safe twice) restores
    the terminal when a run ends early."""

    def __init__(self, what: str, total: int):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.total = total
        self.progress = Progress(
            TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err.rich(), transient=True
        )
        self.task = self.progress.add_task(what, total=total)
        self.progress.start()

    def __call__(self, _item=None) -> None:
        self.progress.advance(self.task)
        if self.progress.tasks[self.task].completed >= self.total:
            self.stop()

    def stop(self) -> None:
        self.progress.stop()


_BARS: list[_Bar] = []


def _counter(what: str, total: int):
    """A transient progress bar on a terminal for 50 or more items; otherwise nothing."""
    if not err.is_terminal or total < 50:
        return None
    bar = _Bar(what, total)
    _BARS.append(bar)
    return bar


def _stop_bars() -> None:
    while _BARS:
        _BARS.pop().stop()


@app.command()
def pdf(
    paths: Inputs,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The PDF to write, or a folder for one PDF per issue (default: out/<input name>.pdf)."
        ),
    ] = None,
    template: Annotated[
        str,
        typer.Option(
            "--template", "-t", help="A bundled template (broadsheet, tabloid, a4, a3), a .toml file, or galley (plain columns)."
        ),
    ] = "",
    paper: Annotated[
        str | None, typer.Option("--paper", help="The paper's name for the masthead (overrides the articles').")
    ] = None,
    cn: Annotated[str | None, typer.Option("--cn", help="国内统一刊号, e.g. CN52-0017.")] = None,
    issue_number: Annotated[int | None, typer.Option("--issue-number", min=1, help="总第N期.")] = None,
    publisher: Annotated[str | None, typer.Option("--publisher", help="Publisher line, e.g. 某某日报社出版.")] = None,
    logo: Annotated[
        Path | None, typer.Option("--logo", help="The paper's logo (SVG, PNG or JPEG) in place of the set name.")
    ] = None,
    previews: Annotated[bool, typer.Option("--previews/--no-previews", help="PNG previews of every page beside the PDF.")] = True,
    preview_dpi: Annotated[int, typer.Option("--preview-dpi", min=10, max=600, help="Resolution of the previews.")] = 72,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    strict: Annotated[
        bool, typer.Option("--strict", help="clreq strict line breaking: no —— or …… at a line start either.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes to compose with (default: the cores available; 1: no forking)."),
    ] = None,
    quiet: QuietOption = False,
) -> None:
    """Typeset articles as newspaper pages: one PDF per issue (paper and date), with a masthead
    on page 1, running heads, article modules across columns and jumps between pages.

    Paper facts come from the articles, then a publish.toml next to the input ([paper] name,
    cn, publisher, issue_number, pages, post_code, website; template), then these options.
    Characters no font covers are reported (file, article, character, code point). Check the
    result with `publish check`.

    Example: publish pdf examples -t broadsheet -o out/examples.pdf
    """
    started = time.perf_counter()
    if output is not None and output.suffix.lower() != ".pdf" and output.exists() and not output.is_dir():
        _usage(UsageError(f"--output {output} exists and is not a folder or a .pdf file"))
    result = _articles(paths, format, encoding, sidecars, "typeset")
    warn = lambda m: err.print(f"publish: warning: {m}", markup=False)  # noqa: E731
    progress = _counter("typesetting", len(result.articles))
    if template == "galley":
        from .pipeline import articles_pdf

        made = articles_pdf(result.articles, on_missing=warn, on_article=progress, strict=strict, jobs=jobs)
        sets = [(_input_name(paths), made.data, made.pages, len(result.articles), made.lines)]
    else:
        from .config import find_config, read_config
        from .issue import IssueFacts
        from .layout.template import load_template
        from .pipeline import newspaper_pdfs

        facts = IssueFacts()
        config = find_config(paths)
        if config is not None:
            facts, configured = read_config(config)
            template = template or configured or ""
        facts = facts.merged(name=paper, cn=cn, issue_number=issue_number, publisher=publisher, logo=str(logo) if logo else None)
        if facts.logo and not Path(facts.logo).is_file():
            err.print(f"publish: error: logo not found: {facts.logo}", markup=False)
            raise typer.Exit(EXIT_USAGE)
        chosen = load_template(template or "broadsheet")
        issues = newspaper_pdfs(result.articles, chosen, facts, on_missing=warn, on_article=progress, strict=strict, jobs=jobs)
        sets = [(i.key, i.data, len(i.pages), i.articles, i.lines) for i in issues]
    for key, data, pages, articles, lines in sets:
        target = _target(output, paths, key, len(sets))
        _write(target, data)
        shown = _previews(target, preview_dpi) if previews else []
        if not quiet:
            extra = f" + {len(shown)} preview{'s' if len(shown) != 1 else ''}" if shown else ""
            err.print(
                f"wrote {target}{extra}: {_plural(pages, 'page')}, {_plural(articles, 'article')}, {lines:,} lines", markup=False
            )
    if not quiet:
        err.print(f"{_plural(len(sets), 'PDF')} in {time.perf_counter() - started:.2f} s", markup=False)
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


def _usage(error: PublishError) -> NoReturn:
    err.print(f"publish: error: {error}", markup=False)
    raise typer.Exit(EXIT_USAGE)


def _articles(paths: list[Path], format: str | None, encoding: str | None, sidecars: bool, what: str):
    """The articles in `paths`; each input that cannot be read is reported on one line, and
    the command stops (status 1) when none is left to `what`."""
    try:
        result = collect(paths, format=format, encoding=encoding, sidecars=sidecars, on_file=_progress(paths, sidecars))
    except UsageError as error:
        _usage(error)
    for problem in result.errors:
        err.print(f"publish: error: {problem}", markup=False)
    if not result.articles:
        err.print(f"publish: error: no articles to {what}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)
    return result


def _target(output: Path | None, paths: list[Path], key: str, count: int) -> Path:
    """Where a PDF goes: -o FILE.pdf (several: FILE-<key>.pdf), -o FOLDER/<key>.pdf, or
    out/<input name>.pdf (several: out/<key>.pdf)."""
    if output is not None and output.suffix.lower() == ".pdf":
        return output if count == 1 else output.with_name(f"{output.stem}-{key}.pdf")
    if output is None and count == 1:
        return Path("out") / f"{_input_name(paths)}.pdf"
    return (output or Path("out")) / f"{key}.pdf"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _write(target: Path, data: bytes) -> None:
    try:
        if target.is_dir():
            raise UsageError(f"--output {target} is a folder; give a file name")
        atomic_write_bytes(target, data)
    except UsageError as error:
        err.print(f"publish: error: {error}", markup=False)
        raise typer.Exit(EXIT_USAGE) from None
    except OSError as error:
        err.print(f"publish: error: cannot write {target}: {error.strerror or error}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None


def _previews(target: Path, dpi: int) -> list[Path]:
    from .render.preview import write_previews

    try:
        return write_previews(target, dpi)
    except OSError as error:
        err.print(f"publish: error: cannot write previews of {target}: {error.strerror or error}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None


def _input_name(paths: list[Path]) -> str:
    if len(paths) == 1:
        return paths[0].resolve().stem or "articles"
    return "articles"


@app.command()
def check(
    pdfs: Annotated[list[Path], typer.Argument(help="PDF files to check.", show_default=False)],
    source: Annotated[
        list[Path] | None, typer.Option("--source", "-s", help="The articles the PDF was made from: its text must match theirs.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the reports as JSON.")] = False,
) -> None:
    """Preflight PDFs for Chinese composition faults: prohibited line starts and ends, lines not
    flush, glyphs outside their column or overlapping, inter-character expansion, Han–Latin
    gaps, single-character last lines, missing or unmapped characters, fonts not embedded or
    without ToUnicode, and (with --source) text lost, added or changed.

    Exit status 1 when any PDF has a fault, or when fewer than 95 % of its justified lines keep
    the inter-character expansion within 0.1 em.

    Example: publish check out/examples.pdf --source examples
    """
    from .check.pdf import check_pdf

    expected = None
    if source:
        loaded = collect(source)
        for problem in loaded.errors:
            err.print(f"publish: error: {problem}", markup=False)
        from .pipeline import printed_text  # typesetting modules only when there is text to compare

        expected = [printed_text([article]) for article in loaded.articles]
    reports = []
    together = expected is not None and len(pdfs) > 1  # an issue set: each article once across all the PDFs
    for path in pdfs:
        try:
            reports.append(check_pdf(path, "" if together else expected))
        except Exception as error:  # pdfium raises its own errors for unreadable files
            err.print(f"publish: error: {path}: cannot read as PDF ({error})", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    combined = None
    if together and expected is not None:
        from .check.pdf import Fault, compare_articles

        combined = compare_articles(expected, "".join(r.extracted for r in reports))
        for report in reports:
            report.text = None
            report.faults = [f for f in report.faults if f.kind != "text differs from the source"]
        if not combined["equal"]:
            reports[-1].faults.append(Fault("text differs from the source", 0, combined["first_difference"]))
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=2) + "\n")
    else:
        for report in reports:
            typer.echo(_check_summary(report))
        if combined is not None:
            state = "same as the source" if combined["equal"] else "DIFFERS: " + combined["first_difference"]
            typer.echo(
                f"text of the {len(reports)} PDFs together: {state} ({combined['expected_chars']:,} characters, {combined['pieces']} pieces)"
            )
    raise typer.Exit(EXIT_OK if all(r.ok for r in reports) else EXIT_PROBLEMS)


def _check_summary(report) -> str:
    lines = [f"{report.file}: {'OK' if report.ok else 'FAULTS'}"]
    flush = f"{report.flush}/{report.checked_flush}" if report.checked_flush else "0/0"
    lines.append(
        f"  {report.pages} pages, {report.lines:,} lines, {report.body_lines:,} body lines; non-final lines flush: {flush}"
    )
    lines.append(
        f"  inter-character expansion: {report.share_within_target:.1%} of lines within 0.1 em, max {report.max_expansion:.3f} em"
    )
    if report.han_latin:
        lines.append(f"  Han–Latin gaps: {min(report.han_latin):.3f}–{max(report.han_latin):.3f} em")
    fonts = report.fonts
    good = sum(1 for f in fonts if f["embedded"] and f["subset"] and f["tounicode"])
    lines.append(f"  fonts: {good}/{len(fonts)} embedded, subset, with ToUnicode")
    if report.text is not None:
        t = report.text
        lines.append(
            f"  text: {'same as the source' if t['equal'] else 'DIFFERS: ' + t['first_difference']} ({t['expected_chars']:,} characters)"
        )
    for kind, count in sorted(report.counts().items()):
        lines.append(f"  {count} × {kind}")
        for fault in [f for f in report.faults if f.kind == kind][:3]:
            lines.append(f"      {fault}")
    return "\n".join(lines)


def _is_file(source: str) -> bool:
    """Whether a command-line argument names a file (a long text is not a file name)."""
    try:
        return Path(source).is_file()
    except (OSError, ValueError):
        return False


LexiconOption = Annotated[
    list[Path] | None,
    typer.Option("--lexicon", "-l", help="A lexicon TOML file, after the built-in, paper and user ones (later files win)."),
]


def _check_lexicons(paths: list[Path]) -> None:
    """Every --lexicon file readable and valid, before any work (a UsageError otherwise)."""
    from .speech.text.lexicon import Lexicon

    try:
        Lexicon.load(*paths, builtin=False)
    except OSError as error:
        raise UsageError(f"cannot read the lexicon {error.filename}: {error.strerror}") from None


@app.command()
def audio(
    paths: Inputs,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder for the editions, one subfolder per issue (default: out/audio).")
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", "-e", help="auto (edge, or offline when the service cannot be reached), edge or offline.")
    ] = "auto",
    voice: Annotated[
        str | None, typer.Option("--voice", help="Voice name (see `publish voices`; default zh-CN-YunyangNeural for edge).")
    ] = None,
    rate: Annotated[str, typer.Option("--rate", help="Speaking rate, e.g. +10% or -5%.")] = "+0%",
    volume: Annotated[str, typer.Option("--volume", help="Volume, e.g. +0%.")] = "+0%",
    pitch: Annotated[str, typer.Option("--pitch", help="Pitch, e.g. +0Hz.")] = "+0Hz",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, max=32, help="Requests to the engine at once.")] = 4,
    script: Annotated[
        bool, typer.Option("--script", help="Write the narration script (what will be sent) for review; no synthesis.")
    ] = False,
    gap: Annotated[float, typer.Option("--gap", min=0.0, max=10.0, help="Seconds of silence between sections.")] = 1.5,
    bitrate: Annotated[
        int, typer.Option("--bitrate", help="MP3 bit rate, kbit/s: 32, 40, 48, 56, 64, 80, 96, 112, 128, 144 or 160.")
    ] = 64,
    cover: Annotated[Path | None, typer.Option("--cover", help="Cover art (PNG or JPEG) for the tags and the feed.")] = None,
    base_url: Annotated[
        str, typer.Option("--base-url", help="Where the edition will be served (the feed's enclosure URLs start with it).")
    ] = "",
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Clip cache folder (default: $PUBLISH_CACHE or ~/.cache/publish/speech).")
    ] = None,
    use_cache: Annotated[
        bool, typer.Option("--cache-clips/--no-cache", help="Keep synthesised clips to reuse in later runs.")
    ] = True,
    lexicons: LexiconOption = None,
    fixes: Annotated[
        bool,
        typer.Option("--fixes/--no-fixes", help="Send pronunciation fixes (homophones for edge, pinyin for offline)."),
    ] = True,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    quiet: QuietOption = False,
) -> None:
    """Read articles aloud: per issue a folder with, per article, one MP3 per section
    (NN-<section>.mp3), the whole article as one MP3 with ID3 tags and chapters, subtitles
    (SRT, WebVTT, LRC) from the printed text; and per issue a playlist, a podcast feed and a
    manifest. Loudness −16 LUFS, true peak ≤ −1.5 dBTP.

    Synthesised clips are cached: a re-run only synthesises what changed, and an interrupted
    run resumes. With --script nothing is synthesised: the script shows what would be sent,
    with each pronunciation fix, e.g. 行[háng→航].

    Readings come from the built-in news lexicon, a publish-lexicon.toml in or above the input's
    folder, the user's lexicon ($PUBLISH_LEXICON or ~/.config/publish/lexicon.toml), then --lexicon.

    Example: publish audio examples -o out/audio
    """
    from .speech.sound.edition import EditionSettings
    from .speech.sound.engines import CHOICES, Prosody

    started = time.perf_counter()
    try:
        if engine not in CHOICES:
            raise UsageError(f"--engine must be one of {', '.join(CHOICES)}, not {engine!r}")
        prosody = Prosody(rate, volume, pitch)
        if bitrate not in MP3_BITRATES:
            raise UsageError(f"--bitrate {bitrate}: 24 kHz MP3 has {', '.join(map(str, MP3_BITRATES))} kbit/s")
        if cover is not None and (not cover.is_file() or cover.suffix.lower() not in (".png", ".jpg", ".jpeg")):
            raise UsageError(f"--cover {cover}: not a PNG or JPEG file")
        if output is not None and output.exists() and not output.is_dir():
            raise UsageError(f"--output {output} exists and is not a folder")
        _check_lexicons(lexicons or [])
    except PublishError as error:
        _usage(error)
    result = _articles(paths, format, encoding, sidecars, "read")
    if script:
        try:
            _write_scripts(result.articles, output, quiet, "edge" if engine == "auto" else engine, lexicons or [], fixes, voice)
        except PublishError as error:
            err.print(f"publish: error: {error}", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
        raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)
    from .speech.sound.cache import default_cache_dir
    from .speech.sound.editions import audio_editions

    out = output or Path("out") / "audio"
    settings = EditionSettings(gap=gap, bitrate=bitrate, cover=cover, base_url=base_url)
    try:
        run = audio_editions(
            result.articles,
            out,
            engine=engine,
            voice=voice,
            prosody=prosody,
            jobs=jobs,
            cache=(cache or default_cache_dir()) if use_cache else None,
            settings=settings,
            warn=lambda m: err.print(f"publish: warning: {m}", markup=False),
            on_start=lambda total: _counter("synthesising", total),
            on_article=_counter("writing audio", len(result.articles)),
            lexicons=lexicons or [],
            fixes=fixes,
        )
    except PublishError as error:
        _stop_bars()
        err.print(f"publish: error: {error}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    finally:
        _stop_bars()
    if not quiet:
        for issue in run.issues:
            sections = sum(len(a.sections) for a in issue.articles)
            loud = [a.loudness for a in issue.articles]
            err.print(
                f"wrote {issue.folder}/: {_plural(len(issue.articles), 'article')}, {_plural(sections, 'section')}, "
                f"{_duration(issue.duration)} of audio ({min(loud):.1f} to {max(loud):.1f} LUFS), playlist, feed, manifest",
                markup=False,
            )
        s = run.synthesis
        made = len(s.synthesised)
        err.print(
            f"{s.engine} ({s.voice}): {_plural(s.requests, 'request')}, {made} synthesised, {s.cached} from the cache"
            f"{'; ' + _plural(run.reused, 'article') + ' unchanged' if run.reused else ''}"
            f"{f', {s.retries} retried' if s.retries else ''}; {time.perf_counter() - started:.1f} s",
            markup=False,
        )
        if not base_url:
            err.print("note: the feeds link their audio by relative paths; give --base-url for podcast apps", markup=False)
    raise typer.Exit(EXIT_PROBLEMS if result.errors else EXIT_OK)


def _duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}" if whole >= 3600 else f"{whole // 60}:{whole % 60:02d}"


def _write_scripts(
    articles, output: Path | None, quiet: bool, engine: str, lexicons: list[Path], fixes: bool, voice: str | None
) -> None:
    """The narration scripts, with `engine`'s pronunciation fixes: on stdout, or one script.txt
    per issue under --output."""
    from .issue import group_issues
    from .speech.text.fixes import Pronunciations
    from .speech.text.script import narration, review

    pronunciation = Pronunciations(lexicons, fixes, voice)
    for issue in group_issues(articles):
        text = "".join(
            review(pronunciation.script(a, narration(a), engine), f"{n:02d} {a.headline.printed_title}") + "\n"
            for n, a in enumerate(issue.articles, 1)
        )
        if output is None:
            sys.stdout.write(f"=== {issue.key} ===\n\n{text}")
            continue
        target = output / issue.key / "script.txt"
        atomic_write_text(target, text)
        if not quiet:
            err.print(f"wrote {target}: {_plural(len(issue.articles), 'article')}", markup=False)


@app.command()
def voices(
    engine: Annotated[str, typer.Option("--engine", "-e", help="auto, edge or offline.")] = "auto",
    locale: Annotated[str, typer.Option("--locale", "-l", help="Only voices whose locale starts with this ('' for all).")] = "zh",
) -> None:
    """List the voices an engine offers (edge needs the service; auto falls back to offline).

    Example: publish voices --locale zh-CN
    """
    import asyncio

    from .errors import EngineUnavailable
    from .speech.sound.engines import CHOICES, create

    if engine not in CHOICES:
        err.print(f"publish: error: --engine must be one of {', '.join(CHOICES)}, not {engine!r}", markup=False)
        raise typer.Exit(EXIT_USAGE)

    async def listing(name: str):
        chosen = create(name)
        try:
            return await chosen.voices()
        finally:
            await chosen.close()

    try:
        try:
            found = asyncio.run(listing("edge" if engine == "auto" else engine))
        except EngineUnavailable as problem:
            if engine != "auto":
                raise
            err.print(f"publish: warning: {problem}; listing the offline engine's voices", markup=False)
            found = asyncio.run(listing("offline"))
    except PublishError as error:
        err.print(f"publish: error: {error}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    shown = [v for v in found if v.locale.lower().startswith(locale.lower())]
    for v in sorted(shown, key=lambda v: (v.locale, v.name)):
        typer.echo(f"{v.name:<36} {v.locale:<8} {v.gender:<7} {v.description}".rstrip())
    if not shown:
        err.print(f"publish: no {engine} voices for locale {locale!r} ({len(found)} in all)", markup=False)
        raise typer.Exit(EXIT_PROBLEMS)


@app.command()
def pinyin(
    source: Annotated[str, typer.Argument(help="Text, a UTF-8 text file, or - for standard input.", show_default=False)],
    tone3: Annotated[
        bool, typer.Option("--tone3", help="One line per input line: TONE3 readings of its Han characters (neutral 5, ü as v).")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Every character with its reading, whether it is a polyphone and who decided.")
    ] = False,
    lexicons: LexiconOption = None,
    fixes: Annotated[
        bool, typer.Option("--fixes", help="Show what would be sent to the engine: each fix marked, e.g. 行[háng→航].")
    ] = False,
    engine: Annotated[str, typer.Option("--engine", "-e", help="The engine --fixes are for: edge or offline.")] = "edge",
    names: Annotated[
        list[str] | None, typer.Option("--name", help="A person's name in the text: its surname gets the surname reading.")
    ] = None,
) -> None:
    """The readings of a text: pypinyin's, with polyphones decided in context (g2pM's model,
    phrase dictionary first) and the lexicons (built-in, the paper's beside a FILE, the user's,
    --lexicon). Polyphones are
    marked * in the plain listing. --fixes shows, per line, what an engine would be sent.

    Example: publish pinyin 行长在银行工作 --tone3
    """
    from .speech.text.lexicon import Lexicon, lexicon_files
    from .speech.text.pronounce import Pronouncer
    from .speech.text.readings import PinyinReader

    try:
        if engine not in ("edge", "offline"):
            raise UsageError(f"--engine must be edge or offline, not {engine!r}")
        if fixes and tone3:
            raise UsageError("--fixes and --tone3 show different things: give one of them")
        is_file = source != "-" and _is_file(source)
        found = lexicon_files([Path(source)] if is_file else [])
        lexicon = Lexicon.load(*found, *(lexicons or []))
    except PublishError as error:
        _usage(error)
    except OSError as error:
        _usage(UsageError(f"cannot read the lexicon {error.filename}: {error.strerror}"))
    if source == "-":
        text = sys.stdin.read()
    elif is_file:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            err.print(f"publish: error: {source}: cannot read as UTF-8 text ({error})", markup=False)
            raise typer.Exit(EXIT_PROBLEMS) from None
    else:
        text = source
    reader = PinyinReader(lexicon)
    if fixes:
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        fixed = Pronouncer(engine, reader).fix_many(lines, names or ())
        if as_json:
            fixes_data = [
                {
                    "text": f.text,
                    "sent": f.sent,
                    "fixes": [
                        {
                            "at": x.at,
                            "char": x.char,
                            "reading": x.reading,
                            "reason": x.reason,
                            "sent": x.sent,
                            "problem": x.problem,
                        }
                        for x in f.fixes
                    ],
                }
                for f in fixed
            ]
            sys.stdout.write(json.dumps(fixes_data, ensure_ascii=False) + "\n")
            return
        for f in fixed:
            typer.echo(f.marked)
            if f.sent != f.text:
                typer.echo(f"  → {engine}: {f.sent}")
        return
    if tone3:
        sys.stdout.write("".join(line + "\n" for line in reader.tone3_lines(text, names or ())))
        return
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    read = reader.read_many(lines, names or ())
    if as_json:
        data = [
            [{"char": r.char, "pinyin": r.pinyin, "polyphone": r.polyphone, "source": r.source} for r in line] for line in read
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    for line in read:
        typer.echo(" ".join(f"{r.char}({r.pinyin}{'*' if r.polyphone else ''})" if r.pinyin else r.char for r in line))


@app.command()
def build(
    paths: Inputs,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="The output folder: one subfolder per issue (default: out/build).")
    ] = None,
    pdf: Annotated[
        bool | None, typer.Option("--pdf/--no-pdf", help="Typeset each issue (with PNG previews).", show_default="on")
    ] = None,
    audio: Annotated[bool | None, typer.Option("--audio/--no-audio", help="Read each issue aloud.", show_default="on")] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=256,
            help="Worker processes (or Dask workers with --scheduler local).",
            show_default="the cores",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Run on Dask: tcp://host:8786, or local for a LocalCluster (pip install 'publish[dask]')."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo everything, even what is up to date.")] = False,
    prune: Annotated[
        bool,
        typer.Option(
            "--prune", help="Remove issue folders of earlier builds that these inputs no longer give (kept by default)."
        ),
    ] = False,
    template: Annotated[
        str | None, typer.Option("--template", "-t", help="Page template: broadsheet, tabloid, a4, a3 or a .toml path.")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Where OUT will be served: the feeds' enclosure URLs start with it.")
    ] = None,
    previews: Annotated[
        bool | None, typer.Option("--previews/--no-previews", help="PNG previews of every page.", show_default="on")
    ] = None,
    engine: Annotated[str | None, typer.Option("--engine", "-e", help="auto, edge or offline.", show_default="auto")] = None,
    voice: Annotated[str | None, typer.Option("--voice", help="Voice name (see `publish voices`).")] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache", help="Clip cache folder, shared by all workers (default: $PUBLISH_CACHE or ~/.cache/publish/speech)."
        ),
    ] = None,
    lexicons: LexiconOption = None,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    quiet: QuietOption = False,
) -> None:
    """Publish a batch: group the articles into issues (paper and date) and write, per issue, the
    PDF with previews and the audio edition (per article its files; feed, playlist, manifest),
    plus one index of all issues (index.html, index.json). A re-run redoes only what changed
    (build.json in each issue folder records what was made from what), and an edited article
    synthesises only its changed sections; --force redoes all. One failed article or issue never
    stops the others: a table lists what failed and why, and the exit status is 1.

    Settings come from the [build] table of the input folder's publish.toml; options override.

    Example: publish build archive/ -o site/ --jobs 8
    """
    from .batch import BuildSettings, build_config
    from .batch import build as run_build
    from .config import find_config, read_config
    from .issue import IssueFacts
    from .runtime import default_jobs
    from .speech.sound.engines import CHOICES

    started = time.perf_counter()
    config_path = find_config(paths)
    try:
        facts, configured_template = read_config(config_path) if config_path else (IssueFacts(), None)
        config = build_config(config_path)
        chosen_engine = engine or config.get("engine", "auto")
        if chosen_engine not in CHOICES:
            raise UsageError(f"--engine must be one of {', '.join(CHOICES)}, not {chosen_engine!r}")
        _check_lexicons(lexicons or [])
        settings = BuildSettings(
            pdf=pdf if pdf is not None else config.get("pdf", True),
            audio=audio if audio is not None else config.get("audio", True),
            template=template or configured_template or "broadsheet",
            facts=facts,
            previews=previews if previews is not None else config.get("previews", True),
            preview_dpi=config.get("preview_dpi", 72),
            engine=chosen_engine,
            voice=voice or config.get("voice"),
            cache=str(cache) if cache else None,
            lexicons=tuple(str(p) for p in lexicons or []),
            edge_requests=config.get("edge_requests", 4),
            base_url=base_url if base_url is not None else config.get("base_url", ""),
        )
        if not settings.pdf and not settings.audio:
            raise UsageError("--no-pdf and --no-audio leave nothing to build")
        if settings.edge_requests < 1:
            raise UsageError(f"build.edge_requests must be at least 1, not {settings.edge_requests}")
        if settings.pdf:
            from .layout.template import load_template

            load_template(settings.template)  # a bad template is a usage error before any work
    except PublishError as error:
        _usage(error)
    out = output or Path(config.get("output", "out/build"))
    if out.exists() and not out.is_dir():
        _usage(UsageError(f"--output {out} exists and is not a folder"))
    chosen_scheduler = scheduler or config.get("scheduler")
    workers = jobs or config.get("jobs") or default_jobs()
    result = _articles(paths, format, encoding, sidecars, "build")
    total = [0]
    done = [0]

    def planned(tasks, todo, notes) -> None:
        total[0] = len(todo)
        if prune and result.errors:
            notes = [f"--prune: nothing removed, as {_plural(len(result.errors), 'input')} could not be read", *notes]
        for note in notes:
            err.print(f"publish: {note}", markup=False)
        if not quiet:
            issues = len({t.issue for t in tasks})
            kinds = ", ".join(f"{sum(1 for t in todo if t.kind == k)} {name}" for k, name in BUILD_KINDS if settings_has(k))
            work = sum(1 for t in todo if t.kind != "feed")  # feeds are made here, in the main process
            processes = min(workers, work) if work > 1 else 1
            where = f"Dask {chosen_scheduler}" if chosen_scheduler else f"{processes} process{'es' if processes > 1 else ''}"
            err.print(
                f"{_plural(len(result.articles), 'article')} in {_plural(issues, 'issue')}: {len(todo)} of "
                f"{_plural(len(tasks), 'task')} to do ({kinds})" + (f" on {where}" if todo else ""),
                markup=False,
            )

    def settings_has(kind: str) -> bool:
        return settings.pdf if kind == "pdf" else settings.audio

    def finished(outcome) -> None:
        done[0] += 1
        if quiet and outcome.status != "failed":
            return
        what = f"[{done[0]}/{total[0]}] {outcome.name}"
        if outcome.status == "failed":
            err.print(f"{what}: FAILED: {outcome.message}", markup=False)
            return
        detail = outcome.detail
        if outcome.kind == "pdf":
            made = _plural(detail.get("pages", 0), "page")
        elif outcome.kind == "feed":
            made = f"{_plural(detail.get('articles', 0), 'article')}, {_duration(detail.get('duration', 0))}"
            if detail.get("incomplete"):
                made += f"; left out (failed): {', '.join(detail['incomplete'])}"
        elif "nothing" in detail:
            made = f"nothing to read aloud ({detail['nothing']})"
        else:
            made = (
                f"{_duration(detail.get('duration', 0))}, {detail.get('sections', 0)} sections "
                f"({detail.get('changed', 0)} made, {_plural(detail.get('synthesised', 0), 'request')} synthesised)"
            )
        err.print(f"{what}: {made} in {outcome.seconds:.1f} s", markup=False)

    try:
        report = run_build(
            result.articles,
            out,
            settings,
            jobs=workers,
            scheduler=chosen_scheduler,
            force=force,
            prune=prune and not result.errors,
            on_plan=planned,
            on_done=finished,
        )
    except PublishError as error:
        err.print(f"publish: error: {error}", markup=False)
        raise typer.Exit(EXIT_PROBLEMS) from None
    if report.failed:
        err.print("\nfailed:", markup=False)
        width = max(len(o.name) for o in report.failed)
        for outcome in report.failed:
            err.print(f"  {outcome.name:<{width}}  {outcome.message}", markup=False)
    if not quiet or report.failed:
        built, skipped = report.count("built"), report.count("skipped")
        seconds = time.perf_counter() - started
        if not built and not report.failed:
            err.print(f"nothing to do: {_plural(report.issues, 'issue')} up to date in {out}/ ({seconds:.1f} s)", markup=False)
        else:
            sections, changed = report.sections()
            made = [f"{report.count('built', k)} {name}" for k, name in BUILD_KINDS if settings_has(k)]
            err.print(
                f"{_plural(report.issues, 'issue')}: built {', '.join(made)}"
                + (f" ({sections} sections, {changed} made)" if settings.audio else "")
                + f"; {skipped} up to date, {len(report.failed)} failed; {out}/index.html; {seconds:.1f} s",
                markup=False,
            )
    raise typer.Exit(EXIT_PROBLEMS if result.errors or report.failed else EXIT_OK)


BUILD_KINDS = (("pdf", "PDF"), ("audio", "article audio"), ("feed", "feeds"))


@app.command()
def formats() -> None:
    """List the input formats `publish` reads and how each is recognised.

    Example: publish formats
    """
    for name, reader in readers().items():
        typer.echo(f"{name:<10} {' '.join(reader.extensions):<16} {reader.description}")


def main() -> None:
    """Console entry point: no traceback for a user's mistake or an interrupt."""
    try:
        app()
    except KeyboardInterrupt:
        _stop_bars()
        err.print("publish: interrupted", markup=False)
        sys.exit(130)
    except SystemExit as done:
        if done.code == 130:  # typer turns Ctrl-C into a silent exit 130
            _stop_bars()
            err.print("publish: interrupted", markup=False)
        raise
    except PublishError as error:
        err.print(f"publish: error: {error}", markup=False)
        sys.exit(EXIT_PROBLEMS)
    finally:
        # the process ends here: spare the interpreter's last full collection over everything
        # the command built (a tenth of a short run)
        gc.freeze()
