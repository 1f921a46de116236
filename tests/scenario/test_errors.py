"""One test per kind of bad input: each message names the file, the line and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgsim.scenario import ScenarioError, load


def problems(name: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load(name)
    return [str(problem) for problem in caught.value.problems]


def test_yaml_syntax_error_gives_its_line(write) -> None:
    write("x.yaml", "name: x\nteams:\n  sdr:\n    headcount: [8\n  ae: {}\n")
    assert problems("x.yaml") == [
        "x.yaml:5: YAML syntax error: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence started at line 4) at column 5"
    ]


def test_empty_file(write) -> None:
    write("x.yaml", "# nothing but a comment\n\n")
    assert problems("x.yaml") == ["x.yaml: empty file; expected scenario keys such as name:"]


def test_top_level_that_is_not_a_mapping(write) -> None:
    write("x.yaml", "- name: x\n- teams: {}\n")
    assert problems("x.yaml") == [
        "x.yaml:1: the top level must be a mapping of scenario keys (name:, teams:, ...), "
        "got a list [{name: x}, {teams: {}}]"
    ]


def test_unknown_key_suggests_the_closest_key_of_its_section(write) -> None:
    write("x.yaml", "teams:\n  sdr:\n    hedcount: 3\n")
    assert problems("x.yaml") == [
        "x.yaml:3 teams.sdr.hedcount: unknown key 'hedcount'; did you mean 'headcount'?"
    ]


def test_unknown_key_one_level_too_high_suggests_where_it_belongs(write) -> None:
    write("x.yaml", "management:\n  sdr_manager:\n    planned_share: 0.25\n")
    assert problems("x.yaml") == [
        "x.yaml:3 management.sdr_manager.planned_share: unknown key 'planned_share'; "
        "did you mean 'time.planned_share'?"
    ]


def test_unknown_key_with_no_close_match_lists_the_allowed_keys(write) -> None:
    write("x.yaml", "calendar:\n  colour: red\n")
    assert problems("x.yaml") == [
        "x.yaml:2 calendar.colour: unknown key 'colour'; expected one of: months, "
        "warm_up_months, steady_start, start_month, lost_days, working_days_per_month, "
        "hours_per_day"
    ]


def test_wrong_type(write) -> None:
    write("x.yaml", "demand:\n  leads_per_month: lots\norg:\n  sla: {enabled: maybe}\n")
    assert problems("x.yaml") == [
        "x.yaml:2 demand.leads_per_month: must be a number, got 'lots'",
        "x.yaml:4 org.sla.enabled: must be true or false, got 'maybe'",
    ]


def test_negative_headcount(write) -> None:
    write("x.yaml", "teams:\n  sdr:\n    headcount: -1\n")
    assert problems("x.yaml") == [
        "x.yaml:3 teams.sdr.headcount: must be between 0 and 10,000, got -1"
    ]


def test_share_outside_zero_to_one(write) -> None:
    write("x.yaml", "management:\n  sdr_manager:\n    time:\n      planned_share: 1.5\n")
    assert problems("x.yaml") == [
        "x.yaml:4 management.sdr_manager.time.planned_share: must be between 0 and 1, got 1.5"
    ]


def test_nan_and_inf(write) -> None:
    write("x.yaml", "demand:\n  leads_per_month: .nan\n  fit: -.inf\n")
    assert problems("x.yaml") == [
        "x.yaml:2 demand.leads_per_month: must be a finite number, got .nan",
        "x.yaml:3 demand.fit: must be a finite number, got -.inf",
    ]


def test_impossible_beta(write) -> None:
    write("x.yaml", "demand:\n  fit: {dist: beta, mean: 0.5, sd: 0.6}\n")
    assert problems("x.yaml") == [
        "x.yaml:2 demand.fit: a beta with mean 0.5 needs sd < 0.5 (sqrt(mean*(1-mean))), got sd 0.6"
    ]


def test_distribution_that_can_draw_outside_its_range(write) -> None:
    write("x.yaml", "followup:\n  outbound:\n    fit: {dist: lognormal, median: 0.4, sigma: 1}\n")
    assert problems("x.yaml") == [
        "x.yaml:3 followup.outbound.fit: must be a share between 0 and 1, but this distribution "
        "can draw 0 to inf"
    ]


def test_distribution_parameter_out_of_range_and_missing(write) -> None:
    write("x.yaml", "demand:\n  fit:\n    dist: beta\n    mean: 1.5\n")
    assert problems("x.yaml") == [
        "x.yaml:2 demand.fit.sd: missing; a beta distribution needs mean and sd",
        "x.yaml:4 demand.fit.mean: must be strictly between 0 and 1, got 1.5",
    ]


def test_unknown_distribution_name(write) -> None:
    write("x.yaml", "selling:\n  cycle_days: {dist: weibull, shape: 2}\n")
    assert problems("x.yaml") == [
        "x.yaml:2 selling.cycle_days: unknown distribution 'weibull'; expected one of constant, "
        "lognormal, beta, exponential, gamma, triangular, uniform"
    ]


def test_misspelt_distribution_name(write) -> None:
    write("x.yaml", "selling:\n  cycle_days: {dist: lognorm, median: 60, sigma: 0.5}\n")
    assert problems("x.yaml")[0].endswith("; did you mean 'lognormal'?")


def test_missing_extends(write) -> None:
    write("x.yaml", "name: x\nextends: nowhere/base.yaml\n")
    assert problems("x.yaml") == [
        "x.yaml:2 extends: no such file: 'nowhere/base.yaml' "
        "(extends chain: x.yaml -> nowhere/base.yaml)"
    ]


def test_missing_extends_deeper_in_a_chain_names_the_chain(write) -> None:
    write("x.yaml", "extends: parents/a.yaml\n")
    write("parents/a.yaml", "# the parent\nextends: b.yaml\n")
    assert problems("x.yaml") == [
        "parents/a.yaml:2 extends: no such file: 'parents/b.yaml' "
        "(extends chain: x.yaml -> parents/a.yaml -> parents/b.yaml)"
    ]


def test_cyclic_extends(write) -> None:
    write("a.yaml", "extends: b.yaml\n")
    write("b.yaml", "name: b\nextends: a.yaml\n")
    assert problems("a.yaml") == ["b.yaml:2 extends: cycle: a.yaml -> b.yaml -> a.yaml"]


def test_extends_that_is_not_a_path(write) -> None:
    write("x.yaml", "extends: [a.yaml, b.yaml]\n")
    assert problems("x.yaml") == [
        "x.yaml:1 extends: must be the path of another scenario file, got a list [a.yaml, b.yaml]"
    ]


def test_non_utf8_bytes(write) -> None:
    Path("x.yaml").write_bytes(b"name: caf\xe9\n")
    Path("y.yaml").write_bytes(b"name: x\nteams:\n  sdr: {headcount: \xff}\n")
    assert problems("x.yaml") == ["x.yaml:1: not UTF-8 text (byte 0xe9); save the file as UTF-8"]
    assert problems("y.yaml") == ["y.yaml:3: not UTF-8 text (byte 0xff); save the file as UTF-8"]


def test_a_directory_instead_of_a_file(write) -> None:
    Path("scenarios").mkdir()
    assert problems("scenarios") == ["scenarios: is a directory, not a scenario file"]


def test_a_missing_file(write) -> None:
    assert problems("nope.yaml") == ["nope.yaml: no such file"]


def test_duplicate_keys(write) -> None:
    write("x.yaml", "teams:\n  sdr:\n    headcount: 8\n    headcount: 9\n")
    assert problems("x.yaml") == [
        "x.yaml:4 teams.sdr.headcount: duplicate key; also written at line 3"
    ]


def test_a_check_across_sections_points_at_a_key_that_was_written(write) -> None:
    write("x.yaml", "name: short months\ncalendar:\n  working_days_per_month: 10\n")
    assert problems("x.yaml") == [
        "x.yaml:3: policies.end_of_month_diversion.trigger_working_day is 16, but a month has "
        "only 10 working days (calendar.working_days_per_month)"
    ]


def test_control_characters(write) -> None:
    write("x.yaml", "name: x\ndescription: a\x07b\n")
    assert problems("x.yaml") == ["x.yaml:2: YAML cannot contain the character U+0007"]


def test_a_name_the_system_cannot_open(write) -> None:
    name = "a" * 300 + ".yaml"
    assert problems(name) == [f"{name}: cannot read: File name too long"]
