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
        _finish_closing()  # no thread of an earlier pool may be alive when this one forks
        self.outer, _SHARED = _SHARED, self.shared_value  # forked workers inherit it
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        global _SHARED
        _SHARED = self.outer
        if kind is not None or getattr(self.executor, "_broken", True):
            if kind is not None:
                self.terminate()
            self.executor.shutdown(wait=True, cancel_futures=True)  # every worker gone
            return
        # success: the workers are idle and exit while this process goes on (waiting cost a PDF
        # 7 ms); the next pool, or the interpreter's exit, waits for the thread that reaps them
        closing = getattr(self.executor, "_executor_manager_thread", None)
        self.executor.shutdown(wait=closing is None)
        if closing is not None:
            _CLOSING.append(closing)

    def start(self) -> None:
        """Make the workers now (a fork pool makes all of them at its first task)."""
        self.executor.submit(_nothing).result()

    def submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        return self.executor.submit(fn, *args)

    def processes(self) -> list[Any]:
        """The worker processes (multiprocessing.Process) started so far."""
        return list((getattr(self.executor, "_processes", None) or {}).values())

    def terminate(self) -> None:
        """Stop every worker now; their running and queued work is lost."""
        for process in self.processes():
            process.terminate()

    @staticmethod
    def shared() -> Any:
        """In a forked worker: the pool's `shared` value."""
        return _SHARED


_SHARED: Any = None
_CLOSING: list[Any] = []  # the threads of pools done with, still reaping their exiting workers


def _finish_closing() -> None:
    while _CLOSING:
        _CLOSING.pop().join()


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
    worker that dies is a PublishError. In a daemonic process (a worker of multiprocessing's
    or Celery's, which may have no children) every item runs here, in order."""
    import multiprocessing

    if len(items) <= 1 or not hasattr(os, "fork") or multiprocessing.current_process().daemon:
        results = []
        for index, item in enumerate(items):
            results.append(fn(item))
            if on_result:
                on_result(index, results[-1])
        return results
    # each worker waits for the others before its item, so that no worker takes two items
    together = multiprocessing.get_context("fork").Barrier(len(items) - 1)
    with WorkerPool(len(items) - 1, shared=(fn, items, together)) as pool:
        futures = [pool.submit(_call_shared, index) for index in range(1, len(items))]
        workers = pool.processes()
        results = [fn(items[0])]
        if on_result:
            on_result(0, results[0])
        for index, future in enumerate(futures, 1):
            try:
                results.append(future.result())
            except BrokenProcessPool:
                raise PublishError(f"a worker process died ({_how_ended(workers)}) before returning its results") from None
            if on_result:
                on_result(index, results[-1])
        return results


def _how_ended(processes: list[Any]) -> str:
    """How the workers that are gone ended: `killed by signal 9`, `exit status 3`."""
    import time

    for process in processes:
        code = None
        for _ in range(100):  # the pool's own thread may be reaping it: its status comes a moment later
            code = process.exitcode
            if code is not None:
                break
            time.sleep(0.01)
        if code:
            return f"killed by signal {-code}" if code < 0 else f"exit status {code}"
    return "its status unknown"


def _call_shared(index: int) -> Any:
    import threading

    fn, items, together = WorkerPool.shared()
    with contextlib.suppress(threading.BrokenBarrierError):  # a worker died before it came: go on
        together.wait(timeout=BARRIER_SECONDS)
    return fn(items[index])


BARRIER_SECONDS = 10.0
