"""``orgsim calibrate``: a synthetic company's known parameters are recovered, and the fit says how it got there.

One fit (a small company, 3 months, 2 parameters, about 250 simulations) is
run once through the command line and read by several tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner, Result

import orgsim
from orgsim.calibration import read_actuals
from orgsim.calibration.abc import Budget, calibrate
from orgsim.calibration.posterior import POSTERIOR_CSV, WEIGHT
from orgsim.cli import main
from orgsim.scenario.settings import setting

pytest.importorskip("pyabc")

HERE = Path(__file__).parent
COMPANY = HERE / "companies" / "small_company.yaml"
TRUTH = {"demand.leads_per_month": 300.0, "scoring.mql_threshold": 0.55}
PRIORS = {"demand.leads_per_month": (150.0, 600.0), "scoring.mql_threshold": (0.4, 0.7)}
FITTED_COLUMNS = ["month", "leads", "mqls", "sqls"]
BUDGET = ["--population", "20", "--generations", "4", "--simulations", "300", "--predictive", "20"]
NARROWER = 0.7
"""Most a fitted parameter's 90% interval may be, as a share of its prior's 90% interval.

Had the data taught nothing, the posterior would be the prior: 20 uniform
draws, whose 90% interval (1st to 19th order statistic) spans a Beta(18, 3)
share of the range, mean 0.857 and sd 0.075, i.e. 0.95 +- 0.083 of the
prior's 90% interval. 0.7 is three sd below: a fit that learned nothing fails.
"""


@dataclass(frozen=True)
class Fit:
    actuals: Path
    out: Path
    stdout: str
    scratch: Path


def prior_args() -> list[str]:
    return [arg for key, (lo, hi) in PRIORS.items() for arg in ("--param", f"{key}={lo}:{hi}")]


@pytest.fixture(scope="module")
def fit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fit]:
    folder = tmp_path_factory.mktemp("fit")
    runner = CliRunner()
    full = folder / "full.csv"
    made = runner.invoke(
        main, ["synthesize", str(COMPANY), "--months", "3", "--seed", "11", "--out", str(full)]
    )
    assert made.exit_code == 0, made.output
    actuals = folder / "actuals.csv"
    pd.read_csv(full)[FITTED_COLUMNS].to_csv(actuals, index=False)
    scratch = folder / "tmp"
    scratch.mkdir()
    saved, tempfile.tempdir = tempfile.tempdir, str(scratch)
    try:
        out = folder / "calibration"
        args = ["calibrate", str(COMPANY), str(actuals), *prior_args(), "--seed", "5", *BUDGET]
        result = runner.invoke(main, [*args, "--out", str(out)])
    finally:
        tempfile.tempdir = saved
    assert result.exit_code == 0, result.output
    yield Fit(actuals, out, result.stdout, scratch)


def test_the_fit_writes_the_contract_files_and_leaves_no_scratch_database(fit: Fit) -> None:
    names = {path.name for path in fit.out.iterdir()}
    assert {POSTERIOR_CSV, "calibrated.yaml", "calibration.json", "backtest.csv"} <= names
    assert {"backtest.png", "backtest.svg", "marginals.png", "marginals.svg"} <= names
    assert list(fit.scratch.iterdir()) == []
    table = pd.read_csv(fit.out / POSTERIOR_CSV)
    assert list(table.columns) == [*PRIORS, WEIGHT]
    assert len(table) == 20
    assert table[WEIGHT].sum() == pytest.approx(1.0)
    for key, (low, high) in PRIORS.items():
        assert table[key].between(low, high).all()


def test_calibration_json_records_seed_data_hash_and_the_smc_course(fit: Fit) -> None:
    document = json.loads((fit.out / "calibration.json").read_text())
    assert document["seed"] == 5
    assert document["actuals"]["sha256"] == hashlib.sha256(fit.actuals.read_bytes()).hexdigest()
    assert document["actuals"]["columns"] == FITTED_COLUMNS[1:]
    populations = document["populations"]
    assert [p["generation"] for p in populations] == list(range(len(populations)))
    assert len(populations) >= 2
    # Every model call is one of pyabc's samples: the counts agree, and the budget holds
    # to within the generation that crossed it.
    assert document["simulations"] == sum(p["samples"] for p in populations)
    assert all(p["accepted"] == 20 for p in populations[1:])
    rates = document["acceptance_rates"][1:]
    assert all(0 < rate <= 1 for rate in rates)
    assert all(e is not None and e > 0 for e in document["epsilons"][1:])
    assert document["wall_time_seconds"] > 0


def test_the_true_values_lie_in_the_90_interval_and_the_posterior_is_narrower(fit: Fit) -> None:
    summary = {
        row["parameter"]: row
        for row in json.loads((fit.out / "calibration.json").read_text())["posterior"]
    }
    for key, truth in TRUTH.items():
        row = summary[key]
        assert row["ci_low"] <= truth <= row["ci_high"], (key, row)
        assert row["width_vs_prior"] < NARROWER, (key, row)
    # Both narrowed well below LEFT_OPEN: the sentence, on stdout and in the file, says so.
    decided = json.loads((fit.out / "calibration.json").read_text())["what_the_data_decided"]
    assert decided in fit.stdout
    assert "left open" not in decided and "leads a month (" in decided, decided


def test_calibrated_yaml_extends_the_input_with_the_posterior_medians(fit: Fit) -> None:
    text = (fit.out / "calibrated.yaml").read_text()
    document = yaml.safe_load(text)
    assert (fit.out / document["extends"]).resolve() == COMPANY.resolve()
    calibrated = orgsim.load(fit.out / "calibrated.yaml")
    summary = json.loads((fit.out / "calibration.json").read_text())["posterior"]
    for row in summary:
        assert setting(calibrated, row["parameter"]) == pytest.approx(row["median"])
    assert calibrated.teams.sdr.headcount == 2  # the rest is the input's


def test_the_backtest_has_every_month_and_column_and_its_coverage(fit: Fit) -> None:
    backtest = pd.read_csv(fit.out / "backtest.csv")
    assert sorted(set(backtest["column"])) == sorted(FITTED_COLUMNS[1:])
    assert len(backtest) == 3 * 3
    assert (backtest["low"] <= backtest["median"]).all()
    assert (backtest["median"] <= backtest["high"]).all()
    inside = backtest["actual"].between(backtest["low"], backtest["high"]).mean()
    document = json.loads((fit.out / "calibration.json").read_text())
    assert document["backtest_coverage_90"] == pytest.approx(inside)
    assert "inside the 90% band" in fit.stdout


def test_the_same_seed_gives_the_same_posterior_on_any_workers_and_leaves_numpy_alone() -> None:
    company = orgsim.load(COMPANY)
    actuals = read_actuals(HERE / "companies" / "small_actuals.csv")
    params = [("scoring.mql_threshold", 0.4, 0.7)]
    tiny = Budget(population=4, generations=1, simulations=40, predictive=2)
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    first = calibrate(company, actuals, params, 9, budget=tiny)
    assert np.array_equal(np.random.get_state()[1], before)
    second = calibrate(company, actuals, params, 9, budget=tiny, workers=2)
    pd.testing.assert_frame_equal(first.posterior.table(), second.posterior.table())
    pd.testing.assert_frame_equal(first.backtest, second.backtest)
    assert first.simulations == second.simulations


BAD_PARAMS = [
    (["--param", "scoring.mql_threshold"], "expected KEY=LO:HI"),
    (["--param", "scoring.mql_threshold=0.4:high"], "LO and HI must be numbers"),
    (["--param", "scoring.mql_threshold=0.7:0.4"], "expected LO < HI"),
    (["--param", "scoring.mql_treshold=0.4:0.7"], "scoring.mql_treshold: expected a scalar number"),
    (
        ["--param", "demand.fit=0.1:0.5"],
        "demand.fit: expected a scalar number of the scenario, got a Beta",
    ),
    (["--param", "scoring.mql_threshold=0.4:1.5"], "scoring.mql_threshold"),
]


@pytest.mark.parametrize(("args", "message"), BAD_PARAMS)
def test_a_bad_param_exits_2_with_its_message_and_writes_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    out = tmp_path / "out"
    actuals = HERE / "companies" / "small_actuals.csv"
    result = CliRunner().invoke(
        main, ["calibrate", str(COMPANY), str(actuals), *args, "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert os.listdir(tmp_path) == []


def _calibrate_threshold(actuals: Path, out: Path) -> Result:
    """``orgsim calibrate`` of the small company's MQL threshold to ``actuals``, into ``out``."""
    return CliRunner().invoke(
        main,
        [
            "calibrate",
            str(COMPANY),
            str(actuals),
            "--param",
            "scoring.mql_threshold=0.4:0.7",
            "--out",
            str(out),
        ],
    )


