"""How a job uses the machine: its cores (forked children, results back by pickle) and the
garbage collector (paused while a job builds its many small, acyclic objects).

Forking (where the OS has it) shares what the parent already loaded — parsed articles, font
tables — for free, so a 2-core laptop sets a broadsheet issue in about half the time. Where
there is no fork, or one core, everything runs in this process in order: results are the
same either way.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from .errors import PublishError

T = TypeVar("T")
R = TypeVar("R")


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after). Composing a page makes
    hundreds of thousands of tuples and floats, none of them in cycles; the collector's passes
    over them cost a sixth of the run."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def available_cores() -> int:
    """Cores this process may use (its CPU affinity where the OS tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """`PUBLISH_JOBS` if set (1 turns forking off), else the cores available."""
    setting = os.environ.get("PUBLISH_JOBS", "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    return available_cores()


def fork_map(fn: Callable[[T], R], items: Sequence[T], on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """[fn(item) for item in items], the first item in this process and each other in a forked
    child. `on_result(index, result)` is called in item order as results arrive. An exception
    in a child is raised here; a child that dies is a PublishError."""
    if len(items) <= 1 or not hasattr(os, "fork"):
        results = []
        for index, item in enumerate(items):
            results.append(fn(item))
            if on_result:
                on_result(index, results[-1])
        return results
    children: list[tuple[int, int]] = []
    try:
        for item in items[1:]:
            children.append(_spawn(fn, item))
        results = [fn(items[0])]
        if on_result:
            on_result(0, results[0])
        while children:
            pid, fd = children.pop(0)
            results.append(_collect(pid, fd))
            if on_result:
                on_result(len(results) - 1, results[-1])
        return results
    finally:
        for pid, fd in children:  # only left after an error here: stop the rest
            os.close(fd)
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _spawn(fn: Callable[[T], R], item: T) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)
    status = 0
    try:
        try:
            payload = pickle.dumps((True, fn(item)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:
            try:
                payload = pickle.dumps((False, error), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                payload = pickle.dumps((False, PublishError(f"{type(error).__name__}: {error}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _collect(pid: int, fd: int) -> Any:
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise PublishError(f"a worker process died (status {status}) before returning its results")
    ok, value = pickle.loads(data)
    if not ok:
        raise value
    return value
