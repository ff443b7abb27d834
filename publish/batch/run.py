"""`build()`: plan a batch, run what is not up to date, record each finished task, write the
index. An issue's feed is made here, in this process, as soon as all its articles are done."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..article import Article
from ..config import BuildSettings, Workers
from ..errors import BuildError
from ..fsutil import output_folder
from ..wording import plural
from .index import write_index
from .plan import Task, plan
from .records import MANIFEST, read_manifest, record, recorded, up_to_date
from .sweep import sweep, sweep_files
from .tasks import Outcome, execute


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


def build(
    articles: list[Article],
    out: Path,
    settings: BuildSettings,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    force: bool = False,
    prune: bool = False,
    on_plan: Any = None,
    on_done: Any = None,
) -> BuildReport:
    """Build every issue of `articles` under `out`; skip what is up to date (unless `force`).

    `scheduler` None: `jobs` worker processes on this machine (1: in this process); "local": a
    Dask LocalCluster of `jobs` workers; "tcp://host:8786": that Dask scheduler (the workers must
    share `out` and the clip cache). `prune`: remove issue folders an earlier build made that
    these articles no longer give (by default a nightly run keeps the archive). `on_plan(tasks,
    todo, notes)` is called once the plan is made, `on_done(outcome)` as each task finishes."""
    started = time.perf_counter()
    workers = Workers(jobs, scheduler)
    _check_writable(out)
    sweep_files(out)  # a killed build's own half-written build.json or index
    run = _Run(plan(articles, out, settings), settings, force, on_done)
    if prune:
        run.notes += _prune(out, {t.folder.name for t in run.tasks})
    if on_plan:
        on_plan(run.tasks, run.todo, run.notes)
    run.execute(workers)
    try:
        write_index(out, html=not settings.web)  # web: the site's home is index.html (web.site)
    except OSError as error:
        raise BuildError(f"cannot write the index: {error.strerror or error}", file=error.filename or out) from None
    if settings.web:
        from ..web.site import write_site

        try:
            run.notes += write_site(out, run.settings)
        except OSError as error:
            raise BuildError(f"cannot write the web edition: {error.strerror or error}", file=error.filename or out) from None
    return BuildReport(run.sorted_outcomes(), time.perf_counter() - started, len(run.manifests), run.notes)


class _Run:
    """One build's state: its tasks, what is to do, the issues' manifests, the outcomes so far,
    and the feeds waiting for their articles."""

    def __init__(self, tasks: list[Task], settings: BuildSettings, force: bool, on_done: Any):
        self.tasks, self.force, self.on_done = tasks, force, on_done
        self.notes: list[str] = []
        self.manifests = {folder: read_manifest(folder) for folder in sorted({t.folder for t in tasks})}
        for folder in self.manifests:
            sweep(folder)
        self.settings, self.todo = self._to_do(settings)
        doing = set(self.todo)
        self.outcomes = [Outcome(t.kind, t.issue, "skipped", digest=t.digest, part=t.part) for t in tasks if t not in doing]
        self.feeds = {t.issue: t for t in self.todo if t.kind == "feed"}
        articles = Counter(t.issue for t in self.todo if t.kind == "audio")
        self.waiting = {issue: articles[issue] for issue in self.feeds}

    def _to_do(self, settings: BuildSettings) -> tuple[BuildSettings, list[Task]]:
        """The tasks not up to date (all with `force`), with the engine `auto` settles on."""
        todo = [t for t in self.tasks if t.kind != "feed" and (self.force or not self._current(t))]
        settings, retried = _choose_engine(self.tasks, todo, self.manifests, settings, self.notes)
        todo += retried
        redo = {t.issue for t in todo if t.kind == "audio"}
        todo += [t for t in self.tasks if t.kind == "feed" and (self.force or t.issue in redo or not self._current(t))]
        todo.sort(key=lambda t: t.order)
        for task in todo:
            task.fresh = self.force
        return settings, todo

    def _current(self, task: Task) -> bool:
        return up_to_date(task.kind, task.part, task.digest, task.folder, self.manifests[task.folder])

    def execute(self, workers: Workers) -> None:
        """Feeds whose articles are all up to date first, then the work, where `workers` say."""
        from .workers import run_dask, run_processes

        for issue in [i for i, n in self.waiting.items() if n == 0]:
            feed = self.feeds.pop(issue)
            self.finished(feed, execute(feed, self.settings))
        work = [t for t in self.todo if t.kind != "feed"]
        if not work:
            return
        jobs = workers.jobs or 1
        if workers.scheduler:
            run_dask(work, self.settings, jobs, workers.scheduler, self.finished)
        elif jobs > 1 and len(work) > 1:
            run_processes(work, self.settings, jobs, self.finished)
        else:
            for task in work:
                self.finished(task, execute(task, self.settings))

    def finished(self, task: Task, outcome: Outcome) -> None:
        """Record a finished task, report it, and make its issue's feed once its articles are done."""
        if outcome.status == "built":
            entry = {"digest": outcome.digest, "files": outcome.files, **outcome.detail}
            try:
                record(task.folder, task.kind, task.part, entry, self.manifests[task.folder])
            except OSError as error:
                why = f"{error.filename or task.folder / MANIFEST}: cannot record it: {error.strerror or error}"
                outcome = Outcome.failure(task, why, outcome.seconds)
        self.outcomes.append(outcome)
        if self.on_done:
            self.on_done(outcome)
        if task.kind == "audio":
            self.waiting[task.issue] -= 1
            if outcome.status == "failed" and task.issue in self.feeds:
                self.feeds[task.issue].failed += (task.part,)
        if task.kind != "feed" and task.issue in self.feeds and self.waiting[task.issue] == 0:
            feed = self.feeds.pop(task.issue)  # every article of the issue is done: its feed, here
            self.finished(feed, execute(feed, self.settings))

    def sorted_outcomes(self) -> list[Outcome]:
        order = {(t.issue, t.kind, t.part): t.order for t in self.tasks}
        return sorted(self.outcomes, key=lambda o: order[(o.issue, o.kind, o.part)])


def _check_writable(out: Path) -> None:
    """Make the output folder (marked as publish's: a build reading a folder above it skips it)."""
    try:
        output_folder(out)
        probe = out / ".publish-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise BuildError(f"cannot write the output folder: {error.strerror or error}", file=out) from None


def _choose_engine(
    tasks: list[Task], todo: list[Task], manifests: dict[Path, dict[str, Any]], settings: BuildSettings, notes: list[str]
) -> tuple[BuildSettings, list[Task]]:
    """Settle `auto` once for the whole run: edge-tts when it answers, else the offline engine.
    Articles an earlier `auto` run read offline are redone once edge answers again; until then
    they count as up to date (and a note says how many)."""
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
    from ..speech.sound.synth import edge_unavailable

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
    return plural(count, "article")


def _prune(out: Path, keep: set[str]) -> list[str]:
    """Remove issue folders an earlier build made (they have a build.json) that are not in `keep`."""
    import shutil

    gone = [p for p in sorted(out.iterdir()) if p.is_dir() and p.name not in keep and (p / MANIFEST).is_file()]
    for folder in gone:
        try:
            shutil.rmtree(folder)
        except OSError as error:
            raise BuildError(f"--prune: cannot remove it: {error.strerror or error}", file=error.filename or folder) from None
    names = ", ".join(p.name for p in gone)
    return [f"pruned {plural(len(gone), 'issue folder')} no longer given by the inputs: {names}"] if gone else []
