"""The README's commands and examples are the ones that work."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from orgsim.cli import main
from orgsim.scenario import load

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.DOTALL)


def test_readme_opens_with_the_install_and_run_and_the_test_commands(tmp_path, monkeypatch) -> None:
    """The first block installs and runs the comparison; here its orgsim commands run, small."""
    (first_kind, first), (second_kind, second) = BLOCKS[:2]
    assert (first_kind, second_kind) == ("sh", "sh")
    steps = [step.strip() for step in first.split("&&")]
    assert steps[:3] == ["python -m venv .venv", ". .venv/bin/activate", "pip install ."]
    commands = [shlex.split(step) for step in steps[3:]]
    assert [command[:2] for command in commands] == [["orgsim", "compare"], ["orgsim", "report"]]
    repo = Path(__file__).parent.parent
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").symlink_to(repo / "scenarios")
    small = ["--reps", "3", "--workers", "1", "--set", "calendar.months=2"]
    small += ["--set", "calendar.warm_up_months=0"]
    outputs = []
    for command in commands:
        extra = small if command[1] == "compare" else []
        result = CliRunner().invoke(main, [*command[1:], *extra])
        assert result.exit_code == 0, result.output
        outputs.append(result)
    assert (tmp_path / "results" / "compare" / "report.html").stat().st_size > 10_000
    rerun = outputs[0]
    designs = [load(path).name for path in commands[0][2:] if path.endswith(".yaml")]
    assert len(designs) == 8 and "Sales owns inside sales, with a signed SLA" in designs
    answer, *rest = rerun.stdout.split("\n\n")
    # The first line is the answer, with its interval and how many runs agree.
    first = answer.splitlines()[0]
    assert re.match(r"(Keep inside sales in|Move inside sales to|No clear answer)", first), first
    assert "cost" in first and "per win" in first and "95% CI" in first, first
    assert re.search(r"cheaper in \d+ of 3 simulated runs", first), first
    # Then one line per design after the first, naming the design it is judged against.
    per_design = rest[0].splitlines()
    assert len(per_design) == len(designs) - 1
    for design, line in zip(designs[1:], per_design, strict=True):
        assert line.startswith(design), (design, line)
    assert all(" Sales owns inside sales, with a signed SLA (" in line for line in per_design[4:6])
    assert "Warning" not in rerun.output
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
