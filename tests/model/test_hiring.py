"""The hiring plan: seats and marketers follow the plan; new seats fill after the hiring delay."""

from __future__ import annotations

import numpy as np
import pytest
from model_helpers import build, monthly

from orgsim.model import run_replication

SHORT = {"calendar.months": 8, "calendar.warm_up_months": 1}
GROW = {"teams.sdr.hiring_plan": [{"month": 3, "headcount": 16}, {"month": 7, "headcount": 4}]}


@pytest.fixture(scope="module")
def growing():
    return monthly(build(SHORT | GROW), 3)


def test_seats_follow_the_plan_and_never_hold_more_people(growing):
    for m in growing:
        np.testing.assert_array_equal(m["sdr_seats"], [8, 8, 16, 16, 16, 16, 4, 4])
        assert np.all(m["sdr_filled_seats"] <= m["sdr_seats"] + 1e-9)
        np.testing.assert_allclose(
            m["sdr_vacant_seat_months"], m["sdr_seats"] - m["sdr_filled_seats"]
        )


def test_new_seats_fill_after_the_hiring_delay(growing):
    """The delay is lognormal(50 days, 0.25): few of the 8 new seats fill in their first month
    (P(delay < 30 days) = 2%), nearly all within three (P(delay < 91 days) = 99%). Attrition
    alone leaves about a tenth of seats empty (1.6 of 16), so vacancies go from above 8 to
    about 2 (in every one of the replications)."""
    for m in growing:
        assert m["sdr_vacant_seat_months"][2] > 7
        assert m["sdr_vacant_seat_months"][5] < 6


def test_a_plan_that_keeps_the_headcount_changes_nothing():
    scenario = build(SHORT)
    steady = build(SHORT | {"teams.sdr.hiring_plan": [{"month": 4, "headcount": 8}]})
    assert run_replication(scenario, 5).kpis == run_replication(steady, 5).kpis


def test_marketers_work_and_cost_from_their_month():
    plan = {"teams.marketing.hiring_plan": [{"month": 2, "headcount": 15}]}
    m = monthly(build(SHORT | plan | {"policies.split_org.enabled": False}), 1)[0]
    np.testing.assert_array_equal(m["marketers"][:3], [10, 15, 15])
    np.testing.assert_allclose(m["content_hours"][1] / m["content_hours"][0], 1.5)


def test_a_fixed_target_grows_with_planned_seats():
    fixed = {"policies.sql_target.basis": "fixed", "policies.sql_target.monthly": 100}
    m = monthly(build(SHORT | GROW | fixed), 1)[0]
    np.testing.assert_allclose(m["sql_target"], [100, 100, 200, 200, 200, 200, 50, 50])


def test_a_step_after_the_horizon_is_refused_naming_the_key():
    with pytest.raises(ValueError, match=r"teams\.sdr\.hiring_plan has a step in month 9"):
        build(SHORT | {"teams.sdr.hiring_plan": [{"month": 9, "headcount": 4}]})


AE_PLAN = {"teams.ae.hiring_plan": [{"month": 3, "headcount": 30}, {"month": 7, "headcount": 10}]}
AE_SEATS = np.array([20, 20, 30, 30, 30, 30, 10, 10])


def test_ae_seats_follow_the_plan_fill_after_the_delay_and_count_their_vacancies():
    """AE backfill takes lognormal days around 50 (the 41-58-day fill time): the 10 new seats
    are mostly empty in their first month and mostly filled by their fourth; cut seats empty at
    once. Vacant seat-months are the plan's seat-months less those filled."""
    scenario = build(SHORT | AE_PLAN)
    for replication in range(3):
        result = run_replication(scenario, replication)
        filled = result.monthly["ae_filled_seats"]
        assert np.all(filled <= AE_SEATS + 1e-9)
        assert filled[2] < 25
        assert filled[5] > 26
        assert np.all(filled[6:] <= 10 + 1e-9)
        vacant = result.kpis["ae_vacant_seat_months"]
        assert vacant == pytest.approx(AE_SEATS.sum() - filled.sum())


def test_an_ae_plan_that_keeps_the_headcount_changes_nothing():
    scenario = build(SHORT)
    steady = build(SHORT | {"teams.ae.hiring_plan": [{"month": 4, "headcount": 20}]})
    assert run_replication(scenario, 5).kpis == run_replication(steady, 5).kpis


def test_an_ae_step_after_the_horizon_is_refused_naming_the_key():
    with pytest.raises(ValueError, match=r"teams\.ae\.hiring_plan has a step in month 9"):
        build(SHORT | {"teams.ae.hiring_plan": [{"month": 9, "headcount": 4}]})
