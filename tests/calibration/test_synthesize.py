"""``orgsim synthesize``: a known scenario's months and records, which read back as written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from orgsim.calibration import read_actuals, read_records
from orgsim.cli import main

REPO = Path(__file__).parents[2]
SCENARIO = str(REPO / "scenarios/marketing_owns_inside_sales_with_diversion.yaml")


def synthesize(tmp_path: Path, *extra: str) -> object:
    return CliRunner().invoke(
        main,
        [
            "synthesize",
            SCENARIO,
            "--months",
            "3",
            "--seed",
            "11",
            "--start-month",
            "2024-11",
            "--out",
            str(tmp_path / "monthly.csv"),
            "--records",
            str(tmp_path / "records.csv"),
            *extra,
        ],
    )


def test_written_months_and_records_read_back_to_the_same_counts(tmp_path: Path) -> None:
    result = synthesize(tmp_path)
    assert result.exit_code == 0, result.output
    actuals = read_actuals(tmp_path / "monthly.csv")
    assert [str(month) for month in actuals.months] == ["2024-11", "2024-12", "2025-01"]
    assert actuals.columns == (
        "leads",
        "mqls",
        "sqls",
        "opportunities",
        "wins",
        "revenue",
        "sdr_headcount",
        "sdr_exits",
        "ae_headcount",
        "program_spend",
    )
    records = read_records(tmp_path / "records.csv")
    from_records = records.monthly().table
    pd.testing.assert_frame_equal(
        from_records, actuals.table[from_records.columns], check_exact=False
    )
    assert (records.table["inbound"] == False).any()  # noqa: E712 (outbound SQLs are records)


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    assert synthesize(first).exit_code == 0
    assert synthesize(second).exit_code == 0
    for name in ("monthly.csv", "records.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_an_existing_output_needs_force_and_is_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "monthly.csv").write_text("mine\n", encoding="utf-8")
    refused = synthesize(tmp_path)
    assert refused.exit_code == 2
    assert (
        refused.stderr
        == f"{tmp_path / 'monthly.csv'} already exists: choose another, or --force to replace it\n"
    )
    assert (tmp_path / "monthly.csv").read_text(encoding="utf-8") == "mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["monthly.csv"]
    assert synthesize(tmp_path, "--force").exit_code == 0
    assert read_actuals(tmp_path / "monthly.csv").columns[0] == "leads"


def test_a_bad_scenario_override_writes_nothing(tmp_path: Path) -> None:
    result = synthesize(tmp_path, "--set", "demand.leads_per_month=-5")
    assert result.exit_code == 2
    assert "demand.leads_per_month" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_shipped_samples_are_read_without_a_problem() -> None:
    monthly = read_actuals(REPO / "scenarios/actuals/sample_monthly.csv")
    records = read_records(REPO / "scenarios/actuals/sample_records.csv")
    assert len(monthly.months) == 24
    first_months = monthly.table.loc[records.monthly().table.index, ["leads", "mqls", "sqls"]]
    pd.testing.assert_frame_equal(records.monthly().table[["leads", "mqls", "sqls"]], first_months)
