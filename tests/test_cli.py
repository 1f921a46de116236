"""The orgsim command: validate, show, --version and help, with errors as exit status 2."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from conftest import FIXTURES

from orgsim import __version__
from orgsim.cli import main
from orgsim.scenario import load


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_prints_ok_per_good_file_and_exits_0() -> None:
    files = [str(FIXTURES / name) for name in ("base.yaml", "marketing.yaml")]
    result = invoke("validate", *files)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"{name}: OK" for name in files]
    assert result.stderr == ""


def test_validate_lists_every_problem_of_every_file(write) -> None:
    write("a.yaml", "teams: {sdr: {headcount: -1}}\ncalendar: {months: 0}\n")
    write("b.yaml", "org: {inside_sales_reports_to: hr}\n")
    write("ok.yaml", "name: fine\n")
    result = invoke("validate", "a.yaml", "ok.yaml", "b.yaml")
    assert result.exit_code == 2
    assert result.stdout == "ok.yaml: OK\n"
    assert result.stderr.splitlines() == [
        "a.yaml:1 teams.sdr.headcount: must be between 0 and 10,000, got -1",
        "a.yaml:2 calendar.months: must be between 1 and 120, got 0",
        "b.yaml:1 org.inside_sales_reports_to: must be 'sales' or 'marketing', got 'hr'",
        "3 problem(s) in 2 of 3 file(s)",
    ]


def test_validate_needs_a_file() -> None:
    result = invoke("validate")
    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.stderr


def test_show_prints_the_merged_scenario_with_defaults() -> None:
    result = invoke("show", str(FIXTURES / "marketing.yaml"))
    assert result.exit_code == 0, result.stderr
    shown = yaml.safe_load(result.stdout)
    assert shown["name"] == "Marketing owns inside sales"
    assert shown["seed"] == 7
    assert shown["org"]["inside_sales_reports_to"] == "marketing"
    assert shown["teams"]["sdr"]["headcount"] == 8
    assert shown["teams"]["sdr"]["hours_per_week"] == 40
    assert shown["management"]["sdr_manager"]["background"] == "marketing"
    assert shown["management"]["sdr_manager"]["skill_by_background"]["marketing"] == {
        "dist": "beta",
        "mean": 0.45,
        "sd": 0.1,
    }
    assert "extends" not in shown


def test_show_of_a_bad_file_prints_nothing_on_stdout(write) -> None:
    write("x.yaml", "teams:\n  sdr:\n    headcount: -1\n")
    result = invoke("show", "x.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "x.yaml:3 teams.sdr.headcount: must be between 0 and 10,000, got -1\n"


def test_show_output_loads_back_to_the_same_scenario(write) -> None:
    result = invoke("show", str(FIXTURES / "as_it_turns_out.yaml"), "--set", "seed=11")
    write("resolved.yaml", result.stdout)
    assert load("resolved.yaml") == load(FIXTURES / "as_it_turns_out.yaml", {"seed": 11})


def test_version_and_help() -> None:
    assert invoke("--version").stdout == f"orgsim, version {__version__}\n"
    help_text = invoke("--help").stdout
    assert "validate" in help_text
    assert "show" in help_text
    assert "--set KEY=VALUE" in invoke("show", "--help").stdout


def test_validate_and_show_speak_json_for_scripts() -> None:
    broken = "tests/broken_scenarios/beta_mean_out_of_range.yaml"
    result = CliRunner().invoke(main, ["validate", "--format", "json", broken])
    assert result.exit_code == 2
    problems = json.loads(result.stdout)[broken]
    assert problems == [
        {
            "file": broken,
            "line": 5,
            "override": None,
            "key": "demand.fit.mean",
            "message": "must be strictly between 0 and 1, got 1.2",
        }
    ]
    shown = CliRunner().invoke(
        main, ["show", "--format", "json", "scenarios/sales_owns_inside_sales.yaml"]
    )
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["org"]["inside_sales_reports_to"] == "sales"


def test_a_set_value_with_a_number_too_long_for_any_setting_is_refused_without_a_traceback():
    huge = "9" * 5000  # past Python's own 4,300-digit limit on turning text into an int
    result = invoke("show", str(FIXTURES / "base.yaml"), "--set", f"teams.sdr.headcount={huge}")
    assert result.exit_code == 2
    assert "holds a number over 100 digits long" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_command_with_a_format_offers_the_same_two():
    formats = {
        name: param.type.choices
        for name, command in main.commands.items()
        for param in command.params
        if param.name == "output_format"
    }
    assert {"validate", "show", "run", "compare", "report"} <= formats.keys()
    assert {name: list(choices) for name, choices in formats.items()} == {
        name: ["table", "json"] for name in formats
    }
