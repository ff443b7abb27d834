"""Batch publication: articles → per issue a PDF with previews and an audio edition, redone only
where something changed, in parallel processes or on a Dask cluster.

    plan()     the tasks: per issue its PDF, per article its audio, per issue its feed; each
               with a digest of what it is made from
    execute()  one task, in whatever process or worker runs it: never raises, returns an Outcome
    build()    runs the tasks that are not up to date, records each finished one, writes the index

A task is up to date when `OUT/<issue>/build.json` records its digest and its files exist. The
digest covers the articles' content, the template, the fonts, the settings and the version, so
a re-run redoes only what changed; inside an edited article only the sections it touched are
synthesised and encoded again (the others' files stay). Every file is written
atomically and a task is recorded only after its files are in place: a run killed at any point
(even kill -9) leaves whole files, and the next run finishes the rest. An issue's feed is made
in the main process once all its articles are done.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from . import __version__
from .article import Article
from .errors import BuildError, PublishError
from .fsutil import atomic_write_text
from .issue import IssueFacts, group_issues

MANIFEST = "build.json"
VOLATILE = {"synthesised", "changed"}  # reported, not recorded: they depend on the cache, not the input
INDEX = "index.json"
KINDS = ("pdf", "audio", "feed")
RETRIES = 2  # times a task is started again after the worker process running it died


@dataclass(frozen=True)
class BuildSettings:
    """What a build makes and how (the CLI's options over `publish.toml`'s [build] table)."""

    pdf: bool = True
    audio: bool = True
    template: str = "broadsheet"
    facts: IssueFacts | None = None
    previews: bool = True
    preview_dpi: int = 72
    engine: str = "auto"
    voice: str | None = None
    cache: str | None = None  # the clip cache folder (None: the default one)
    lexicons: tuple[str, ...] = ()
    edge_requests: int = 4  # requests to edge-tts at once, for the whole run or cluster
    base_url: str = ""  # where the issues will be served: the feeds' enclosures start with it

    def digest_part(self, kind: str) -> dict[str, Any]:
        """The settings a task of `kind` depends on."""
        if kind == "pdf":
            return {"template": self.template, "facts": asdict(self.facts) if self.facts else None, "previews": self.previews,
                    "dpi": self.preview_dpi}  # fmt: skip
        if kind == "feed":
            return {"base_url": self.base_url, "facts": asdict(self.facts) if self.facts else None}
        return {"engine": self.engine, "voice": self.voice, "lexicons": [_file_digest(Path(p)) for p in self.lexicons]}


@dataclass(eq=False)  # a task is itself (hashable, compared by identity): archives have 10⁵ of them
class Task:
    """One unit of work: an issue's PDF, one article's audio, or an issue's feed."""

    kind: str  # pdf | audio | feed
    issue: str  # the issue key, paper-date
    articles: list[Article]  # the issue's; for audio the one article
    digest: str
    folder: Path  # OUT/<issue>
    part: str = ""  # audio: the article's folder in the issue (NN-<id>)
    number: int = 0  # audio: the article's place in the issue
    parts: tuple[tuple[str, str], ...] = ()  # feed: (folder, digest) of each article's audio task
    lexicons: str = ""  # audio: digest of the lexicons it is read with (the paper's, the user's, --lexicon)
    fresh: bool = False  # --force: nothing of earlier files is taken over (section files)
    started: bool = False  # it began in a worker process that then died
    failed: tuple[str, ...] = ()  # feed: articles whose audio failed in this run

    @property
    def name(self) -> str:
        return f"{self.issue} {self.part} {self.kind}" if self.part else f"{self.issue} {self.kind}"

    @property
    def order(self) -> tuple[str, int, int]:
        return (self.issue, KINDS.index(self.kind), self.number)


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


@dataclass
class BuildReport:
    outcomes: list[Outcome]
    seconds: float
    issues: int
    notes: list[str] = field(default_factory=list)  # what the user should know: a fallback, pruned issues

    def count(self, status: str, kind: str | None = None) -> int:
        return sum(1 for o in self.outcomes if o.status == status and (kind is None or o.kind == kind))

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def sections(self) -> tuple[int, int]:
        """Sections read aloud in the articles built, and those of them made anew (not kept)."""
        built = [o.detail for o in self.outcomes if o.kind == "audio" and o.status == "built"]
        return sum(d.get("sections", 0) for d in built), sum(d.get("changed", 0) for d in built)


