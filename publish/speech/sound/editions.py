"""Articles → audio editions, one per issue (paper and date): script, synthesis, files.

What the `audio` command runs (`audio_editions`: every issue at once, files made in worker
processes while synthesis goes on) and the batch's unit of audio work (`article_audio`, then
`write_issue`)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ...article import Article
from ...digest import digest, file_digest, still_made
from ...errors import SpeechError
from ...fsutil import atomic_write_bytes, atomic_write_text
from ...issue import Issue, IssueFacts, group_issues
from ...runtime import WorkerPool, default_jobs
from ..text.fixes import Pronunciations
from ..text.script import Script, narration
from .cache import ClipCache
from .edition import SCRATCH_PREFIX, ArticleEdition, EditionSettings, EditionWriter, commit
from .engines.base import Prosody
from .feed import MANIFEST, feed, manifest, playlist
from .synth import ClipSource, SynthesisReport, Synthesizer


@dataclass
class IssueAudio:
    """One issue's audio edition: its folder and its articles' editions."""

    key: str
    folder: Path
    articles: list[ArticleEdition] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return sum(a.duration for a in self.articles)


@dataclass
class AudioRun:
    """What `audio_editions` made and how the synthesis went."""

    issues: list[IssueAudio]
    synthesis: SynthesisReport
    seconds: float = 0.0
    reused: int = 0  # articles whose earlier files were still up to date


def audio_editions(
    articles: list[Article],
    out: Path,
    *,
    engine: str = "auto",
    voice: str | None = None,
    prosody: Prosody | None = None,
    requests: int = 4,
    cache: Path | None = None,
    settings: EditionSettings | None = None,
    facts: IssueFacts | None = None,
    warn: Callable[[str], None] = lambda message: None,
    on_start: Callable[[int], Callable[[str], None] | None] | None = None,
    on_article: Callable[[str], None] | None = None,
    edge_options: dict | None = None,
    processes: int | None = None,
    lexicons: list[Path] | None = None,
    fixes: bool = True,
    shared_gate: Any = None,
) -> AudioRun:
    """Write the audio edition of every issue under `out/<issue key>/`.

    `requests` go to the engine at once. As soon as every clip of an article is in the
    cache, its files are made in one of `processes` worker processes (default: the cores),
    while synthesis goes on. `cache` None: a scratch cache removed afterwards.

    Each request is sent with the pronunciation fixes of the engine used (`text/fixes.py`):
    readings from the built-in lexicon, the paper's `publish-lexicon.toml` beside the input,
    the user's, then `lexicons`; surnames of the people each article names. `fixes` False:
    texts are sent as normalised, without fixes."""
    started = time.perf_counter()
    settings = settings or EditionSettings()
    issues = group_issues(articles, facts)
    tasks = _tasks(issues, out, warn)
    pronunciation = Pronunciations(lexicons or [], fixes, voice, warn)
    scratch = None if cache is not None else Path(tempfile.mkdtemp(prefix="publish-clips-"))
    try:
        synth = Synthesizer(
            engine,
            voice=voice,
            prosody=prosody,
            requests=requests,
            cache=ClipCache(cache or scratch),
            warn=warn,
            on_start=on_start,
            edge_options=edge_options,
            shared_gate=shared_gate,
        )
        with _Writers(tasks, settings, processes or default_jobs(), on_article) as writers:
            synth.on_ready = writers.ready(synth)
            report = synth.run(_requests(tasks, pronunciation, synth, writers, auto=engine == "auto"))
            staged = writers.finish(synth.source())
        made = _write_issues(issues, out, tasks, staged, settings, report)
    except OSError as problem:
        raise SpeechError(f"cannot write the audio edition: {problem.strerror or problem}", file=problem.filename) from None
    except BrokenProcessPool:
        raise SpeechError("a worker process making the audio files died (out of memory?)") from None
    finally:
        for issue in issues:
            _remove_scratch(out / issue.key)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return AudioRun(made, report, time.perf_counter() - started, sum(1 for t in tasks if t.reused is not None))


def _tasks(issues: list[Issue], out: Path, warn: Callable[[str], None]) -> list[_Task]:
    """One task per article with something to read aloud (a warning for each other one)."""
    tasks = []
    for at, issue in enumerate(issues):
        for number, article in enumerate(issue.articles, 1):
            script = narration(article)
            if script.sections:
                tasks.append(_Task(at, out / issue.key, number, article, script))
            else:
                where = article.source.file if article.source else article.title
                warn(f"{where}: 《{article.title}》 has nothing to read aloud; no audio for it")
    return tasks


def _requests(
    tasks: list[_Task], pronunciation: Pronunciations, synth: Synthesizer, writers: _Writers, auto: bool
) -> Callable[[str], list[str]]:
    """The texts to synthesise for the engine chosen: each article's script fixed for it, its
    digest made and its earlier files looked for; an article whose files are up to date sends none."""

    def texts(engine_name: str) -> list[str]:
        if auto and engine_name == "offline":
            pronunciation.voice = None  # auto falls back to the offline engine's own voice
        for task in tasks:
            task.plain = task.plain or task.script
            task.script = pronunciation.script(task.article, task.plain, engine_name)
            task.digest = _digest(task, synth, writers.settings)
            task.reused = _reusable(task)
        writers.expect()
        return [u.request for task in tasks if task.reused is None for u in task.script.utterances if u.speakable]

    return texts


def _write_issues(
    issues: list[Issue],
    out: Path,
    tasks: list[_Task],
    staged: list[tuple[ArticleEdition, Path | None]],
    settings: EditionSettings,
    report: SynthesisReport,
) -> list[IssueAudio]:
    """Every article made: only now does anything replace the previous edition. Then each
    issue's playlist, feed and manifest."""
    for task, (edition, folder) in zip(tasks, staged, strict=True):
        if folder is not None:
            commit(folder, task.folder / edition.folder, edition)
    made = []
    for at, issue in enumerate(issues):
        editions = [edition for task, (edition, _) in zip(tasks, staged, strict=True) if task.issue == at]
        made.append(write_issue(issue, out / issue.key, editions, settings, report.engine, report.voice))
    return made


