"""The Dask backend: tasks on a LocalCluster started for the run, or on an existing cluster.

This is how a run outgrows one machine: the same tasks, sent to a scheduler's
workers. Dask is an optional extra (``pip install 'orgsim[dask]'``), imported
only when this backend is used; workers of a remote cluster need orgsim
installed, since tasks name its functions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any

from orgsim.experiment.local import ignore_interrupts
from orgsim.experiment.tasks import Chunk, ChunkResult, run_chunk

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
        self._futures: list[Any] = []

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

    def results(self, chunks: Sequence[Chunk]) -> Iterator[ChunkResult]:
        """Each task's result as soon as it is done, in completion order."""
        from distributed import as_completed

        if self._client is None:
            raise RuntimeError("DaskCluster.results() outside its with-block")
        self._futures = self._client.map(run_chunk, chunks, pure=False)
        for future in as_completed(self._futures):
            yield future.result()

    def _close(self) -> None:
        if self._client is not None:
            if self._futures:
                self._client.cancel(self._futures)
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
        self._futures = []
