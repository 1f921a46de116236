"""A worker that dies mid-run costs only the replications that killed it, never the completed ones."""

from __future__ import annotations

import functools
import importlib
import json
import multiprocessing

import pandas as pd
from click.testing import CliRunner

import orgsim
from orgsim import cli

from .hooks import FailScenario, KillOn, RaiseOn

compare_module = importlib.import_module("orgsim.experiment.compare")


def test_a_replication_that_kills_its_worker_fails_alone_and_the_rest_complete(quarter):
    clean = orgsim.simulate(quarter, replications=8, seed=4, workers=1)

    hit = orgsim.simulate(quarter, replications=8, seed=4, workers=2, model=KillOn(frozenset({3})))

    assert [(f.replication, f.error) for f in hit.failures] == [(3, "WorkerDied")]
    assert "killed by SIGKILL" in hit.failures[0].message
    kept = clean.replications[clean.replications["replication"] != 3].reset_index(drop=True)
    pd.testing.assert_frame_equal(hit.replications, kept, check_exact=True)
    assert multiprocessing.active_children() == []


def test_a_pool_whose_every_worker_dies_gives_up_the_run_as_failures(quarter):
    every = KillOn(frozenset(range(6)))

    hit = orgsim.simulate(quarter, replications=6, seed=4, workers=2, model=every)

    assert hit.replications.empty
    assert sorted(f.replication for f in hit.failures) == list(range(6))
    assert {f.error for f in hit.failures} == {"WorkerDied"}
    assert multiprocessing.active_children() == []


def test_run_saves_what_completed_and_exits_1_naming_the_lost_replication(
    baseline_path, tmp_path, monkeypatch
):
    model = KillOn(frozenset({2}))
    monkeypatch.setattr(cli, "simulate", functools.partial(orgsim.simulate, model=model))
    out = tmp_path / "out"
    args = ["run", str(baseline_path), "--reps", "6", "--seed", "3", "--workers", "2"]

    result = CliRunner().invoke(cli.main, [*args, "--set", "calendar.months=3", "--out", str(out)])

    assert result.exit_code == 1, result.output
    assert "1 replication(s) failed and are left out" in result.stderr
    assert "replication 2 (Streams.for_replication(3, 2)): WorkerDied: " in result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["replications"], summary["replications_completed"]) == (6, 5)


def test_compare_where_a_scenario_fails_every_replication_exits_1_and_says_so(
    baseline_path, tmp_path, monkeypatch
):
    other = baseline_path.with_name("marketing_owns_inside_sales.yaml")
    model = FailScenario(orgsim.load(other).name)
    monkeypatch.setattr(orgsim, "compare", functools.partial(compare_module.compare, model=model))
    out = tmp_path / "compare"
    args = ["compare", str(baseline_path), str(other), "--reps", "3", "--workers", "1"]

    result = CliRunner().invoke(cli.main, [*args, "--set", "calendar.months=1", "--out", str(out)])

    assert result.exit_code == 1, result.output
    assert result.stdout.startswith(f"nothing to compare: no replication of {model.name} completed")
    assert "Empty DataFrame" not in result.output
    assert f"{model.name}: every one of its 3 replications failed" in result.stderr
    document = json.loads((out / "comparison.json").read_text())
    assert len(document["runs"][1]["failures"]) == 3


def test_compare_with_some_failed_replications_prints_its_verdicts_and_exits_1(
    baseline_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(
        orgsim,
        "compare",
        functools.partial(compare_module.compare, model=RaiseOn(frozenset({1}))),
    )
    other = baseline_path.with_name("marketing_owns_inside_sales.yaml")
    args = ["compare", str(baseline_path), str(other), "--reps", "3", "--workers", "1"]

    result = CliRunner().invoke(
        cli.main, [*args, "--set", "calendar.months=1", "--out", str(tmp_path / "c")]
    )

    assert result.exit_code == 1, result.output
    assert "cost per opportunity" in result.stdout.lower()
    assert result.stderr.count("1 replication(s) failed and are left out") == 2
