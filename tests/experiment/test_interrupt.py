"""Ctrl-C stops the workers promptly and never leaves a half-written result behind."""

from __future__ import annotations

import functools
import multiprocessing
import time

import pytest
from click.testing import CliRunner

import orgsim
from orgsim import cli
from orgsim.experiment import Results, output

from .hooks import RaiseOn


def interrupt_after_first_task(completed: int, total: int) -> None:
    """A progress callback that presses Ctrl-C as soon as one task has finished."""
    if completed > 0:
        raise KeyboardInterrupt


def test_ctrl_c_cancels_pending_tasks_and_shuts_the_pool_down(quarter):
    # 40,000 replications take over 400 s on two idle workers; a run that stops after its
    # first task ends far inside the bound below even on a loaded machine (a hang detector,
    # not a speed measure: the stop's speed is in benchmarks/bench_stop.py).
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        orgsim.simulate(
            quarter, replications=40_000, seed=1, workers=2, progress=interrupt_after_first_task
        )

    assert time.perf_counter() - start < 60
    assert multiprocessing.active_children() == []


def run_interrupted(args: list[str], monkeypatch) -> object:
    model = RaiseOn(frozenset({2}), KeyboardInterrupt)
    monkeypatch.setattr(cli, "simulate", functools.partial(orgsim.simulate, model=model))
    return CliRunner().invoke(cli.main, args)


def test_ctrl_c_during_the_run_writes_nothing(baseline_path, tmp_path, monkeypatch):
    out = tmp_path / "results" / "baseline"
    args = ["run", str(baseline_path), "--reps", "4", "--workers", "1", "--out", str(out)]

    result = run_interrupted([*args, "--set", "calendar.months=3"], monkeypatch)

    assert result.exit_code == 130
    assert f"nothing was written to {out}" in result.stderr
    assert list(tmp_path.rglob("*")) == []


def fail_on_last_file(results: object) -> str:
    raise KeyboardInterrupt


def test_ctrl_c_while_writing_leaves_no_file_and_no_temporary(baseline_path, tmp_path, monkeypatch):
    monkeypatch.setattr(Results, "scenario_yaml", fail_on_last_file)
    out = tmp_path / "results" / "baseline"
    args = ["run", str(baseline_path), "--reps", "2", "--workers", "1", "--out", str(out)]

    result = CliRunner().invoke(cli.main, [*args, "--set", "calendar.months=3"])

    assert result.exit_code == 130
    assert f"nothing was written to {out}" in result.stderr
    assert list(out.parent.iterdir()) == []


def test_ctrl_c_while_replacing_keeps_the_previous_run(baseline_path, tmp_path, monkeypatch):
    monkeypatch.setattr(Results, "scenario_yaml", fail_on_last_file)
    out = tmp_path / "baseline"
    out.mkdir()
    (out / "summary.json").write_text("{}")
    args = ["run", str(baseline_path), "--reps", "2", "--workers", "1", "--out", str(out)]

    result = CliRunner().invoke(cli.main, [*args, "--set", "calendar.months=3", "--force"])

    assert result.exit_code == 130
    assert f"{out} is as it was" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["baseline"]
    assert [p.name for p in out.iterdir()] == ["summary.json"]
    assert (out / "summary.json").read_text() == "{}"


def test_a_file_that_fails_midway_never_appears(tmp_path):
    def half_then_fail(handle) -> None:
        handle.write("scenario,replication\n")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        output.atomic_write(tmp_path / "replications.csv", half_then_fail)

    assert list(tmp_path.iterdir()) == []