@dataclass
class ArticleAudio:
    """One article's audio, made by `article_audio`."""

    edition: ArticleEdition | None  # None: the article has nothing to read aloud
    synthesis: SynthesisReport
    sections: int = 0
    changed: int = 0  # sections made again (the others were left as they were)


def article_audio(
    article: Article,
    folder: Path,
    number: int,
    *,
    engine: str,
    cache: Path,
    voice: str | None = None,
    prosody: Prosody | None = None,
    requests: int = 4,
    settings: EditionSettings | None = None,
    pronunciation: Pronunciations | None = None,
    shared_gate: Any = None,
    edge_options: dict | None = None,
    reuse: bool = True,
) -> ArticleAudio:
    """One article's files in `folder/<NN-id>/` (the issue folder), the batch's unit of audio
    work: its requests not yet in the clip cache are synthesised, so an edit costs only the
    requests of the sections it touched; then its files are staged and renamed into place.
    `reuse` False: section files already there are made again, not taken over."""
    plain = narration(article)
    if not plain.sections:
        return ArticleAudio(None, SynthesisReport())
    pronunciation = pronunciation or Pronunciations([], True, voice)
    fixed: list[Script] = []

    def texts(engine_name: str) -> list[str]:
        fixed[:] = [pronunciation.script(article, plain, engine_name)]
        return [u.request for u in fixed[0].utterances if u.speakable]

    synth = Synthesizer(
        engine,
        voice=voice,
        prosody=prosody,
        requests=requests,
        cache=ClipCache(cache),
        edge_options=edge_options,
        shared_gate=shared_gate,
    )
    report = synth.run(texts)
    (script,) = fixed
    writer = EditionWriter(folder, synth.source(), settings or EditionSettings(), reuse=reuse)
    try:
        edition, staged = writer.stage_article(number, article, script)
        commit(staged, folder / edition.folder, edition)
    except OSError as problem:
        raise SpeechError(f"cannot write the audio edition: {problem.strerror or problem}", file=problem.filename) from None
    return ArticleAudio(edition, report, len(script.sections), writer.redone)


