"""A run with nothing to show is refused by name; a run whose rates are all undefined still reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.results import scenario, simulate, write_run

import orgsim
from orgsim.cli import main
from orgsim.model import ReplicationResult, Streams
from orgsim.scenario import Scenario


def every_replication_fails(scenario: Scenario, streams: Streams) -> ReplicationResult:
    raise ZeroDivisionError("no SDRs left")


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory ``orgsim run`` writes when every replication raised."""
    results = orgsim.simulate(
        scenario("sales_owns_inside_sales", {"calendar.months": 1}),
        replications=3,
        seed=1,
        workers=1,
        model=every_replication_fails,
    )
    return results.save(tmp_path_factory.mktemp("failed") / "run")


@pytest.mark.parametrize("command", ["report", "plot"])
def test_a_run_without_a_completed_replication_is_refused_naming_its_failures(
    command, failed_run, run_dirs, tmp_path
):
    if command == "report":
        args = ["report", str(run_dirs[0]), str(failed_run), "--out", str(tmp_path / "r.html")]
    else:
        args = ["plot", str(failed_run), "--out", str(tmp_path)]

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 2, result.output
    assert (
        f"{failed_run / 'replications.csv'}: no completed replication to show: all 3 failed, "
        "see summary.json"
    ) in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert list(tmp_path.iterdir()) == []


def test_a_run_without_leads_has_undefined_rates_and_still_gets_its_report(tmp_path):
    leadless = scenario(
        "sales_owns_inside_sales", {"demand.leads_per_month": 1e-6, "teams.sdr.headcount": 0}
    )
    replications, monthly = simulate(leadless, replications=3)
    assert (replications["leads"] == 0).all() and replications["mql_to_sql"].isna().all()
    run = write_run(tmp_path / "leadless", leadless, replications, monthly)

    result = CliRunner().invoke(main, ["report", str(run), "--format", "json"])

    assert result.exit_code == 0, result.output
    assert "funnel" in result.stdout
    assert (run / "report.html").is_file()
