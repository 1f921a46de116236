"""The unit of work a worker receives: a run of consecutive replications of one scenario.

A task carries the scenario as data and the model as a top-level function, so
it pickles under ``spawn`` and travels to Dask workers unchanged. Each
replication builds its own streams from the run seed and its index, so the
numbers do not depend on which worker runs it or how replications are grouped.
A replication that raises is recorded, not propagated: one bad draw must not
cost the other replications of a long run.
"""

from __future__ import annotations

import math
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from orgsim.model import KPI_NAMES, MONTHLY_COLUMNS, SDR_MONTH_COLUMNS, ReplicationResult, Streams
from orgsim.model.lead_sources import monthly_columns
from orgsim.scenario import Scenario

ReplicationModel = Callable[[Scenario, Streams], ReplicationResult]
"""One replication: ``orgsim.model.run_replication`` or a stand-in with its signature."""

CHUNK_REPLICATIONS = 25
"""Most replications per task: enough that the per-task cost (pickling, scheduling) is
lost in the task's simulation time, few enough that a stop cancels little. A
replication's time is measured by ``benchmarks/bench_replication.py``."""

CHUNKS_PER_WORKER = 4
"""Fewest tasks per worker on small runs, so every worker gets a share."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A replication that raised: enough to name it and to rerun it alone."""

    replication: int
    seed: int
    error: str
    message: str
    traceback: str

    def describe(self) -> str:
        """One line: which replication, how to rebuild its streams, and what it raised."""
        return (
            f"replication {self.replication} (Streams.for_replication({self.seed}, "
            f"{self.replication})): {self.error}: {self.message}"
        )


@dataclass(frozen=True, slots=True)
class Chunk:
    """Replications ``start`` to ``stop - 1`` of ``scenario`` in a run seeded with ``seed``."""

    scenario: Scenario
    seed: int
    start: int
    stop: int
    model: ReplicationModel


@dataclass(frozen=True, slots=True)
class ChunkResult:
    """What a task sends back: plain arrays, cheap to pickle, in replication order.

    ``kpis`` has one row per completed replication (columns ``KPI_NAMES``);
    ``monthly`` one row per completed replication and month (columns
    ``MONTHLY_COLUMNS``), with ``monthly_replication`` naming each row's replication;
    ``sdr_months`` likewise one row per SDR and month (``SDR_MONTH_COLUMNS``).
    """

    start: int
    replications: np.ndarray
    kpis: np.ndarray
    monthly_replication: np.ndarray
    monthly: np.ndarray
    sdr_months_replication: np.ndarray
    sdr_months: np.ndarray
    failures: tuple[Failure, ...]
    monthly_columns: tuple[str, ...] = MONTHLY_COLUMNS
    """``monthly``'s columns: ``MONTHLY_COLUMNS`` and the scenario's lead sources' (``monthly_columns``)."""


def plan_chunks(replications: int, workers: int) -> Iterator[range]:
    """Split ``range(replications)`` into tasks of at most ``CHUNK_REPLICATIONS``, one by one.

    Small runs use smaller tasks so each worker still gets several; the split
    changes only scheduling, never the numbers. The tasks are made as they are
    sent, so a billion replications cost no memory up front.
    """
    size = max(1, min(CHUNK_REPLICATIONS, math.ceil(replications / (CHUNKS_PER_WORKER * workers))))
    for start in range(0, replications, size):
        yield range(start, min(start + size, replications))


def lost_chunk(chunk: Chunk, error: str, message: str) -> ChunkResult:
    """A task whose worker died: every replication of it is a failure for ``message``."""
    failures = tuple(
        Failure(i, chunk.seed, error, message, "") for i in range(chunk.start, chunk.stop)
    )
    columns = monthly_columns(chunk.scenario)
    return ChunkResult(
        start=chunk.start,
        replications=np.empty(0, np.int64),
        kpis=np.empty((0, len(KPI_NAMES))),
        monthly_replication=np.empty(0, np.int64),
        monthly=np.empty((0, len(columns))),
        sdr_months_replication=np.empty(0, np.int64),
        sdr_months=np.empty((0, len(SDR_MONTH_COLUMNS))),
        failures=failures,
        monthly_columns=columns,
    )


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Run every replication of ``chunk``, recording those that raise."""
    done: list[int] = []
    kpi_rows: list[list[float]] = []
    month_blocks: list[np.ndarray] = []
    month_owner: list[np.ndarray] = []
    sdr_blocks: list[np.ndarray] = []
    sdr_owner: list[np.ndarray] = []
    failures: list[Failure] = []
    columns = monthly_columns(chunk.scenario)
    for i in range(chunk.start, chunk.stop):
        try:
            result = chunk.model(chunk.scenario, Streams.for_replication(chunk.seed, i))
            row = [float(result.kpis[name]) for name in KPI_NAMES]
            block = np.column_stack(
                [np.asarray(result.monthly[name], dtype=float) for name in columns]
            )
            people = np.column_stack(
                [np.asarray(result.sdr_months[name], dtype=float) for name in SDR_MONTH_COLUMNS]
            )
        except Exception as error:
            failures.append(
                Failure(i, chunk.seed, type(error).__name__, str(error), traceback.format_exc())
            )
            continue
        done.append(i)
        kpi_rows.append(row)
        month_blocks.append(block)
        month_owner.append(np.full(len(block), i, dtype=np.int64))
        sdr_blocks.append(people)
        sdr_owner.append(np.full(len(people), i, dtype=np.int64))
    return ChunkResult(
        start=chunk.start,
        replications=np.array(done, dtype=np.int64),
        kpis=np.array(kpi_rows, dtype=float).reshape(len(done), len(KPI_NAMES)),
        monthly_replication=np.concatenate(month_owner) if done else np.empty(0, np.int64),
        monthly=np.concatenate(month_blocks) if done else np.empty((0, len(columns))),
        monthly_columns=columns,
        sdr_months_replication=np.concatenate(sdr_owner) if done else np.empty(0, np.int64),
        sdr_months=np.concatenate(sdr_blocks) if done else np.empty((0, len(SDR_MONTH_COLUMNS))),
        failures=tuple(failures),
    )
