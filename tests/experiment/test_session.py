"""The session: one seed and replication count for every run of a study, on one backend."""

from __future__ import annotations

import pandas as pd
import pytest

import orgsim
from orgsim.experiment import Session
from orgsim.scenario import with_overrides


def test_simulate_many_equals_each_run_alone_and_stacks_tidy_rows(quarter) -> None:
    more_sdrs = with_overrides(quarter, {"teams.sdr.headcount": 6}, source="test")
    with Session(3, 11, workers=1) as session:
        runs = session.simulate_many([quarter, more_sdrs])
    alone = [orgsim.simulate(s, 3, 11, workers=1) for s in (quarter, more_sdrs)]

    for run, single in zip(runs.results, alone, strict=True):
        pd.testing.assert_frame_equal(run.replications, single.replications)
        pd.testing.assert_frame_equal(run.monthly, single.monthly)
    table = runs.replications
    assert list(table.columns[:3]) == ["variant", "scenario", "replication"]
    assert table["variant"].tolist() == [0, 0, 0, 1, 1, 1]
    assert table["replication"].tolist() == [0, 1, 2, 0, 1, 2]


def test_the_first_run_fixes_seed_and_replications_for_every_later_one(quarter) -> None:
    """Common random numbers: without a seed, the first run's (fresh entropy) is every run's."""
    session = Session(workers=1)
    first = session.simulate(quarter.model_copy(update={"replications": 2, "seed": None}))
    again = session.simulate(quarter.model_copy(update={"replications": 5, "seed": 4}))

    assert (again.seed, again.requested) == (first.seed, 2)
    pd.testing.assert_frame_equal(first.replications, again.replications)


def test_batches_of_a_run_equal_one_longer_run(quarter) -> None:
    session = Session(seed=5, workers=1)
    batches = [session.simulate(quarter, range(0, 2)), session.simulate(quarter, range(2, 4))]
    whole = orgsim.simulate(quarter, 4, 5, workers=1)

    stacked = pd.concat([batch.replications for batch in batches], ignore_index=True)
    pd.testing.assert_frame_equal(stacked, whole.replications)


def test_progress_counts_every_variant_up_to_the_study_total(quarter) -> None:
    seen: list[tuple[int, int]] = []
    Session(2, 1, workers=1, progress=lambda done, total: seen.append((done, total))).simulate_many(
        [quarter, quarter, quarter]
    )

    assert seen[0] == (0, 6) and seen[-1] == (6, 6)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert {total for _, total in seen} == {6}


def test_submit_needs_an_open_session_and_its_future_holds_the_batch(quarter) -> None:
    session = Session(seed=3, workers=1)
    with pytest.raises(RuntimeError, match="needs the session open"):
        session.submit(quarter, range(0, 1))
    with session:
        batch = session.submit(quarter, range(1, 3)).result()
    whole = orgsim.simulate(quarter, 3, 3, workers=1)

    assert batch.replications.tolist() == [1, 2]
    assert batch.kpis.tolist() == whole.replications.iloc[1:, 2:].to_numpy().tolist()
