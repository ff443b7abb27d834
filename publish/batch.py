"""Batch publication: articles → per issue a PDF with previews and an audio edition, redone only
where something changed, in parallel processes or on a Dask cluster.

    plan()     issues and their tasks (pdf per issue, audio per issue), each with a content digest
    execute()  one task, in whatever process or worker runs it: never raises, returns an Outcome
    build()    runs the tasks that are not up to date, records each finished one, writes the index

A task is up to date when `OUT/<issue>/build.json` records its digest and its files exist. The
digest covers the articles' content, the template, the fonts, the settings and the version, so
a re-run redoes only what changed. Every file is written atomically and a task is recorded only
after its files are in place: a run killed at any point (even kill -9) leaves whole files, and
the next run finishes the rest.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from . import __version__
from .article import Article
from .errors import PublishError
from .fsutil import atomic_write_text
from .layout.issue import IssueFacts, group_issues

MANIFEST = "build.json"
VOLATILE = {"synthesised"}  # reported, not recorded: it depends on the cache, not the input
INDEX = "index.json"
FONTS = Path(__file__).resolve().parents[1] / "fonts"


class BuildError(PublishError):
    """A batch that cannot start: a bad scheduler address, Dask missing, an unwritable output."""


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

    def digest_part(self, kind: str) -> dict[str, Any]:
        """The settings a task of `kind` depends on."""
        if kind == "pdf":
            return {"template": self.template, "facts": asdict(self.facts) if self.facts else None, "previews": self.previews,
                    "dpi": self.preview_dpi}  # fmt: skip
        return {"engine": self.engine, "voice": self.voice, "lexicons": [_file_digest(Path(p)) for p in self.lexicons]}


@dataclass
class Task:
    """One unit of work: an issue's PDF or its audio edition."""

    kind: str  # pdf | audio
    issue: str  # the issue key, paper-date
    articles: list[Article]
    digest: str
    folder: Path  # OUT/<issue>

    @property
    def name(self) -> str:
        return f"{self.issue} {self.kind}"


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
    detail: dict[str, Any] = field(default_factory=dict)  # pages, articles, duration …


@dataclass
class BuildReport:
    outcomes: list[Outcome]
    seconds: float
    issues: int

    def count(self, status: str, kind: str | None = None) -> int:
        return sum(1 for o in self.outcomes if o.status == status and (kind is None or o.kind == kind))

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


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
    "output": str,
}


