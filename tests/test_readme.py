"""The README's commands and examples are the ones that work."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from orgsim.cli import main
from orgsim.scenario import load

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.DOTALL)


def test_readme_opens_with_the_install_and_run_and_the_test_commands() -> None:
    (first_kind, first), (second_kind, second) = BLOCKS[:2]
    assert (first_kind, second_kind) == ("sh", "sh")
    assert first.strip() == (
        "python -m venv .venv && . .venv/bin/activate && pip install . && "
        "orgsim validate scenarios/*.yaml && "
        "orgsim show scenarios/marketing_owns_inside_sales.yaml"
    )
    assert second.strip() == (
        "python -m venv .venv && . .venv/bin/activate && pip install '.[test]' && python -m pytest"
    )


def test_the_scenario_example_is_valid(write) -> None:
    example = next(text for kind, text in BLOCKS if kind == "yaml")
    write("marketing_owns_inside_sales.yaml", "name: stand-in parent\n")
    write("what_if_sla.yaml", example)
    scenario = load("what_if_sla.yaml")
    assert scenario.org.sla.enabled is True
    assert scenario.management.sdr_manager.time.planned_share == 0.25


def test_the_error_example_prints_what_the_readme_says(write) -> None:
    yaml_blocks = [text for kind, text in BLOCKS if kind == "yaml"]
    output = next(text for kind, text in BLOCKS if kind == "text")
    write("x.yaml", yaml_blocks[1])
    result = CliRunner().invoke(main, ["validate", "x.yaml"])
    assert result.exit_code == 2
    assert result.stderr == output
