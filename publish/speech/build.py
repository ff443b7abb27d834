"""Articles → audio editions, one per issue (paper and date): script, synthesis, files."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..article import Article
from ..errors import SpeechError
from ..fsutil import atomic_write_bytes, atomic_write_text
from ..issue import Issue, IssueFacts, group_issues
from ..runtime import default_jobs
from .cache import ClipCache
from .edition import SCRATCH_PREFIX, ArticleEdition, EditionWriter, Settings, commit
from .engines.base import Prosody
from .feed import feed, manifest, playlist
from .pronounce import Pronunciations
from .script import Script, narration
from .synth import ClipSource, Report, Synthesizer


@dataclass
class IssueAudio:
    key: str
    folder: Path
    articles: list[ArticleEdition] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return sum(a.duration for a in self.articles)


@dataclass
class AudioRun:
    issues: list[IssueAudio]
    synthesis: Report
    seconds: float = 0.0
    reused: int = 0  # articles whose earlier files were still up to date


def audio_editions(
    articles: list[Article],
    out: Path,
    *,
    engine: str = "auto",
    voice: str | None = None,
    prosody: Prosody | None = None,
    jobs: int = 4,
    cache: Path | None = None,
    settings: Settings | None = None,
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

    `jobs` requests go to the engine at once. As soon as every clip of an article is in the
    cache, its files are made in one of `processes` worker processes (default: the cores),
    while synthesis goes on. `cache` None: a scratch cache removed afterwards.

    Each request is sent with the pronunciation fixes of the engine used (`pronounce.py`):
    readings from the built-in lexicon, the paper's `publish-lexicon.toml` beside the input,
    the user's, then `lexicons`; surnames of the people each article names. `fixes` False:
    texts are sent as normalised, without fixes."""
    started = time.perf_counter()
    settings = settings or Settings()
    issues = group_issues(articles, facts)
    tasks = []
    for at, issue in enumerate(issues):
        for number, article in enumerate(issue.articles, 1):
            script = narration(article)
            if script.sections:
                tasks.append(_Task(at, out / issue.key, number, article, script))
            else:
                where = article.source.file if article.source else article.title
                warn(f"{where}: 《{article.title}》 has nothing to read aloud; no audio for it")
    pronunciation = Pronunciations(lexicons or [], fixes, voice)

    def texts(engine_name: str) -> list[str]:
        if engine == "auto" and engine_name == "offline":
            pronunciation.voice = None  # auto falls back to the offline engine's own voice
        for task in tasks:
            task.plain = task.plain or task.script
            task.script = pronunciation.script(task.article, task.plain, engine_name)
            task.digest = _digest(task, synth, settings)
            task.reused = _reusable(task)
        writers.expect()
        return [u.request for task in tasks if task.reused is None for u in task.script.utterances if u.speakable]

    scratch = None if cache is not None else Path(tempfile.mkdtemp(prefix="publish-clips-"))
    folders = [out / issue.key for issue in issues]
    try:
        synth = Synthesizer(
            engine,
            voice=voice,
            prosody=prosody,
            jobs=jobs,
            cache=ClipCache(cache or scratch),
            warn=warn,
            on_start=on_start,
            edge_options=edge_options,
            shared_gate=shared_gate,
        )
        with _Writers(tasks, settings, processes or default_jobs(), on_article) as writers:
            synth.on_ready = writers.ready(synth)
            report = synth.run(texts)
            staged = writers.finish(synth.source())
        # every article made: only now does anything replace the previous edition
        for task, (edition, folder) in zip(tasks, staged, strict=True):
            if folder is not None:
                commit(folder, task.folder / edition.folder, edition)
        made = []
        for at, issue in enumerate(issues):
            editions = [edition for task, (edition, _) in zip(tasks, staged, strict=True) if task.issue == at]
            made.append(write_issue(issue, out / issue.key, editions, settings, report.engine, report.voice))
    except OSError as problem:
        raise SpeechError(f"cannot write the audio edition: {problem.strerror or problem}", file=problem.filename) from None
    except BrokenProcessPool:
        raise SpeechError("a worker process making the audio files died (out of memory?)") from None
    finally:
        for folder in folders:
            _remove_scratch(folder)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    return AudioRun(made, report, time.perf_counter() - started, sum(1 for t in tasks if t.reused is not None))


