"""``orgsim.simulate``: many replications of one scenario, reproducible from one seed.

Replication i of a run seeded with s always uses ``Streams.for_replication(s, i)``:
the same numbers whatever the backend and worker count, and the same numbers
for every scenario run with that seed, which is what makes comparisons paired.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime

import numpy as np
import psutil

from orgsim.experiment.backends import Backend, BackendName, open_backend
from orgsim.experiment.results import Results, assemble_sdr_months, assemble_tables
from orgsim.experiment.tasks import Chunk, ChunkResult, ReplicationModel, plan_chunks
from orgsim.model import run_replication
from orgsim.scenario import Scenario, load
from orgsim.scenario.footprint import check_fits

DEFAULT_REPLICATIONS = 100
"""Replications when neither the call nor the scenario file says."""

Progress = Callable[[int, int], None]
"""Called as ``progress(completed, total)`` once before the run and each time a task finishes."""


def simulate(
    scenario: Scenario | str | os.PathLike[str],
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
    model: ReplicationModel = run_replication,
    first: int = 0,
    session: Backend | None = None,
) -> Results:
    """Run ``replications`` replications of ``scenario`` (a Scenario or a YAML path).

    ``replications`` and ``seed`` default to the scenario's own, then to
    ``DEFAULT_REPLICATIONS`` and fresh entropy (recorded in the results, so the
    run can still be repeated). ``workers`` defaults to every core; 1 runs in
    this process. ``backend="dask"`` starts a LocalCluster of ``workers``
    processes, or with ``address="tcp://host:8786"`` uses that cluster.
    ``first`` numbers the replications from there (a later batch of the same
    run). ``session`` is a backend kept open by :func:`session` for a study's
    many runs; it overrides ``workers``, ``backend`` and ``address``. ``model`` is the one-replication function, a top-level (picklable)
    function with the signature of ``orgsim.model.run_replication``.

    A replication that raises is listed in ``Results.failures`` and the others
    complete. On KeyboardInterrupt pending work is cancelled, the workers are
    shut down and the interrupt propagates.
    """
    if not isinstance(scenario, Scenario):
        scenario = load(scenario)
    count = _replications(scenario, replications)
    run_seed = _seed(scenario, seed)
    if progress is not None:
        progress(0, count)
    started_at = datetime.now(UTC)
    clock = time.perf_counter()
    done: list[ChunkResult] = []
    backend_in_use = nullcontext(session) if session else open_backend(backend, workers, address)
    with backend_in_use as runner:
        if runner.name == "local":
            # Before a task is submitted: the replications run at once must fit in memory.
            check_fits(scenario, min(count, runner.workers), psutil.virtual_memory().available)
        chunks = (
            Chunk(scenario, run_seed, first + span.start, first + span.stop, model)
            for span in plan_chunks(count, runner.workers)
        )
        completed = 0
        for result in runner.results(chunks):
            done.append(result)
            completed += len(result.replications) + len(result.failures)
            if progress is not None:
                progress(completed, count)
        workers_used = runner.workers
    wall_time = time.perf_counter() - clock
    table, monthly, failures = assemble_tables(scenario.name, done)
    return Results(
        scenario=scenario,
        seed=run_seed,
        requested=count,
        replications=table,
        monthly=monthly,
        failures=failures,
        workers=workers_used,
        backend=runner.name,
        wall_time=wall_time,
        started_at=started_at,
        sdr_months=assemble_sdr_months(scenario.name, done),
    )


@contextmanager
def session(
    workers: int | None = None, backend: BackendName = "local", address: str | None = None
) -> Iterator[dict[str, Backend]]:
    """One backend for many runs: ``with session(...) as where: simulate(..., **where)``.

    A study (compare, sweep, sensitivity, explain) runs dozens of scenarios;
    starting a process pool or a Dask cluster for each would cost more than
    the simulations.
    """
    with open_backend(backend, workers, address) as runner:
        yield {"session": runner}


def _replications(scenario: Scenario, replications: int | None) -> int:
    count = replications if replications is not None else scenario.replications
    count = DEFAULT_REPLICATIONS if count is None else count
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise ValueError(f"replications must be a positive integer, got {count!r}")
    return int(count)


def _seed(scenario: Scenario, seed: int | None) -> int:
    chosen = seed if seed is not None else scenario.seed
    if chosen is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(chosen, bool) or not isinstance(chosen, int | np.integer) or chosen < 0:
        raise ValueError(f"seed must be a non-negative integer, got {chosen!r}")
    return int(chosen)
