"""Forked workers and the paused collector: same results as one process, failures reported."""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path

import pytest

from publish.errors import InputError, PublishError
from publish.runtime import default_jobs, fork_map, gc_paused

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="this OS has no fork: work runs in one process")


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


@needs_fork
def test_items_after_the_first_run_in_other_processes_and_come_back_in_order():
    seen = []
    results = fork_map(square_and_pid, [1, 2, 3, 4], on_result=lambda i, r: seen.append((i, r[0])))
    assert [r for r, _ in results] == [1, 4, 9, 16]
    assert seen == [(0, 1), (1, 4), (2, 9), (3, 16)]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid() and len(set(pids)) == 4


def test_one_item_runs_here():
    assert fork_map(square_and_pid, [5]) == [(25, os.getpid())]
    assert fork_map(square_and_pid, []) == []


def fail_on_two(n: int) -> int:
    if n == 2:
        raise InputError("bad article", file="x.txt", line=3)
    return n


@needs_fork
def test_a_failure_in_a_worker_is_raised_here_with_its_file_and_line():
    with pytest.raises(InputError) as caught:
        fork_map(fail_on_two, [1, 2, 3])
    assert str(caught.value) == str(InputError("bad article", file="x.txt", line=3))


def die_on_two(n: int) -> int:
    if n == 2:
        os._exit(3)
    return n


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_hang():
    with pytest.raises(PublishError, match="worker process died"):
        fork_map(die_on_two, [1, 2])


def fail_here(n: int) -> int:
    if n == 1:
        raise ValueError("in the parent")
    return n


@needs_fork
def children() -> set[int]:
    """This process's live child processes (other tests may have left helpers, such as
    multiprocessing's resource tracker)."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


def test_an_error_here_leaves_no_worker_behind():
    before = children()
    with pytest.raises(ValueError):
        fork_map(fail_here, [1, 2, 3])
    assert children() <= before  # every worker was reaped


def test_jobs_come_from_the_environment_or_the_cores(monkeypatch):
    monkeypatch.setenv("PUBLISH_JOBS", "1")
    assert default_jobs() == 1
    monkeypatch.setenv("PUBLISH_JOBS", "many")
    assert default_jobs() >= 1


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # it stays as the caller had it
    finally:
        gc.enable()


def test_errors_survive_pickling_with_their_location():
    error = pickle.loads(pickle.dumps(InputError("bad", file="a.txt", line=2)))
    assert (error.file, error.line) == ("a.txt", 2)


def double_here(n: int) -> tuple[int, int]:
    return 2 * n, os.getpid()


def map_in_a_daemon(items: list[int]) -> list[tuple[int, int]]:
    return fork_map(double_here, items)


@needs_fork
def test_in_a_daemonic_worker_items_run_in_that_worker():
    """multiprocessing's (and Celery's) workers are daemonic and may have no children."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        results = pool.apply(map_in_a_daemon, ([1, 2, 3],))
    assert [r for r, _ in results] == [2, 4, 6] and len({pid for _, pid in results}) == 1


@needs_fork
def test_a_worker_that_dies_is_named_with_how_it_ended():
    with pytest.raises(PublishError, match=r"worker process died \(exit status 3\)"):
        fork_map(die_on_two, [1, 2])