def _remove_scratch(folder: Path) -> None:
    """Scratch folders of unfinished articles; the issue folder too if nothing else is in it."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.name.startswith(SCRATCH_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty


@dataclass
class _Task:
    issue: int  # index of its issue
    folder: Path
    number: int
    article: Article
    script: Script
    plain: Script | None = None  # the script before pronunciation fixes
    digest: str = ""
    reused: ArticleEdition | None = None  # the earlier edition's files, still up to date


def _write_one(
    task: _Task, script: Script, digest: str, source: ClipSource, settings: EditionSettings
) -> tuple[ArticleEdition, Path]:
    """One article's files, staged."""
    edition, folder = EditionWriter(task.folder, source, settings).stage_article(task.number, task.article, script)
    edition.digest = digest
    return edition, folder


def _write_shared(
    index: int, script: Script, digest: str, source: ClipSource, settings: EditionSettings
) -> tuple[ArticleEdition, Path]:
    """In a worker: one article of the pool's tasks, by index (`script` and `digest` are passed:
    they came after the fork)."""
    return _write_one(WorkerPool.shared()[index], script, digest, source, settings)


class _Writers:
    """Makes each article's files as soon as its clips are all in the cache: in forked worker
    processes (loudness passes and encoding are CPU work that overlaps the requests still out),
    or in this process after synthesis when there is one process."""

    def __init__(self, tasks: list[_Task], settings: EditionSettings, processes: int, on_article: Callable[[str], None] | None):
        self.tasks = tasks
        self.settings = settings
        self.on_article = on_article
        self.pool: WorkerPool | None = None
        self.stack = contextlib.ExitStack()
        self.futures: dict[int, Future] = {}
        self.waiting: list[set[str]] = []
        self.by_text: dict[str, list[int]] = {}
        self.expect()
        self.processes = min(processes, len(tasks))

    def expect(self) -> None:
        """Learn (again) which texts each article waits for: they change with the fixes."""
        self.waiting = [
            {u.request for u in t.script.utterances if u.speakable} if t.reused is None else set() for t in self.tasks
        ]
        self.by_text = {}
        for index, texts in enumerate(self.waiting):
            for text in texts:
                self.by_text.setdefault(text, []).append(index)

    def __enter__(self) -> _Writers:
        if self.processes > 1 and hasattr(os, "fork"):
            self.pool = self.stack.enter_context(WorkerPool(self.processes, method="fork", shared=self.tasks))
            self.pool.start()  # fork every worker now, before synthesis starts threads (an engine's, the loop's)
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        """Interrupted or failed: the workers are stopped at once (their work would be thrown away)."""
        self.stack.__exit__(kind, *exc)

    def ready(self, synth: Synthesizer) -> Callable[[str], None]:
        """The callback for a text whose clip is now in the cache."""

        def on_ready(text: str) -> None:
            if self.pool is None:
                return
            for index in self.by_text.pop(text, []):
                self.waiting[index].discard(text)
                if not self.waiting[index]:
                    self._submit(index, synth.source())

        return on_ready

    def _submit(self, index: int, source: ClipSource) -> None:
        assert self.pool is not None
        task = self.tasks[index]
        future = self.pool.submit(_write_shared, index, task.script, task.digest, source, self.settings)
        if self.on_article:
            future.add_done_callback(lambda done, title=task.article.title: self.on_article(title))  # type: ignore[misc]
        self.futures[index] = future

    def finish(self, source: ClipSource) -> list[tuple[ArticleEdition, Path | None]]:
        """Every article's edition and staged folder (None: its earlier files stand), in task order."""
        results: list[tuple[ArticleEdition, Path | None]] = []
        for index, task in enumerate(self.tasks):
            if task.reused is not None:
                results.append((task.reused, None))
                if self.on_article:
                    self.on_article(task.article.title)
                continue
            if self.pool is None:
                results.append(_write_one(task, task.script, task.digest, source, self.settings))
                if self.on_article:
                    self.on_article(task.article.title)
                continue
            if index not in self.futures:
                self._submit(index, source)
            results.append(self.futures[index].result())
        return results