# `publish.toml`'s [build] table: option → type (the command line overrides each)
CONFIG_KEYS: dict[str, type] = {
    "pdf": bool,
    "audio": bool,
    "jobs": int,
    "scheduler": str,
    "previews": bool,
    "preview_dpi": int,
    "engine": str,
    "voice": str,
    "edge_requests": int,
    "base_url": str,
    "output": str,
}


def build_config(path: Path | None) -> dict[str, Any]:
    """The [build] table of a `publish.toml`, checked ({} without one)."""
    from .errors import ConfigError
    from .fsutil import read_toml

    if path is None:
        return {}
    data, _ = read_toml(path, ConfigError)
    table = data.get("build", {})
    if not isinstance(table, dict):
        raise ConfigError("[build] must be a table", file=path)
    for key, value in table.items():
        wanted = CONFIG_KEYS.get(key)
        if wanted is None:
            raise ConfigError(f"build.{key}: unknown key; known: {', '.join(CONFIG_KEYS)}", file=path)
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            raise ConfigError(f"build.{key}: must be {wanted.__name__}, not {value!r}", file=path)
    if table.get("output") and not Path(table["output"]).is_absolute():
        table["output"] = str(path.parent / table["output"])
    return table


def plan(articles: list[Article], out: Path, settings: BuildSettings) -> list[Task]:
    """The tasks of a build: per issue (paper and date) its PDF, per article its audio, per
    issue the feed over its articles."""
    from .speech.sound.edition import article_folder

    template = _template_digest(settings.template) if settings.pdf else ""
    fonts = _fonts_digest() if settings.pdf else ""
    audio_settings = settings.digest_part("audio") if settings.audio else {}
    tasks = []
    seen: dict[str, int] = {}
    for issue in group_issues(articles, settings.facts):
        key = issue.key
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two papers under one name (publish.toml's) on one date: keep both
            key = f"{key}-{seen[key]}"
        folder = out / key
        contents = [article.content_digest() for article in issue.articles]
        if settings.pdf:
            logo = settings.facts.logo if settings.facts else None
            made_of = {"articles": contents, "settings": settings.digest_part("pdf"), "template": template,
                       "fonts": fonts, "logo": _file_digest(Path(logo)) if logo else ""}  # fmt: skip
            tasks.append(Task("pdf", key, issue.articles, _digest(made_of), folder))
        if settings.audio:
            lexicons = _digest({"found": _lexicons_digest(issue.articles), "given": audio_settings["lexicons"]})
            audio = []
            for number, (article, content) in enumerate(zip(issue.articles, contents, strict=True), 1):
                part = article_folder(number, article)
                digest = _digest({"article": content, "number": number, "lexicons": lexicons, "settings": audio_settings})
                audio.append(Task("audio", key, [article], digest, folder, part, number, lexicons=lexicons))
            tasks += audio
            parts = tuple((t.part, t.digest) for t in audio)
            feed = _digest({"parts": parts, "settings": settings.digest_part("feed")})
            tasks.append(Task("feed", key, issue.articles, feed, folder, parts=parts))
    return tasks


def _digest(parts: dict[str, Any]) -> str:
    parts = {"version": __version__, **parts}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def recorded(manifest: dict[str, Any], kind: str, part: str = "") -> dict[str, Any]:
    """What an issue's manifest records of a task of `kind` (audio: of article `part`); {} when nothing."""
    found = manifest.get(kind)
    if kind == "audio" and isinstance(found, dict):
        found = found.get(part)
    return found if isinstance(found, dict) else {}


def up_to_date(task: Task, manifest: dict[str, Any] | None = None) -> bool:
    """Whether the issue's manifest records this task's digest and its files are all there."""
    record = recorded(read_manifest(task.folder) if manifest is None else manifest, task.kind, task.part)
    if not record or record.get("digest") != task.digest:
        return False
    return all((task.folder / name).is_file() for name in record.get("files", []))


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(folder: Path, outcome: Outcome, data: dict[str, Any] | None = None) -> None:
    """Note a finished task in the issue's manifest (after its files are in place); `data`: the
    manifest as the run holds it (else it is read), updated in place and written."""
    data = read_manifest(folder) if data is None else data
    kept = {k: v for k, v in outcome.detail.items() if k not in VOLATILE}  # no times: same input, same file
    entry = {"digest": outcome.digest, "files": outcome.files, **kept}
    if outcome.kind == "audio":
        audio = data.get("audio")
        if not isinstance(audio, dict) or "digest" in audio:  # none yet, or a whole issue's (publish < 0.7)
            audio = data["audio"] = {}
        audio[outcome.part] = entry
    else:
        data[outcome.kind] = entry
        if outcome.kind == "feed" and isinstance(data.get("audio"), dict):  # articles the issue no longer has
            data["audio"] = {k: v for k, v in data["audio"].items() if k in outcome.detail.get("parts", [])}
    atomic_write_text(folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def execute(task: Task, settings: BuildSettings) -> Outcome:
    """Run one task; any failure becomes a failed Outcome with a one-line reason."""
    started = time.perf_counter()

    def failed(message: str) -> Outcome:
        return Outcome(
            task.kind, task.issue, "failed", time.perf_counter() - started, task.digest, message=message, part=task.part
        )

    try:
        task.folder.mkdir(parents=True, exist_ok=True)
        make = {"pdf": _make_pdf, "audio": _make_audio, "feed": _make_feed}[task.kind]
        files, detail = make(task, settings)
    except PublishError as error:
        return failed(str(error))
    except OSError as error:
        return failed(f"{error.filename or task.folder}: {error.strerror or error}")
    except Exception as error:  # a bug, not the user's mistake: keep the batch going, say where
        where = traceback.extract_tb(error.__traceback__)[-1]
        return failed(f"internal error {type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})")
    seconds = time.perf_counter() - started
    return Outcome(task.kind, task.issue, "built", seconds, task.digest, files, detail=detail, part=task.part)


def _make_pdf(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    from .fsutil import atomic_write_bytes
    from .layout.template import load_template
    from .pipeline import newspaper_pdfs

    (made,) = newspaper_pdfs(task.articles, load_template(settings.template), settings.facts, jobs=1)
    target = task.folder / f"{task.issue}.pdf"
    atomic_write_bytes(target, made.data)
    files = [target.name]
    if settings.previews:
        from .render.preview import write_previews

        files += [p.name for p in write_previews(target, settings.preview_dpi)]
    for old in task.folder.glob(f"{glob_escape(task.issue)}-p*.png"):
        if old.name not in files:  # fewer pages than before, or no previews now
            old.unlink(missing_ok=True)
    return files, {"pages": len(made.pages), "articles": made.articles, "lines": made.lines}


_PRONUNCIATIONS: dict[tuple, Any] = {}  # a worker's pronunciation readers, kept from task to task


def _make_audio(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    from .speech.sound.cache import default_cache_dir
    from .speech.sound.edition import EditionSettings
    from .speech.sound.editions import article_audio
    from .speech.text.fixes import Pronunciations

    (article,) = task.articles
    key = (settings.lexicons, settings.voice, task.lexicons)
    if key not in _PRONUNCIATIONS:
        _PRONUNCIATIONS.clear()  # lexicons changed (a long-lived Dask worker): read them again
        _PRONUNCIATIONS[key] = Pronunciations([Path(p) for p in settings.lexicons], True, settings.voice)
    made = article_audio(
        article,
        task.folder,
        task.number,
        engine=settings.engine,
        voice=settings.voice,
        jobs=settings.edge_requests,
        cache=Path(settings.cache) if settings.cache else default_cache_dir(),
        settings=EditionSettings(base_url=settings.base_url),
        pronunciation=_PRONUNCIATIONS[key],
        shared_gate=_edge_gate(settings),
        reuse=not task.fresh,
    )
    if made.edition is None:
        where = article.source.file if article.source else article.title
        return [], {"sections": 0, "nothing": f"{where}: 《{article.title}》 has nothing to read aloud"}
    made.edition.digest = task.digest
    folder = task.folder / made.edition.folder
    files = sorted(str(p.relative_to(task.folder)) for p in folder.iterdir() if p.is_file())
    detail = {
        "sections": made.sections,
        "changed": made.changed,
        "duration": made.edition.duration,
        "engine": made.synthesis.engine,
        "voice": made.synthesis.voice,
        "synthesised": len(made.synthesis.synthesised),
        "edition": asdict(made.edition),
    }
    return files, detail


def _make_feed(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    """The issue's playlist, feed and manifest over the editions its articles' tasks recorded:
    those made now and those up to date. An article whose task failed is left out of the feed
    (its earlier files stay), and the feed is recorded as incomplete so the next run redoes it."""
    from .speech.sound.edition import ArticleEdition, EditionSettings
    from .speech.sound.editions import write_issue

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
        raise PublishError(f"no feed: the audio of all {len(missing)} articles failed")
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


_GATE: Any = None  # a worker process's share of the run's limit on edge-tts requests
_STARTED: Any = None  # a worker process's view of which tasks of its pool have started


def _set_gate(gate: Any, started: Any = None) -> None:
    global _GATE, _STARTED
    _GATE, _STARTED = gate, started


@lru_cache(maxsize=1)
def _tune_malloc() -> None:
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


def _edge_gate(settings: BuildSettings) -> Any:
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


def build(
    articles: list[Article],
    out: Path,
    settings: BuildSettings,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    prune: bool = False,
    on_plan: Callable[[list[Task], list[Task], list[str]], None] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> BuildReport:
    """Build every issue of `articles` under `out`; skip what is up to date (unless `force`).

    `scheduler` None: `jobs` worker processes on this machine (1: in this process); "local": a
    Dask LocalCluster of `jobs` workers; "tcp://host:8786": that Dask scheduler (the workers must
    share `out` and the clip cache). `prune`: remove issue folders an earlier build made that
    these articles no longer give (by default a nightly run keeps the archive)."""
    started = time.perf_counter()
    if scheduler and scheduler != "local" and "://" not in scheduler:
        raise BuildError(f"--scheduler {scheduler}: give an address like tcp://host:8786, or local")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".publish-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise BuildError(f"cannot write the output folder: {error.strerror or error}", file=out) from None
    tasks = plan(articles, out, settings)
    notes: list[str] = []
    folders = sorted({t.folder for t in tasks})
    manifests = {folder: read_manifest(folder) for folder in folders}
    for folder in folders:
        _sweep(folder)
    todo = [t for t in tasks if t.kind != "feed" and (force or not up_to_date(t, manifests[t.folder]))]
    settings, retried = _choose_engine(tasks, todo, manifests, settings, notes)
    todo += retried
    redo = {t.issue for t in todo if t.kind == "audio"}
    todo += [t for t in tasks if t.kind == "feed" and (force or t.issue in redo or not up_to_date(t, manifests[t.folder]))]
    todo.sort(key=lambda t: t.order)
    for task in todo:
        task.fresh = force
    doing = set(todo)
    outcomes = [Outcome(t.kind, t.issue, "skipped", digest=t.digest, part=t.part) for t in tasks if t not in doing]
    if prune:
        notes += _prune(out, {t.folder.name for t in tasks})
    if on_plan:
        on_plan(tasks, todo, notes)

    feeds = {t.issue: t for t in todo if t.kind == "feed"}
    articles_to_do = Counter(t.issue for t in todo if t.kind == "audio")
    waiting = {issue: articles_to_do[issue] for issue in feeds}

    def finished(task: Task, outcome: Outcome) -> None:
        if outcome.status == "built":
            try:
                record(task.folder, outcome, manifests[task.folder])
            except OSError as error:
                why = f"{error.filename or task.folder / MANIFEST}: cannot record it: {error.strerror or error}"
                outcome = Outcome(task.kind, task.issue, "failed", outcome.seconds, task.digest, message=why, part=task.part)
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)
        if task.kind == "audio":
            waiting[task.issue] -= 1
            if outcome.status == "failed" and task.issue in feeds:
                feeds[task.issue].failed += (task.part,)
        if task.kind != "feed" and task.issue in feeds and waiting[task.issue] == 0:
            feed = feeds.pop(task.issue)  # every article of the issue is done: its feed, here
            finished(feed, execute(feed, settings))

    work = [t for t in todo if t.kind != "feed"]
    for issue in [i for i, n in waiting.items() if n == 0]:  # feeds whose articles are all up to date
        feed = feeds.pop(issue)
        finished(feed, execute(feed, settings))
    if work:
        if scheduler:
            _run_dask(work, settings, jobs, scheduler, finished)
        elif jobs > 1 and len(work) > 1:
            _run_processes(work, settings, jobs, finished)
        else:
            for task in work:
                finished(task, execute(task, settings))
    try:
        write_index(out)
    except OSError as error:
        raise BuildError(f"cannot write the index: {error.strerror or error}", file=error.filename or out) from None
    order = {(t.issue, t.kind, t.part): t.order for t in tasks}
    outcomes.sort(key=lambda o: order[(o.issue, o.kind, o.part)])
    return BuildReport(outcomes, time.perf_counter() - started, len(folders), notes)


def _choose_engine(
    tasks: list[Task], todo: list[Task], manifests: dict[Path, dict[str, Any]], settings: BuildSettings, notes: list[str]
) -> tuple[BuildSettings, list[Task]]:
    """Settle `auto` once for the whole run: edge-tts when it answers, else the offline engine.
    Articles an earlier `auto` run read offline are redone once edge answers again; until then
    they count as up to date (and a note says how many)."""
    from dataclasses import replace

    if settings.engine != "auto" or not settings.audio:
        return settings, []
    doing = set(todo)
    fallback = [
        t
        for t in tasks
        if t.kind == "audio" and t not in doing and recorded(manifests[t.folder], "audio", t.part).get("engine") == "offline"
    ]
    if not fallback and not any(t.kind == "audio" for t in todo):
        return settings, []
    from .speech.sound.synth import edge_unavailable

    problem = edge_unavailable()
    if not problem:
        if fallback:
            notes.append(
                f"{_articles(len(fallback))} read by the offline engine in an earlier run: edge-tts answers now, read again"
            )
        return replace(settings, engine="edge"), fallback
    if fallback:
        notes.append(f"{_articles(len(fallback))} stay read by the offline engine: edge-tts still does not answer")
    if any(t.kind == "audio" for t in todo):
        voice = f" with its own voice instead of {settings.voice}" if settings.voice else ""
        notes.append(f"{problem}; using the offline engine{voice}")
    return replace(settings, engine="offline", voice=None), []


def _articles(count: int) -> str:
    return f"{count} article{'' if count == 1 else 's'}"


def _prune(out: Path, keep: set[str]) -> list[str]:
    """Remove issue folders an earlier build made (they have a build.json) that are not in `keep`."""
    import shutil

    gone = [p for p in sorted(out.iterdir()) if p.is_dir() and p.name not in keep and (p / MANIFEST).is_file()]
    for folder in gone:
        try:
            shutil.rmtree(folder)
        except OSError as error:
            raise BuildError(f"--prune: cannot remove it: {error.strerror or error}", file=error.filename or folder) from None
    return [f"pruned {len(gone)} issue folders no longer given by the inputs: {', '.join(p.name for p in gone)}"] if gone else []


def _sweep(folder: Path) -> None:
    """What a killed run left half-made: temporary files and scratch folders (never outputs)."""
    import shutil

    from .speech.sound.edition import SCRATCH_PREFIX

    if not folder.is_dir():
        return
    for entry in folder.rglob(".*"):
        if entry.is_file() and entry.name.endswith(".tmp"):
            entry.unlink(missing_ok=True)
        elif entry.is_dir() and entry.name.startswith(SCRATCH_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)


def _run_processes(tasks: list[Task], settings: BuildSettings, jobs: int, finished: Callable[[Task, Outcome], None]) -> None:
    """The tasks in `jobs` spawned worker processes.

    A worker that dies (killed, out of memory) takes its pool down with every task in it. The
    tasks that had not started go to a new pool as they were; those that were running are
    suspects, and each runs alone in a pool of one, up to RETRIES more times: so a task that
    kills its worker fails alone, and the others are not charged for it."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no inherited threads or locks
    pending, suspects = list(tasks), list[Task]()
    tries = dict.fromkeys(tasks, 0)
    idle_deaths = 0  # pools that died with no task running (a worker killed while it waited)

    def give_up(task: Task, why: str) -> None:
        finished(task, Outcome(task.kind, task.issue, "failed", digest=task.digest, part=task.part, message=why))

    while pending or suspects:
        if suspects:
            batch, width = [suspects.pop(0)], 1
        else:
            batch, width, pending = pending, min(jobs, len(pending)), []
        lost = []
        for task, outcome in _pool_round(batch, settings, width, context):
            if outcome is not None:
                finished(task, outcome)
            elif width > 1 and not task.started:
                lost.append(task)  # never began: not its fault
            else:  # it was running when the pool died; alone, it is the one that killed it
                tries[task] += 1
                if tries[task] <= RETRIES:
                    suspects.append(task)
                else:
                    give_up(task, f"a worker process died running it, {tries[task]} times (out of memory? killed?)")
        idle_deaths = idle_deaths + 1 if lost and len(lost) == len(batch) else 0
        if idle_deaths > RETRIES:
            for task in lost:
                give_up(task, "the worker processes keep dying before they start any task (out of memory? killed?)")
        else:
            pending += lost
        for folder in {t.folder for t in batch}:
            _sweep(folder)  # what the dead workers left half-made (no worker of that pool is left)
        pending.sort(key=lambda t: t.order)


def _pool_round(batch: list[Task], settings: BuildSettings, width: int, context: Any) -> Iterator[tuple[Task, Outcome | None]]:
    """Run `batch` in a new pool of `width` workers: each task with its Outcome as it finishes,
    or with None when the pool died first (then `task.started` says whether it had begun)."""
    from concurrent.futures.process import BrokenProcessPool

    gate = context.BoundedSemaphore(settings.edge_requests)  # edge-tts requests at once, all workers together;
    # new with each pool: a dead worker may have died holding a slot
    started = context.Array("b", len(batch), lock=False)  # set by a worker as it starts task i
    pool = ProcessPoolExecutor(max_workers=width, mp_context=context, initializer=_set_gate, initargs=(gate, started))
    try:
        running = {pool.submit(_execute_nth, n, task, settings): task for n, task in enumerate(batch)}
        index = {task: n for n, task in enumerate(batch)}
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                task = running.pop(future)
                try:
                    yield task, future.result()
                except BrokenProcessPool:
                    task.started = bool(started[index[task]])
                    yield task, None
                except Exception as error:  # its result could not come back (pickling)
                    message = f"internal error: {type(error).__name__}: {error}"
                    yield task, Outcome(task.kind, task.issue, "failed", digest=task.digest, part=task.part, message=message)
    except BaseException:  # Ctrl-C: stop the workers now, not after the tasks queued for them
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        for folder in {t.folder for t in batch}:
            _sweep(folder)
        raise
    pool.shutdown(wait=True)


def _execute_nth(n: int, task: Task, settings: BuildSettings) -> Outcome:
    """`execute` in a worker process, noting first that task n of its pool has started."""
    if _STARTED is not None:
        _STARTED[n] = 1
    return execute(task, settings)


def _run_dask(
    tasks: list[Task], settings: BuildSettings, jobs: int, scheduler: str, finished: Callable[[Task, Outcome], None]
) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise BuildError("--scheduler needs Dask: pip install 'publish[dask]'") from None
    cluster = None
    try:
        if scheduler == "local":
            with _workers_leave_ctrl_c_to_us():
                # the dashboard on a free port: another cluster may have the usual one
                cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
            client = Client(cluster)
        else:
            client = Client(scheduler, timeout=10)
    except (OSError, RuntimeError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        what = "cannot start a local Dask cluster" if scheduler == "local" else f"--scheduler {scheduler}: cannot connect"
        raise BuildError(f"{what} ({str(error).splitlines()[0]})") from None
    try:
        # Dask starts a task again on another worker when its worker is lost, up to
        # distributed.scheduler.allowed-failures times; after that it fails here, alone
        futures = {
            client.submit(
                _execute_on_dask, task, settings, pure=False, key=f"publish-{task.kind}-{task.issue}-{task.part}-{task.digest}"
            ): task
            for task in tasks
        }
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # the worker was lost too often
                outcome = Outcome(task.kind, task.issue, "failed", digest=task.digest, part=task.part,
                                  message=f"Dask worker failed: {error}")  # fmt: skip
            finished(task, outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def _workers_leave_ctrl_c_to_us() -> Iterator[None]:
    """Processes started meanwhile ignore Ctrl-C (they inherit the ignored SIGINT): the
    terminal sends it to them too, and each would print its own traceback; this process
    closes the cluster instead."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _execute_on_dask(task: Task, settings: BuildSettings) -> Outcome:
    """`execute` on a Dask worker (in a thread of the worker's)."""
    _tune_malloc()
    return execute(task, settings)


def write_index(out: Path) -> None:
    """`OUT/index.json` and `OUT/index.html`: every issue built into `out` — by this run or an
    earlier one (a nightly run adds its day to the archive) — with its PDF, previews and audio."""
    listed = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir()) if out.is_dir() else []:
        made = read_manifest(folder)
        if not made:
            continue
        entry: dict[str, Any] = {"issue": folder.name}
        for kind, name in (("pdf", "pdf"), ("feed", "audio")):
            if isinstance(made.get(kind), dict) and "files" in made[kind]:
                entry[name] = {k: v for k, v in made[kind].items() if k not in ("digest", "parts")}
                entry.setdefault("articles", made[kind].get("articles", 0))
        listed.append(entry)
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / INDEX, json.dumps({"version": __version__, "issues": listed}, ensure_ascii=False, indent=2) + "\n")
    atomic_write_text(out / "index.html", _index_html(listed))


def _index_html(issues: list[dict[str, Any]]) -> str:
    from html import escape
    from urllib.parse import quote

    rows = []
    for entry in issues:
        key = entry["issue"]
        cells = [f"<td>{escape(key)}</td>", f"<td>{entry.get('articles', '')}</td>"]
        pdf = entry.get("pdf")
        if pdf:
            first = next((f for f in pdf["files"] if f.endswith(".png")), None)
            thumb = f'<img src="{quote(key)}/{quote(first)}" height="120" alt="">' if first else ""
            pages = pdf.get("pages", 0)
            cells.append(
                f'<td><a href="{quote(key)}/{quote(key)}.pdf">PDF, {pages} page{"" if pages == 1 else "s"}</a> {thumb}</td>'
            )
        else:
            cells.append("<td></td>")
        audio = entry.get("audio")
        if audio and audio.get("articles"):
            seconds = round(audio.get("duration", 0))
            length = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            links = f'<a href="{quote(key)}/feed.xml">feed</a> · <a href="{quote(key)}/playlist.m3u8">playlist</a>'
            cells.append(f"<td>{links}, {length}</td>")
        else:
            cells.append("<td></td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>publish: issues</title></head><body>\n'
        "<table>\n<tr><th>issue</th><th>articles</th><th>pages</th><th>audio</th></tr>\n"
        + "\n".join(rows)
        + "\n</table>\n</body></html>\n"
    )


def _lexicons_digest(articles: list[Article]) -> str:
    """The paper and user lexicons the articles' inputs would be read with."""
    from .speech.text.lexicon import lexicon_files

    sources = sorted({Path(a.source.file) for a in articles if a.source and a.source.file})
    try:
        files = lexicon_files(sources)
    except PublishError:
        files = []  # the task itself reports it
    return hashlib.sha256(json.dumps([(str(f), _file_digest(f)) for f in files]).encode()).hexdigest()


def _template_digest(name: str) -> str:
    from .layout.template import find_template

    return _file_digest(find_template(name))


def _fonts_digest() -> str:
    """The fonts in use ($PUBLISH_FONTS, else the bundled ones), by content (0.1 s a build)."""
    from .typeset.fonts import FONT_DIR

    files = sorted(p for p in FONT_DIR.glob("*") if p.suffix.lower() in (".otf", ".ttf", ".ttc")) if FONT_DIR.is_dir() else []
    return hashlib.sha256(json.dumps([(p.name, _file_digest(p)) for p in files]).encode()).hexdigest()


def _file_digest(path: Path) -> str:
    """A file's sha256, read in blocks (a CJK font is 15 MB: no need to hold it)."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return ""
