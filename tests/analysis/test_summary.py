"""The summary table agrees with numpy and scipy, and is honest about missing replications."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from orgsim.analysis.summary import SUMMARY_COLUMNS, summarize, summary_to_dict


@pytest.fixture
def replications() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frames = [
        pd.DataFrame(
            {
                "scenario": name,
                "replication": np.arange(12),
                "cost_per_opportunity": rng.lognormal(8, 0.3, 12),
                "wins": rng.poisson(20, 12).astype(float),
            }
        )
        for name in ("sales_owned", "marketing_owned")
    ]
    return pd.concat(frames, ignore_index=True)


def test_statistics_match_numpy_and_scipy(replications):
    summary = summarize(replications, confidence=0.9)
    for row in summary.itertuples():
        x = replications.loc[replications.scenario == row.scenario, row.kpi].to_numpy()
        low, high = stats.t.interval(0.9, x.size - 1, loc=x.mean(), scale=stats.sem(x))
        expected = [
            x.size,
            0,
            x.mean(),
            x.std(ddof=1),
            stats.sem(x),
            low,
            high,
            *np.percentile(x, [5, 50, 95]),
            0.9,
        ]
        actual = [getattr(row, c) for c in SUMMARY_COLUMNS[2:]]
        np.testing.assert_allclose(actual, expected, rtol=1e-12)


def test_one_row_per_scenario_and_kpi_in_the_order_of_the_run(replications):
    summary = summarize(replications)
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert list(zip(summary.scenario, summary.kpi, strict=True)) == [
        ("sales_owned", "cost_per_opportunity"),
        ("sales_owned", "wins"),
        ("marketing_owned", "cost_per_opportunity"),
        ("marketing_owned", "wins"),
    ]


def test_nan_replications_are_left_out_and_counted(replications):
    with_nan = replications.copy()
    with_nan.loc[[0, 3], "cost_per_opportunity"] = np.nan
    kept = replications.drop(index=[0, 3])
    got = summarize(with_nan, kpis=["cost_per_opportunity"]).iloc[0]
    want = summarize(kept, kpis=["cost_per_opportunity"]).iloc[0]
    assert (got.n, got.n_missing) == (10, 2)
    pd.testing.assert_series_equal(
        got.drop(["n", "n_missing"]), want.drop(["n", "n_missing"]), check_names=False
    )


def test_a_kpi_missing_in_every_replication_gives_nan_without_warnings(replications):
    replications["cost_per_win"] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        row = summarize(replications, kpis=["cost_per_win"]).iloc[0]
    assert (row.n, row.n_missing) == (0, 12)
    assert row[["mean", "sd", "ci_low", "ci_high", "p50"]].isna().all()


def test_a_constant_kpi_has_an_interval_of_zero_width(replications):
    replications["content_hours"] = 160.0
    row = summarize(replications, kpis=["content_hours"]).iloc[0]
    assert (row["ci_low"], row["mean"], row["ci_high"]) == (160.0, 160.0, 160.0)


def test_kpis_must_be_columns_of_the_table(replications):
    with pytest.raises(ValueError, match="not KPI columns"):
        summarize(replications, kpis=["revenue"])


def test_summary_dict_is_strict_json_with_nan_as_null(replications):
    replications["cost_per_win"] = np.nan
    nested = summary_to_dict(summarize(replications))
    text = json.dumps(nested, allow_nan=False)
    cost = json.loads(text)["marketing_owned"]["cost_per_opportunity"]
    assert cost["n"] == 12 and isinstance(cost["n"], int)
    assert set(cost) == set(SUMMARY_COLUMNS) - {"scenario", "kpi"}
    assert nested["sales_owned"]["cost_per_win"]["mean"] is None