@dataclass
class ArticleAudio:
    """One article's audio, made by `article_audio`."""

    edition: ArticleEdition | None  # None: the article has nothing to read aloud
    synthesis: Report
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
    jobs: int = 4,
    settings: Settings | None = None,
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
        return ArticleAudio(None, Report())
    pronunciation = pronunciation or Pronunciations([], True, voice)
    fixed: list[Script] = []

    def texts(engine_name: str) -> list[str]:
        fixed[:] = [pronunciation.script(article, plain, engine_name)]
        return [u.request for u in fixed[0].utterances if u.speakable]

    synth = Synthesizer(
        engine,
        voice=voice,
        prosody=prosody,
        jobs=jobs,
        cache=ClipCache(cache),
        edge_options=edge_options,
        shared_gate=shared_gate,
    )
    report = synth.run(texts)
    (script,) = fixed
    writer = EditionWriter(folder, synth.source(), settings or Settings(), reuse=reuse)
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


_TASKS: list[_Task] = []  # the run's articles: set before the worker processes fork, read by index


def _write_one(index: int, script: Script, digest: str, source: ClipSource, settings: Settings) -> tuple[ArticleEdition, Path]:
    """One article's files (`script` and `digest` are passed: they came after the fork)."""
    task = _TASKS[index]
    edition, folder = EditionWriter(task.folder, source, settings).stage_article(task.number, task.article, script)
    edition.digest = digest
    return edition, folder


def _noop() -> None:
    return None


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent, which stops them (no traceback from each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Writers:
    """Makes each article's files as soon as its clips are all in the cache: in forked worker
    processes (loudness passes and encoding are CPU work that overlaps the requests still out),
    or in this process after synthesis when there is one process."""

    def __init__(self, tasks: list[_Task], settings: Settings, processes: int, on_article: Callable[[str], None] | None):
        self.tasks = tasks
        self.settings = settings
        self.on_article = on_article
        self.pool: ProcessPoolExecutor | None = None
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
        global _TASKS
        _TASKS = self.tasks
        if self.processes > 1 and hasattr(os, "fork"):
            # fork every worker now, before synthesis starts threads (an engine's, the loop's)
            self.pool = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("fork"), initializer=_quiet_worker
            )
            self.pool.submit(_noop).result()
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        global _TASKS
        if self.pool is not None:
            if kind is not None:  # interrupted or failed: their work would be thrown away anyway
                for process in list(getattr(self.pool, "_processes", {}).values()):
                    process.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
        _TASKS = []

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
        future = self.pool.submit(_write_one, index, self.tasks[index].script, self.tasks[index].digest, source, self.settings)
        if self.on_article:
            future.add_done_callback(lambda done, title=self.tasks[index].article.title: self.on_article(title))  # type: ignore[misc]
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
                results.append(_write_one(index, task.script, task.digest, source, self.settings))
                if self.on_article:
                    self.on_article(task.article.title)
                continue
            if index not in self.futures:
                self._submit(index, source)
            results.append(self.futures[index].result())
        return results


def _digest(task: _Task, synth: Synthesizer, settings: Settings) -> str:
    """Everything an article's files are made from: its content and place, what is sent and how
    it sounds (engine, version, voice, prosody), the settings, and this version of publish."""
    from .. import __version__

    engine = synth.engine
    cover = hashlib.sha256(settings.cover.read_bytes()).hexdigest() if settings.cover else None
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
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:20]


def _reusable(task: _Task) -> ArticleEdition | None:
    """The article's edition from the issue's manifest when its digest matches and its files are there."""
    try:
        data = json.loads((task.folder / "manifest.json").read_text(encoding="utf-8"))
        found = next(a for a in data.get("articles", []) if a.get("digest") == task.digest)
        edition = ArticleEdition.from_dict(found)
    except (OSError, ValueError, TypeError, KeyError, StopIteration, AttributeError):
        return None
    needed = [edition.mp3, *(s.file for s in edition.sections), *edition.subtitles.values()]
    return edition if all((task.folder / name).is_file() for name in needed) else None


def _remove_stale(folder: Path, articles: set[str], settings: Settings) -> None:
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
    settings: Settings,
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
            guid_prefix=f"{key}/",
        ),
    )
    atomic_write_text(
        folder / "manifest.json",
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
