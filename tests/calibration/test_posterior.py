"""Posteriors: weighted summaries, seeded resampling, the fit's statistics, and ``compare --posterior``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import orgsim
from orgsim.calibration.posterior import normalized, read_posterior
from orgsim.calibration.second_order import (
    compare_over_posterior,
    posterior_draws,
    run_over_posterior,
)
from orgsim.calibration.statistics import summary_statistics
from orgsim.cli import main
from orgsim.scenario import Scenario

COMPANY = Path(__file__).parent / "companies" / "small_company.yaml"


def test_weighted_quantiles_with_equal_weights_are_numpys_inverted_cdf() -> None:
    values = np.random.default_rng(4).normal(size=37)
    posterior = normalized(pd.DataFrame({"x": values}), np.ones(37))
    for share in (0.05, 0.5, 0.95):
        assert posterior.quantile("x", share) == np.quantile(values, share, method="inverted_cdf")
    assert posterior.mean("x") == pytest.approx(values.mean())


def test_resampling_follows_the_weights_and_the_seed() -> None:
    posterior = normalized(pd.DataFrame({"x": [1.0, 2.0]}), np.array([9.0, 1.0]))
    draws = posterior_draws(posterior, 400, seed=3)
    # Binomial: the share of the first draw is 0.9 with SE sqrt(0.9 * 0.1 / 400) = 0.015.
    assert (draws["x"] == 1.0).mean() == pytest.approx(0.9, abs=4 * 0.015)
    pd.testing.assert_frame_equal(draws, posterior_draws(posterior, 400, seed=3))


def test_a_blank_month_drops_its_statistics_and_a_rate_over_zero_is_zero() -> None:
    observed = pd.DataFrame({"leads": [100.0, np.nan], "mqls": [10.0, 5.0]})
    simulated = pd.DataFrame({"leads": [0.0, 90.0], "mqls": [3.0, 4.0]})
    statistics = summary_statistics(simulated, observed)
    assert statistics == {"leads[0]": 0.0, "mqls[0]": 3.0, "mqls[1]": 4.0, "lead_to_mql[0]": 0.0}


def test_each_design_runs_replication_i_under_the_same_posterior_draw() -> None:
    # Two very different lead volumes: a replication's leads tell which draw it ran under.
    posterior = normalized(
        pd.DataFrame({"demand.leads_per_month": [100.0, 1000.0]}), np.array([1.0, 1.0])
    )
    sales, marketing = one_month_of_each_owner()
    result = compare_over_posterior([sales, marketing], posterior, 6, seed=8, n_boot=50)
    expected = posterior_draws(posterior, 6, seed=8)["demand.leads_per_month"].to_numpy()
    assert 0 < (expected == 100.0).sum() < 6
    for run in result.runs:
        leads = run.replications.sort_values("replication")["leads"].to_numpy()
        assert np.array_equal(np.where(leads > 400, 1000.0, 100.0), expected), run.scenario.name
    assert result.differences.set_index("kpi").loc["leads", "n_pairs"] == 6


def test_compare_refuses_a_posterior_without_weights_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "posterior.csv"
    bad.write_text("scoring.mql_threshold\n0.5\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["compare", str(COMPANY), str(COMPANY), "--posterior", str(bad), "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert f"{bad}:1: no weight column" in result.stderr
    assert not out.exists()


def test_a_posterior_key_the_design_lacks_is_named(tmp_path: Path) -> None:
    posterior = tmp_path / "posterior.csv"
    posterior.write_text("scoring.mql_treshold,weight\n0.5,1\n")
    result = CliRunner().invoke(
        main,
        ["compare", str(COMPANY), str(COMPANY), "--posterior", str(posterior), "--reps", "1"],
    )
    assert result.exit_code == 2, result.output
    assert "mql_treshold" in result.stderr and "Traceback" not in result.output


def test_read_posterior_names_a_cell_that_is_not_a_number(tmp_path: Path) -> None:
    posterior = tmp_path / "posterior.csv"
    posterior.write_text("scoring.mql_threshold,weight\n0.5,1\nabc,1\n")
    with pytest.raises(orgsim.ScenarioError, match=r"posterior.csv:3 scoring.mql_threshold"):
        read_posterior(posterior)


def test_run_over_a_posterior_is_compare_s_first_design_and_writes_its_directory(
    tmp_path: Path,
) -> None:
    posterior_file = tmp_path / "posterior.csv"
    posterior_file.write_text("demand.leads_per_month,weight\n100,1\n1000,1\n")
    sales = orgsim.load(COMPANY, {"calendar.months": 1})
    alone = run_over_posterior(sales, read_posterior(posterior_file), 4, seed=8, workers=2)
    paired = compare_over_posterior([sales, sales], read_posterior(posterior_file), 4, seed=8)
    pd.testing.assert_frame_equal(alone.replications, paired.runs[0].replications)
    out = tmp_path / "run"
    result = CliRunner().invoke(
        main,
        [
            "run", str(COMPANY), "--set", "calendar.months=1", "--posterior", str(posterior_file),
            "--reps", "4", "--seed", "8", "--workers", "1", "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out / "replications.csv")
    assert written["leads"].tolist() == alone.replications["leads"].tolist()


def test_run_refuses_a_posterior_with_until_precision(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["run", str(COMPANY), "--posterior", str(tmp_path / "p.csv"), "--until-precision", "0.1"],
    )
    assert result.exit_code == 2
    assert "--posterior and --until-precision do not combine" in result.output


def test_explain_over_a_posterior_adds_up_and_each_design_runs_the_same_draw(
    tmp_path: Path,
) -> None:
    """With two lead volumes as the posterior, the contributions still sum to B - A replication
    by replication, and B - A is the paired difference of the designs run over the draws."""
    from orgsim.calibration.second_order import explain_over_posterior

    posterior = normalized(
        pd.DataFrame({"demand.leads_per_month": [200.0, 400.0]}), np.array([1.0, 1.0])
    )
    sales, marketing = one_month_of_each_owner()
    result = explain_over_posterior(sales, marketing, posterior, 4, seed=8, kpi="sqls")
    parts = sum(c.values for c in result.contributions.values())
    np.testing.assert_allclose(parts, result.total.values)
    paired = compare_over_posterior([sales, marketing], posterior, 4, seed=8, n_boot=20)
    by_design = [
        run.replications.sort_values("replication")["sqls"].to_numpy() for run in paired.runs
    ]
    np.testing.assert_allclose(result.total.values, by_design[1] - by_design[0])
    assert 1 <= result.designs <= 2 ** len(result.contributions)


def one_month_of_each_owner() -> tuple[Scenario, Scenario]:
    """The small company for one month, with sales and with marketing owning inside sales."""
    sales = orgsim.load(COMPANY, {"calendar.months": 1})
    marketing = orgsim.load(
        COMPANY,
        {"calendar.months": 1, "org.inside_sales_reports_to": "marketing", "name": "marketing"},
    )
    return sales, marketing