def _digest(task: _Task, synth: Synthesizer, settings: EditionSettings) -> str:
    """Everything an article's files are made from: its content and place, what is sent and how
    it sounds (engine, version, voice, prosody), the settings, and this version of publish."""
    from ... import __version__

    engine = synth.engine
    cover = file_digest(settings.cover) if settings.cover else None
    parts = {
        "version": __version__,
        "number": task.number,
        "article": task.article.content_digest(),
        "script": [[u.text, u.request, u.pause, [c.text for c in u.cues]] for u in task.script.utterances],
        "sections": [[s.stem, s.title] for s in task.script.sections],
        "engine": [engine.name, engine.version] if engine else None,
        "voice": synth.voice if engine else None,
        "prosody": dataclasses.asdict(synth.prosody),
        "settings": {**dataclasses.asdict(settings), "cover": cover},
    }
    return digest(parts, 20)


def _reusable(task: _Task) -> ArticleEdition | None:
    """The article's edition from the issue's manifest when its digest matches and its files are there."""
    try:
        data = json.loads((task.folder / MANIFEST).read_text(encoding="utf-8"))
        found = next(a for a in data.get("articles", []) if a.get("digest") == task.digest)
        edition = ArticleEdition.from_dict(found)
    except (OSError, ValueError, TypeError, KeyError, StopIteration, AttributeError):
        return None
    if not edition.chapters:
        return None  # made before chapter files: made again (its sections are taken over)
    needed = [edition.mp3, *(s.file for s in edition.sections), *edition.subtitles.values(), *edition.chapters.values()]
    return edition if still_made(found, task.digest, task.folder, needed) else None


def _remove_stale(folder: Path, articles: set[str], settings: EditionSettings) -> None:
    """Article folders and cover art of an earlier edition that this one no longer has."""
    cover = f"cover{settings.cover.suffix.lower()}" if settings.cover else None
    for entry in folder.iterdir():
        if entry.is_dir() and re.fullmatch(r"\d\d(-[A-Za-z0-9._-]+)?", entry.name) and entry.name not in articles:
            shutil.rmtree(entry)
        elif entry.is_file() and re.fullmatch(r"cover\.(png|jpe?g)", entry.name) and entry.name != cover:
            entry.unlink()


def write_issue(
    issue: Issue,
    folder: Path,
    editions: list[ArticleEdition],
    settings: EditionSettings,
    engine: str,
    voice: str,
    keep: set[str] = frozenset(),  # type: ignore[assignment]
) -> IssueAudio:
    """The issue's playlist, feed and manifest over its articles' editions (already in `folder`);
    article folders of an earlier edition that this one no longer has are removed, but `keep`."""
    key = folder.name
    folder.mkdir(parents=True, exist_ok=True)
    result = IssueAudio(key, folder, editions)
    _remove_stale(folder, {e.folder for e in editions} | set(keep), settings)
    facts = issue.facts
    title = f"{facts.name or '文章'}{' ' + facts.date.isoformat() if facts.date else ''} 听报"
    cover = ""
    if settings.cover is not None:
        cover = f"cover{settings.cover.suffix.lower()}"
        atomic_write_bytes(folder / cover, settings.cover.read_bytes())
    atomic_write_text(folder / "playlist.m3u8", playlist(result.articles))
    atomic_write_text(
        folder / "feed.xml",
        feed(
            result.articles,
            title=title,
            date=facts.date,
            author=facts.name,
            base_url=f"{settings.base_url.rstrip('/')}/{quote(key)}" if settings.base_url else "",
            cover=cover,
            issue=key,
        ),
    )
    atomic_write_text(
        folder / MANIFEST,
        manifest(
            result.articles,
            issue=key,
            paper=facts.name,
            date=facts.date.isoformat() if facts.date else None,
            engine=engine,
            voice=voice,
            loudness_target=settings.loudness,
            gap=settings.gap,
            bitrate=settings.bitrate,
            duration=round(result.duration, 3),
        ),
    )
    return result
