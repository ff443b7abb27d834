"""How a job uses the machine: its cores and the garbage collector.

`WorkerPool` is publish's one mechanism for worker processes: composing and drawing pages
(`fork_map`), making audio files while synthesis goes on, and the tasks of a batch build.
Forked workers share what this process already loaded — parsed articles, font tables — for
free, so a 2-core laptop sets a broadsheet issue in about half the time; spawned ones start
clean (no inherited threads or locks). Where there is no fork, or one core, everything runs in
this process in order: results are the same either way.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, Literal, TypeVar

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


class WorkerPool:
    """Worker processes, used as a context: `submit(fn, *args)` gives a Future.

    `method` "fork": workers are copies of this process, made when the pool starts (start it
    before any thread does: `start()`); `shared` is theirs without pickling (`shared()` in a
    worker). "spawn": fresh interpreters; `fn` and its arguments are pickled. Workers ignore
    Ctrl-C (the terminal sends it to them too) and leave it to this process: leaving the block
    by an exception terminates them at once instead of after the work queued for them, and
    returns once they are gone."""

    def __init__(
        self,
        workers: int,
        *,
        method: Literal["fork", "spawn"] = "fork",
        shared: Any = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple = (),
    ):
        import multiprocessing

        self.shared_value = shared
        self.outer: Any = None
        self.executor = ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=multiprocessing.get_context(method),
            initializer=_start_worker,
            initargs=(initializer, initargs),
        )

    def __enter__(self) -> WorkerPool:
        global _SHARED
        self.outer, _SHARED = _SHARED, self.shared_value  # forked workers inherit it
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        global _SHARED
        if kind is not None:
            self.terminate()
        # after an error or a worker's death, wait until every worker is gone (the caller may
        # then clean up after them); after success they are idle and exit on their own while
        # this process goes on (waiting cost a PDF 7 ms)
        broken = getattr(self.executor, "_broken", True)
        self.executor.shutdown(wait=kind is not None or bool(broken), cancel_futures=True)
        _SHARED = self.outer

    def start(self) -> None:
        """Make the workers now (a fork pool makes all of them at its first task)."""
        self.executor.submit(_nothing).result()

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        return self.executor.submit(fn, *args)

    def terminate(self) -> None:
        """Stop every worker now; their running and queued work is lost."""
        for process in list((getattr(self.executor, "_processes", None) or {}).values()):
            process.terminate()

    @staticmethod
    def shared() -> Any:
        """In a forked worker: the pool's `shared` value."""
        return _SHARED


_SHARED: Any = None


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


def _nothing() -> None:
    return None


def fork_map(fn: Callable[[T], R], items: Sequence[T], on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """[fn(item) for item in items], the first item in this process and each other in a forked
    worker (`fn` may be a closure: nothing but results is pickled). `on_result(index, result)`
    is called in item order as results arrive. An exception in a worker is raised here; a
    worker that dies is a PublishError."""
    if len(items) <= 1 or not hasattr(os, "fork"):
        results = []
        for index, item in enumerate(items):
            results.append(fn(item))
            if on_result:
                on_result(index, results[-1])
        return results
    import multiprocessing

    # each worker waits for the others before its item, so that no worker takes two items
    together = multiprocessing.get_context("fork").Barrier(len(items) - 1)
    with WorkerPool(len(items) - 1, shared=(fn, items, together)) as pool:
        futures = [pool.submit(_call_shared, index) for index in range(1, len(items))]
        results = [fn(items[0])]
        if on_result:
            on_result(0, results[0])
        for index, future in enumerate(futures, 1):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                raise PublishError("a worker process died before returning its results") from None
            if on_result:
                on_result(index, results[-1])
        return results


def _call_shared(index: int) -> Any:
    import threading

    fn, items, together = WorkerPool.shared()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker died before it came: go on
        together.wait(timeout=BARRIER_SECONDS)
    return fn(items[index])


BARRIER_SECONDS = 10.0
