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
from orgsim.experiment.rundir import atomic_write, check_destination
from orgsim.experiment.runner import session, simulate
from orgsim.model import KPI_NAMES
from orgsim.scenario import Scenario, load, with_overrides


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """Per parameter: the KPI's mean at its low and high values, and the swing, largest first."""

    kpi: str
    base: float
    table: pd.DataFrame

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        out = Path(out)
        check_destination(out, force)
        out.mkdir(parents=True, exist_ok=True)
        atomic_write(out / "sensitivity.csv", lambda f: self.table.to_csv(f, index=False))
        return out


def one_at_a_time(
    scenario: Scenario | str | os.PathLike[str],
    parameters: Mapping[str, tuple[float, float]] | None = None,
    kpi: str | None = None,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
) -> Sensitivity:
    """Tornado data: columns parameter, low_value, high_value, kpi_at_low, kpi_at_high, base, swing."""
    base_scenario = scenario if isinstance(scenario, Scenario) else load(scenario)
    kpi = kpi or base_scenario.sensitivity.kpi
    if kpi not in KPI_NAMES:
        raise ValueError(f"unknown KPI {kpi!r}; expected one of {', '.join(KPI_NAMES)}")
    ranges = dict(parameters if parameters is not None else base_scenario.sensitivity.parameters)
    low_high = {
        name: [
            with_overrides(base_scenario, {name: value}, source="sensitivity") for value in values
        ]
        for name, values in ranges.items()
    }
    rows = []
    with session(workers, backend, address) as where:
        base_run = simulate(base_scenario, replications, seed, **where)

        def mean(variant: Scenario) -> float:
            run = simulate(variant, base_run.requested, base_run.seed, **where)
            return float(run.replications[kpi].mean())

        for name, (low, high) in low_high.items():
            at_low, at_high = mean(low), mean(high)
            rows.append(
                {
                    "parameter": name,
                    "low_value": ranges[name][0],
                    "high_value": ranges[name][1],
                    "kpi_at_low": at_low,
                    "kpi_at_high": at_high,
                    "swing": abs(at_high - at_low),
                }
            )
    base = float(base_run.replications[kpi].mean())
    table = pd.DataFrame(rows).assign(base=base, kpi=kpi)
    table = table.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return Sensitivity(kpi, base, table)
