"""Explain, sweep and sensitivity: contributions add up, curves bend the right way."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

import orgsim
from orgsim.experiment.explain import coalition_scenario, explain, mechanism_groups
from orgsim.experiment.sensitivity import one_at_a_time
from orgsim.experiment.sweep import parse_vary, sweep
from orgsim.model import run_replication

SHORT = {"calendar.months": 3, "calendar.warm_up_months": 0}  # plumbing: no warm-up


def sales(**extra):
    return orgsim.load("scenarios/sales_owns_inside_sales.yaml", {**SHORT, **extra})


def marketing(**extra):
    return orgsim.load(
        "scenarios/marketing_owns_inside_sales_with_diversion.yaml", {**SHORT, **extra}
    )


def test_reporting_line_splits_into_the_mechanisms_it_switches_on():
    groups = mechanism_groups(sales(), marketing())
    assert {
        "multichannel follow-up",
        "handoff friction",
        "month-end diversion",
        "manager's background",
    } <= set(groups)
    assert "org.inside_sales_reports_to" not in {key for keys in groups.values() for key in keys}


def test_marketing_ownership_with_every_mechanism_off_is_sales_ownership():
    a, b = sales(), marketing()
    nobody = coalition_scenario(a, b, mechanism_groups(a, b), frozenset())
    assert nobody.org.inside_sales_reports_to == "marketing"
    assert run_replication(nobody, 4).kpis == run_replication(a, 4).kpis


def test_contributions_add_up_and_an_idle_mechanism_contributes_nothing():
    off = {"policies.multichannel.enabled": False}
    result = explain(sales(**off), marketing(**off), replications=6, seed=2, workers=1)
    total = sum(c.values for c in result.contributions.values())
    direct = (
        orgsim.simulate(marketing(**off), 6, 2, workers=1)
        .replications["cost_per_win"]  # the headline KPI, explain's default
        .to_numpy()
        - orgsim.simulate(sales(**off), 6, 2, workers=1).replications["cost_per_win"].to_numpy()
    )
    np.testing.assert_allclose(total, direct, rtol=1e-9)
    np.testing.assert_array_equal(
        result.contributions["multichannel follow-up"].values, np.zeros(6)
    )
    assert set(result.table()["group"]) == set(result.contributions)


def test_explaining_the_move_back_to_sales_mirrors_the_move_to_marketing():
    off = {"policies.multichannel.enabled": False}
    forward = explain(sales(**off), marketing(**off), replications=4, seed=3, workers=1)
    backward = explain(marketing(**off), sales(**off), replications=4, seed=3, workers=1)
    assert set(forward.contributions) == set(backward.contributions)
    np.testing.assert_allclose(backward.total.values, -forward.total.values, rtol=1e-9)
    np.testing.assert_array_equal(
        backward.contributions["multichannel follow-up"].values, np.zeros(4)
    )
    for group, contribution in forward.contributions.items():
        np.testing.assert_allclose(
            backward.contributions[group].values, -contribution.values, rtol=1e-9, atol=1e-9
        )


def test_coalitions_whose_members_cannot_act_are_not_run_and_change_nothing(monkeypatch):
    # Sales-run on both sides: the leader's marketing hours can never act, and an SLA
    # switches neglect off, so 3 of the 8 coalitions are run; the full enumeration agrees.
    a = sales()
    b = sales(
        **{
            "org.sla.enabled": True,
            "policies.handoff.neglect.drop_share": 0.3,
            "management.sdr_manager.time.leadership_dependency": 0.6,
        }
    )
    skipped = explain(a, b, replications=3, seed=5, workers=1)
    monkeypatch.setattr(importlib.import_module("orgsim.experiment.explain"), "INERT_WHEN", {})
    full = explain(a, b, replications=3, seed=5, workers=1)
    assert set(skipped.contributions) == {"SLA", "MQL neglect", "leader's marketing hours"}
    assert (skipped.designs, full.designs) == (3, 8)
    for group, contribution in full.contributions.items():
        np.testing.assert_array_equal(skipped.contributions[group].values, contribution.values)
    np.testing.assert_array_equal(
        skipped.contributions["leader's marketing hours"].values, np.zeros(3)
    )
    assert skipped.contributions["MQL neglect"].mean != 0


def test_sweep_more_sdrs_shorter_waits_and_slower_checks_lower_conversion():
    loaded = {"teams.sdr.work.inbound_check_interval_hours": 0, "teams.sdr.work.touch_minutes": 60}
    scenario = sales(**loaded)
    result = sweep(scenario, {"teams.sdr.headcount": [2, 4, 8]}, replications=6, seed=1, workers=1)
    waits = result.curve("speed_to_lead_hours_mean")["mean"].to_numpy()
    assert np.all(np.diff(waits) < 0), waits
    checks = sweep(
        sales(),
        dict([parse_vary("teams.sdr.work.inbound_check_interval_hours=0:16:3")]),
        6,
        1,
        workers=1,
    )
    conversion = checks.curve("mql_to_sql")["mean"].to_numpy()
    assert np.all(np.diff(conversion) < 0), conversion


def test_parse_vary_reads_ranges_and_rejects_nonsense():
    assert parse_vary("teams.sdr.headcount=4:10:4") == ("teams.sdr.headcount", [4, 6, 8, 10])
    assert parse_vary("a.b=0.1:1:3") == ("a.b", [0.1, 0.55, 1.0])
    for bad in ("a.b", "a.b=1:2", "a.b=x:2:3", "a.b=1:2:1"):
        with pytest.raises(ValueError):
            parse_vary(bad)


def test_a_parameter_the_model_ignores_has_no_effect_and_a_real_one_does():
    ranges = {
        "policies.end_of_month_diversion.share_of_marketers": (
            0.2,
            0.8,
        ),  # sales owns: never diverts
        "teams.sdr.work.inbound_check_interval_hours": (0.0, 16.0),
    }
    result = one_at_a_time(
        sales(), ranges, "cost_per_opportunity", replications=6, seed=1, workers=1
    )
    swings = dict(zip(result.table["parameter"], result.table["swing"], strict=True))
    assert swings["policies.end_of_month_diversion.share_of_marketers"] == 0
    assert swings["teams.sdr.work.inbound_check_interval_hours"] > 0
    assert result.table.iloc[0]["parameter"] == "teams.sdr.work.inbound_check_interval_hours"


def test_sobol_gives_an_ignored_assumption_exactly_zero():
    from orgsim.experiment.sobol import sobol_indices

    ranges = {
        "policies.end_of_month_diversion.share_of_marketers": (
            0.2,
            0.8,
        ),  # sales owns: never diverts
        "teams.sdr.work.inbound_check_interval_hours": (0.0, 16.0),
        "teams.sdr.headcount": (4.0, 10.0),
    }
    table = sobol_indices(
        sales(**{"calendar.months": 2, "calendar.warm_up_months": 0}),
        ranges,
        "cost_per_opportunity",
        8,
        2,
        seed=4,
        workers=1,
    )
    indices = table.set_index("parameter")
    assert indices.loc["policies.end_of_month_diversion.share_of_marketers", "ST"] == 0
    assert indices.loc["policies.end_of_month_diversion.share_of_marketers", "S1"] == 0
    # a real assumption's index is positive beyond SALib's own 95% half-width for it
    headcount = indices.loc["teams.sdr.headcount"]
    assert headcount["ST"] - headcount["ST_conf"] > 0, headcount
    assert list(table.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf", "kpi"]


@pytest.mark.parametrize(
    ("group", "design", "low", "high"),
    [
        (
            "handoff friction",
            (marketing, {"org.sla.enabled": True, "org.sla.compliance": 1.0}),
            {"policies.handoff.friction.acceptance_penalty": 0.0},
            {"policies.handoff.friction.acceptance_penalty": 0.5},
        ),
        (
            "MQL neglect",
            (sales, {"org.sla.enabled": True}),
            {"policies.handoff.neglect.drop_share": 0.0},
            {"policies.handoff.neglect.drop_share": 0.5},
        ),
        (
            "leader's marketing hours",
            (sales, {}),
            {"management.sdr_manager.time.leadership_dependency": 0.0},
            {"management.sdr_manager.time.leadership_dependency": 0.9},
        ),
    ],
)
def test_each_inert_rule_is_the_models_own(group, design, low, high):
    """Where INERT_WHEN says a group cannot act, moving its settings changes no result: the
    rule explain skips coalitions by is a fact of the model, not of the rule's table."""
    from orgsim.experiment.explain import INERT_WHEN

    build, settings = design
    lows, highs = build(**settings, **low), build(**settings, **high)
    assert INERT_WHEN[group](lows) and INERT_WHEN[group](highs)
    for replication in range(2):
        assert run_replication(lows, replication).kpis == run_replication(highs, replication).kpis
