"""Choosing where tasks run: this process, a local process pool, or Dask.

Every backend is a context manager that owns its workers and hands back task
results as they finish; the caller orders them, so the choice of backend never
changes the numbers.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Literal, Protocol, Self

from orgsim.experiment.dask_cluster import DaskCluster
from orgsim.experiment.local import InProcess, ProcessPool
from orgsim.experiment.tasks import Chunk, ChunkResult

BackendName = Literal["local", "dask"]
BACKENDS: tuple[BackendName, ...] = ("local", "dask")


class Backend(Protocol):
    """Where tasks run; ``workers`` is known once entered (a remote cluster reports its own)."""

    name: str
    workers: int

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...

    def results(self, chunks: Iterable[Chunk]) -> Iterator[ChunkResult]: ...


def default_workers() -> int:
    """The cores this process may use (its CPU affinity where the OS reports one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def open_backend(
    backend: BackendName, workers: int | None, address: str | None, *, pool: bool = False
) -> Backend:
    """The backend named ``backend``, not yet entered; ``workers=None`` means every core.

    One local worker runs in this process unless ``pool``: a server that hands
    out tasks must not run them in its own thread.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if address is not None and backend != "dask":
        raise ValueError("an address names a Dask scheduler: use it with backend='dask'")
    count = default_workers() if workers is None else workers
    if backend == "dask":
        return DaskCluster(count, address)
    return InProcess() if count == 1 and not pool else ProcessPool(count)
