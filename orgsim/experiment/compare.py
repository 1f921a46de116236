"""Compare org designs on common random numbers: paired differences and a verdict.

Every scenario runs with the same seed, so replication i of each design sees
the same leads, the same people and the same luck; the paired difference per
replication isolates the design. The first scenario is the baseline.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from orgsim.analysis import (
    HEADLINE_KPI,
    VERDICT_RESAMPLES,
    paired_differences,
    shared_replications,
    verdicts,
)
from orgsim.experiment.backends import BackendName
from orgsim.experiment.results import Results
from orgsim.experiment.rundir import scenario_yaml, summary_document, write_directory
from orgsim.experiment.runner import Progress, session, simulate
from orgsim.kpis import VERDICT_KPIS
from orgsim.scenario import Scenario, load

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True, eq=False)
class Comparison:
    """Runs of several designs on common random numbers, and their paired differences."""

    runs: tuple[Results, ...]
    replications: pd.DataFrame
    monthly: pd.DataFrame
    differences: pd.DataFrame

    @property
    def baseline(self) -> str:
        return self.runs[0].scenario.name

    @property
    def scenarios(self) -> list[str]:
        return [run.scenario.name for run in self.runs]

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Paired differences to the baseline with a one-line verdict per scenario and KPI."""
        table = self.differences
        if kpis is not None:
            table = table[table["kpi"].isin(list(kpis))]
        return table.assign(verdict=verdicts(table)).reset_index(drop=True)

    def verdicts(self, kpis: Sequence[str] = VERDICT_KPIS) -> list[str]:
        """What a person reads first: one sentence per scenario and verdict KPI (``VERDICT_KPIS``)."""
        table = self.table(kpis)
        order = {kpi: rank for rank, kpi in enumerate(kpis)}
        table = table.sort_values(by="kpi", key=lambda column: column.map(order), kind="stable")
        table = table.sort_values(
            by="scenario", key=lambda c: c.map(self.scenarios.index), kind="stable"
        )
        return table["verdict"].tolist()

    def plot(self, kpi: str = HEADLINE_KPI) -> Figure:
        """Distributions of ``kpi`` side by side."""
        from orgsim.plots import kpi_distributions

        return kpi_distributions(self.replications, kpi=kpi)

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the comparison: tables as CSV, differences and runs as JSON, each scenario's YAML."""
        table = self.table()
        files = {
            "replications.csv": lambda f: self.replications.to_csv(f, index=False),
            "monthly.csv": lambda f: self.monthly.to_csv(f, index=False),
            "differences.csv": lambda f: table.to_csv(f, index=False),
            "differences.json": lambda f: f.write(table.to_json(orient="records", indent=2)),
            "comparison.json": lambda f: json.dump(self.document(), f, indent=2, allow_nan=False),
        }
        for index, run in enumerate(self.runs):
            files[f"scenario_{index + 1}.yaml"] = lambda f, run=run: f.write(scenario_yaml(run))
        return write_directory(
            Path(out), [(name, write, False) for name, write in files.items()], force=force
        )

    def document(self) -> dict[str, object]:
        """The comparison's verdicts and each run's summary, JSON-ready."""
        return {
            "baseline": self.baseline,
            "scenarios": self.scenarios,
            "verdicts": self.verdicts(),
            "runs": [summary_document(run) for run in self.runs],
        }


def compare(
    scenarios: Sequence[Scenario | str | os.PathLike[str]],
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
    confidence: float = 0.95,
    n_boot: int = VERDICT_RESAMPLES,
    kpis: Sequence[str] | None = None,
) -> Comparison:
    """Run every design with the same seed and compare each with the first.

    ``replications`` and ``seed`` default to the first scenario's own; ``kpis``
    limits the paired differences (default: every KPI). Designs
    with the same ``name`` are told apart by a number. Replications that failed
    in any design are left out of the paired differences.
    """
    if len(scenarios) < 2:
        raise ValueError("compare needs at least two scenarios")
    loaded = _distinct_names([s if isinstance(s, Scenario) else load(s) for s in scenarios])
    with session(workers, backend, address) as where:
        first = simulate(loaded[0], replications, seed, progress=progress, **where)
        runs = [first]
        for scenario in loaded[1:]:
            runs.append(simulate(scenario, first.requested, first.seed, progress=progress, **where))
    replications_table = pd.concat([run.replications for run in runs], ignore_index=True)
    paired = shared_replications(replications_table)
    differences = paired_differences(
        paired, first.scenario.name, kpis, confidence=confidence, n_boot=n_boot, seed=first.seed
    )
    monthly = pd.concat([run.monthly for run in runs], ignore_index=True)
    return Comparison(tuple(runs), replications_table, monthly, differences)


def _distinct_names(scenarios: list[Scenario]) -> list[Scenario]:
    seen: dict[str, int] = {}
    distinct = []
    for scenario in scenarios:
        count = seen.get(scenario.name, 0) + 1
        seen[scenario.name] = count
        if count > 1:
            scenario = scenario.model_copy(update={"name": f"{scenario.name} ({count})"})
        distinct.append(scenario)
    return distinct
