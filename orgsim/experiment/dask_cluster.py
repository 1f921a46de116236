"""The Dask backend: tasks on a LocalCluster started for the run, or on an existing cluster.

This is how a run outgrows one machine: the same tasks, sent to a scheduler's
workers. Dask is an optional extra (``pip install 'orgsim[dask]'``), imported
only when this backend is used; workers of a remote cluster need orgsim
installed, since tasks name its functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Any

from orgsim.experiment.local import TASKS_PER_WORKER, ignore_interrupts
from orgsim.experiment.tasks import Chunk, ChunkResult, lost_chunk, run_chunk

CONNECT_TIMEOUT = 30.0
"""Seconds to wait for a remote scheduler and for its first worker."""


class DaskUnavailableError(ImportError):
    """``backend="dask"`` was asked for but ``dask.distributed`` is not installed."""


class DaskCluster:
    """Connect to ``address``, or start a LocalCluster of ``workers`` single-threaded processes.

    Processes, not threads: a replication is pure Python and holds the GIL. The
    workers of a cluster started here leave Ctrl-C to this process, which on
    leaving cancels pending tasks and shuts the cluster down.
    """

    name = "dask"

    def __init__(self, workers: int, address: str | None = None) -> None:
        self.workers = workers
        self.address = address
        self._cluster: Any = None
        self._client: Any = None
        self._sent: dict[Any, Chunk] = {}

    def __enter__(self) -> DaskCluster:
        try:
            from distributed import Client, LocalCluster
        except ImportError as error:
            raise DaskUnavailableError(
                "backend 'dask' needs dask.distributed: pip install 'orgsim[dask]'"
            ) from error
        try:
            if self.address is None:
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self._client = Client(self._cluster)
                self._client.run(ignore_interrupts)
            else:
                self._client = Client(self.address, timeout=CONNECT_TIMEOUT)
                self._client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            self.workers = sum(self._client.nthreads().values())
        except BaseException:
            self._close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._close()

    def results(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]:
        """Each task's result as soon as it is done, in completion order.

        Tasks are sent ``TASKS_PER_WORKER`` per worker ahead. Dask reruns the
        task of a worker that dies; a task that fails anyway (``KilledWorker``
        when it killed three workers) has its replications reported as
        failures with Dask's reason, and the run goes on.
        """
        from distributed import as_completed

        client = self._client
        if client is None:
            raise RuntimeError("DaskCluster.results() outside its with-block")
        upcoming = iter(chunks)
        sent = self._sent = {}
        for chunk in upcoming:
            sent[client.submit(run_chunk, chunk, pure=False)] = chunk
            if len(sent) >= self.workers * TASKS_PER_WORKER:
                break
        finished = as_completed(list(sent))
        for future in finished:
            chunk = sent.pop(future)
            try:
                result = future.result()
            except Exception as error:
                result = lost_chunk(chunk, type(error).__name__, str(error))
            following = next(upcoming, None)
            if following is not None:
                successor = client.submit(run_chunk, following, pure=False)
                sent[successor] = following
                finished.add(successor)
            yield result

    def _close(self) -> None:
        if self._client is not None:
            if self._sent:
                self._client.cancel(list(self._sent))
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
        self._sent = {}
