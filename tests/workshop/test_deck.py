"""Deck validation: the shipped deck loads; a bad deck names file, line and key, and the CLI exits 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim.cli import main
from orgsim.scenario import ScenarioError
from orgsim.workshop.deck import load_deck

SCENARIOS = Path(__file__).parent.parent.parent / "scenarios"


def test_the_shipped_deck_tells_the_story():
    deck = load_deck(SCENARIOS / "decks" / "workshop.yaml")
    names = [scenario.name for step in deck.scenarios for scenario in step]
    assert names[0] == "Sales owns inside sales"
    assert any("with month-end diversion" in name for name in names)
    assert any("signed SLA" in name for name in names)


def test_validate_on_the_scenarios_glob_does_not_see_the_deck():
    result = CliRunner().invoke(main, ["validate", *map(str, sorted(SCENARIOS.glob("*.yaml")))])
    assert result.exit_code == 0, result.output


BAD_DECK = """\
title: A broken deck
seed: 7
steps:
  - title: Both kinds
    talking_point: A step cannot be a scenario and a comparison.
    scenario: {base}
    compare: [{base}, {base}]
  - title: Missing file
    talking_point: This file does not exist.
    scenario: nowhere.yaml
  - title: Typo
    talking_pont: misspelled
    scenario: {base}
"""


@pytest.fixture
def bad_deck(tmp_path: Path) -> Path:
    path = tmp_path / "deck.yaml"
    path.write_text(BAD_DECK.format(base=SCENARIOS / "sales_owns_inside_sales.yaml"))
    return path


def test_a_bad_deck_lists_every_problem_with_its_line(bad_deck):
    with pytest.raises(ScenarioError) as caught:
        load_deck(bad_deck)
    text = str(caught.value)
    assert f"{bad_deck}:4 steps.0: Value error, give one of scenario" in text
    assert f"{bad_deck}:12 steps.2.talking_pont: Extra inputs are not permitted" in text
    assert f"{bad_deck}:11 steps.2.talking_point: Field required" in text


def test_a_deck_naming_a_missing_scenario_says_which(tmp_path):
    path = tmp_path / "deck.yaml"
    lines = BAD_DECK.splitlines()[:3] + BAD_DECK.splitlines()[7:10]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError) as caught:
        load_deck(path)
    assert f"{path}:6 steps.0.scenario: scenario 'nowhere.yaml' does not load" in str(caught.value)


def test_the_workshop_command_exits_2_on_a_bad_deck(bad_deck):
    result = CliRunner().invoke(main, ["workshop", str(bad_deck), "--no-browser"])
    assert result.exit_code == 2
    assert "talking_pont" in result.output


def test_validate_checks_a_deck_and_its_scenarios():
    result = CliRunner().invoke(main, ["validate", str(SCENARIOS / "decks" / "workshop.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("workshop.yaml: OK\n")


def test_validate_names_every_problem_of_a_bad_deck_and_exits_2(bad_deck):
    result = CliRunner().invoke(main, ["validate", str(bad_deck)])
    assert result.exit_code == 2
    assert f"{bad_deck}:12 steps.2.talking_pont: Extra inputs are not permitted" in result.stderr
    assert f"{bad_deck}:4 steps.0: Value error, give one of scenario" in result.stderr
    assert result.stderr.endswith("3 problem(s) in 1 of 1 file(s)\n")


@pytest.mark.parametrize(
    ("steps", "problem"),
    [
        ("  - {{title: t, talking_point: p, summary: true, scenario: {base}}}", "give one of"),
        ("  - {{title: t, talking_point: p, summary: true}}", "a step that runs a scenario"),
    ],
    ids=["summary-and-scenario", "only-a-summary"],
)
def test_a_summary_step_runs_nothing_and_needs_a_step_that_does(tmp_path, steps, problem):
    path = tmp_path / "deck.yaml"
    base = SCENARIOS / "sales_owns_inside_sales.yaml"
    path.write_text("title: t\nseed: 1\nsteps:\n" + steps.format(base=base) + "\n")
    with pytest.raises(ScenarioError, match=problem):
        load_deck(path)