@needs_fork
def test_no_thread_of_an_earlier_pool_is_alive_when_the_next_forks(monkeypatch):
    import threading

    seen = []
    real_fork = os.fork

    def fork():  # the threads of process pools alive as this process forks
        seen.append([t.name for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread" or "Feeder" in t.name])
        return real_fork()

    fork_map(square_and_pid, [1, 2, 3])
    monkeypatch.setattr(os, "fork", fork)
    fork_map(square_and_pid, [1, 2, 3])
    assert seen == [[], []]  # a fork never copies the locks of the earlier pool's threads


POOL_THEN_KILLED = """
import os, sys, time
from publish.fsutil import atomic_write_bytes
from publish.runtime import WorkerPool

def write_slowly(folder):  # in the middle of an atomic write when its parent is killed
    real = os.fsync
    os.fsync = lambda fd: (time.sleep(60), real(fd))
    atomic_write_bytes(folder + "/page.pdf", b"%PDF half")

if __name__ == "__main__":
    with WorkerPool(2, method=sys.argv[1]) as pool:
        futures = [pool.submit(write_slowly, sys.argv[2]) for _ in range(4)]
        time.sleep(1.0)
        print(*[p.pid for p in pool.processes()], flush=True)
        time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="looks at the workers through Linux's /proc")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_workers_whose_parent_is_killed_exit_within_seconds_leaving_no_temporary_file(tmp_path, method):
    """`kill -9` of the process that made the pool: its workers, busy in an atomic write, see it
    within a second, remove what they were writing, and exit (before: they waited for good)."""
    import signal
    import subprocess
    import sys
    import time

    script, out = tmp_path / "pool.py", tmp_path / "out"
    script.write_text(POOL_THEN_KILLED, encoding="utf-8")
    out.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), method, str(out)], stdout=subprocess.PIPE, text=True)
    workers = [int(pid) for pid in parent.stdout.readline().split()]
    assert len(workers) == 2 and len(list(out.iterdir())) == 2  # both are writing
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_running(p) for p in workers):
        time.sleep(0.05)
    left = [p for p in workers if _running(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == [] and list(out.iterdir()) == []


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


EXIT_ORDER = """
import concurrent.futures.process, os, threading
parent = os.getpid()  # forked workers inherit the hook: only this process speaks
threading._register_atexit(lambda: os.getpid() == parent and print("reapers alive at concurrent.futures' exit:", len(runtime._CLOSING)))
from publish import runtime
print(runtime.fork_map(abs, [-1, -2, -3]))
print("reapers after the pool:", len(runtime._CLOSING))
"""


@needs_fork
def test_reaping_threads_are_joined_before_concurrent_futures_wakes_them_at_exit():
    # Python 3.11's exit hook can write to a pipe a reaping thread is closing that instant, and
    # prints a traceback as `publish pdf` exits (1 run in 40 under load). Threading's exit hooks
    # run in reverse order: one registered between concurrent.futures' and publish's runs after
    # publish's and before concurrent.futures', and must find every reaper joined.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", EXIT_ORDER], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[1, 2, 3]", "reapers after the pool: 1", "reapers alive at concurrent.futures' exit: 0"]
    assert "Exception ignored" not in done.stderr


def tagged(tag: str):
    return lambda n: (tag, n, os.getpid())


@needs_fork
def test_fork_map_from_several_threads_at_once_gives_each_its_own_results():
    # a thread pool or Dask's threaded workers checking PDFs: each call must get its own items'
    # results (the workers' handover is the process's), so off the main thread items run here
    import threading

    found = {}

    def run(tag):
        found[tag] = fork_map(tagged(tag), range(4))

    for _ in range(5):
        threads = [threading.Thread(target=run, args=(tag,)) for tag in "ABC"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for tag in "ABC":
            assert [(t, n) for t, n, _ in found[tag]] == [(tag, n) for n in range(4)]
            assert {pid for _, _, pid in found[tag]} == {os.getpid()}
    assert len({pid for _, _, pid in fork_map(tagged("main"), range(3))}) == 3  # the main thread still forks


def interrupt_state(_):
    import signal

    return signal.getsignal(signal.SIGINT) == signal.SIG_IGN, signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


@needs_fork
@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="no signal masks on this OS")
def test_workers_are_started_with_ctrl_c_held_and_then_ignore_it(tmp_path):
    # Ctrl-C reaches the workers too (the terminal's process group): one arriving between a
    # worker's fork and its ignoring Ctrl-C printed a worker's traceback (3 runs in 30 of
    # publish check). The fork happens with it held; the worker ignores it, then lets go.
    import signal

    from publish.runtime import WorkerPool

    marks = tmp_path / "marks"
    marks.mkdir()
    watching = [True]  # a fork hook cannot be taken back: it stops looking after this test

    def at_fork():
        if watching[0]:
            held = signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])
            (marks / str(os.getpid())).write_text(str(held))

    os.register_at_fork(after_in_child=at_fork)
    try:
        with WorkerPool(2) as pool:
            states = {pool.submit(interrupt_state, n).result() for n in range(4)}
    finally:
        watching[0] = False
    assert states == {(True, False)}
    assert {m.read_text() for m in marks.iterdir()} == {"True"}
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])  # this process lets it through again
