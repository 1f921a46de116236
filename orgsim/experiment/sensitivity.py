"""Which assumptions move a KPI most: one-at-a-time ranges for a tornado chart.

Each assumption is set to its low and its high value with everything else at
the scenario's value, all on common random numbers, so the swing is the
assumption's own effect; a parameter the model ignores swings by exactly zero.
The ranges come from the scenario's ``sensitivity`` section (defaults: the
model's explicit assumptions) or the command line.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orgsim.experiment.backends import BackendName
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.rundir import SENSITIVITY_CSV
from orgsim.experiment.session import Progress, ScenarioSource, Session, as_scenario
from orgsim.model import KPI_NAMES
from orgsim.scenario import with_overrides


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Per parameter: the KPI's mean at its low and high values, and the swing, largest first."""

    kpi: str
    base: float
    table: pd.DataFrame

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the tornado table's directory, whole."""
        return write_directory(Path(out), self.files(), force=force)

    def files(self) -> list[OutputFile]:
        return [(SENSITIVITY_CSV, lambda f: self.table.to_csv(f, index=False), False)]


def one_at_a_time(
    scenario: ScenarioSource,
    parameters: Mapping[str, tuple[float, float]] | None = None,
    kpi: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
) -> Sensitivity:
    """Tornado data: columns parameter, low_value, high_value, kpi_at_low, kpi_at_high, base, swing."""
    base_scenario = as_scenario(scenario)
    kpi = kpi or base_scenario.sensitivity.kpi
    if kpi not in KPI_NAMES:
        raise ValueError(f"unknown KPI {kpi!r}; expected one of {', '.join(KPI_NAMES)}")
    ranges = dict(parameters if parameters is not None else base_scenario.sensitivity.parameters)
    variants = [base_scenario] + [
        with_overrides(base_scenario, {name: value}, source="sensitivity")
        for name, values in ranges.items()
        for value in values
    ]
    session = Session(
        replications, seed, workers=workers, backend=backend, address=address, progress=progress
    )
    means = [float(run.replications[kpi].mean()) for run in session.simulate_many(variants).results]
    base, at_values = means[0], iter(means[1:])
    rows = []
    for name, (low_value, high_value) in ranges.items():
        at_low, at_high = next(at_values), next(at_values)
        rows.append(
            {
                "parameter": name,
                "low_value": low_value,
                "high_value": high_value,
                "kpi_at_low": at_low,
                "kpi_at_high": at_high,
                "swing": abs(at_high - at_low),
            }
        )
    table = pd.DataFrame(rows).assign(base=base, kpi=kpi)
    table = table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return Sensitivity(kpi, base, table)
