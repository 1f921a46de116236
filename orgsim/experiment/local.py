"""Local backends: tasks in this process, or on a pool of ``spawn``-ed worker processes.

``spawn`` everywhere, not the platform default: it behaves the same on Linux,
macOS and Windows, in notebooks and under threads, and a worker sees only the
task it is sent (scenario as data, model as an importable function).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType

from orgsim.experiment.stops import STOP_SIGNALS, TERMINAL_SIGNALS, signals_deferred
from orgsim.experiment.tasks import Chunk, ChunkResult, lost_chunk, run_chunk

TASKS_PER_WORKER = 2
"""Tasks sent ahead per worker: each has its next one queued, and a stop cancels few."""

WAIT_SLICE = 0.1
"""Seconds the pool is waited on with stop signals held back: the most a stop is delayed."""

STOP_TIMEOUT = 1.0
"""Seconds a worker has to exit after SIGTERM before it is killed."""

FRUITLESS_RESTARTS = 3
"""Pools in a row that may die before any of their tasks completes before the rest of the
run is given up: something kills every worker, and retrying only wastes time."""

WORKER_DIED = "WorkerDied"
"""The ``error`` of a replication lost with its worker."""


class InProcess:
    """Run tasks one after another here: no start-up cost, and a debugger sees everything."""

    name = "local"
    workers = 1

    def __enter__(self) -> InProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

    def results(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        """Each task's result as soon as it is done."""
        for chunk in chunks:
            yield run_chunk(chunk)

    def submit(self, chunk: Chunk) -> Future[ChunkResult]:
        """Run ``chunk`` now; the future is done when this returns."""
        future: Future[ChunkResult] = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(run_chunk(chunk))
        except Exception as error:
            future.set_exception(error)
        return future


