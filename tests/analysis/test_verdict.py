"""Verdicts choose every word from the numbers they quote."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from orgsim.analysis.paired import paired_differences
from orgsim.analysis.verdict import plain_change, verdict, verdicts


def row(**changes: object) -> dict[str, object]:
    """A paired-differences row for cost per opportunity, 18% higher than the baseline."""
    base = {
        "scenario": "Marketing-owned",
        "baseline": "Sales-owned",
        "kpi": "cost_per_opportunity",
        "direction": "lower",
        "n_pairs": 500,
        "n_dropped": 0,
        "diff": 540.0,
        "diff_t_low": 360.0,
        "diff_t_high": 720.0,
        "diff_boot_low": 365.0,
        "diff_boot_high": 725.0,
        "rel_diff": 0.18,
        "rel_t_low": 0.12,
        "rel_t_high": 0.24,
        "rel_boot_low": 0.125,
        "rel_boot_high": 0.245,
        "p_better": 0.03,
        "p_higher": 0.97,
        "p_tie": 0.0,
        "confidence": 0.95,
    }
    return base | changes


def test_a_cost_that_rises_reads_raises_and_lower_in_few_replications():
    assert verdict(row()) == (
        "Marketing-owned raises cost per opportunity by 18% (95% CI 12% to 24%); "
        "lower in 15 of 500 runs"
    )


def test_a_kpi_undefined_in_some_replications_says_how_many_it_rests_on():
    """Cost per win has no value in a replication with no win: the verdict counts what is left."""
    assert verdict(row(n_pairs=180, n_dropped=20)).endswith(
        "lower in 5 of 180 runs (20 without a value)"
    )


def test_a_cost_that_falls_reads_lowers_with_the_interval_as_magnitudes():
    falls = row(
        diff=-540.0,
        rel_diff=-0.18,
        rel_t_low=-0.24,
        rel_t_high=-0.12,
        p_better=0.97,
        p_higher=0.03,
    )
    assert verdict(falls) == (
        "Marketing-owned lowers cost per opportunity by 18% (95% CI 12% to 24%); "
        "lower in 485 of 500 runs"
    )


def test_an_interval_containing_zero_reads_no_clear_difference_with_signs():
    unclear = row(rel_diff=0.02, rel_t_low=-0.03, rel_t_high=0.07, p_better=0.45, p_higher=0.55)
    assert verdict(unclear) == (
        "Marketing-owned: no clear difference in cost per opportunity "
        "(+2.0%, 95% CI -3.0% to +7.0%); lower in 225 of 500 runs"
    )


def test_a_kpi_where_more_is_better_reads_higher():
    wins = row(
        kpi="wins",
        direction="higher",
        rel_diff=-0.1,
        rel_t_low=-0.15,
        rel_t_high=-0.05,
        p_better=0.2,
        p_higher=0.2,
    )
    assert verdict(wins) == (
        "Marketing-owned lowers wins by 10.0% (95% CI 5.0% to 15.0%); higher in 100 of 500 runs"
    )


def test_a_neutral_kpi_reports_how_often_it_is_higher():
    neutral = row(
        kpi="sdr_utilization",
        direction="neutral",
        diff=0.05,
        diff_t_low=0.03,
        diff_t_high=0.07,
        p_better=math.nan,
        p_higher=0.8,
    )
    assert verdict(neutral).endswith("; higher in 400 of 500 runs")


def test_a_rate_changes_by_percentage_points_not_percent():
    rate = row(
        kpi="mql_to_sql",
        direction="higher",
        diff=-0.031,
        diff_t_low=-0.042,
        diff_t_high=-0.02,
        p_better=0.1,
        p_higher=0.1,
    )
    assert verdict(rate).startswith(
        "Marketing-owned lowers MQL-to-SQL rate by 3.1 points (95% CI 2.0 points to 4.2 points)"
    )


def test_a_zero_baseline_changes_by_an_absolute_amount_in_the_kpis_unit():
    from_zero = row(
        kpi="diverted_hours",
        diff=120.0,
        diff_t_low=100.0,
        diff_t_high=140.0,
        rel_diff=math.nan,
        rel_t_low=math.nan,
        rel_t_high=math.nan,
        p_better=0.0,
    )
    assert verdict(from_zero).startswith(
        "Marketing-owned raises marketer hours diverted to dialing by 120.0 h (95% CI 100.0 h to 140.0 h)"
    )


def test_ties_are_counted_apart_not_as_halves():
    """p_better counts a tie as half a run; the sentence gives whole runs and the ties."""
    tied = row(kpi="sdr_exits", p_better=0.55, p_tie=0.3)
    assert verdict(tied).endswith("lower in 200 of 500 runs, equal in 150")


def test_equal_in_every_replication_says_so():
    assert verdict(row(p_tie=1.0)) == (
        "Marketing-owned: no difference in cost per opportunity (equal in every run)"
    )


def test_an_undefined_interval_is_not_dressed_up_as_a_result():
    undefined = row(
        n_pairs=1,
        diff=5.0,
        diff_t_low=math.nan,
        diff_t_high=math.nan,
        rel_t_low=math.nan,
        rel_t_high=math.nan,
    )
    assert verdict(undefined) == (
        "Marketing-owned: cannot compare cost per opportunity (no interval from 1 complete pair)"
    )


def test_the_bootstrap_verdict_quotes_the_bootstrap_interval():
    bootstrap = row(rel_boot_low=0.10, rel_boot_high=0.26)
    assert "(95% CI 10% to 26%)" in verdict(bootstrap, interval="bootstrap")


def test_rare_and_near_certain_outcomes_are_counted_not_rounded_to_never_or_always():
    assert verdict(row(p_better=0.002)).endswith("lower in 1 of 500 runs")
    assert verdict(row(p_better=0.998)).endswith("lower in 499 of 500 runs")


def test_small_changes_keep_two_significant_digits():
    small = row(rel_diff=0.004, rel_t_low=0.0012, rel_t_high=0.0068)
    assert "by 0.40% (95% CI 0.12% to 0.68%)" in verdict(small)


@given(
    est=st.floats(-0.5, 0.5),
    spread_low=st.floats(0.0001, 0.3),
    spread_high=st.floats(0.0001, 0.3),
)
def test_the_verb_follows_the_sign_of_the_interval(est, spread_low, spread_high):
    low, high = est - spread_low, est + spread_high
    text = verdict(row(rel_diff=est, rel_t_low=low, rel_t_high=high))
    if low > 0:
        assert " raises " in text
    elif high < 0:
        assert " lowers " in text
    else:
        assert ": no clear difference in " in text


def test_verdicts_read_a_whole_paired_differences_table():
    rng = np.random.default_rng(1)
    cost = rng.lognormal(8, 0.3, 200)
    replications = pd.DataFrame(
        {
            "scenario": ["Sales-owned"] * 200 + ["Marketing-owned"] * 200,
            "replication": np.tile(np.arange(200), 2),
            "cost_per_opportunity": np.concatenate(
                [cost, 1.18 * cost * rng.lognormal(0, 0.1, 200)]
            ),
        }
    )
    differences = paired_differences(replications, "Sales-owned")
    lines = verdicts(differences)
    assert lines.index.equals(differences.index)
    assert lines.iloc[0].startswith("Marketing-owned raises cost per opportunity by 1")


def test_an_unknown_interval_kind_is_an_error():
    with pytest.raises(ValueError, match="interval must be 't' or 'bootstrap'"):
        verdict(row(), interval="z")


def test_plain_change_reads_a_cost_per_something_as_a_price_and_names_the_baseline():
    rises = row(kpi="cost_per_win", rel_diff=0.061, rel_t_low=0.05, rel_t_high=0.08, p_better=0.11)
    assert plain_change(rises, against="Sales-owned") == (
        "costs 6.1% more per win than Sales-owned (95% CI 5.0% to 8.0%); cheaper in 55 of 500 runs"
    )
    unclear = row(kpi="cost_per_win", rel_diff=0.01, rel_t_low=-0.02, rel_t_high=0.04)
    assert plain_change(unclear).startswith("costs about the same per win (+1.0%, 95% CI -2.0%")


def test_plain_change_of_any_other_kpi_raises_or_lowers_it():
    wins = row(kpi="wins", direction="higher", rel_diff=0.04, rel_t_low=0.02, rel_t_high=0.06)
    assert plain_change(wins, against="A").startswith("raises wins by 4.0% against A (95% CI")
    assert plain_change(wins).endswith("higher in 15 of 500 runs")
