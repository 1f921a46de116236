"""Paired differences on common random numbers: intervals that cover, and pairing that pays."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from orgsim.analysis.paired import PAIRED_COLUMNS, paired_differences

EXPERIMENTS = 400
PAIRS = 30
TRUE_DIFF = 5.0
BASELINE_MEAN = 100.0


def table(**scenarios: dict[str, np.ndarray]) -> pd.DataFrame:
    """A replications table from ``scenario=dict(kpi=values)``, replications numbered 0..n-1."""
    return pd.concat(
        [
            pd.DataFrame(kpis).assign(scenario=name, replication=lambda f: np.arange(len(f)))
            for name, kpis in scenarios.items()
        ],
        ignore_index=True,
    )


@pytest.fixture(scope="module")
def experiments() -> pd.DataFrame:
    """400 independent small experiments, one per KPI column, with a known difference.

    Replication i of both scenarios shares a large common term (the common
    random numbers), and B adds exactly 5 plus small noise of its own: the
    true difference is 5 and the true relative difference 5 / 100.
    """
    rng = np.random.default_rng(2024)
    common = BASELINE_MEAN + 10 * rng.standard_normal((PAIRS, EXPERIMENTS))
    own = rng.standard_normal((PAIRS, EXPERIMENTS))
    names = [f"experiment_{i}" for i in range(EXPERIMENTS)]
    a = dict(zip(names, common.T, strict=True))
    b = dict(zip(names, (common + TRUE_DIFF + own).T, strict=True))
    return paired_differences(table(A=a, B=b), baseline="A", n_boot=999, seed=7)


def coverage(differences: pd.DataFrame, prefix: str, truth: float) -> float:
    low, high = differences[f"{prefix}_low"], differences[f"{prefix}_high"]
    return float(np.mean((low <= truth) & (truth <= high)))


def tolerance(p: float) -> float:
    """Three binomial standard errors of a coverage proportion over the experiments."""
    return 3 * math.sqrt(p * (1 - p) / EXPERIMENTS)


# A percentile-type bootstrap interval for a mean is about mean +- z * s * sqrt((n-1)/n) / sqrt(n)
# (z, not t, and the plug-in sd), so on normal data it covers P(|T_{n-1}| < z sqrt((n-1)/n)),
# 93.6% at n = 30 rather than 95%. BCa adds only small corrections here (no skew, no bias).
BOOTSTRAP_COVERAGE = 1 - 2 * stats.t.sf(
    stats.norm.ppf(0.975) * math.sqrt((PAIRS - 1) / PAIRS), PAIRS - 1
)


def test_t_interval_covers_the_true_difference_95_percent_of_the_time(experiments):
    assert abs(coverage(experiments, "diff_t", TRUE_DIFF) - 0.95) <= tolerance(0.95)


def test_bootstrap_interval_covers_the_true_difference_about_as_a_small_sample_allows(experiments):
    got = coverage(experiments, "diff_boot", TRUE_DIFF)
    assert BOOTSTRAP_COVERAGE - tolerance(BOOTSTRAP_COVERAGE) <= got <= 0.95 + tolerance(0.95)


def test_relative_intervals_cover_the_true_relative_difference(experiments):
    truth = TRUE_DIFF / BASELINE_MEAN
    assert abs(coverage(experiments, "rel_t", truth) - 0.95) <= tolerance(0.95)
    got = coverage(experiments, "rel_boot", truth)
    assert BOOTSTRAP_COVERAGE - tolerance(BOOTSTRAP_COVERAGE) <= got <= 0.95 + tolerance(0.95)


def test_pairing_gives_a_narrower_interval_than_independent_samples():
    rng = np.random.default_rng(3)
    common = 100 + 10 * rng.standard_normal(50)
    a, b = common, common + TRUE_DIFF + rng.standard_normal(50)
    row = paired_differences(table(A={"cost_total": a}, B={"cost_total": b}), "A").iloc[0]
    unpaired = stats.ttest_ind(b, a).confidence_interval(0.95)
    paired_width = row.diff_t_high - row.diff_t_low
    # The shared term's sd (10) cancels in each difference, leaving sd 1 against sd ~14.
    assert paired_width < (unpaired.high - unpaired.low) / 5


def test_difference_statistics_match_scipy_on_the_pairs():
    rng = np.random.default_rng(4)
    a = rng.normal(50, 5, 20)
    b = a + rng.normal(2, 1, 20)
    row = paired_differences(table(A={"revenue": a}, B={"revenue": b}), "A").iloc[0]
    d = b - a
    low, high = stats.t.interval(0.95, d.size - 1, loc=d.mean(), scale=stats.sem(d))
    np.testing.assert_allclose(
        [
            row.baseline_mean,
            row.scenario_mean,
            row["diff"],
            row.diff_sem,
            row.diff_t_low,
            row.diff_t_high,
        ],
        [a.mean(), b.mean(), d.mean(), stats.sem(d), low, high],
        rtol=1e-12,
    )
    assert row.rel_diff == pytest.approx(d.mean() / a.mean(), rel=1e-12)
    assert row.diff_boot_low < d.mean() < row.diff_boot_high


def test_the_relative_t_interval_is_the_delta_method_one():
    rng = np.random.default_rng(5)
    a = rng.normal(80, 8, 25)
    b = 1.1 * a + rng.normal(0, 2, 25)
    row = paired_differences(table(A={"wins": a}, B={"wins": b}), "A").iloc[0]
    ratio = (b.mean() - a.mean()) / a.mean()
    # Var(D/A) ~ (Var D - 2 r Cov(D, A) + r^2 Var A) / (n A^2) for the means D and A.
    d = b - a
    cov = np.cov(d, a)
    se = math.sqrt((cov[0, 0] - 2 * ratio * cov[0, 1] + ratio**2 * cov[1, 1]) / a.size) / a.mean()
    half = stats.t.ppf(0.975, a.size - 1) * se
    np.testing.assert_allclose(
        [row.rel_t_low, row.rel_t_high], [ratio - half, ratio + half], rtol=1e-10
    )


def ties_table(kpi: str) -> pd.DataFrame:
    """Scenario B is lower in 6 replications, higher in 2, equal in 2."""
    a = np.full(10, 10.0)
    b = np.array([8, 8, 8, 8, 8, 8, 12, 12, 10, 10], dtype=float)
    return table(A={kpi: a}, B={kpi: b})


def test_p_better_counts_lower_as_better_for_costs_with_ties_as_half():
    row = paired_differences(ties_table("cost_per_opportunity"), "A").iloc[0]
    assert (row.p_better, row.p_higher, row.p_tie) == (0.7, 0.3, 0.2)


def test_p_better_counts_higher_as_better_for_revenue():
    row = paired_differences(ties_table("revenue"), "A").iloc[0]
    assert (row.p_better, row.p_higher) == (0.3, 0.3)


def test_p_better_is_undefined_for_a_neutral_kpi_and_p_higher_is_given():
    row = paired_differences(ties_table("sdr_utilization"), "A").iloc[0]
    assert math.isnan(row.p_better)
    assert row.p_higher == 0.3


def test_nan_values_drop_their_pair_and_are_counted():
    a = np.arange(10, dtype=float)
    b = a + 1
    a[2], b[5] = np.nan, np.nan
    row = paired_differences(table(A={"cost_per_win": a}, B={"cost_per_win": b}), "A").iloc[0]
    kept = np.array([0, 1, 3, 4, 6, 7, 8, 9], dtype=float)
    assert (row.n_pairs, row.n_dropped) == (8, 2)
    assert row.baseline_mean == kept.mean()
    assert row["diff"] == 1.0


def test_identical_scenarios_differ_by_exactly_zero():
    a = np.random.default_rng(6).normal(100, 10, 30)
    row = paired_differences(table(A={"cost_total": a}, B={"cost_total": a.copy()}), "A").iloc[0]
    bounds = row[["diff", "diff_t_low", "diff_t_high", "diff_boot_low", "diff_boot_high"]]
    assert (bounds == 0).all()
    assert (
        row[["rel_diff", "rel_t_low", "rel_t_high", "rel_boot_low", "rel_boot_high"]] == 0
    ).all()
    assert row.p_tie == 1


def test_a_constant_shift_has_a_bootstrap_interval_of_zero_width():
    a = np.arange(30, dtype=float)
    row = paired_differences(table(A={"leads": a}, B={"leads": a + 3}), "A").iloc[0]
    assert (row.diff_boot_low, row.diff_boot_high) == (3.0, 3.0)


def test_relative_difference_is_undefined_when_the_baseline_mean_is_zero():
    rng = np.random.default_rng(8)
    a = np.zeros(20)
    row = paired_differences(
        table(A={"diverted_hours": a}, B={"diverted_hours": rng.gamma(2, 10, 20)}), "A"
    ).iloc[0]
    assert (
        row[["rel_diff", "rel_t_low", "rel_t_high", "rel_boot_low", "rel_boot_high"]].isna().all()
    )
    assert row.diff_t_low > 0


def test_rows_pair_by_replication_number_not_by_row_order():
    rng = np.random.default_rng(9)
    a = rng.normal(100, 10, 20)
    replications = table(A={"sqls": a}, B={"sqls": a + rng.normal(1, 1, 20)})
    shuffled = replications.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(
        paired_differences(shuffled, "A"), paired_differences(replications, "A")
    )


def test_each_kpi_bootstrap_is_reproducible_whatever_else_is_analysed():
    rng = np.random.default_rng(10)
    kpis = {k: rng.normal(100, 10, 20) for k in ("sqls", "wins")}
    replications = table(A=kpis, B={k: v + rng.normal(1, 2, 20) for k, v in kpis.items()})
    both = paired_differences(replications, "A", seed=3).set_index("kpi")
    alone = paired_differences(replications, "A", kpis=["wins"], seed=3).set_index("kpi")
    pd.testing.assert_series_equal(both.loc["wins"], alone.loc["wins"])


def test_every_other_scenario_is_compared_with_the_baseline():
    x = np.arange(5, dtype=float)
    replications = table(
        A={"sqls": x, "wins": x}, B={"sqls": x, "wins": x}, C={"sqls": x, "wins": x}
    )
    differences = paired_differences(replications, "B")
    assert list(differences.columns) == list(PAIRED_COLUMNS)
    assert list(zip(differences.scenario, differences.kpi, strict=True)) == [
        ("A", "sqls"),
        ("A", "wins"),
        ("C", "sqls"),
        ("C", "wins"),
    ]
    assert (differences.baseline == "B").all()


def test_different_replication_sets_cannot_be_paired():
    x = np.arange(5, dtype=float)
    replications = table(A={"sqls": x}, B={"sqls": x})
    replications.loc[replications.scenario == "B", "replication"] += 2
    with pytest.raises(
        ValueError,
        match=r"replications differ \(only in baseline: \[0, 1\]; only in 'B': \[5, 6\]\)",
    ):
        paired_differences(replications, "A")


def test_a_replication_listed_twice_is_an_error():
    x = np.arange(3, dtype=float)
    replications = table(A={"sqls": x}, B={"sqls": x})
    replications.loc[5, "replication"] = 0
    with pytest.raises(ValueError, match=r"'B' has replication\(s\) \[0\] more than once"):
        paired_differences(replications, "A")


def test_an_unknown_baseline_is_an_error_naming_the_scenarios():
    x = np.arange(3, dtype=float)
    with pytest.raises(
        ValueError, match=r"baseline 'C' is not a scenario of the table: \['A', 'B'\]"
    ):
        paired_differences(table(A={"sqls": x}, B={"sqls": x}), "C")


def test_no_bootstrap_leaves_its_intervals_empty_and_the_t_intervals_unchanged() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(10, 1, 30)
    b = a + rng.normal(2, 0.5, 30)
    quick = paired_differences(table(A={"kpi": a}, B={"kpi": b}), baseline="A", n_boot=0).iloc[0]
    full = paired_differences(
        table(A={"kpi": a}, B={"kpi": b}), baseline="A", n_boot=200, seed=1
    ).iloc[0]
    assert np.isnan(quick["diff_boot_low"]) and np.isnan(quick["rel_boot_high"])
    for column in ("diff", "diff_t_low", "diff_t_high", "rel_t_low", "rel_t_high", "p_higher"):
        assert quick[column] == full[column]
    with pytest.raises(ValueError, match="n_boot"):
        paired_differences(table(A={"kpi": a}, B={"kpi": b}), baseline="A", n_boot=-1)


def test_a_table_with_no_completed_replication_pairs_nothing():
    """Every replication of every design failed: nothing pairs, and nothing raises on the way."""
    from orgsim.analysis.paired import shared_replications

    empty = pd.DataFrame(
        {
            "scenario": pd.Series([], dtype=object),
            "replication": pd.Series([], dtype="int64"),
            "cost_per_win": pd.Series([], dtype=float),
        }
    )
    assert shared_replications(empty).empty
