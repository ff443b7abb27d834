"""`publish audio`: articles read aloud, one audio edition per issue (or the narration scripts)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from ..fsutil import folders_to_make, mark_output, output_folder
from .app import command, done
from .options import (
    DateOption,
    EncodingOption,
    FormatOption,
    ImageRootOption,
    Inputs,
    LexiconOption,
    QuietOption,
    RequestsOption,
    SidecarsOption,
    VerboseOption,
    articles,
    default_output,
    edited,
)
from .output import counter, duration, err, plural, stop_bars, write_file

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Folder for the editions, one subfolder per issue (default: out/audio).")
]
EngineOption = Annotated[
    str, typer.Option("--engine", "-e", help="auto (edge, or offline when the service cannot be reached), edge or offline.")
]
VoiceOption = Annotated[
    str | None, typer.Option("--voice", help="Voice name (see `publish voices`; default zh-CN-YunyangNeural for edge).")
]
RateOption = Annotated[str, typer.Option("--rate", help="Speaking rate, e.g. +10% or -5%.")]
VolumeOption = Annotated[str, typer.Option("--volume", help="Volume, e.g. +0%.")]
PitchOption = Annotated[str, typer.Option("--pitch", help="Pitch, e.g. +0Hz.")]
JobsOption = Annotated[
    int | None, typer.Option("--jobs", "-j", min=1, help="Processes making the audio files (default: the cores).")
]
ScriptOption = Annotated[
    bool, typer.Option("--script", help="Write the narration script (what will be sent) for review; no synthesis.")
]
GapOption = Annotated[float, typer.Option("--gap", min=0.0, max=10.0, help="Seconds of silence between sections.")]
BitrateOption = Annotated[
    int, typer.Option("--bitrate", help="MP3 bit rate, kbit/s: 32, 40, 48, 56, 64, 80, 96, 112, 128, 144 or 160.")
]
CoverOption = Annotated[Path | None, typer.Option("--cover", help="Cover art (PNG or JPEG) for the tags and the feed.")]
BaseUrlOption = Annotated[
    str, typer.Option("--base-url", help="Where the edition will be served (the feed's enclosure URLs start with it).")
]
CacheOption = Annotated[
    Path | None, typer.Option("--cache", help="Clip cache folder (default: $PUBLISH_CACHE or ~/.cache/publish/speech).")
]
UseCacheOption = Annotated[bool, typer.Option("--cache-clips/--no-cache", help="Keep synthesised clips to reuse in later runs.")]
FixesOption = Annotated[
    bool, typer.Option("--fixes/--no-fixes", help="Send pronunciation fixes (homophones for edge, pinyin for offline).")
]


@command
def audio(
    paths: Inputs,
    output: OutputOption = None,
    engine: EngineOption = "auto",
    voice: VoiceOption = None,
    rate: RateOption = "+0%",
    volume: VolumeOption = "+0%",
    pitch: PitchOption = "+0Hz",
    requests: RequestsOption = None,
    jobs: JobsOption = None,
    script: ScriptOption = False,
    gap: GapOption = 1.5,
    bitrate: BitrateOption = 64,
    cover: CoverOption = None,
    base_url: BaseUrlOption = "",
    cache: CacheOption = None,
    use_cache: UseCacheOption = True,
    lexicons: LexiconOption = None,
    fixes: FixesOption = True,
    format: FormatOption = None,
    encoding: EncodingOption = None,
    sidecars: SidecarsOption = True,
    image_root: ImageRootOption = None,
    date: DateOption = None,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
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
    from ..config import audio_settings, load_config

    started = time.perf_counter()
    settings = audio_settings(engine=engine, voice=voice, rate=rate, volume=volume, pitch=pitch, requests=requests,
                              processes=jobs, gap=gap, bitrate=bitrate, cover=cover, base_url=base_url, cache=cache,
                              use_cache=use_cache, lexicons=tuple(lexicons or ()), fixes=fixes)  # fmt: skip
    if output is not None and output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} exists and is not a folder")
    result = articles(paths, format, encoding, sidecars, "read", verbose, None, image_root)
    edited(result.articles, load_config(paths), date=date, masthead=False)  # [paper] date, --date
    if script:
        write_scripts(result.articles, output and output_folder(output), quiet, settings)
        raise done(bool(result.errors))
    run = read_aloud(result.articles, output or default_output(Path("out") / "audio", paths), settings, quiet)
    if not quiet:
        summarise(run, settings, time.perf_counter() - started)
    raise done(bool(result.errors))


class Progress:
    """What `publish audio` prints as it goes where no progress bar shows it (not a terminal, or
    few items), as `publish build` does: the synthesis at every tenth of its requests, and a line
    `[n/N] 《title》` for each article whose files are written. Nothing with --quiet."""

    def __init__(self, articles: int, quiet: bool):
        self.articles, self.quiet = articles, quiet
        self.written = 0
        self.lock = threading.Lock()  # articles are reported from the worker pool's threads
        self.bar = counter("writing audio", articles)

    def synthesis(self, total: int):
        """The per-request callback for `total` requests to synthesise."""
        bar = counter("synthesising", total)
        if bar is not None or self.quiet:
            return bar
        step, done = max(1, -(-total // 10)), 0  # the first line once a tenth is done: a failed start says only why

        def one(_text: str) -> None:
            nonlocal done
            done += 1
            if done % step == 0 or done == total:
                err.print(f"synthesised {done} of {plural(total, 'request')}")

        return one

    def article(self, title: str) -> None:
        if self.bar is not None:
            self.bar(title)
        elif not self.quiet:
            with self.lock:
                self.written += 1
                err.print(f"[{self.written}/{self.articles}] 《{title}》")


def read_aloud(articles, out: Path, settings, quiet: bool = False):
    """The audio editions of the articles: progress bars on a terminal, else progress lines; the
    folders made for them are marked as publish's."""
    from ..speech.sound.cache import default_cache_dir
    from ..speech.sound.editions import audio_editions

    progress = Progress(len(articles), quiet)
    made = folders_to_make(out)
    try:
        return audio_editions(
            articles,
            out,
            engine=settings.engine,
            voice=settings.voice,
            prosody=settings.prosody,
            requests=settings.requests,
            processes=settings.processes,
            cache=(settings.cache or default_cache_dir()) if settings.use_cache else None,
            settings=settings.edition(),
            warn=err.warning,
            on_start=progress.synthesis,
            on_article=progress.article,
            lexicons=list(settings.lexicons),
            fixes=settings.fixes,
        )
    finally:
        mark_output(made)
        stop_bars()