def test_actuals_with_missing_months_exit_2_naming_the_gap(tmp_path: Path) -> None:
    out = tmp_path / "out"
    bad = HERE / "bad_actuals" / "missing_months.csv"
    result = _calibrate_threshold(bad, out)
    assert result.exit_code == 2, result.output
    assert "missing" in result.stderr and "missing_months.csv" in result.stderr
    assert not out.exists()


def test_actuals_with_nothing_to_fit_exit_2(tmp_path: Path) -> None:
    actuals = tmp_path / "spend.csv"
    actuals.write_text("month,program_spend\n2025-01,60000\n2025-02,60000\n")
    out = tmp_path / "out"
    result = _calibrate_threshold(actuals, out)
    assert result.exit_code == 2, result.output
    assert "no column to fit" in result.stderr
    assert not out.exists()


def test_actuals_whose_fitted_cells_are_all_blank_exit_2(tmp_path: Path) -> None:
    actuals = tmp_path / "blank.csv"
    actuals.write_text("month,leads,mqls\n2025-01,,\n2025-02,,\n")
    out = tmp_path / "out"
    result = _calibrate_threshold(actuals, out)
    assert result.exit_code == 2, result.output
    assert f"{actuals}: no value to fit: every cell of leads, mqls is blank" in result.stderr
    assert not out.exists()
