"""The engine: batches on common random numbers, the cache, a new live run cancelling the old,
and a new pool when a worker dies."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

import orgsim
from orgsim.scenario import with_overrides
from orgsim.workshop.engine import WORKER_DIED, Engine, batches

SCENARIOS = Path(__file__).parent.parent.parent / "scenarios"


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = Engine(1)
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(scope="module")
def short() -> orgsim.Scenario:
    base = orgsim.load(SCENARIOS / "sales_owns_inside_sales.yaml")
    return with_overrides(base, {"calendar.months": 2, "calendar.warm_up_months": 0})


def test_a_job_matches_simulate_and_a_rerun_comes_from_the_cache(engine, short):
    job = engine.start([short], seed=3, replications=12)
    assert job.finished.wait(120)
    replications, monthly = job.tables()
    expected = orgsim.simulate(short, 12, 3, workers=1).replications
    assert (
        replications["cost_per_opportunity"].tolist() == expected["cost_per_opportunity"].tolist()
    )
    assert len(monthly) == 12 * 2

    renamed = short.model_copy(update={"name": "same numbers, another name"})
    again = engine.start([renamed], seed=3, replications=12)
    assert again.finished.is_set()


def test_a_new_live_run_cancels_the_queued_batches_of_the_last(engine, short):
    abandoned = engine.start([with_overrides(short, {"org.sla.enabled": True})], 5, 400)
    current = engine.start([short], seed=5, replications=10)
    assert current.finished.wait(120)
    assert not abandoned.finished.wait(1)
    done, _ = abandoned.tables()
    assert len(done) < 400


def test_a_killed_worker_fails_its_run_and_the_next_run_gets_a_new_pool(short):
    """A worker killed mid-run (for memory, say) used to break every later run until restart."""
    before = set(multiprocessing.active_children())
    engine = Engine(1)
    try:
        engine.warm(short)
        (worker,) = set(multiprocessing.active_children()) - before
        running = engine.start([with_overrides(short, {"teams.sdr.headcount": 9})], 7, 400)
        os.kill(worker.pid, signal.SIGKILL)
        assert running.finished.wait(60)
        assert running.error == WORKER_DIED

        again = engine.start([short], seed=8, replications=10)
        assert again.finished.wait(120)
        assert again.error is None
        assert len(again.tables()[0]) == 10
    finally:
        engine.close()


@pytest.mark.parametrize("count", [1, 2, 3, 10, 21, 100])
def test_a_run_is_cut_into_a_short_first_batch_then_batches_of_five(count):
    tasks = batches(count)
    assert [i for task in tasks for i in task] == list(range(count))
    assert len(tasks[0]) == min(2, count)
    assert all(task.stop % 5 == 0 or task.stop == count for task in tasks[1:])
