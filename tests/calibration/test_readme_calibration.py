"""The README's calibration example runs as written, at a small size."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim.cli import main

pytest.importorskip("pyabc")

REPO = Path(__file__).parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
SMALL = {
    "synthesize": {"--months": "2"},
    "calibrate": {"--population": "4", "--generations": "1", "--predictive": "3"},
    "compare": {"--reps": "2", "--set": "calendar.months=2"},
}
"""What each command gets to run in seconds: fewer months, particles and replications."""


def example() -> list[list[str]]:
    block = next(
        text
        for kind, text in re.findall(r"```(\w+)\n(.*?)```", README, flags=re.DOTALL)
        if kind == "sh" and "orgsim calibrate" in text
    )
    return [shlex.split(line) for line in block.strip().splitlines()]


def shrunk(command: list[str]) -> list[str]:
    """``command`` without ``orgsim`` and with the small options in place of its own."""
    options = SMALL[command[1]]
    args: list[str] = []
    tokens = iter(command[1:])
    for token in tokens:
        if token in options:
            next(tokens)
            continue
        args.append(token)
    return [*args, *(item for pair in options.items() for item in pair)]


def test_the_readme_synthesizes_calibrates_and_compares_over_the_posterior(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = example()
    assert [command[:2] for command in commands] == [
        ["orgsim", "synthesize"],
        ["orgsim", "calibrate"],
        ["orgsim", "compare"],
    ]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").symlink_to(REPO / "scenarios")
    for command in commands:
        result = CliRunner().invoke(main, shrunk(command))
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "results" / "fit" / "posterior.csv").exists()
    assert (tmp_path / "results" / "compare" / "comparison.json").exists()
