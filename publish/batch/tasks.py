"""Running one task of a build, in whatever process or Dask worker it lands on: an issue's PDF
with previews, one article's audio, or an issue's feed. `execute` never raises: every failure
becomes a failed Outcome with a one-line reason, so one bad article never stops the others."""

from __future__ import annotations

import time
import traceback
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from ..article import Article
from ..config import BuildSettings
from ..errors import PublishError
from ..wording import plural
from .plan import Task
from .records import read_manifest, recorded


@dataclass
class Outcome:
    """What became of a task."""

    kind: str
    issue: str
    status: str  # built | skipped | failed
    seconds: float = 0.0
    digest: str = ""
    files: list[str] = field(default_factory=list)  # relative to the issue folder
    message: str = ""  # why it failed
    detail: dict[str, Any] = field(default_factory=dict)  # pages, sections, duration …
    part: str = ""  # audio: the article's folder

    @property
    def name(self) -> str:
        return f"{self.issue} {self.part} {self.kind}" if self.part else f"{self.issue} {self.kind}"

    @classmethod
    def failure(cls, task: Task, message: str, seconds: float = 0.0) -> Outcome:
        return cls(task.kind, task.issue, "failed", seconds, task.digest, message=message, part=task.part)


def execute(task: Task, settings: BuildSettings) -> Outcome:
    """Run one task; any failure becomes a failed Outcome with a one-line reason."""
    started = time.perf_counter()
    try:
        task.folder.mkdir(parents=True, exist_ok=True)
        make = {"pdf": make_pdf, "web": make_web, "audio": make_audio, "feed": make_feed}[task.kind]
        files, detail = make(task, settings)
    except Exception as error:  # a bug too, not only the user's mistake: keep the batch going, say where
        return Outcome.failure(task, failure_line(task, error), time.perf_counter() - started)
    seconds = time.perf_counter() - started
    return Outcome(task.kind, task.issue, "built", seconds, task.digest, files, detail=detail, part=task.part)


def failure_line(task: Task, error: Exception) -> str:
    """Why a task failed, in one line that names the file and headline of the article it failed
    on when that is known (`x.md: 《headline》: reason`): the article of an audio task, else the
    one whose file the error names, else the one being worked on where the error was raised."""
    if isinstance(error, PublishError):
        reason = str(error)
    elif isinstance(error, OSError):
        reason = f"{error.filename or task.folder}: {error.strerror or error}"
    else:
        where = traceback.extract_tb(error.__traceback__)[-1]
        reason = f"internal error {type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})"
    article = _failed_article(task, error)
    if article is None:
        return reason
    headline = f"《{article.title or '(untitled)'}》"
    file = article.source.file if article.source else None
    if isinstance(error, PublishError) and error.file is not None and error.file == file:
        return f"{error.location}: {headline}: {error.message}"
    return f"{file}: {headline}: {reason}" if file else f"{headline}: {reason}"


def _failed_article(task: Task, error: BaseException) -> Article | None:
    if task.kind == "feed" or not task.articles:
        return None
    if task.kind == "audio":
        return task.articles[0]
    named = getattr(error, "file", None)
    by_file = [a for a in task.articles if a.source and named is not None and a.source.file == named]
    if len(by_file) == 1:
        return by_file[0]
    ours = {id(a): a for a in task.articles}
    seen: set[int] = set()
    while error is not None and id(error) not in seen:  # the error, then the ones it was raised from
        seen.add(id(error))
        frames = [frame for frame, _ in traceback.walk_tb(error.__traceback__)]
        for frame in reversed(frames):  # innermost first: the article being worked on there
            found = next((ours[id(v)] for v in frame.f_locals.values() if id(v) in ours), None)
            if found is not None:
                return found
        error = error.__cause__ or error.__context__
    return None


