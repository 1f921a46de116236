"""The study commands end to end: outputs on disk, bad input as exit 2 with a message."""

from __future__ import annotations

import json

import pandas as pd
from click.testing import CliRunner

from orgsim.cli import main

BASE = "scenarios/sales_owns_inside_sales.yaml"
SMALL = ["--reps", "4", "--workers", "1", "--set", "calendar.months=2"]
SMALL += ["--set", "calendar.warm_up_months=0"]  # plumbing: no warm-up


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_sweep_writes_a_tidy_table_and_rejects_a_bad_grid(tmp_path):
    out = tmp_path / "sweep"
    result = invoke(
        "sweep",
        BASE,
        "--vary",
        "teams.sdr.headcount=4:8:3",
        *SMALL,
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [row["teams.sdr.headcount"] for row in rows] == [4, 6, 8]
    assert set(pd.read_csv(out / "sweep.csv")["kpi"]) >= {"cost_per_opportunity", "sqls"}
    bad = invoke(
        "sweep", BASE, "--vary", "teams.sdr.headcount=4:8", *SMALL, "--out", str(tmp_path / "x")
    )
    assert bad.exit_code == 2 and "LO:HI:STEPS" in bad.output
    wrong_key = invoke(
        "sweep", BASE, "--vary", "teams.sdr.hedcount=4:8:2", *SMALL, "--out", str(tmp_path / "y")
    )
    assert (
        wrong_key.exit_code == 2
        and "hedcount" in wrong_key.stderr
        and "Traceback" not in wrong_key.output
    )
    assert not (tmp_path / "y").exists()


def test_compare_needs_two_designs_and_will_not_overwrite(tmp_path):
    assert invoke("compare", BASE, *SMALL).exit_code == 2
    out = tmp_path / "cmp"
    first = invoke(
        "compare", BASE, "scenarios/marketing_owns_inside_sales.yaml", *SMALL, "--out", str(out)
    )
    assert first.exit_code == 0, first.output
    again = invoke(
        "compare", BASE, "scenarios/marketing_owns_inside_sales.yaml", *SMALL, "--out", str(out)
    )
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_sensitivity_ranks_the_given_ranges(tmp_path):
    result = invoke(
        "sensitivity",
        BASE,
        "--param",
        "teams.sdr.work.inbound_check_interval_hours=0:16",
        "--param",
        "policies.multichannel.contact_lift=0:0.3",
        *SMALL,
        "--out",
        str(tmp_path / "s"),
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["parameter"] == "teams.sdr.work.inbound_check_interval_hours"
    assert rows[1]["swing"] == 0  # sales owns inside sales: no multichannel lift to vary
    assert invoke("sensitivity", BASE, "--param", "nonsense", *SMALL).exit_code == 2


def test_run_until_precise_reports_how_many_replications_it_took(tmp_path):
    out = tmp_path / "run"
    result = invoke(
        "run",
        BASE,
        "--until-precision",
        "0.05",
        # Two months close too few deals for cost per win, the default, to settle in 150.
        "--precision-kpi",
        "cost_per_opportunity",
        "--reps",
        "150",
        "--workers",
        "1",
        "--set",
        "calendar.months=2",
        "--set",
        "calendar.warm_up_months=0",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    assert "precision 0.05 on cost_per_opportunity reached after" in result.stderr
    table = pd.read_csv(out / "replications.csv")
    assert list(table["replication"]) == list(range(len(table)))
    assert 50 <= len(table) <= 150
