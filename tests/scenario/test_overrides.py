"""Dotted overrides from the API and from ``--set``: applied last, named in messages."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from orgsim.cli import main
from orgsim.scenario import ScenarioError, load, with_overrides
from orgsim.scenario.distributions import Beta, Lognormal

BASE = FIXTURES / "base.yaml"


def test_overrides_set_dotted_keys_after_the_files() -> None:
    scenario = load(
        FIXTURES / "marketing.yaml",
        overrides={"org.sla.enabled": True, "teams.sdr.headcount": 12, "name": "what if"},
    )
    assert scenario.org.sla.enabled is True
    assert scenario.teams.sdr.headcount == 12
    assert scenario.name == "what if"
    assert scenario.org.inside_sales_reports_to == "marketing"


def test_an_override_changes_one_parameter_of_a_written_distribution() -> None:
    assert load(BASE, {"demand.fit.mean": 0.4}).demand.fit == Beta(mean=0.4, sd=0.12)


def test_an_override_changes_one_parameter_of_a_default_distribution() -> None:
    scenario = load(BASE, {"followup.outbound.fit.sd": 0.1})
    assert scenario.followup.outbound.fit == Beta(mean=0.4, sd=0.1)


def test_a_default_that_depends_on_an_earlier_override_is_the_one_changed() -> None:
    scenario = load(
        BASE,
        {
            "management.sdr_manager.background": "marketing",
            "management.sdr_manager.skill_by_background.marketing.sd": 0.05,
        },
    )
    assert scenario.management.sdr_manager.skill == Beta(mean=0.45, sd=0.05)


def test_the_skill_by_background_moves_a_resolved_scenarios_manager() -> None:
    """Sensitivity ranges act on resolved scenarios: the default skill is not baked into them."""
    resolved = load(BASE, {"management.sdr_manager.background": "marketing"})
    moved = with_overrides(
        resolved, {"management.sdr_manager.skill_by_background.marketing.mean": 0.6}
    )
    assert moved.management.sdr_manager.skill == Beta(mean=0.6, sd=0.1)


def test_a_mapping_replaces_a_number() -> None:
    overrides = {"selling.deal_size": {"dist": "lognormal", "median": 30000, "sigma": 0.5}}
    assert load(BASE, overrides).selling.deal_size == Lognormal(median=30000, sigma=0.5)


def test_a_distribution_can_be_rebuilt_key_by_key() -> None:
    overrides = {
        "teams.sdr.skill.dist": "beta",
        "teams.sdr.skill.mean": 0.5,
        "teams.sdr.skill.sd": 0.1,
    }
    assert load(BASE, overrides).teams.sdr.skill == Beta(mean=0.5, sd=0.1)


def test_a_bad_override_is_named_instead_of_a_line() -> None:
    with pytest.raises(ScenarioError) as caught:
        load(BASE, {"teams.sdr.headcount": -1}, override_source="--set")
    assert str(caught.value) == (
        f"{BASE} (--set teams.sdr.headcount=-1) teams.sdr.headcount: must be between 0 and 10,000, got -1"
    )


def test_an_override_into_a_bad_distribution_names_the_override() -> None:
    with pytest.raises(ScenarioError) as caught:
        load(BASE, {"followup.outbound.fit.sd": 0.9})
    assert str(caught.value) == (
        f"{BASE} (override followup.outbound.fit.sd=0.9) followup.outbound.fit: a beta with "
        "mean 0.4 needs sd < 0.4899 (sqrt(mean*(1-mean))), got sd 0.9"
    )


def test_a_misspelt_override_key_gets_a_suggestion() -> None:
    with pytest.raises(ScenarioError) as caught:
        load(BASE, {"teams.sdr.hedcount": 3, "a..b": 1})
    assert [str(problem) for problem in caught.value.problems] == [
        f"{BASE} (override a..b=1) a..b: not a key path like teams.sdr.headcount",
        f"{BASE} (override teams.sdr.hedcount=3) teams.sdr.hedcount: unknown key 'hedcount'; "
        "did you mean 'headcount'?",
    ]


def test_set_values_are_parsed_as_yaml() -> None:
    result = CliRunner().invoke(
        main,
        [
            "show",
            str(BASE),
            "--set",
            "teams.sdr.headcount=12",
            "--set",
            "org.sla.enabled=true",
            "--set",
            "name=Plan B: more SDRs",
            "--set",
            "demand.fit.mean=0.4",
            "--set",
            "selling.deal_size={dist: lognormal, median: 30000, sigma: 0.5}",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "VALUE is not valid YAML" not in result.stderr
    assert "name: must be text, got a mapping {Plan B: more SDRs}" in result.stderr

    result = CliRunner().invoke(
        main,
        [
            "show",
            str(BASE),
            "--set",
            "teams.sdr.headcount=12",
            "--set",
            "org.sla.enabled=true",
            "--set",
            "name='Plan B: more SDRs'",
            "--set",
            "demand.fit.mean=0.4",
            "--set",
            "selling.deal_size={dist: lognormal, median: 30000, sigma: 0.5}",
        ],
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "name: 'Plan B: more SDRs'" in lines
    assert "    headcount: 12" in lines
    assert "    enabled: true" in lines
    assert "  fit: {dist: beta, mean: 0.4, sd: 0.12}" in lines
    assert "  deal_size: {dist: lognormal, median: 30000.0, sigma: 0.5}" in lines


def test_set_without_an_equals_sign_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["show", str(BASE), "--set", "teams.sdr.headcount"])
    assert result.exit_code == 2
    assert "expected KEY=VALUE, got 'teams.sdr.headcount'" in result.stderr
    assert result.stdout == ""


def test_set_with_broken_yaml_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["show", str(BASE), "--set", "demand.fit={dist: beta"])
    assert result.exit_code == 2
    assert "'demand.fit={dist: beta': VALUE is not valid YAML" in result.stderr


def test_set_names_itself_in_messages() -> None:
    result = CliRunner().invoke(main, ["validate", str(BASE), "--set", "teams.ae.headcount=-3"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{BASE} (--set teams.ae.headcount=-3) teams.ae.headcount: must be between 0 and 10,000, got -3"
    )
