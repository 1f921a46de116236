"""Loading scenario files: values, defaults, extends chains and where values came from."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

import orgsim
from orgsim.scenario import Origin, Problem, Scenario, ScenarioError, load
from orgsim.scenario.distributions import Beta, Constant, Gamma, Lognormal


def test_a_file_sets_what_it_names_and_defaults_fill_the_rest() -> None:
    scenario = load(FIXTURES / "base.yaml")
    assert scenario.name == "Sales owns inside sales"
    assert scenario.seed == 7
    assert scenario.teams.sdr.headcount == 8
    assert scenario.teams.sdr.skill == Lognormal(median=1.0, sigma=0.2)
    assert scenario.demand.fit == Beta(mean=0.3, sd=0.12)
    assert scenario.selling.deal_size == Constant(value=25000)
    assert scenario.calendar.months == 24
    assert scenario.teams.sdr.hours_per_week == 40
    assert scenario == Scenario.model_validate(scenario.model_dump())


def test_the_package_exports_load() -> None:
    assert orgsim.load is load
    assert orgsim.load(str(FIXTURES / "base.yaml")) == load(FIXTURES / "base.yaml")


def test_extends_chains_merge_mappings_key_by_key() -> None:
    scenario = load(FIXTURES / "as_it_turns_out.yaml")
    assert scenario.name == "Marketing owns inside sales, as it turns out"
    assert scenario.description == "SDRs report to a dedicated sales manager."
    assert scenario.seed == 7
    assert scenario.org.inside_sales_reports_to == "marketing"
    assert scenario.teams.sdr.headcount == 8
    assert scenario.teams.ae.headcount == 20
    assert scenario.management.sdr_manager.time.planned_share == 0.25
    assert scenario.management.sdr_manager.time.overflow_policy == "other_work"
    assert scenario.management.sdr_manager.time.hours_per_week == 45
    assert scenario.policies.end_of_month_diversion.enabled is True
    assert scenario.demand.fit == Beta(mean=0.35, sd=0.12)


def test_a_distribution_of_another_kind_replaces_the_parents_whole() -> None:
    scenario = load(FIXTURES / "as_it_turns_out.yaml")
    assert scenario.teams.sdr.skill == Gamma(mean=1.0, sd=0.3)


def test_defaults_that_depend_on_other_keys_follow_the_merged_result() -> None:
    assert load(FIXTURES / "base.yaml").management.sdr_manager.skill == Beta(mean=0.8, sd=0.08)
    assert load(FIXTURES / "marketing.yaml").management.sdr_manager.skill == Beta(mean=0.45, sd=0.1)


def test_extends_is_relative_to_the_extending_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "sub")
    scenario = load(Path("relative.yaml"))
    assert scenario.name == "From a subdirectory"
    assert scenario.seed == 7


def test_an_error_inherited_from_a_parent_names_the_parents_line(write) -> None:
    write("parent.yaml", "name: parent\nteams:\n  sdr:\n    headcount: -1\n")
    write("child.yaml", "extends: parent.yaml\nname: child\n")
    with pytest.raises(ScenarioError) as caught:
        load("child.yaml")
    assert caught.value.problems == [
        Problem(
            Origin("parent.yaml", 4), "teams.sdr.headcount", "must be between 0 and 10,000, got -1"
        )
    ]


def test_a_child_can_fix_its_parents_bad_value(write) -> None:
    write("parent.yaml", "teams:\n  sdr:\n    headcount: -1\n")
    write("child.yaml", "extends: parent.yaml\nteams: {sdr: {headcount: 3}}\n")
    assert load("child.yaml").teams.sdr.headcount == 3


def test_every_problem_of_a_file_is_reported_in_line_order(write) -> None:
    write(
        "x.yaml",
        """\
        name: several mistakes
        calendar:
          months: 0
        teams:
          sdr:
            hedcount: 4
          ae:
            headcount: -2
        org: {inside_sales_reports_to: hr}
        """,
    )
    with pytest.raises(ScenarioError) as caught:
        load("x.yaml")
    assert str(caught.value).splitlines() == [
        "x.yaml:3 calendar.months: must be between 1 and 120, got 0",
        "x.yaml:6 teams.sdr.hedcount: unknown key 'hedcount'; did you mean 'headcount'?",
        "x.yaml:8 teams.ae.headcount: must be between 0 and 10,000, got -2",
        "x.yaml:9 org.inside_sales_reports_to: must be 'sales' or 'marketing', got 'hr'",
    ]


def test_yaml_merge_keys_are_not_duplicates(write) -> None:
    write(
        "x.yaml",
        """\
        teams:
          marketing: &team {headcount: 4, hours_per_week: 35}
          ae:
            <<: *team
            headcount: 9
        """,
    )
    scenario = load("x.yaml")
    assert (scenario.teams.ae.headcount, scenario.teams.ae.hours_per_week) == (9, 35)
