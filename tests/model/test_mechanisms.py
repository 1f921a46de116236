"""Unit tests of the mechanisms that are plain arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from model_helpers import build

from orgsim.model.attrition import monthly_hazard
from orgsim.model.coaching import coaching_factor, coaching_quality, ramp_productivity
from orgsim.model.costs import MonthCosts, ratio
from orgsim.model.demand import ContentStock, demand_multipliers
from orgsim.model.diversion import diverted_marketers
from orgsim.model.followup import FollowUpRules, planned_attempts
from orgsim.model.handoff import AcceptanceRule
from orgsim.model.management import marketing_productivity, split_manager_time
from orgsim.model.multichannel import contact_lift
from orgsim.model.split_org import split_org_month
from orgsim.scenario.schema import Attrition, Diversion, ManagerTime, Multichannel, Ramp, SplitOrg


def test_ramp_rises_linearly_to_full_productivity():
    ramp = Ramp(months=3.2, start_productivity=0.3)
    assert ramp_productivity(0, ramp) == pytest.approx(0.3)
    assert ramp_productivity(1.6, ramp) == pytest.approx(0.65)
    assert ramp_productivity(5, ramp) == 1.0
    assert ramp_productivity(0, Ramp(enabled=False)) == 1.0


def test_coaching_quality_is_coverage_times_skill_and_lifts_skill_by_up_to_the_lift():
    assert coaching_quality(0.5, 0.8) == pytest.approx(0.4)
    assert coaching_quality(1.7, 0.8) == pytest.approx(0.8)
    assert coaching_factor(1.0, 0.19) == pytest.approx(1.0)
    assert coaching_factor(0.0, 0.19) == pytest.approx(0.81)
    assert coaching_factor(0.0, 0.19, enabled=False) == 1.0


def test_manager_overflow_policy_decides_who_pays():
    weeks = 4.2
    need = 3.5 * 8 * weeks  # 117.6 h a month
    planned = 0.25 * 45 * weeks
    team = split_manager_time(ManagerTime(planned_share=0.25, overflow_policy="team"), 8, weeks)
    assert team.spent_hours == pytest.approx(planned)
    assert team.coverage == pytest.approx(planned / need)
    other = split_manager_time(
        ManagerTime(planned_share=0.25, overflow_policy="other_work"), 8, weeks
    )
    assert other.spent_hours == pytest.approx(need)
    assert other.coverage == 1.0
    assert other.other_work_lost_hours == pytest.approx(need - planned)
    split = split_manager_time(
        ManagerTime(planned_share=0.25, overflow_policy="split", overflow_split=0.5), 8, weeks
    )
    assert split.spent_hours == pytest.approx(planned + 0.5 * (need - planned))
    dedicated = split_manager_time(ManagerTime(planned_share=1.0), 8, weeks)
    assert dedicated.coverage == 1.0 and dedicated.booked_hours == pytest.approx(45 * weeks)


def test_a_leader_who_runs_marketing_slows_her_marketers_when_she_overflows():
    time = ManagerTime(planned_share=0.25, overflow_policy="other_work", leadership_dependency=0.3)
    month = split_manager_time(time, 8, 4.2)
    lost_share = month.other_work_lost_hours / (45 * 4.2 * 0.75)
    assert marketing_productivity(month, time, leader_runs_marketing=True) == pytest.approx(
        1 - 0.3 * lost_share
    )
    assert marketing_productivity(month, time, leader_runs_marketing=False) == 1.0


def test_contact_chance_decays_from_immediate_to_floor_with_half_life():
    rules = FollowUpRules.from_scenario(build(), contact_lift=1.0)
    assert rules.contact_probability(0) == pytest.approx(0.6)
    assert rules.contact_probability(0.5) == pytest.approx(0.1 + 0.5 / 2)
    assert rules.contact_probability(100) == pytest.approx(0.1)
    lifted = FollowUpRules.from_scenario(build(), contact_lift=1.15)
    assert lifted.contact_probability(100) == pytest.approx(0.115)


@pytest.mark.parametrize(
    ("overrides", "lift"),
    [
        ({}, 1.0),
        ({}, 1.9),  # a lifted chance capped at 1 for fresh leads
        ({"followup.speed_to_lead.contact_floor": 0.6}, 1.0),  # no decay
        ({"followup.speed_to_lead.enabled": False}, 1.15),
    ],
)
def test_a_touch_reaches_the_lead_before_its_deadline_exactly_when_its_uniform_says_so(
    overrides, lift
):
    rules = FollowUpRules.from_scenario(build(overrides), contact_lift=lift)
    rng = np.random.default_rng(8)
    u = np.concatenate([rng.random(20_000), [0.0, rules.contact_floor * lift]])
    ages = np.concatenate([[0.0, 1e-9, 1e6], rng.exponential(2.0, 200)])
    deadlines = rules.contact_deadlines(u)
    for age in ages:
        chance = rules.contact_probability(float(age))
        clear = np.abs(u - chance) > 1e-12  # a tie is decided by rounding either way
        np.testing.assert_array_equal((age < deadlines)[clear], (u < chance)[clear])


def test_qualification_rises_with_fit_and_skill_and_fades_with_age():
    rules = FollowUpRules.from_scenario(build(), contact_lift=1.0)
    base = rules.qualification_probability(0.6, 1.0, 0.0)
    assert base == pytest.approx(0.5)
    assert rules.qualification_probability(0.3, 1.0, 0.0) == pytest.approx(0.25)
    assert rules.qualification_probability(0.6, 1.2, 0.0) == pytest.approx(0.6)
    assert rules.qualification_probability(0.6, 1.0, 1000) == pytest.approx(0.5 * 0.35)


def test_attempts_follow_the_habit_without_sla_and_the_rule_with_it():
    followup = build().followup
    rng = np.random.default_rng(3)
    habit = planned_attempts(followup, None, 200_000, rng)
    # geometric with mean 1.25, capped at 8: the cap removes a negligible tail
    assert habit.mean() == pytest.approx(1.25, abs=3 * habit.std() / math.sqrt(habit.size))
    ruled = planned_attempts(followup, 6, 1000, rng)
    assert ruled.min() == 6 and ruled.max() <= 8


def test_sla_makes_acceptance_definitional_and_friction_applies_only_across_departments():
    sales = AcceptanceRule.from_scenario(build())
    assert sales.probability(0.6, padded=False, agreed=False) == pytest.approx(0.7)
    assert sales.probability(0.3, padded=False, agreed=False) == pytest.approx(0.35)
    assert sales.probability(0.6, padded=True, agreed=False) == pytest.approx(0.3)
    marketing = AcceptanceRule.from_scenario(build({"org.inside_sales_reports_to": "marketing"}))
    assert marketing.probability(0.6, padded=False, agreed=False) == pytest.approx(0.7 * 0.85)
    sla = AcceptanceRule.from_scenario(
        build({"org.inside_sales_reports_to": "marketing", "org.sla.enabled": True})
    )
    # under the agreed definitions: the SLA's rate at the reference fit, no friction, and still
    # less for a weaker SQL (the definitions raise the bar; they do not accept whatever comes)
    assert sla.probability(0.6, padded=False, agreed=True) == pytest.approx(0.9)
    assert sla.probability(0.3, padded=False, agreed=True) == pytest.approx(0.45)
    # an MQL worked outside the SLA (compliance below 1) meets sales as it would without one
    assert sla.probability(0.6, padded=False, agreed=False) == pytest.approx(0.7 * 0.85)


def test_attrition_hazard_rises_with_poor_coaching():
    attrition = Attrition()
    assert monthly_hazard(attrition, 0.9) == pytest.approx(0.0714)
    assert monthly_hazard(attrition, 0.25) == pytest.approx(0.0714 * (1 + 1.5 * 0.5))
    assert monthly_hazard(Attrition(enabled=False), 0.0) == 0.0


def test_diversion_needs_marketing_ownership_the_trigger_day_and_a_shortfall():
    policy = Diversion(enabled=True, trigger_working_day=16, share_of_marketers=0.5)
    args = {"monthly_target": 140, "day": 16, "days_per_month": 21, "marketers": 10}
    assert diverted_marketers(policy, "marketing", sqls_to_date=90, **args) == 5
    assert diverted_marketers(policy, "marketing", sqls_to_date=120, **args) == 0
    assert diverted_marketers(policy, "sales", sqls_to_date=0, **args) == 0
    assert diverted_marketers(Diversion(enabled=False), "marketing", sqls_to_date=0, **args) == 0


def test_multichannel_and_split_org_act_only_when_marketing_owns_inside_sales():
    assert contact_lift(Multichannel(), sdrs_in_marketing=True) == pytest.approx(1.15)
    assert contact_lift(Multichannel(), sdrs_in_marketing=False) == 1.0
    month = split_org_month(SplitOrg(), sdrs_in_marketing=True, filled_seats=8)
    assert month.overhead_cost == pytest.approx(4000 + 20 * 150)
    assert month.content_hours_taken == pytest.approx(48)
    assert split_org_month(SplitOrg(), sdrs_in_marketing=False, filled_seats=8).overhead_cost == 0


def test_content_stock_starts_steady_and_less_content_means_fewer_weaker_leads():
    stock = ContentStock.steady(1000, 0.15)
    stock.add_month(1000)
    assert stock.ratio(0) == pytest.approx(1.0)
    stock.add_month(500)
    assert stock.ratio(0) < 1.0 and stock.ratio(1) == pytest.approx(1.0)
    demand = build().demand
    low = demand_multipliers(demand, 0.8)
    assert low.volume == pytest.approx(0.8**0.5) and low.fit == pytest.approx(0.8**0.3)


def test_costs_add_up_and_ratios_are_nan_without_output():
    costs = MonthCosts(1, 2, 3, 4, 5, 6, 7)
    assert costs.demand_generation == 21 and costs.total == 28
    assert math.isnan(ratio(10, 0))


def test_the_run_rate_target_is_the_recent_average_of_the_teams_own_sqls():
    from orgsim.model.targets import is_behind, monthly_target
    from orgsim.scenario.schema import SQLTarget

    target = SQLTarget(monthly=100, run_rate_months=3, stretch=0.1)
    assert monthly_target(target, [90, 120, 60, 150], 0) == 100
    assert monthly_target(target, [90, 120, 60, 150], 2) == pytest.approx(105 * 1.1)
    assert monthly_target(target, [90, 120, 60, 150], 4) == pytest.approx(110 * 1.1)
    assert monthly_target(SQLTarget(monthly=100, basis="fixed"), [90, 120], 2) == 100
    assert is_behind(40, 100, 0.5) and not is_behind(50, 100, 0.5)


def test_closed_loop_learning_starts_after_its_lag_and_tends_to_its_reduction():
    from orgsim.model.closed_loop import scoring_noise_factor
    from orgsim.scenario.schema import ClosedLoop

    loop = ClosedLoop(noise_reduction=0.3, lag_months=2, learning_months=6)
    assert scoring_noise_factor(loop, True, 1) == 1.0
    assert scoring_noise_factor(loop, True, 2) == 1.0
    assert scoring_noise_factor(loop, True, 8) == pytest.approx(1 - 0.3 * (1 - math.exp(-1)))
    assert scoring_noise_factor(loop, True, 200) == pytest.approx(0.7)
    assert scoring_noise_factor(loop, False, 200) == 1.0
