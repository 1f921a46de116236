"""Local backends: tasks in this process, or on a pool of ``spawn``-ed worker processes.

``spawn`` everywhere, not the platform default: it behaves the same on Linux,
macOS and Windows, in notebooks and under threads, and a worker sees only the
task it is sent (scenario as data, model as an importable function).
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from types import TracebackType

from orgsim.experiment.tasks import Chunk, ChunkResult, run_chunk


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

    def results(self, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        """Each task's result as soon as it is done."""
        for chunk in chunks:
            yield run_chunk(chunk)


class ProcessPool:
    """A ``concurrent.futures`` process pool of ``workers`` processes.

    On leaving (normally, on an error or on Ctrl-C) pending tasks are cancelled
    and the pool waits only for the tasks already running, at most one task
    (about a second) per worker.
    """

    name = "local"

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ProcessPool:
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=ignore_interrupts,
        )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def results(self, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        """Each task's result as soon as it is done, in completion order."""
        if self._executor is None:
            raise RuntimeError("ProcessPool.results() outside its with-block")
        futures = [self._executor.submit(run_chunk, chunk) for chunk in chunks]
        for future in as_completed(futures):
            yield future.result()


def ignore_interrupts() -> None:
    """Leave Ctrl-C to the parent, which cancels the run; a terminal sends it to workers too."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
