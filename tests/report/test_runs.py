"""Run directories are read whole or refused with a message naming the file."""

from __future__ import annotations

import shutil

import pytest

from orgsim.report import (
    RunDirectoryError,
    combine_runs,
    differing_settings,
    distinct_names,
    flatten,
    read_run,
)
from orgsim.report.settings import MISSING, show_value


def test_a_run_directory_gives_its_tables_and_provenance(run_dirs):
    run = read_run(run_dirs[0])
    assert run.scenarios == ["Sales owns inside sales"]
    assert run.seed == 7
    assert run.requested == len(run.replications) == 12
    assert run.version == "0.1.0"
    assert run.monthly is not None and set(run.monthly["month"]) == set(range(1, 7))
    assert run.settings["Sales owns inside sales"]["calendar"]["months"] == 6


def test_only_the_replications_table_is_indispensable(run_dirs, tmp_path):
    copy = shutil.copytree(run_dirs[0], tmp_path / "run")
    for name in ("monthly.csv", "summary.json", "scenario.yaml"):
        (copy / name).unlink()
    run = read_run(copy)
    assert run.monthly is None
    assert run.seed is None and run.version is None
    assert run.requested == 12
    assert run.settings == {}


def test_what_is_not_a_run_directory_is_refused_by_name(tmp_path):
    with pytest.raises(RunDirectoryError, match="not a directory"):
        read_run(tmp_path / "absent")
    with pytest.raises(RunDirectoryError, match=r"no replications\.csv"):
        read_run(tmp_path)
    (tmp_path / "replications.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RunDirectoryError, match=r"replications\.csv: lacks column"):
        read_run(tmp_path)


def test_runs_of_the_same_scenario_are_told_apart_by_directory(run_dirs, tmp_path):
    twin = shutil.copytree(run_dirs[0], tmp_path / "twin")
    runs = distinct_names([read_run(run_dirs[0]), read_run(twin)])
    names = [name for run in runs for name in run.scenarios]
    assert names == [
        f"Sales owns inside sales ({run_dirs[0].name})",
        "Sales owns inside sales (twin)",
    ]
    replications, monthly = combine_runs(runs)
    assert list(replications["scenario"].unique()) == names
    assert monthly is not None and list(monthly["scenario"].unique()) == names


def test_settings_that_differ_are_dotted_keys_with_each_runs_value():
    base = {"name": "a", "org": {"sla": {"enabled": False, "hours": 24}}, "seed": 1}
    other = {"name": "b", "org": {"sla": {"enabled": True, "hours": 24}}, "extra": [1]}
    assert flatten(base) == {"name": "a", "org.sla.enabled": False, "org.sla.hours": 24, "seed": 1}
    assert differing_settings([base, other]) == [
        ("org.sla.enabled", [False, True]),
        ("seed", [1, MISSING]),
        ("extra", [MISSING, [1]]),
    ]
    assert differing_settings([base, base]) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (False, "false"),
        (0.25, "0.25"),
        ("team", "team"),
        ({"dist": "beta", "mean": 0.3}, "{dist: beta, mean: 0.3}"),
        (MISSING, MISSING),
    ],
)
def test_setting_values_read_as_yaml(value, shown):
    assert show_value(value) == shown
