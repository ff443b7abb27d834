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
import itertools
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
    returns once they are gone. When this process is killed (SIGKILL, the OOM killer) the
    workers see it within a second and exit (`exit_when_orphaned`)."""

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
            initargs=(initializer, initargs, os.getpid()),
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
        with _interrupts_held():  # a submit may start workers
            return self.executor.submit(_run, fn, *args)

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


def _join_before_exit() -> None:
    """Join the reaping threads at exit before concurrent.futures' own hook runs: that hook wakes
    each of them through a pipe the thread may be closing that instant, and Python 3.11 then
    prints an OSError traceback as the process exits (threading's exit hooks run in reverse
    order of registration, and concurrent.futures.process registered its hook on import)."""
    import threading

    register = getattr(threading, "_register_atexit", None)
    if register is not None:
        register(_finish_closing)


_join_before_exit()


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while workers start: the terminal sends it to them too, and one that
    came between a worker's fork and its ignoring Ctrl-C would end it with a traceback. Here it
    arrives, as before, when the block ends; a worker starts with it held and drops it."""
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held while it started (a pending one is dropped)
    exit_when_orphaned(parent)
    if initializer is not None:
        initializer(*initargs)


WATCH_SECONDS = 0.5  # how often a worker looks whether the process that started it is still there
ORPHAN_GRACE = 3.0  # seconds an orphaned worker has to stop its work (removing temporary files) before it exits anyway
EXIT_ORPHANED = 75
_STOP = getattr(signal, "SIGUSR2", None)  # what the watch sends the main thread (it does nothing else in a worker)
_ORPHANED: list[int] = []  # in a worker: the parent it lost, once it is gone
_STOPPED: list[int] = []  # in a worker: the main thread was stopped for it


def exit_when_orphaned(parent: int) -> None:
    """In a worker process: exit once `parent`, the process that started it, is gone (killed by
    SIGKILL, a cron timeout, the OOM killer) instead of waiting for work that never comes.

    A thread looks every WATCH_SECONDS; the task in hand is stopped by SystemExit in the main
    thread, so what it was writing is removed on the way out (atomic writes, scratch folders),
    and no other task starts; after ORPHAN_GRACE the process exits whatever it is doing."""
    import threading

    if _STOP is not None and threading.current_thread() is threading.main_thread():
        signal.signal(_STOP, _stop_if_orphaned)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="publish-orphan-watch").start()


def _parent_gone(parent: int) -> bool:
    if os.name == "posix":
        return os.getppid() != parent  # an orphan is adopted by init or a subreaper
    import multiprocessing

    process = multiprocessing.parent_process()
    return process is not None and not process.is_alive()


def _stop_if_orphaned(signum: int, frame: Any) -> None:
    """The main thread's stop: SystemExit, once (a second would cut the clean-up short)."""
    if _ORPHANED and not _STOPPED:
        _STOPPED.append(signum)
        raise SystemExit(EXIT_ORPHANED)


def _watch_parent(parent: int) -> None:
    import threading
    import time

    while not _parent_gone(parent):
        time.sleep(WATCH_SECONDS)
    _ORPHANED.append(parent)
    if _STOP is not None and hasattr(signal, "pthread_kill"):
        # to the main thread: it wakes from a blocking call and unwinds (SystemExit)
        signal.pthread_kill(threading.main_thread().ident or 0, _STOP)
        time.sleep(ORPHAN_GRACE)
    os._exit(EXIT_ORPHANED)


def _run(fn: Callable[..., R], *args: Any) -> R:
    """A task in a worker; none starts once the worker is orphaned, and one stopped for it ends
    the process as soon as it has unwound (else the worker would take the next task queued)."""
    if _ORPHANED:
        os._exit(EXIT_ORPHANED)
    try:
        return fn(*args)
    except SystemExit:
        if _ORPHANED:
            os._exit(EXIT_ORPHANED)
        raise


def _nothing() -> None:
    return None


def fork_map(fn: Callable[[T], R], items: Sequence[T], on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """[fn(item) for item in items], the first item in this process and each other in a forked
    worker (`fn` may be a closure: nothing but results is pickled). `on_result(index, result)`
    is called in item order as results arrive. An exception in a worker is raised here; a
    worker that dies is a PublishError. In a daemonic process (a worker of multiprocessing's
    or Celery's, which may have no children) and off the main thread every item runs here, in
    order."""
    if not items:
        return []
    results: list[R] = []
    with forked(fn, items[1:], len(items) - 1) as later:
        for index, result in enumerate(itertools.chain([fn(items[0])], later)):
            results.append(result)
            if on_result:
                on_result(index, result)
    return results


@contextmanager
def forked(fn: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[Iterator[R]]:
    """`fn(item)` for each item on up to `workers` forked workers, started as the block begins
    (this process does its own part meanwhile); the block gets their results, in item order,
    each as it arrives. With a worker for each item, each takes one; with fewer, the next
    free worker takes the next item. An exception in a worker is raised where its result is
    taken; a worker that dies is a PublishError. Where there is no fork, in a daemonic process
    and off the main thread (`_may_fork`), each item runs here as its result is taken."""
    import multiprocessing
    import threading

    if not items or workers < 1 or not _may_fork():
        yield (fn(item) for item in items)
        return
    workers = min(workers, len(items))
    # each worker waits for the others, and this process, before its first item: no worker takes
    # two of the first items, and this process, idle meanwhile, hands them out at once (its threads
    # feed the workers, and they would otherwise wait for its interpreter lock, 5 ms a turn)
    together = multiprocessing.get_context("fork").Barrier(workers + 1)
    with WorkerPool(workers, shared=(fn, items, together)) as pool, quick_turns():
        futures = [pool.submit(_call_shared, index) for index in range(len(items))]
        with contextlib.suppress(threading.BrokenBarrierError):  # a worker died before it came: go on
            together.wait(timeout=BARRIER_SECONDS)
        yield _results(futures, pool.processes())


def _may_fork() -> bool:
    """Fork only from the main thread of a process that may have children: a daemonic worker
    (multiprocessing's, Celery's) may not, and a fork from another thread (a thread pool, Dask's
    workers) copies locks other threads hold, and two threads' pools would share one handover."""
    import multiprocessing
    import threading

    return (
        hasattr(os, "fork")
        and not multiprocessing.current_process().daemon
        and threading.current_thread() is threading.main_thread()
    )


SWITCH_SECONDS = 0.0002  # how long this process's thread keeps the interpreter lock while the pool's want it


@contextmanager
def quick_turns() -> Iterator[None]:
    """Inside the block, threads waiting for the interpreter lock get it 25 times as often as
    Python's 5 ms: a pool's threads read the workers' results (64 KB a turn) and hand out items,
    a packer's thread takes the next stream to compress. With the default a worker waited for
    this process to read a page's lines, and this process for them."""
    import sys
    import threading

    if threading.current_thread() is not threading.main_thread():  # the setting is the process's: its main thread's
        yield
        return
    before = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_SECONDS)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def _results(futures: list[Future], workers: list[Any]) -> Iterator[Any]:
    for future in futures:
        try:
            yield future.result()
        except BrokenProcessPool:
            raise PublishError(f"a worker process died ({_how_ended(workers)}) before returning its results") from None


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
    if index < together.parties - 1:
        with contextlib.suppress(threading.BrokenBarrierError):  # a worker died before it came: go on
            together.wait(timeout=BARRIER_SECONDS)
    return fn(items[index])


BARRIER_SECONDS = 10.0
