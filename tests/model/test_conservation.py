"""Bookkeeping: the funnel never grows, months add up to totals, costs to their parts."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from model_helpers import build, shipped

from orgsim.model import KPI_NAMES, MONTHLY_COLUMNS, run_replication
from orgsim.model.costs import MonthCosts
from orgsim.model.streams import Streams


def assert_conserved(kpis: dict[str, float], monthly: dict[str, np.ndarray]) -> None:
    assert kpis["leads"] >= kpis["mqls"] >= kpis["sqls_inbound"]
    assert kpis["sqls"] == kpis["sqls_inbound"] + kpis["sqls_outbound"] + kpis["sqls_diverted"]
    assert kpis["sqls"] >= kpis["opportunities"] >= kpis["wins"]
    assert kpis["opportunities_closed"] >= kpis["wins"]
    for column in (
        "leads",
        "mqls",
        "sqls",
        "opportunities",
        "wins",
        "revenue",
        "diverted_hours",
        "content_hours",
        "sdr_exits",
    ):
        assert math.isclose(monthly[column].sum(), kpis[column], rel_tol=1e-12, abs_tol=1e-9), (
            column
        )
    parts = sum(kpis[f"cost_{part}"] for part in MonthCosts.parts())
    assert math.isclose(parts, kpis["cost_total"], rel_tol=1e-12)
    assert math.isclose(monthly["cost_total"].sum(), kpis["cost_total"], rel_tol=1e-12)
    demand = kpis["cost_total"] - kpis["cost_ae"]
    assert math.isclose(demand, kpis["cost_demand_generation"], rel_tol=1e-12)
    if kpis["opportunities"] > 0:
        assert math.isclose(
            kpis["cost_per_opportunity"] * kpis["opportunities"], demand, rel_tol=1e-9
        )
    else:
        assert math.isnan(kpis["cost_per_opportunity"])
    assert set(monthly) == set(MONTHLY_COLUMNS)


def test_every_shipped_design_conserves_its_funnel_and_costs():
    for name in (
        "sales_owns_inside_sales",
        "marketing_owns_inside_sales",
        "marketing_owns_inside_sales_with_diversion",
        "marketing_owns_inside_sales_with_sla",
    ):
        for replication in range(3):
            result = run_replication(shipped(name), Streams.for_replication(5, replication))
            assert_conserved(result.kpis, result.monthly)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    reports_to=st.sampled_from(["sales", "marketing"]),
    sla=st.booleans(),
    diversion=st.booleans(),
    planned_share=st.floats(0.05, 1.0),
    policy=st.sampled_from(["team", "other_work", "split"]),
    sdrs=st.integers(0, 12),
    leads=st.floats(50, 3000),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_design_conserves_its_funnel_and_costs(
    reports_to, sla, diversion, planned_share, policy, sdrs, leads, seed
):
    scenario = build(
        {
            "calendar.months": 3,
            "org.inside_sales_reports_to": reports_to,
            "org.sla.enabled": sla,
            "policies.end_of_month_diversion.enabled": diversion,
            "management.sdr_manager.time.planned_share": planned_share,
            "management.sdr_manager.time.overflow_policy": policy,
            "teams.sdr.headcount": sdrs,
            "demand.leads_per_month": leads,
        }
    )
    result = run_replication(scenario, seed)
    assert_conserved(result.kpis, result.monthly)


def test_a_replication_reports_exactly_the_kpis_and_monthly_columns_of_the_contract():
    result = run_replication(build({"calendar.months": 2}), 1)
    assert set(result.kpis) == set(KPI_NAMES)
    assert set(result.monthly) == set(MONTHLY_COLUMNS)
    assert all(values.shape == (2,) for values in result.monthly.values())


def test_same_seed_same_result_to_the_last_digit():
    scenario = shipped("marketing_owns_inside_sales_with_diversion")
    first = run_replication(scenario, Streams.for_replication(99, 4))
    second = run_replication(scenario, Streams.for_replication(99, 4))
    assert first.kpis.keys() == second.kpis.keys()
    for key, value in first.kpis.items():
        assert value == second.kpis[key] or (math.isnan(value) and math.isnan(second.kpis[key])), (
            key
        )
    for column, values in first.monthly.items():
        np.testing.assert_array_equal(values, second.monthly[column])
    other = run_replication(scenario, Streams.for_replication(99, 5))
    assert other.kpis["leads"] != first.kpis["leads"]


def test_every_mechanism_switch_leaves_the_model_running_and_conserving():
    switches = [
        "demand.enabled",
        "demand.content.enabled",
        "scoring.enabled",
        "scoring.nurture.enabled",
        "followup.speed_to_lead.enabled",
        "followup.outbound.enabled",
        "management.sdr_manager.coaching.enabled",
        "management.sdr_manager.time.enabled",
        "teams.sdr.ramp.enabled",
        "teams.sdr.attrition.enabled",
        "teams.sdr.backfill.enabled",
        "policies.handoff.padding.enabled",
        "policies.handoff.cherry_picking.enabled",
        "policies.handoff.friction.enabled",
        "policies.multichannel.enabled",
        "policies.split_org.enabled",
        "selling.enabled",
    ]
    base = {
        "calendar.months": 3,
        "org.inside_sales_reports_to": "marketing",
        "management.sdr_manager.time.planned_share": 0.25,
        "management.sdr_manager.time.overflow_policy": "other_work",
        "teams.ae.headcount": 4,
    }
    reference = run_replication(build(base), 3).kpis
    for switch in switches:
        result = run_replication(build({**base, switch: False}), 3)
        assert_conserved(result.kpis, result.monthly)
        assert result.kpis != reference, f"switching off {switch} changed nothing"
    no_costs = run_replication(build({**base, "costs.enabled": False}), 3).kpis
    assert math.isnan(no_costs["cost_per_opportunity"])


def test_the_manager_and_moving_kpi_mechanisms_switched_on_keep_conserving():
    """They are off by default; on, under either owner, the funnel, sources, months and costs add up."""
    on = {
        "calendar.months": 3,
        "management.sdr_manager.learning.enabled": True,
        "management.sdr_manager.player_coach.enabled": True,
        "policies.sql_target.metric": "pipeline_value",
        "policies.quarter_end_pull.enabled": True,
        "policies.quarter_end_pull.months_per_quarter": 1,
        "policies.sales_made_content.enabled": True,
        "policies.end_of_month_diversion.enabled": True,
    }
    for reports_to in ("sales", "marketing"):
        scenario = build({**on, "org.inside_sales_reports_to": reports_to})
        result = run_replication(scenario, 5)
        assert_conserved(result.kpis, result.monthly)
        assert result.kpis["manager_selling_hours"] > 0
