"""Progressive Monte Carlo for the live page: a warm session and a cache of small batches.

A room waits for every lever change, so the experiment layer's session (its
process pool) is opened once and kept for the app's lifetime, and a run is cut into
batches (:func:`batches`: a first one of ``FIRST_BATCH`` replications, then
``BATCH`` at a time) submitted scenario by scenario in turn, so paired results
(common random numbers: same seed, same replication indices) arrive together
and the first verdict shows after the first, short batch. Batches are
cached by (scenario, seed, replications): moving a lever reruns only the
changed side, and moving it back reruns nothing. A new live run cancels the
batches of the previous one that it does not need. A worker that dies (killed,
out of memory) fails the runs it was part of, and the next run gets a new pool.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from orgsim.experiment import ChunkResult, Session, results_of
from orgsim.experiment.tasks import ReplicationModel
from orgsim.model import run_replication
from orgsim.scenario import Scenario, resolved_yaml

BATCH = 5
"""Replications per task: few, so a cancelled run frees the workers soon
(``benchmarks/bench_workshop.py`` measures the wait a room sees)."""

FIRST_BATCH = 2
"""Replications of a run's first task: the fewest a verdict (a t interval) can be stated
from, so the room sees a first answer after two replications' time, not five; the second
task, up to ``BATCH``, runs beside it on the other worker."""


def batches(replications: int) -> list[range]:
    """A run's tasks, in order: ``[0, 2)``, ``[2, 5)``, then ``BATCH`` at a time.

    The same ranges for every run of a count, so batches are shared through
    the cache whatever run asked for them first.
    """
    edges = sorted({0, FIRST_BATCH, *range(BATCH, replications, BATCH), replications})
    edges = [edge for edge in edges if edge <= replications]
    return [range(low, high) for low, high in itertools.pairwise(edges)]


CACHE_BATCHES = 4000
"""Batches kept (about 100 runs of 100 replications of two scenarios; a few MB)."""

BatchKey = tuple[str, int, int, int]

WORKER_DIED = "a worker process stopped during this run (killed, or out of memory?); run it again"


def scenario_key(scenario: Scenario) -> str:
    """What determines a scenario's numbers: its resolved settings, whatever its name."""
    unnamed = scenario.model_copy(update={"name": "", "description": ""})
    return hashlib.sha256(resolved_yaml(unnamed).encode()).hexdigest()


