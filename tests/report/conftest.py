"""Run directories of real small runs of the shipped deck, written as a run writes them."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest
from fixtures.results import deck_runs, write_run

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def run_dirs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """One directory per deck scenario (baseline first), same seed: pairable replications."""
    root = tmp_path_factory.mktemp("runs")
    return [
        write_run(root / re.sub(r"\W+", "_", scenario.name).strip("_"), scenario, reps, monthly)
        for scenario, reps, monthly in deck_runs()
    ]
