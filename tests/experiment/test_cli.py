"""``orgsim run`` end to end: the contract's files, a summary that agrees with them, a repeatable run."""

from __future__ import annotations

import json
import math

import pandas as pd
from click.testing import CliRunner

import orgsim
from orgsim import cli
from orgsim.model import CONTRACT_KPIS, KPI_NAMES, MONTHLY_COLUMNS

SHIPPED = "marketing_owns_inside_sales.yaml"
FILES = {
    "replications.csv",
    "replications.parquet",
    "monthly.csv",
    "sdrs.csv",
    "summary.json",
    "scenario.yaml",
}


def test_run_writes_the_contract_directory_and_can_be_repeated_from_it(
    orgsim_command, baseline_path, tmp_path
):
    shipped = baseline_path.parent / SHIPPED
    first = orgsim_command(
        "run", shipped, "--reps", "4", "--seed", "5", "--workers", "2", cwd=tmp_path
    )

    assert first.returncode == 0, first.stderr
    out = tmp_path / "results" / "marketing_owns_inside_sales"
    assert {p.name for p in out.iterdir()} == FILES
    assert "cost per win" in first.stdout
    assert "cost per opportunity" in first.stdout  # still reported, after the headline

    replications = pd.read_csv(out / "replications.csv")
    assert list(replications.columns) == ["scenario", "replication", *KPI_NAMES]
    assert set(CONTRACT_KPIS) <= set(replications.columns)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "replications.parquet"), replications)
    monthly = pd.read_csv(out / "monthly.csv")
    assert list(monthly.columns) == ["scenario", "replication", *MONTHLY_COLUMNS]
    assert len(monthly) == 4 * 24  # the default horizon: 24 reported months

    summary = json.loads((out / "summary.json").read_text())
    assert summary["scenario"] == "Marketing owns inside sales (as planned)"
    assert (summary["seed"], summary["replications"]) == (5, 4)
    assert summary["orgsim_version"] == orgsim.__version__
    assert (summary["backend"], summary["workers"], summary["failures"]) == ("local", 2, [])
    assert summary["wall_time_seconds"] > 0 and summary["replications_per_second"] > 0
    for kpi in KPI_NAMES:
        mean = replications[kpi].mean()
        recorded = summary["kpis"][kpi]["mean"]
        assert (
            (recorded is None) if math.isnan(mean) else math.isclose(recorded, mean, rel_tol=1e-12)
        )

    again = orgsim_command(
        "run",
        out / "scenario.yaml",
        "--workers",
        "1",
        "--out",
        "again",
        "--format",
        "json",
        cwd=tmp_path,
    )

    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again" / "replications.csv").read_bytes() == (
        out / "replications.csv"
    ).read_bytes()
    assert json.loads(again.stdout)["kpis"] == summary["kpis"]


def quarter_run(baseline_path, out, *extra: str) -> list[str]:
    """``orgsim run`` of the baseline cut to three months, two replications, in this process."""
    reps = ["--reps", "2", "--workers", "1", "--set", "calendar.months=3"]
    return ["run", str(baseline_path), *reps, "--out", str(out), *extra]


def test_an_existing_output_directory_is_refused_without_force(baseline_path, tmp_path):
    out = tmp_path / "taken"
    out.mkdir()

    result = CliRunner().invoke(cli.main, quarter_run(baseline_path, out))

    assert result.exit_code == 2
    assert f"{out} already exists" in result.stderr and "--force" in result.stderr
    assert list(out.iterdir()) == []


def test_force_replaces_an_existing_output_directory(baseline_path, tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "stale.txt").write_text("from an older run")

    result = CliRunner().invoke(cli.main, quarter_run(baseline_path, out, "--force"))

    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == FILES
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_an_address_without_the_dask_backend_is_a_usage_error(baseline_path, tmp_path):
    args = quarter_run(baseline_path, tmp_path / "out", "--address", "tcp://localhost:8786")

    result = CliRunner().invoke(cli.main, args)

    assert result.exit_code == 2
    assert "--backend dask" in result.output


def test_until_precision_must_be_a_finite_share(baseline_path, tmp_path):
    for value in ("nan", "inf"):
        args = ["run", str(baseline_path), "--until-precision", value, "--out", str(tmp_path / "r")]
        result = CliRunner().invoke(cli.main, args)

        assert result.exit_code == 2, result.output
        assert f"'--until-precision': must be a finite number such as 0.02, got {value}" in (
            result.stderr
        )
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_precision_kpi_is_refused_before_simulating(baseline_path, tmp_path):
    args = ["run", str(baseline_path), "--until-precision", "0.1", "--out", str(tmp_path / "r")]

    result = CliRunner().invoke(cli.main, [*args, "--precision-kpi", "sql"])

    assert result.exit_code == 2, result.output
    assert "'--precision-kpi': unknown KPI 'sql'; did you mean sqls?" in result.stderr
    assert list(tmp_path.iterdir()) == []