@dataclass
class Job:
    """One run of a step's scenarios; its batches fill in as workers finish them."""

    id: int
    scenarios: tuple[Scenario, ...]
    seed: int
    replications: int
    workers: int = 1
    """The engine's worker count, as the assembled ``Results`` record it."""
    batches: list[dict[int, ChunkResult]] = field(default_factory=list)
    error: str | None = None
    started: float = field(default_factory=time.perf_counter)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    wall_time: float = 0.0
    finished: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _tables: tuple[int, pd.DataFrame, pd.DataFrame] | None = None

    def __post_init__(self) -> None:
        self.batches = [{} for _ in self.scenarios]
        self._news = threading.Condition(self._lock)

    def _count(self) -> int:
        """Batches delivered so far; the caller holds the lock."""
        return sum(map(len, self.batches))

    @property
    def arrived(self) -> int:
        """Batches delivered so far (of :attr:`expected`)."""
        with self._lock:
            return self._count()

    def wait_beyond(self, seen: int, timeout: float) -> None:
        """Block until more than ``seen`` batches have arrived, the job ended, or ``timeout``."""
        with self._news:
            self._news.wait_for(
                lambda: self._count() > seen or self.finished.is_set() or self.error is not None,
                timeout,
            )

    @property
    def expected(self) -> int:
        return len(batches(self.replications)) * len(self.scenarios)

    def add(self, side: int, result: ChunkResult) -> None:
        with self._lock:
            self.batches[side][result.start] = result
            if self._count() == self.expected:
                self.wall_time = time.perf_counter() - self.started
                self.finished.set()
            self._news.notify_all()

    def fail(self, message: str) -> None:
        with self._lock:
            self.error = message
            self._news.notify_all()
        self.finished.set()

    def kpi_values(self, side: int, column: int) -> np.ndarray:
        """Scenario ``side``'s KPI ``column`` (of ``KPI_NAMES``) per replication, NaN where missing.

        Read from the batches, not from :meth:`tables`: for studies whose
        scenarios share a name (explain's coalitions, discovery's points),
        tables grouped by name would merge them.
        """
        values = np.full(self.replications, np.nan)
        with self._lock:
            done = list(self.batches[side].values())
        for batch in done:
            values[batch.replications] = batch.kpis[:, column]
        return values

    def tables(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The replications and monthly tables of the replications every scenario has finished.

        Kept until the next batch arrives: a page polls far more often than
        batches finish, and assembling them takes CPU the workers need.
        """
        with self._lock:
            done = [list(side.values()) for side in self.batches]
            cached = self._tables
        arrived = sum(map(len, done))
        if cached is not None and cached[0] == arrived:
            return cached[1], cached[2]
        runs = [
            results_of(
                scenario,
                self.seed,
                batches,
                requested=self.replications,
                workers=self.workers,
                backend="local",
                wall_time=self.wall_time,
                started_at=self.started_at,
            )
            for scenario, batches in zip(self.scenarios, done, strict=True)
        ]
        paired = set.intersection(*(set(run.replications["replication"]) for run in runs))
        replications = pd.concat(
            [run.replications[run.replications["replication"].isin(paired)] for run in runs]
        )
        monthly = pd.concat([run.monthly[run.monthly["replication"].isin(paired)] for run in runs])
        tables = (arrived, replications.reset_index(drop=True), monthly.reset_index(drop=True))
        with self._lock:
            self._tables = tables
        return tables[1], tables[2]


class Engine:
    """The app's warm session, its batch cache and the runs in progress."""

    def __init__(self, workers: int, model: ReplicationModel = run_replication) -> None:
        """``model`` is the one-replication function (a stand-in in tests, as for ``simulate``)."""
        self.workers = workers
        # A pool even for one worker: a request must not wait for the batches it starts.
        self._session = Session(workers=workers, pool=True, model=model).__enter__()
        # Re-entrant: cancelling a future runs its callbacks (``_store``) at once, in this thread.
        self._lock = threading.RLock()
        self._cache: OrderedDict[BatchKey, ChunkResult] = OrderedDict()
        self._pending: dict[BatchKey, tuple[Future[ChunkResult], bool]] = {}
        self._ids = itertools.count(1)

    def warm(self, scenario: Scenario) -> None:
        """Start every worker now (imports included) rather than on the room's first click."""
        for _ in range(self.workers):
            self._session.submit(scenario, range(0), seed=0)

    def start(
        self, scenarios: Sequence[Scenario], seed: int, replications: int, *, live: bool = True
    ) -> Job:
        """Run ``scenarios`` on common random numbers; returns at once with the job to watch.

        A live run (a page's) cancels the queued batches of earlier live runs
        it does not share; the handout's runs (``live=False``) are never cancelled.
        """
        job = Job(next(self._ids), tuple(scenarios), seed, replications, self.workers)
        keys = [scenario_key(s) for s in scenarios]
        plan = [
            (side, (keys[side], seed, batch.start, batch.stop))
            for batch in batches(replications)
            for side in range(len(scenarios))
        ]
        with self._lock:
            if live:
                needed = {key for _, key in plan}
                for key, (future, was_live) in list(self._pending.items()):
                    if was_live and key not in needed and future.cancel():
                        self._pending.pop(key, None)
            for side, key in plan:
                cached = self._cache.get(key)
                if cached is not None:
                    self._cache.move_to_end(key)
                    job.add(side, cached)
                    continue
                entry = self._pending.get(key)
                if entry is None:
                    batch = range(key[2], key[3])
                    entry = (self._session.submit(scenarios[side], batch, seed=seed), live)
                    self._pending[key] = entry
                    entry[0].add_done_callback(functools.partial(self._store, key))
                future, was_live = entry
                if key in self._pending:
                    # A batch the handout waits for must not be cancelled by the next live run.
                    self._pending[key] = (future, was_live and live)
                future.add_done_callback(functools.partial(self._deliver, job, side))
        return job

    def _store(self, key: BatchKey, future: Future[ChunkResult]) -> None:
        with self._lock:
            self._pending.pop(key, None)
            if future.cancelled() or future.exception() is not None:
                return
            self._cache[key] = future.result()
            while len(self._cache) > CACHE_BATCHES:
                self._cache.popitem(last=False)

    @staticmethod
    def _deliver(job: Job, side: int, future: Future[ChunkResult]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if isinstance(error, BrokenProcessPool):
            job.fail(WORKER_DIED)
        elif error is not None:
            job.fail(f"{type(error).__name__}: {error}")
        else:
            job.add(side, future.result())

    def close(self) -> None:
        """Stop the workers; queued batches are dropped."""
        self._session.__exit__(None, None, None)
