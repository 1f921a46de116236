"""Where replications run never changes what they return."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import orgsim
from orgsim.experiment import DaskUnavailableError
from orgsim.experiment.local import TASKS_PER_WORKER, ProcessPool
from orgsim.experiment.tasks import CHUNK_REPLICATIONS, Chunk, plan_chunks
from orgsim.model import KPI_NAMES, MONTHLY_COLUMNS, run_replication


def test_one_worker_two_workers_and_dask_give_identical_tables(quarter):
    pytest.importorskip("distributed")
    one = orgsim.simulate(quarter, replications=12, seed=42, workers=1)
    pool = orgsim.simulate(quarter, replications=12, seed=42, workers=2)
    dask = orgsim.simulate(quarter, replications=12, seed=42, workers=2, backend="dask")

    assert (one.workers, pool.workers, dask.workers) == (1, 2, 2)
    assert (one.backend, pool.backend, dask.backend) == ("local", "local", "dask")
    for other in (pool, dask):
        pd.testing.assert_frame_equal(one.replications, other.replications, check_exact=True)
        pd.testing.assert_frame_equal(one.monthly, other.monthly, check_exact=True)


def test_an_existing_cluster_reports_its_own_workers_and_gives_the_same_tables(quarter):
    distributed = pytest.importorskip("distributed")
    one = orgsim.simulate(quarter, replications=6, seed=42, workers=1)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, dashboard_address=None, silence_logs=logging.ERROR
    ) as cluster:
        remote = orgsim.simulate(
            quarter, replications=6, seed=42, backend="dask", address=cluster.scheduler_address
        )

    assert (remote.backend, remote.workers) == ("dask", 2)
    pd.testing.assert_frame_equal(one.replications, remote.replications, check_exact=True)


def test_tables_follow_the_contract(quarter):
    results = orgsim.simulate(quarter, replications=3, seed=1, workers=1)

    assert list(results.replications.columns) == ["scenario", "replication", *KPI_NAMES]
    assert list(results.monthly.columns) == ["scenario", "replication", *MONTHLY_COLUMNS]
    assert results.replications["replication"].tolist() == [0, 1, 2]
    assert (results.replications["scenario"] == quarter.name).all()
    months = results.monthly.groupby("replication")["month"].apply(list)
    assert months.tolist() == [[1, 2, 3]] * 3


def test_the_scenario_file_supplies_defaults_the_arguments_override(baseline_path, tmp_path):
    path = tmp_path / "quarter.yaml"
    path.write_text(f"extends: {baseline_path}\ncalendar: {{months: 3}}\nreplications: 2\n")

    from_file = orgsim.simulate(path, workers=1)
    overridden = orgsim.simulate(path, replications=3, seed=5, workers=1)

    assert (from_file.requested, from_file.seed) == (2, orgsim.load(baseline_path).seed)
    assert (overridden.requested, overridden.seed) == (3, 5)


def test_dask_missing_is_a_clear_error(quarter, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(DaskUnavailableError, match=r"pip install 'orgsim\[dask\]'"):
        orgsim.simulate(quarter, replications=2, seed=1, backend="dask")


def test_an_address_needs_the_dask_backend(quarter):
    with pytest.raises(ValueError, match="backend='dask'"):
        orgsim.simulate(quarter, replications=2, seed=1, address="tcp://localhost:8786")


@given(replications=st.integers(1, 5000), workers=st.integers(1, 64))
def test_tasks_cover_every_replication_once_in_order(replications, workers):
    spans = list(plan_chunks(replications, workers))

    assert [i for span in spans for i in span] == list(range(replications))
    assert all(1 <= len(span) <= CHUNK_REPLICATIONS for span in spans)


def test_a_pool_takes_tasks_only_as_workers_need_them(quarter):
    """So a run of a billion replications neither builds 40 M tasks up front nor queues them."""
    taken = 0

    def tasks() -> Iterator[Chunk]:
        nonlocal taken
        for start in range(10_000):
            taken += 1
            yield Chunk(quarter, 1, start, start + 1, run_replication)

    with ProcessPool(2) as pool:
        first = next(pool.results(tasks()))

    assert len(first.replications) == 1
    assert taken <= 2 * TASKS_PER_WORKER
    assert next(plan_chunks(1_000_000_000, 2)) == range(0, CHUNK_REPLICATIONS)