def make_pdf(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    """The issue's PDF and the previews of its pages (previews of pages it no longer has go)."""
    from ..fsutil import write_if_changed
    from ..layout.template import load_template
    from ..pipeline import newspaper_pdfs

    (made,) = newspaper_pdfs(
        task.articles, load_template(settings.template), settings.facts, jobs=1, pages=settings.pages, output=settings.output
    )
    target = task.folder / f"{task.issue}.pdf"
    write_if_changed(target, made.data)  # the same PDF again (--force): left as it was
    files = [target.name]
    if settings.previews:
        from ..render.preview import write_previews

        files += [p.name for p in write_previews(target, settings.preview_dpi)]
    if settings.web:
        from ..web.pages import write_page_files

        files += write_page_files(target, made.pages, task.folder, task.issue)
    for old in task.folder.glob(f"{glob_escape(task.issue)}-p*.png"):
        if old.name not in files:  # fewer pages than before, or no previews now
            old.unlink(missing_ok=True)
    detail = {"pages": len(made.pages), "articles": made.articles, "lines": made.lines}
    if made.warnings:  # the layout's (photos not printed or printing coarse), said by the build
        detail["warnings"] = list(made.warnings)
    return files, detail


def make_web(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    """The issue's article records and web-sized photos, for the site (web/site.py)."""
    from ..web.record import write_issue_record

    warnings: list[str] = []  # photos that cannot be made for the web: said by the build
    files = write_issue_record(task.articles, task.folder, task.issue, warnings.append, settings.facts)
    return files, {"articles": len(task.articles), "photos": len(files) - 1, "warnings": warnings}


_PRONUNCIATIONS: dict[tuple, Any] = {}  # a worker's pronunciation readers, kept from task to task


def make_audio(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    """One article's audio files in its folder of the issue (sections unchanged since the last
    run are taken over, unless --force)."""
    from ..speech.sound.cache import default_cache_dir
    from ..speech.sound.edition import EditionSettings
    from ..speech.sound.editions import article_audio

    (article,) = task.articles
    pronunciation, warnings = _pronunciation(settings, task.lexicons), []
    pronunciation.warn = warnings.append  # characters without a reading: told with the outcome
    made = article_audio(
        article,
        task.folder,
        task.number,
        engine=settings.engine,
        voice=settings.voice,
        requests=settings.edge_requests,
        cache=Path(settings.cache) if settings.cache else default_cache_dir(),
        settings=EditionSettings(base_url=settings.base_url),
        pronunciation=pronunciation,
        shared_gate=edge_gate(settings),
        reuse=not task.fresh,
    )
    if made.edition is None:
        where = article.source.file if article.source else article.title
        return [], {"sections": 0, "nothing": f"{where}: 《{article.title}》 has nothing to read aloud", "warnings": warnings}
    made.edition.digest = task.digest
    folder = task.folder / made.edition.folder
    # the folder's files but the web edition's article view (web/site.py writes it after the build)
    files = sorted(str(p.relative_to(task.folder)) for p in folder.iterdir() if p.is_file() and p.name != "index.html")
    detail = {
        "sections": made.sections,
        "changed": made.changed,
        "duration": made.edition.duration,
        "engine": made.synthesis.engine,
        "voice": made.synthesis.voice,
        "synthesised": len(made.synthesis.synthesised),
        "edition": asdict(made.edition),
        "warnings": warnings,
    }
    return files, detail


def _pronunciation(settings: BuildSettings, lexicons: str) -> Any:
    """This worker's pronunciation readers for the lexicons of a task (read once, kept)."""
    from ..speech.text.fixes import Pronunciations

    key = (settings.lexicons, settings.voice, lexicons)
    if key not in _PRONUNCIATIONS:
        _PRONUNCIATIONS.clear()  # lexicons changed (a long-lived Dask worker): read them again
        _PRONUNCIATIONS[key] = Pronunciations([Path(p) for p in settings.lexicons], True, settings.voice)
    return _PRONUNCIATIONS[key]


def make_feed(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    """The issue's playlist, feed and manifest over the editions its articles' tasks recorded:
    those made now and those up to date. An article whose task failed is left out of the feed
    (its earlier files stay), and the feed is recorded as incomplete so the next run redoes it."""
    from ..issue import group_issues
    from ..speech.sound.edition import ArticleEdition, EditionSettings
    from ..speech.sound.editions import write_issue

    manifest = read_manifest(task.folder)
    editions, missing, engines = [], [], []
    for part, digest in task.parts:
        entry = recorded(manifest, "audio", part)
        if entry.get("digest") != digest or part in task.failed:  # not made, or its redo failed now
            missing.append(part)
        elif entry.get("edition"):
            editions.append(ArticleEdition.from_dict(entry["edition"]))
            engines.append((entry.get("engine", ""), entry.get("voice", "")))
    if missing and not editions:
        raise PublishError(f"no feed: the audio of every article failed ({plural(len(missing), 'article')})")
    (issue,) = group_issues(task.articles, settings.facts)
    made = write_issue(
        issue,
        task.folder,
        editions,
        EditionSettings(base_url=settings.base_url),
        ", ".join(sorted({e for e, _ in engines})),
        ", ".join(sorted({v for _, v in engines})),
        keep=set(missing),
    )
    detail = {"articles": len(editions), "duration": round(made.duration, 1), "parts": [p for p, _ in task.parts]}
    if missing:
        detail["incomplete"] = missing
    return ["feed.xml", "playlist.m3u8", "manifest.json"], detail


# ---- what a worker shares with the run ----------------------------------------------------------

_GATE: Any = None  # a worker process's share of the run's limit on edge-tts requests
_STARTED: Any = None  # a worker process's view of which tasks of its pool have started


def join_run(gate: Any, started: Any = None) -> None:
    """A worker process's start: the run's edge-tts limit, and where it notes tasks it starts."""
    global _GATE, _STARTED
    _GATE, _STARTED = gate, started


def execute_nth(n: int, task: Task, settings: BuildSettings) -> Outcome:
    """`execute` in a worker process, noting first that task n of its pool has started."""
    if _STARTED is not None:
        _STARTED[n] = 1
    return execute(task, settings)


def execute_on_dask(task: Task, settings: BuildSettings) -> Outcome:
    """`execute` on a Dask worker (in a thread of the worker's)."""
    tune_malloc()
    return execute(task, settings)


def edge_gate(settings: BuildSettings) -> Any:
    """The limit on edge-tts requests this task shares: the Dask cluster's Semaphore on a Dask
    worker, the run's semaphore in a worker process, none in a run of one process."""
    if settings.engine == "offline":
        return None
    try:
        from distributed import Semaphore, get_worker

        get_worker()
    except (ImportError, ValueError):
        return _GATE
    # one name for every run on the cluster: their requests come from the same machines
    return Semaphore(max_leases=settings.edge_requests, name=f"publish-edge-{settings.edge_requests}")


@lru_cache(maxsize=1)
def tune_malloc() -> None:
    """On a Dask worker, tasks run in a thread of their own, with Dask's aggressive malloc
    trimming: glibc then maps and unmaps the audio's blocks over and over (measured: the
    examples took 1.6× as long as in worker processes, half of it in the kernel). A fixed mmap
    threshold, as a worker process's main thread settles on by itself, ends that."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        libc = None
    if libc is not None and hasattr(libc, "mallopt"):  # glibc (not musl, macOS)
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD: 32 MB, the largest glibc allows
        libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD
