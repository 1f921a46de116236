"""AEs as people with finite hours, and the pipeline they do not get from SDRs.

Queueing checks use a sales floor fed by partner deals alone (Poisson, constant
cycle), so the expectation comes from Little's law, not from the model's code.
"""

from __future__ import annotations

import math

import pandas as pd
from model_helpers import HOURS_PER_MONTH, build, paired_z, replicate, shipped

from orgsim.model.ae_hours import team_slots

HOURS_PER_CALENDAR_DAY = HOURS_PER_MONTH / (365.25 / 12)
SELLING_HOURS = 40 * 4.2 * 0.6  # hours_per_week x weeks a month x selling_share: 100.8
CYCLE_HOURS = 160.0  # so an open deal takes 12 h x 168 / 160 = 12.6 h a month: 8 slots an AE


def partner_floor(deals_per_month: float, aes: int = 5, months: int = 4) -> dict[str, object]:
    """No leads, SDRs or AE-sourced deals: partner deals alone reach a floor of steady AEs."""
    return {
        "calendar.months": months,
        "calendar.warm_up_months": 1,
        "demand.leads_per_month": 1e-6,  # no leads (the schema wants a positive rate)
        "teams.sdr.headcount": 0,
        "followup.outbound.enabled": False,
        "teams.ae.headcount": aes,
        "teams.ae.skill": 1.0,
        "teams.ae.ramp.enabled": False,
        "teams.ae.attrition.enabled": False,
        "teams.ae.work.hours_per_opportunity": 12.0,
        "selling.cycle_days": CYCLE_HOURS / HOURS_PER_CALENDAR_DAY,
        "selling.ae_sourced.enabled": False,
        "selling.partner.per_month": deals_per_month,
    }


def all_wins(runs: pd.DataFrame) -> pd.Series:
    return runs["wins"] + runs["wins_ae_sourced"] + runs["wins_partner"]


def test_slots_share_the_teams_hours_and_skip_vacant_seats():
    """3 AEs x 100 h less 36 h of reviews is 264 h, 22 deals of 12 h: 8 + 7 + 7, none lost."""
    slots = team_slots(
        [True, False, True, True], hours_per_ae=100.0, review_hours=36.0, per_deal=12.0
    )
    assert slots == [8.0, 0.0, 7.0, 7.0]
    assert team_slots([False, False], 100.0, 0.0, 12.0) == [0.0, 0.0]


def test_ae_utilization_is_arrival_rate_times_hours_over_capacity():
    """Little's law on the deals being worked: hours on deals average rate x hours per deal.

    25 deals a month x 12 h over 5 AEs x 100.8 h = 0.595. With 40 slots at this
    load (M/D/40 at 0.6) a deal almost never waits, and the time-average of deals
    worked is unbiased for rate x cycle after the warm-up month; the tolerance is
    3 standard errors of the mean over replications.
    """
    runs = replicate(build(partner_floor(25.0)), n=30)
    expected = 25.0 * 12.0 / (5 * SELLING_HOURS)
    observed = runs["ae_utilization"]
    standard_error = observed.std(ddof=1) / math.sqrt(len(observed))
    assert abs(observed.mean() - expected) < 3 * standard_error, (observed.mean(), expected)


def test_saturated_aes_make_deals_wait_and_win_less():
    """Offered 1.5x the floor's hours, deals queue: sojourn beyond the cycle, and waits cost wins.

    An overloaded queue's wait grows through the horizon, so the heavy floor's
    mean sojourn must exceed the cycle by more than 3 standard errors of its
    mean over replications; the light floor (M/D/40 at 0.6) barely waits, so
    its mean lies within 3 standard errors of the cycle or below it.
    """
    light = replicate(build(partner_floor(25.0)), n=10)
    heavy = replicate(build(partner_floor(60.0)), n=10)
    assert heavy["ae_utilization"].min() > 0.97
    sojourn = {
        name: runs["opportunity_sojourn_hours_mean"]
        for name, runs in [("light", light), ("heavy", heavy)]
    }
    beyond_cycle = {
        name: (hours.mean() - CYCLE_HOURS) / hours.sem() for name, hours in sojourn.items()
    }
    assert beyond_cycle["heavy"] > 3 > beyond_cycle["light"], beyond_cycle
    # win chance per closed deal falls with the wait (selling.wait_penalty_per_month)
    win_rate = lambda runs: (runs["wins_partner"] / runs["opportunities_partner"]).mean()  # noqa: E731
    assert win_rate(heavy) < win_rate(light)


def test_hours_on_rejected_sqls_cost_a_tight_floor_wins():
    """Heinz's second pro, 'sales spends its time only on qualified opportunities', read back:
    on a floor short of AEs (8, about 90% utilized), hours spent reviewing the SQLs it rejects
    are taken from deals, which wait longer and win less.

    Paired on common random numbers (same SQLs, same deals); beyond 3 standard errors.
    """
    tight = {"teams.ae.headcount": 8}
    clean = replicate(shipped("sales_owns_inside_sales", tight), n=10)
    junk = replicate(
        shipped("sales_owns_inside_sales", {**tight, "teams.ae.work.hours_per_rejected_sql": 2.0}),
        n=10,
    )
    assert (junk["ae_review_hours"] > clean["ae_review_hours"]).all()
    sojourn = "opportunity_sojourn_hours_mean"
    assert paired_z(clean[sojourn], junk[sojourn]) > 3
    assert paired_z(all_wins(clean), all_wins(junk)) < -3


def test_a_newly_hired_ae_team_wins_less_while_it_ramps():
    """Bridge Group: AEs take just under 5 months to full productivity; paired, beyond 3 SE."""
    steady = {"calendar.months": 3, "teams.ae.attrition.enabled": False}
    tenured = replicate(
        shipped("sales_owns_inside_sales", {**steady, "teams.ae.tenure_months": 120}), n=10
    )
    new = replicate(
        shipped("sales_owns_inside_sales", {**steady, "teams.ae.tenure_months": 0.01}), n=10
    )
    assert paired_z(all_wins(tenured), all_wins(new)) < -3
    assert (new["opportunities_ae_sourced"] <= tenured["opportunities_ae_sourced"]).all()
