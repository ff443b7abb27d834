"""Where a build's tasks run: worker processes on this machine (`run_processes`) or a Dask
cluster (`run_dask`). Either way each finished task is handed to `finished(task, outcome)` in
this process, as it finishes."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, wait
from typing import Any

from ..config import BuildSettings
from ..errors import BuildError
from ..runtime import WorkerPool
from .plan import Task
from .sweep import sweep
from .tasks import Outcome, execute_nth, execute_on_dask, join_run

RETRIES = 2  # times a task is started again after the worker process running it died

Finished = Callable[[Task, Outcome], None]


def run_processes(tasks: list[Task], settings: BuildSettings, jobs: int, finished: Finished) -> None:
    """The tasks in `jobs` spawned worker processes.

    A worker that dies (killed, out of memory) takes its pool down with every task in it. The
    tasks that had not started go to a new pool as they were; those that were running are
    suspects, and each runs alone in a pool of one, up to RETRIES more times: so a task that
    kills its worker fails alone, and the others are not charged for it."""
    pending, suspects = list(tasks), list[Task]()
    tries = dict.fromkeys(tasks, 0)
    idle_deaths = 0  # pools that died with no task running (a worker killed while it waited)
    while pending or suspects:
        if suspects:
            batch, width = [suspects.pop(0)], 1
        else:
            batch, width, pending = pending, min(jobs, len(pending)), []
        lost = []
        for task, outcome in _pool_round(batch, settings, width):
            if outcome is not None:
                finished(task, outcome)
            elif width > 1 and not task.started:
                lost.append(task)  # never began: not its fault
            else:  # it was running when the pool died; alone, it is the one that killed it
                tries[task] += 1
                if tries[task] <= RETRIES:
                    suspects.append(task)
                else:
                    why = f"a worker process died running it, {tries[task]} times (out of memory? killed?)"
                    finished(task, Outcome.failure(task, why))
        idle_deaths = idle_deaths + 1 if lost and len(lost) == len(batch) else 0
        if idle_deaths > RETRIES:
            for task in lost:
                finished(
                    task,
                    Outcome.failure(task, "the worker processes keep dying before they start any task (out of memory? killed?)"),
                )
        else:
            pending += lost
        for folder in {t.folder for t in batch}:
            sweep(folder)  # what the dead workers left half-made (no worker of that pool is left)
        pending.sort(key=lambda t: t.order)


def _pool_round(batch: list[Task], settings: BuildSettings, width: int) -> Iterator[tuple[Task, Outcome | None]]:
    """Run `batch` in a new pool of `width` workers: each task with its Outcome as it finishes,
    or with None when the pool died first (then `task.started` says whether it had begun)."""
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")  # no inherited threads or locks
    gate = context.BoundedSemaphore(settings.edge_requests)  # edge-tts requests at once, all workers together;
    # new with each pool: a dead worker may have died holding a slot
    started = context.Array("b", len(batch), lock=False)  # set by a worker as it starts task i
    try:
        with WorkerPool(width, method="spawn", initializer=join_run, initargs=(gate, started)) as pool:
            running = {pool.submit(execute_nth, n, task, settings): task for n, task in enumerate(batch)}
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
                        yield task, Outcome.failure(task, f"internal error: {type(error).__name__}: {error}")
    except BaseException:  # Ctrl-C: the workers are stopped now; sweep what they half-made
        for folder in {t.folder for t in batch}:
            sweep(folder)
        raise


def run_dask(tasks: list[Task], settings: BuildSettings, jobs: int, scheduler: str, finished: Finished) -> None:
    """The tasks on Dask: a LocalCluster of `jobs` workers ("local"), or the scheduler at that
    address (its workers must share the output folder and the clip cache)."""
    client, cluster = _connect(scheduler, jobs)
    try:
        # Dask starts a task again on another worker when its worker is lost, up to
        # distributed.scheduler.allowed-failures times; after that it fails here, alone
        from dask.distributed import as_completed

        futures = {
            client.submit(
                execute_on_dask, task, settings, pure=False, key=f"publish-{task.kind}-{task.issue}-{task.part}-{task.digest}"
            ): task
            for task in tasks
        }
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = future.result()
            except Exception as error:  # the worker was lost too often
                outcome = Outcome.failure(task, f"Dask worker failed: {error}")
            finished(task, outcome)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _connect(scheduler: str, jobs: int) -> tuple[Any, Any]:
    """A Dask client, and the LocalCluster it runs on when `scheduler` is "local" (else None)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise BuildError("--scheduler needs Dask: pip install 'publish[dask]'") from None
    cluster = None
    try:
        if scheduler == "local":
            with _workers_leave_ctrl_c_to_us():
                # the dashboard on a free port: another cluster may have the usual one
                cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0")
            return Client(cluster), cluster
        return Client(scheduler, timeout=10), None
    except (OSError, RuntimeError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        what = "cannot start a local Dask cluster" if scheduler == "local" else f"--scheduler {scheduler}: cannot connect"
        raise BuildError(f"{what} ({str(error).splitlines()[0]})") from None


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
