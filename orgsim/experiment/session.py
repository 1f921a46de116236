"""A session: one backend, one seed and one replication count for every run of a study.

Replication i of a session seeded with s always uses ``Streams.for_replication(s, i)``:
the same numbers whatever the backend and worker count, and the same numbers
for every scenario the session runs, which is what makes comparisons paired
(common random numbers). A study (compare, sweep, sensitivity, explain) runs
dozens of variants; the session starts the process pool or Dask cluster once
for all of them, as desmod's ``simulate_many`` does, and stacks their
replications into tidy rows, as Mesa's batch runner does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from types import TracebackType

import numpy as np
import pandas as pd
import psutil

from orgsim.experiment.backends import Backend, BackendName, open_backend
from orgsim.experiment.local import InProcess, ProcessPool
from orgsim.experiment.results import Results, assemble_sdr_months, assemble_tables
from orgsim.experiment.tasks import Chunk, ChunkResult, ReplicationModel, plan_chunks
from orgsim.model import run_replication
from orgsim.scenario import Scenario, load
from orgsim.scenario.footprint import check_fits

DEFAULT_REPLICATIONS = 100
"""Replications when neither the call nor the scenario file says."""

Progress = Callable[[int, int], None]
"""Called as ``progress(completed, total)`` once before the work and each time a task finishes."""

ScenarioSource = Scenario | str | os.PathLike[str]
"""A scenario, or the path of its YAML file."""


def as_scenario(scenario: ScenarioSource) -> Scenario:
    """``scenario`` itself, or the scenario its YAML file describes."""
    return scenario if isinstance(scenario, Scenario) else load(scenario)


@dataclass(frozen=True, eq=False)
class Runs:
    """The runs of several variants on common random numbers, in the order they were given."""

    results: tuple[Results, ...]

    @cached_property
    def replications(self) -> pd.DataFrame:
        """Tidy rows: ``variant`` (its position), ``scenario``, ``replication``, then every KPI."""
        tables = [run.replications.assign(variant=i) for i, run in enumerate(self.results)]
        stacked = pd.concat(tables, ignore_index=True)
        return stacked[["variant", *[c for c in stacked.columns if c != "variant"]]]


class Session:
    """Where, how often and from which seed a study's runs are made.

    ``replications`` and ``seed`` default to the first scenario's own, then to
    ``DEFAULT_REPLICATIONS`` and fresh entropy (recorded in the results); the
    first run fixes both for every later one. ``workers`` defaults to every
    core; 1 runs in this process. ``backend="dask"`` starts a LocalCluster of
    ``workers`` processes, or with ``address="tcp://host:8786"`` uses that
    cluster; ``pool`` keeps a process pool even for one local worker (for
    :meth:`submit`, whose caller must not wait). ``model`` is the
    one-replication function, top-level (picklable), with the signature of
    ``orgsim.model.run_replication``.

    Inside ``with session:`` the backend stays open for every run; outside it,
    each call opens and closes one. A replication that raises is listed in
    ``Results.failures`` and the others complete. On KeyboardInterrupt pending
    work is cancelled, the workers are shut down and the interrupt propagates.
    """

    def __init__(
        self,
        replications: int | None = None,
        seed: int | None = None,
        *,
        workers: int | None = None,
        backend: BackendName = "local",
        address: str | None = None,
        progress: Progress | None = None,
        model: ReplicationModel = run_replication,
        pool: bool = False,
    ) -> None:
        self.replications = replications
        self.seed = seed
        self.progress = progress
        self.model = model
        self._where = open_backend(backend, workers, address, pool=pool)
        self._open: Backend | None = None

    def __enter__(self) -> Session:
        self._open = self._where.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._open = None
        self._where.__exit__(kind, error, trace)

    @property
    def workers(self) -> int:
        """How many replications the open backend runs at once (a remote cluster reports its own)."""
        if self._open is None:
            raise RuntimeError("Session.workers is known once the session is open")
        return self._open.workers

    def simulate(self, scenario: ScenarioSource, replications: range | None = None) -> Results:
        """Run ``scenario``: the session's replications, or those numbered in ``replications``.

        A later batch of the same run (``range(200, 250)``, say) continues it:
        its replications equal those of one longer run.
        """
        loaded = as_scenario(scenario)
        if replications is not None and replications.step != 1:
            raise ValueError(f"replications must be consecutive, got {replications}")
        numbers = replications if replications is not None else range(self._count(loaded))
        self._fix_seed(loaded)
        with self._backend() as runner:
            return self._run(runner, loaded, numbers, 0, len(numbers))

    def simulate_many(self, variants: Sequence[ScenarioSource]) -> Runs:
        """Run every variant with the same seed and replications, on one backend."""
        loaded = [as_scenario(variant) for variant in variants]
        if not loaded:
            return Runs(())
        numbers = range(self._count(loaded[0]))
        self._fix_seed(loaded[0])
        total = len(numbers) * len(loaded)
        with self._backend() as runner:
            return Runs(
                tuple(
                    self._run(runner, variant, numbers, i * len(numbers), total)
                    for i, variant in enumerate(loaded)
                )
            )

    def simulate_each(
        self, draws: Sequence[tuple[Scenario, int]], *, seed: int | None = None
    ) -> list[Results]:
        """Replication ``i`` of each ``(scenario, i)`` in ``draws``: one ``Results`` each, in order.

        For studies whose every replication is a scenario of its own (a
        calibration's parameter draws, a comparison over a posterior): each is
        one task, so the backend's workers share them, and the numbers are
        those of running each alone. Replication numbers must differ, since a
        task's result is known by its number. ``seed`` names another run than
        the session's.
        """
        numbers = [number for _scenario, number in draws]
        if len(set(numbers)) != len(numbers):
            raise ValueError("simulate_each needs a different replication number for each draw")
        if not draws:
            return []
        seed = self._fix_seed(draws[0][0]) if seed is None else _seed(seed)
        started_at = datetime.now(UTC)
        clock = time.perf_counter()
        with self._backend() as runner:
            if runner.name == "local":
                check_fits(draws[0][0], runner.workers, psutil.virtual_memory().available)
            tasks = (Chunk(scenario, seed, i, i + 1, self.model) for scenario, i in draws)
            finished = {result.start: result for result in runner.results(tasks)}
            workers, backend = runner.workers, runner.name
        wall_time = time.perf_counter() - clock
        return [
            results_of(
                scenario,
                seed,
                [finished[i]],
                requested=1,
                workers=workers,
                backend=backend,
                wall_time=wall_time,
                started_at=started_at,
            )
            for scenario, i in draws
        ]

    def submit(
        self, scenario: Scenario, replications: range, *, seed: int | None = None
    ) -> Future[ChunkResult]:
        """Start ``replications`` of ``scenario`` on the open backend; cancel the future to drop them.

        For callers that assemble results as they arrive (the workshop's page):
        :func:`results_of` turns the finished batches into ``Results``. ``seed``
        names another run than the session's (each workshop step has its own).
        On a pool, a worker's death fails its futures with ``BrokenProcessPool``
        and the next submit starts a new pool.
        """
        if self._open is None:
            raise RuntimeError("Session.submit() needs the session open: use `with Session(...)`")
        if not isinstance(self._open, InProcess | ProcessPool):
            raise ValueError(f"Session.submit() runs on the local backend, not {self._open.name}")
        seed = self._fix_seed(scenario) if seed is None else _seed(seed)
        return self._open.submit(
            Chunk(scenario, seed, replications.start, replications.stop, self.model)
        )

    def _count(self, scenario: Scenario) -> int:
        self.replications = study_replications(self.replications, scenario)
        return self.replications

    def _fix_seed(self, scenario: Scenario) -> int:
        self.seed = study_seed(self.seed, scenario)
        return self.seed

    @contextmanager
    def _backend(self) -> Iterator[Backend]:
        if self._open is not None:
            yield self._open
        else:
            with self._where as runner:
                yield runner

    def _run(
        self, runner: Backend, scenario: Scenario, numbers: range, done_before: int, total: int
    ) -> Results:
        """One scenario's ``numbers`` on ``runner``; progress counts from ``done_before`` of ``total``."""
        if runner.name == "local":
            # Before a task is submitted: the replications run at once must fit in memory.
            check_fits(
                scenario, min(len(numbers), runner.workers), psutil.virtual_memory().available
            )
        seed = self._fix_seed(scenario)
        if self.progress is not None and done_before == 0:
            self.progress(0, total)
        started_at = datetime.now(UTC)
        clock = time.perf_counter()
        chunks = (
            Chunk(scenario, seed, numbers.start + span.start, numbers.start + span.stop, self.model)
            for span in plan_chunks(len(numbers), runner.workers)
        )
        done: list[ChunkResult] = []
        completed = done_before
        for result in runner.results(chunks):
            done.append(result)
            completed += len(result.replications) + len(result.failures)
            if self.progress is not None:
                self.progress(completed, total)
        return results_of(
            scenario,
            seed,
            done,
            requested=len(numbers),
            workers=runner.workers,
            backend=runner.name,
            wall_time=time.perf_counter() - clock,
            started_at=started_at,
        )


def results_of(
    scenario: Scenario,
    seed: int,
    batches: Sequence[ChunkResult],
    *,
    requested: int,
    workers: int,
    backend: str,
    wall_time: float,
    started_at: datetime,
) -> Results:
    """``Results`` from finished batches of one run, in replication order whatever order they came in."""
    table, monthly, failures = assemble_tables(scenario.name, batches)
    return Results(
        scenario=scenario,
        seed=seed,
        requested=requested,
        replications=table,
        monthly=monthly,
        failures=failures,
        workers=workers,
        backend=backend,
        wall_time=wall_time,
        started_at=started_at,
        sdr_months=assemble_sdr_months(scenario.name, batches),
    )


def simulate(
    scenario: ScenarioSource,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
    model: ReplicationModel = run_replication,
) -> Results:
    """Run ``replications`` replications of ``scenario`` (a Scenario or a YAML path).

    The defaults and options are :class:`Session`'s; this is a session of one run.
    """
    session = Session(
        replications,
        seed,
        workers=workers,
        backend=backend,
        address=address,
        progress=progress,
        model=model,
    )
    return session.simulate(scenario)


def study_replications(replications: int | None, scenario: Scenario) -> int:
    """The replications a session runs: ``replications``, else the scenario's, else the default."""
    return _replications(scenario.replications if replications is None else replications)


def study_seed(seed: int | None, scenario: Scenario) -> int:
    """The seed a session runs from: ``seed``, else the scenario's, else fresh entropy.

    A command that must record the seed of a study whose result does not carry
    it (sweep, sensitivity, explain) resolves it here first and passes it on.
    """
    return _seed(scenario.seed if seed is None else seed)


def _replications(count: object) -> int:
    count = DEFAULT_REPLICATIONS if count is None else count
    if isinstance(count, bool) or not isinstance(count, int | np.integer) or count < 1:
        raise ValueError(f"replications must be a positive integer, got {count!r}")
    return int(count)


def _seed(chosen: object) -> int:
    if chosen is None:
        return int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    if isinstance(chosen, bool) or not isinstance(chosen, int | np.integer) or chosen < 0:
        raise ValueError(f"seed must be a non-negative integer, got {chosen!r}")
    return int(chosen)