def build_config(path: Path | None) -> dict[str, Any]:
    """The [build] table of a `publish.toml`, checked ({} without one)."""
    from .fsutil import read_toml
    from .layout.issue import ConfigError

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
    """The tasks of a build: per issue (paper and date) its PDF and its audio edition."""
    template = _template_digest(settings.template) if settings.pdf else ""
    fonts = _fonts_digest() if settings.pdf else ""
    tasks = []
    seen: dict[str, int] = {}
    for issue in group_issues(articles, settings.facts):
        key = issue.key
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two papers under one name (publish.toml's) on one date: keep both
            key = f"{key}-{seen[key]}"
        content = _articles_digest(issue.articles)
        kinds = [k for k, wanted in (("pdf", settings.pdf), ("audio", settings.audio)) if wanted]
        for kind in kinds:
            parts = {"version": __version__, "articles": content, "settings": settings.digest_part(kind)}
            if kind == "pdf":
                logo = settings.facts.logo if settings.facts else None
                parts |= {"template": template, "fonts": fonts, "logo": _file_digest(Path(logo)) if logo else ""}
            else:
                parts |= {"lexicons": _lexicons_digest(issue.articles)}
            digest = hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
            tasks.append(Task(kind, key, issue.articles, digest, out / key))
    return tasks


def up_to_date(task: Task) -> bool:
    """Whether the issue's manifest records this task's digest and its files are all there."""
    record = read_manifest(task.folder).get(task.kind)
    if not record or record.get("digest") != task.digest:
        return False
    return all((task.folder / name).is_file() for name in record.get("files", []))


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record(folder: Path, outcome: Outcome) -> None:
    """Note a finished task in the issue's manifest (after its files are in place)."""
    data = read_manifest(folder)
    kept = {k: v for k, v in outcome.detail.items() if k not in VOLATILE}  # no times: same input, same file
    data[outcome.kind] = {"digest": outcome.digest, "files": outcome.files, **kept}
    atomic_write_text(folder / MANIFEST, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def execute(task: Task, settings: BuildSettings) -> Outcome:
    """Run one task; any failure becomes a failed Outcome with a one-line reason."""
    started = time.perf_counter()
    try:
        task.folder.mkdir(parents=True, exist_ok=True)
        files, detail = (_make_pdf if task.kind == "pdf" else _make_audio)(task, settings)
    except PublishError as error:
        return Outcome(task.kind, task.issue, "failed", time.perf_counter() - started, task.digest, message=str(error))
    except OSError as error:
        message = f"{error.filename or task.folder}: {error.strerror or error}"
        return Outcome(task.kind, task.issue, "failed", time.perf_counter() - started, task.digest, message=message)
    except Exception as error:  # a bug, not the user's mistake: keep the batch going, say where
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = f"internal error {type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})"
        return Outcome(task.kind, task.issue, "failed", time.perf_counter() - started, task.digest, message=message)
    return Outcome(task.kind, task.issue, "built", time.perf_counter() - started, task.digest, files, detail=detail)


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


def _make_audio(task: Task, settings: BuildSettings) -> tuple[list[str], dict[str, Any]]:
    from .speech.build import audio_editions
    from .speech.cache import default_cache_dir

    run = audio_editions(
        task.articles,
        task.folder.parent,
        engine=settings.engine,
        voice=settings.voice,
        jobs=settings.edge_requests,
        cache=Path(settings.cache) if settings.cache else default_cache_dir(),
        processes=1,
        lexicons=[Path(p) for p in settings.lexicons],
        facts=settings.facts,
        shared_gate=_edge_gate(settings),
    )
    (issue,) = run.issues
    folder = task.folder
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and _is_audio_file(p, folder))
    detail = {
        "articles": len(issue.articles),
        "duration": round(issue.duration, 1),
        "engine": run.synthesis.engine,
        "synthesised": len(run.synthesis.synthesised),
    }
    return files, detail


_GATE: Any = None  # a worker process's share of the run's limit on edge-tts requests


def _set_gate(gate: Any) -> None:
    global _GATE
    _GATE = gate


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
    return Semaphore(max_leases=settings.edge_requests, name=f"publish-edge-{settings.edge_requests}")


def _is_audio_file(path: Path, folder: Path) -> bool:
    """An audio edition's file: inside an article folder (NN or NN-<id>), or the issue's feed,
    playlist and manifest (not the PDF or previews, even of a paper named 21世纪…)."""
    relative = path.relative_to(folder)
    if len(relative.parts) > 1:
        return re.fullmatch(r"\d\d(-[A-Za-z0-9._-]+)?", relative.parts[0]) is not None
    return relative.name in ("feed.xml", "playlist.m3u8", "manifest.json")


def build(
    articles: list[Article],
    out: Path,
    settings: BuildSettings,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    on_plan: Callable[[int, int], None] | None = None,
    on_done: Callable[[Outcome], None] | None = None,
) -> BuildReport:
    """Build every issue of `articles` under `out`; skip what is up to date (unless `force`).

    `scheduler` None: `jobs` worker processes on this machine (1: in this process); "local": a
    Dask LocalCluster of `jobs` workers; "tcp://host:8786": that Dask scheduler (the workers must
    share `out` and the clip cache)."""
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
    for folder in {t.folder for t in tasks}:
        _sweep(folder)
    todo = [t for t in tasks if force or not up_to_date(t)]
    outcomes = [Outcome(t.kind, t.issue, "skipped", digest=t.digest) for t in tasks if t not in todo]
    if on_plan:
        on_plan(len(tasks), len(todo))

    def finished(task: Task, outcome: Outcome) -> None:
        if outcome.status == "built":
            record(task.folder, outcome)
        outcomes.append(outcome)
        if on_done:
            on_done(outcome)

    if todo:
        if scheduler:
            _run_dask(todo, settings, jobs, scheduler, finished)
        elif jobs > 1 and len(todo) > 1:
            _run_processes(todo, settings, jobs, finished)
        else:
            for task in todo:
                finished(task, execute(task, settings))
    try:
        write_index(out)
    except OSError as error:
        raise BuildError(f"cannot write the index: {error.strerror or error}", file=error.filename or out) from None
    order = {(t.issue, t.kind): n for n, t in enumerate(tasks)}
    outcomes.sort(key=lambda o: order[(o.issue, o.kind)])
    return BuildReport(outcomes, time.perf_counter() - started, len({t.issue for t in tasks}))


def _sweep(folder: Path) -> None:
    """What a killed run left half-made: temporary files and scratch folders (never outputs)."""
    import shutil

    if not folder.is_dir():
        return
    for entry in folder.rglob(".*"):
        if entry.is_file() and entry.name.endswith(".tmp"):
            entry.unlink(missing_ok=True)
        elif entry.is_dir() and entry.name.startswith(".publish-"):
            shutil.rmtree(entry, ignore_errors=True)


def _run_processes(tasks: list[Task], settings: BuildSettings, jobs: int, finished: Callable[[Task, Outcome], None]) -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")  # no inherited threads or locks
    gate = context.BoundedSemaphore(settings.edge_requests)  # edge-tts requests at once, all workers together
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(tasks)), mp_context=context, initializer=_set_gate, initargs=(gate,)
    ) as pool:
        running = {pool.submit(execute, task, settings): task for task in tasks}
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                task = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as error:  # the worker died (out of memory, killed)
                    outcome = Outcome(
                        task.kind, task.issue, "failed", digest=task.digest, message=f"worker process died: {error}"
                    )
                finished(task, outcome)


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
        futures = {client.submit(execute, task, settings, pure=False, key=f"publish-{task.kind}-{task.issue}-{task.digest}"): task
                   for task in tasks}  # fmt: skip
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # the worker was lost
                outcome = Outcome(task.kind, task.issue, "failed", digest=task.digest, message=f"Dask worker failed: {error}")
            finished(task, outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def write_index(out: Path) -> None:
    """`OUT/index.json` and `OUT/index.html`: every issue built into `out` — by this run or an
    earlier one (a nightly run adds its day to the archive) — with its PDF, previews and audio."""
    listed = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir()) if out.is_dir() else []:
        made = read_manifest(folder)
        if not made:
            continue
        entry: dict[str, Any] = {"issue": folder.name}
        for kind in ("pdf", "audio"):
            if isinstance(made.get(kind), dict):
                entry[kind] = {k: v for k, v in made[kind].items() if k != "digest"}
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
            cells.append(f'<td><a href="{quote(key)}/{quote(key)}.pdf">PDF, {pdf.get("pages", "?")} pages</a> {thumb}</td>')
        else:
            cells.append("<td></td>")
        audio = entry.get("audio")
        cells.append(
            f'<td><a href="{quote(key)}/feed.xml">feed</a> · <a href="{quote(key)}/playlist.m3u8">playlist</a></td>'
            if audio
            else "<td></td>"
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>publish: issues</title></head><body>\n'
        "<table>\n<tr><th>issue</th><th>articles</th><th>pages</th><th>audio</th></tr>\n"
        + "\n".join(rows)
        + "\n</table>\n</body></html>\n"
    )


def _articles_digest(articles: list[Article]) -> str:
    """The articles' content, as the stages read it (where it was read from aside)."""
    parts = []
    for article in articles:
        data = article.to_dict()
        data.pop("source", None)
        parts.append(data)
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _lexicons_digest(articles: list[Article]) -> str:
    """The paper and user lexicons the articles' inputs would be read with."""
    from .speech.lexicon import lexicon_files

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
    manifest = FONTS / "manifest.json"
    sizes = sorted((p.name, p.stat().st_size) for p in FONTS.glob("*.[ot]tf")) if FONTS.is_dir() else []
    return hashlib.sha256((_file_digest(manifest) + json.dumps(sizes)).encode()).hexdigest()


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
