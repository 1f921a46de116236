"""A replication that raises is reported with its index and seed; the others are kept."""

from __future__ import annotations

import functools
import json

import pandas as pd
from click.testing import CliRunner

import orgsim
from orgsim import cli

from .hooks import RaiseOn

FAILING = frozenset({2, 5})


def test_failed_replications_are_listed_and_the_rest_complete_on_a_pool(quarter):
    clean = orgsim.simulate(quarter, replications=8, seed=9, workers=1)
    flaky = orgsim.simulate(quarter, replications=8, seed=9, workers=2, model=RaiseOn(FAILING))

    assert [f.replication for f in flaky.failures] == sorted(FAILING)
    failure = flaky.failures[0]
    assert (failure.seed, failure.error) == (9, "ZeroDivisionError")
    assert failure.message == "no SDRs left in replication 2"
    assert "ZeroDivisionError" in failure.traceback
    assert "Streams.for_replication(9, 2)" in failure.describe()

    kept = clean.replications[~clean.replications["replication"].isin(FAILING)]
    pd.testing.assert_frame_equal(flaky.replications, kept.reset_index(drop=True))
    kept_months = clean.monthly[~clean.monthly["replication"].isin(FAILING)]
    pd.testing.assert_frame_equal(flaky.monthly, kept_months.reset_index(drop=True))
    summary = flaky.summary()
    assert set(summary["n"] + summary["n_missing"]) == {6}


def test_the_command_saves_the_rest_names_the_failures_and_exits_1(
    baseline_path, tmp_path, monkeypatch
):
    model = RaiseOn(frozenset({1}))
    monkeypatch.setattr(cli, "simulate", functools.partial(orgsim.simulate, model=model))
    out = tmp_path / "out"
    args = ["run", str(baseline_path), "--reps", "4", "--seed", "3", "--workers", "1"]
    args += ["--set", "calendar.months=3", "--out", str(out)]

    result = CliRunner().invoke(cli.main, args)

    assert result.exit_code == 1, result.output
    assert "1 replication(s) failed" in result.stderr
    assert "replication 1 (Streams.for_replication(3, 1)): ZeroDivisionError" in result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failures"] == [
        {
            "replication": 1,
            "seed": 3,
            "error": "ZeroDivisionError",
            "message": "no SDRs left in replication 1",
        }
    ]
    assert (summary["replications"], summary["replications_completed"]) == (4, 3)
    assert pd.read_csv(out / "replications.csv")["replication"].tolist() == [0, 2, 3]
