"""Shared scenarios: the shipped baseline, and a three-month cut of it where only plumbing is tested."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import orgsim
from orgsim.scenario import Scenario

WORKTREE = Path(__file__).resolve().parents[2]
BASELINE = WORKTREE / "scenarios" / "sales_owns_inside_sales.yaml"


@pytest.fixture(scope="session")
def baseline_path() -> Path:
    return BASELINE


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    return orgsim.load(BASELINE)


@pytest.fixture(scope="session")
def quarter() -> Scenario:
    """The baseline over three months: the same mechanisms, a quarter of the time per replication."""
    return orgsim.load(BASELINE, {"calendar.months": 3, "calendar.warm_up_months": 0})


@pytest.fixture
def orgsim_command() -> Callable[..., subprocess.CompletedProcess[str]]:
    """``python -m orgsim ARGS`` in a fresh interpreter run in ``cwd``, as a user would."""

    def run(*args: str | os.PathLike[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(WORKTREE)}
        return subprocess.run(
            [sys.executable, "-m", "orgsim", *map(str, args)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run
