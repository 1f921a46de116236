"""The baseline lands in the published benchmark ranges of model.md."""

from __future__ import annotations

import math

import pytest
from model_helpers import replicate, shipped

RANGES = {
    # ~10%+, 7% (Four Quadrant 2012). "Or more" has no published ceiling: 0.20 is twice
    # "about 10%". At steady state nurtured leads come back as first-time MQLs too
    # (about 15% of leads); started cold, with nurture empty, it was about 11%.
    "lead_to_mql": (0.05, 0.20),
    "mql_to_sql": (0.10, 0.35),  # ~10%+, 31% (same survey)
    "sql_to_opportunity": (0.40, 0.90),  # 59% top SDR teams; 90% under an SLA
    "opportunity_to_win": (0.15, 0.35),  # 22% SDR-sourced (TOPO 2017)
}

STATED = {
    # no published figure: the ranges docs/model.md states and justifies (2.8b), not benchmarks
    "pipeline_sdr_sourced_share": (0.55, 0.80),
    "ae_utilization": (0.40, 0.75),
}


@pytest.fixture(scope="module")
def baseline():
    return replicate(shipped("sales_owns_inside_sales"), n=40, seed=2026)


@pytest.mark.parametrize("kpi", sorted(RANGES))
def test_baseline_conversion_lies_in_the_benchmark_range(baseline, kpi):
    low, high = RANGES[kpi]
    values = baseline[kpi]
    half_width = 3 * values.std(ddof=1) / math.sqrt(len(values))
    assert low < values.mean() - half_width and values.mean() + half_width < high, values.mean()


def test_sdr_tenure_is_about_fourteen_months(baseline):
    """Seat-months per exit estimates tenure; exits are Poisson, so its relative SE is 1/sqrt(exits)."""
    scenario = shipped("sales_owns_inside_sales")
    seats_months = scenario.teams.sdr.headcount * scenario.calendar.months
    exits = baseline["sdr_exits"].sum()
    seat_months = (seats_months - baseline["sdr_vacant_seat_months"]).sum()
    tenure = seat_months / exits
    assert abs(tenure - 14) < 3 * tenure / math.sqrt(exits), tenure


@pytest.mark.parametrize("kpi", sorted(STATED))
def test_baseline_pipeline_mix_and_ae_load_lie_in_their_stated_range(baseline, kpi):
    low, high = STATED[kpi]
    values = baseline[kpi]
    half_width = 3 * values.std(ddof=1) / math.sqrt(len(values))
    assert low < values.mean() - half_width and values.mean() + half_width < high, values.mean()


def test_ae_tenure_is_the_assumed_thirty_months(baseline):
    """As for SDRs: seat-months per exit, with relative SE 1/sqrt(exits) (Poisson exits)."""
    scenario = shipped("sales_owns_inside_sales")
    seats_months = scenario.teams.ae.headcount * scenario.calendar.months  # reported months only
    exits = baseline["ae_exits"].sum()
    seat_months = (seats_months - baseline["ae_vacant_seat_months"]).sum()
    tenure = seat_months / exits
    assert abs(tenure - 30) < 3 * tenure / math.sqrt(exits), tenure


def test_team_has_about_eight_sdrs_per_manager():
    assert 6 <= shipped("sales_owns_inside_sales").teams.sdr.headcount <= 10
