"""The resolved view: every default present, names as people write them, stable order."""

from __future__ import annotations

import yaml
from conftest import FIXTURES

from orgsim.scenario import Scenario, load, resolved_yaml


def test_resolved_yaml_round_trips(write) -> None:
    scenario = load(FIXTURES / "as_it_turns_out.yaml")
    write("resolved.yaml", resolved_yaml(scenario))
    assert load("resolved.yaml") == scenario


def test_keys_follow_the_schema_and_every_default_is_present() -> None:
    shown = yaml.safe_load(resolved_yaml(Scenario()))
    assert list(shown) == list(Scenario.model_fields)
    assert list(shown["teams"]["sdr"]) == [
        "headcount",
        "hours_per_week",
        "loaded_cost_per_year",
        "skill",
        "tenure_months",
        "ramp",
        "attrition",
        "backfill",
        "work",
        "roles",
        "hiring_plan",
    ]
    assert shown["policies"]["end_of_month_diversion"]["enabled"] is False


def test_distributions_use_the_names_people_write_on_one_line() -> None:
    text = resolved_yaml(load(FIXTURES / "base.yaml"))
    assert "  fit: {dist: beta, mean: 0.3, sd: 0.12}\n" in text
    assert "    tenure_months: {dist: exponential, mean: 14.0}\n" in text
    assert "  deal_size: {dist: constant, value: 25000.0}\n" in text
    assert "mean_:" not in text


def test_the_same_scenario_always_prints_the_same_text() -> None:
    assert resolved_yaml(load(FIXTURES / "marketing.yaml")) == resolved_yaml(
        load(FIXTURES / "marketing.yaml")
    )
