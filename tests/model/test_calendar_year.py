"""The planners' calendar: seasonal lead volume and working days lost to holidays and vacation."""

from __future__ import annotations

import numpy as np
from model_helpers import build, monthly, replicate

PROFILE = (1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2)
LEADS = 2000


def leads_only(overrides: dict) -> dict:
    """Leads and content, nothing for SDRs to work (fast): no MQL can pass a bar of 1."""
    return {
        "calendar.months": 12,
        "calendar.warm_up_months": 2,
        "calendar.steady_start": False,
        "demand.leads_per_month": LEADS,
        "demand.content.enabled": False,
        "scoring.enabled": False,
        "scoring.mql_threshold": 1.0,
        "followup.outbound.enabled": False,
        "teams.sdr.headcount": 1,
        **overrides,
    }


def test_leads_follow_the_seasonal_profile_from_the_start_month():
    """Leads of a month are Poisson(leads_per_month x profile[calendar month]): SE sqrt(mean / reps).

    Reported month 1 is July (start_month 7), after two warm-up months.
    """
    reps = 5
    scenario = build(leads_only({"demand.seasonality": PROFILE, "calendar.start_month": 7}))
    leads = np.array([m["leads"] for m in monthly(scenario, reps)])
    expected = LEADS * np.roll(np.array(PROFILE), -6)  # July first
    z = (leads.mean(axis=0) - expected) / np.sqrt(expected / reps)
    assert np.all(np.abs(z) < 3), z


def test_lost_days_take_their_share_of_content_hours():
    """Content hours are deterministic here: a month losing 7 of 21 days makes two thirds of one losing none."""
    lost = (7.0, 0.0, 10.5, *(0.0,) * 9)
    content = monthly(build(leads_only({"calendar.lost_days": lost})), 1)[0]["content_hours"]
    np.testing.assert_allclose(content[:3] / content[1], [2 / 3, 1.0, 0.5])


def test_lost_days_cut_prospecting_and_so_outbound_sqls():
    """Outbound SQLs are Poisson in prospecting hours: a month at half the days books about half.

    Over 12 months of 10 replications, about 90 and 45 SQLs a month: the means' SEs
    are about sqrt(90 / 120) and sqrt(45 / 120), so the ratio's SE is about 0.01 and
    0.05 is five of them (ramp and vacancies hit both sides alike, common numbers).
    """
    half = {"calendar.lost_days": (10.5,) * 12}
    overrides = {"calendar.months": 12, "calendar.warm_up_months": 0, "demand.enabled": False}
    full = np.mean([m["sqls_outbound"] for m in monthly(build(overrides), 10)])
    halved = np.mean([m["sqls_outbound"] for m in monthly(build({**overrides, **half}), 10)])
    assert abs(halved / full - 0.5) < 0.05, (full, halved)


def test_lost_days_take_their_share_of_ae_selling_hours_and_manager_hours():
    """With a deal flow lost days do not touch (inbound only, no content, no AE- or
    partner-sourced pipeline), half the days double the AEs' utilization (deal hours over
    selling hours) and halve the manager's planned hours. Common numbers make the deals the
    same, so the ratio is exact up to the slots' rounding: 2 within 2%.
    """
    steady = {
        "calendar.months": 6,
        "calendar.warm_up_months": 0,
        "followup.outbound.enabled": False,
        "demand.content.enabled": False,
        "selling.ae_sourced.enabled": False,
        "selling.partner.enabled": False,
    }
    full = replicate(build(steady), 4)
    half = replicate(build({**steady, "calendar.lost_days": (10.5,) * 12}), 4)
    assert (half["opportunities"] == full["opportunities"]).all()
    ratio = half["ae_utilization"].mean() / full["ae_utilization"].mean()
    assert abs(ratio - 2) < 0.04, ratio
    np.testing.assert_allclose(
        half["manager_hours_sdr_planned"], full["manager_hours_sdr_planned"] / 2
    )