class ProcessPool:
    """A ``concurrent.futures`` process pool of ``workers`` processes.

    A worker that dies (killed for memory, say) breaks the whole pool: the
    pool is replaced and the unfinished tasks are sent again, so completed
    replications are never lost (see ``results`` and ``FRUITLESS_RESTARTS``). On leaving on an error or a stop, pending tasks are
    cancelled and the workers terminated and joined within about ``STOP_TIMEOUT``.
    """

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessPool:
        self._executor = self._start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._executor is None:
            return
        executor, self._executor = self._executor, None
        if kind is None:
            # A study's tasks have all completed; tasks submitted one by one and not yet
            # run (a page's, the workshop's) are dropped.
            executor.shutdown(wait=True, cancel_futures=True)
        else:
            _stop(executor)

    def _start(self) -> ProcessPoolExecutor:
        # The pool's queues may start multiprocessing's resource tracker, which ignores
        # SIGINT and SIGTERM but would die of a hang-up: it is to inherit SIGHUP blocked.
        with signals_deferred():
            return ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=ignore_interrupts,
            )

    def _submit(self, chunk: Chunk) -> Future[ChunkResult]:
        if self._executor is None:
            raise RuntimeError("ProcessPool used outside its with-block")
        with signals_deferred():  # a submit may start a worker: see signals_deferred
            return self._executor.submit(run_chunk, chunk)

    def submit(self, chunk: Chunk) -> Future[ChunkResult]:
        """Send ``chunk`` alone; a pool a dead worker has broken is replaced first.

        The futures of a broken pool fail with ``BrokenProcessPool``: the caller
        decides whether to send their tasks again.
        """
        try:
            return self._submit(chunk)
        except BrokenProcessPool:
            self._replace()
            return self._submit(chunk)

    def results(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        """Each task's result as soon as it is done, in completion order.

        Tasks are sent ``TASKS_PER_WORKER`` per worker ahead, taken from
        ``chunks`` as they are needed. When a worker dies, the tasks that might
        have been running on it are each sent again alone: one that kills its
        worker then is the cause, and its replications are reported as failed.
        """
        upcoming = iter(chunks)
        retries: deque[Chunk] = deque()  # their pool died under another task
        suspects: deque[Chunk] = deque()  # might have killed their pool: each runs alone
        sent: dict[Future[ChunkResult], Chunk] = {}
        fruitless = 0
        while True:
            alone = bool(suspects)
            if alone and not sent:
                chunk = suspects.popleft()
                sent[self._submit(chunk)] = chunk
            while not alone and len(sent) < self.workers * TASKS_PER_WORKER:
                following = retries.popleft() if retries else next(upcoming, None)
                if following is None:
                    break
                sent[self._submit(following)] = following
            if not sent:
                return
            done = _wait(sent, FIRST_COMPLETED)
            if not any(isinstance(future.exception(), BrokenProcessPool) for future in done):
                for future in done:
                    del sent[future]
                    fruitless = 0
                    yield future.result()
                continue
            # The pool is broken: every task sent to it ends now, completed or broken.
            _wait(sent, ALL_COMPLETED)
            cause = _death_cause(self._executor)
            broken = []
            for future, chunk in sent.items():
                if isinstance(future.exception(), BrokenProcessPool):
                    broken.append(chunk)
                else:
                    fruitless = 0
                    yield future.result()
            sent.clear()
            self._replace()
            fruitless += 1
            if fruitless >= FRUITLESS_RESTARTS:
                message = f"worker processes died {fruitless} times in a row ({cause}); gave up"
                for chunk in [*broken, *suspects, *retries, *upcoming]:
                    yield lost_chunk(chunk, WORKER_DIED, message)
                return
            if alone:
                message = (
                    f"its worker process died ({cause}), twice, the second time running it alone"
                )
                yield lost_chunk(broken[0], WORKER_DIED, message)
                continue
            # Tasks start in the order sent, so only the first unfinished ones, one per
            # worker (and one more whose result was on its way), can have been running.
            suspects.extend(broken[: self.workers + 1])
            retries.extend(broken[self.workers + 1 :])

    def _replace(self) -> None:
        """A fresh pool in place of a broken one."""
        if self._executor is not None:
            _stop(self._executor)
        self._executor = self._start()


def _wait(futures: Iterable[Future[ChunkResult]], return_when: str) -> set[Future[ChunkResult]]:
    """``concurrent.futures.wait`` that a stop cannot break off in the middle.

    ``wait`` takes every future's lock in turn; a stop raised between two of
    them leaves one held, the pool's thread then blocks for ever completing
    that future, and the stop's shutdown never returns. So the wait runs in
    slices of ``WAIT_SLICE`` with the stop signals held back (the pool's
    threads hold them back too: they start inside ``signals_deferred``), and
    a stop is raised between slices.
    """
    while True:
        with signals_deferred():
            done, pending = wait(futures, timeout=WAIT_SLICE, return_when=return_when)
        if not pending or (done and return_when == FIRST_COMPLETED):
            return done


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel pending tasks, terminate the workers, and join them and the pool's thread.

    ``shutdown(cancel_futures=True)`` alone waits for running tasks, and on a
    stop a second Ctrl-C breaks off that wait and leaves the workers alive.
    A worker deaf to SIGTERM is killed after ``STOP_TIMEOUT``. (Python 3.14's
    ``terminate_workers()`` does the first half.)
    """
    workers = list((executor._processes or {}).values())
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(STOP_TIMEOUT)
        if worker.is_alive():
            worker.kill()
            worker.join(STOP_TIMEOUT)
    # The workers are gone, so the pool's thread sees them die and ends at once.
    executor.shutdown(wait=True, cancel_futures=True)


def _death_cause(executor: ProcessPoolExecutor | None) -> str:
    """How a broken pool's workers ended: the killing signal or exit status of the first to die.

    The pool's thread marks the futures broken *before* it joins the workers,
    and a worker's exit code read while that join reaps it comes back as
    ``None`` (``waitpid`` loses the race). So the thread is joined first.
    """
    if executor is None:
        return "cause unknown"
    manager = getattr(executor, "_executor_manager_thread", None)
    if isinstance(manager, threading.Thread):
        manager.join(STOP_TIMEOUT)
    codes = [w.exitcode for w in (executor._processes or {}).values()]
    # The pool terminates the survivors of a death itself, with SIGTERM.
    deaths = [code for code in codes if code not in (None, 0, -signal.SIGTERM)] or [
        code for code in codes if code
    ]
    if not deaths:
        return "cause unknown"
    code = deaths[0]
    if code < 0:
        return f"killed by {signal.Signals(-code).name}; out of memory, perhaps"
    return f"exit status {code}"


def ignore_interrupts() -> None:
    """Leave Ctrl-C and hang-ups to the parent, which stops the run; a terminal sends them to workers too.

    The worker started with every stop signal blocked (see ``ProcessPool._submit``);
    SIGTERM, which the parent uses to stop it, is unblocked again.
    """
    for number in TERMINAL_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
