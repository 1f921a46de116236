"""Levers: each says its unit and the schema's meaning; a design with moved levers is named from them."""

from __future__ import annotations

from pathlib import Path

import orgsim
from orgsim.workshop.levers import LEVERS, design_name, lever_state, moves

SCENARIOS = Path(__file__).parent.parent.parent / "scenarios"
AS_IT_TURNS_OUT = orgsim.load(SCENARIOS / "marketing_owns_inside_sales_as_it_turns_out.yaml")


def test_every_lever_prints_its_unit_and_quotes_the_schema():
    state = {lever["key"]: lever for lever in lever_state(AS_IT_TURNS_OUT)}
    assert all(
        lever["help"] and lever["help"] != "Switch this mechanism on or off."
        for lever in state.values()
    )
    share = state["management.sdr_manager.time.planned_share"]
    assert share["printed"] == "25.0%" and share["marks"][0] == [0.05, "5.0%"]
    assert share["marks"][-1] == [1.0, "100.0%"] and len(share["marks"]) == 20
    assert state["org.sla.enabled"]["printed"] == "off"
    assert ["other_work", "other work"] in state["management.sdr_manager.time.overflow_policy"][
        "choices"
    ]
    assert len(state) == len(LEVERS)


def test_a_design_is_named_after_the_levers_as_set():
    assert design_name(AS_IT_TURNS_OUT, {"org.inside_sales_reports_to": "sales"}) == (
        "Sales owns inside sales (moved from marketing)"
    )
    overrides = {"teams.sdr.headcount": 10, "org.sla.enabled": True}
    assert design_name(AS_IT_TURNS_OUT, overrides) == (
        "Marketing owns inside sales (as it turns out) [signed SLA on, SDR headcount 10]"
    )
    assert [move["to"] for move in moves(AS_IT_TURNS_OUT, overrides)] == ["on", "10"]