def summarise(run, settings, seconds: float) -> None:
    """A line per issue written, then one for the synthesis (requests, cache, time)."""
    for issue in run.issues:
        sections = sum(len(a.sections) for a in issue.articles)
        loud = [a.loudness for a in issue.articles]
        err.print(
            f"wrote {issue.folder}/: {plural(len(issue.articles), 'article')}, {plural(sections, 'section')}, "
            f"{duration(issue.duration)} of audio ({min(loud):.1f} to {max(loud):.1f} LUFS), playlist, feed, manifest"
        )
    s = run.synthesis
    unchanged = f"; {plural(run.reused, 'article')} unchanged" if run.reused else ""
    retried = f", {s.retries} retried" if s.retries else ""
    err.print(
        f"{s.engine} ({s.voice}): {plural(s.requests, 'request')}, {len(s.synthesised)} synthesised, {s.cached} from the cache"
        f"{unchanged}{retried}; {seconds:.1f} s"
    )
    if not settings.base_url:
        err.print("note: the feeds link their audio by relative paths; give --base-url for podcast apps")


def write_scripts(articles, output: Path | None, quiet: bool, settings) -> None:
    """The narration scripts with the engine's pronunciation fixes: on stdout, or one
    script.txt per issue under --output."""
    from ..speech.text.fixes import issue_scripts

    engine = "edge" if settings.engine == "auto" else settings.engine
    for key, count, text in issue_scripts(articles, engine, list(settings.lexicons), settings.fixes, settings.voice, err.warning):
        if output is None:
            sys.stdout.write(f"=== {key} ===\n\n{text}")
            continue
        target = output / key / "script.txt"
        write_file(target, text)
        if not quiet:
            err.print(f"wrote {target}: {plural(count, 'article')}")
