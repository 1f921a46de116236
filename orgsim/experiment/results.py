"""What a Monte Carlo run returns: tidy tables, their summary, and how the run was made.

The tables go straight into pandas; the seed, worker count and timing travel
with them, so a saved run says how to repeat it.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.analysis.summary import summarize, summary_to_dict
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.rundir import (
    MONTHLY_CSV,
    REPLICATIONS_CSV,
    REPLICATIONS_PARQUET,
    SCENARIO_YAML,
    SDRS_CSV,
    SUMMARY_JSON,
)
from orgsim.experiment.tasks import ChunkResult, Failure
from orgsim.model import KPI_NAMES, MONTHLY_COLUMNS, SDR_MONTH_COLUMNS
from orgsim.scenario import Scenario, resolved_yaml
from orgsim.version import __version__


@dataclass(frozen=True, eq=False)
class Results:
    """A finished run of ``requested`` replications of ``scenario`` seeded with ``seed``.

    ``replications`` has one row per completed replication (``scenario``,
    ``replication``, then every KPI); ``monthly`` one row per completed
    replication and month; ``sdr_months`` one row per completed replication,
    SDR and month (who did how much: load imbalance shows here). Replications
    that raised are absent from all three and listed in ``failures``.
    """

    scenario: Scenario
    seed: int
    requested: int
    replications: pd.DataFrame
    monthly: pd.DataFrame
    failures: tuple[Failure, ...]
    workers: int
    backend: str
    wall_time: float
    started_at: datetime
    sdr_months: pd.DataFrame = field(default_factory=lambda: empty_sdr_months(""))
    version: str = __version__

    @property
    def replications_per_second(self) -> float:
        """Replications run (completed or failed) per second of wall time."""
        return self.requested / self.wall_time if self.wall_time > 0 else float("nan")

    def summary(self, confidence: float = 0.95, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Per KPI: n, mean, sd, t interval and the 5/50/95th percentiles over replications."""
        return summarize(self.replications, confidence, list(KPI_NAMES) if kpis is None else kpis)

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the run directory, whole (see ``orgsim.experiment.output``); returns its path."""
        return write_directory(Path(out), self.files(), force=force)

    def files(self) -> list[OutputFile]:
        """The run directory's files: each one's name, how to write it, and whether it is binary."""
        files: list[OutputFile] = [
            (REPLICATIONS_CSV, lambda f: self.replications.to_csv(f, index=False), False)
        ]
        if importlib.util.find_spec("pyarrow") is not None:
            files.append(
                (REPLICATIONS_PARQUET, lambda f: self.replications.to_parquet(f, index=False), True)
            )
        return [
            *files,
            (MONTHLY_CSV, lambda f: self.monthly.to_csv(f, index=False), False),
            (SDRS_CSV, lambda f: self.sdr_months.to_csv(f, index=False), False),
            (SUMMARY_JSON, lambda f: f.write(self.summary_json()), False),
            (SCENARIO_YAML, lambda f: f.write(self.scenario_yaml()), False),
        ]

    def summary_document(self) -> dict[str, Any]:
        """The content of ``summary.json``: the run's provenance and timing, then per-KPI statistics."""
        summary = summary_to_dict(self.summary())
        return {
            "scenario": self.scenario.name,
            "orgsim_version": self.version,
            "seed": self.seed,
            "replications": self.requested,
            "replications_completed": len(self.replications),
            "failures": [
                {
                    "replication": failure.replication,
                    "seed": failure.seed,
                    "error": failure.error,
                    "message": failure.message,
                }
                for failure in self.failures
            ],
            "backend": self.backend,
            "workers": self.workers,
            "started_at": self.started_at.isoformat(),
            "wall_time_seconds": self.wall_time,
            "replications_per_second": self.replications_per_second,
            "kpis": summary.get(self.scenario.name, {}),
        }

    def summary_json(self) -> str:
        """``summary.json`` as text: strict JSON (no NaN), indented for people."""
        return json.dumps(self.summary_document(), indent=2, allow_nan=False) + "\n"

    def scenario_yaml(self) -> str:
        """The resolved scenario with this run's seed and replications, so the file alone repeats it."""
        repeatable = self.scenario.model_copy(
            update={"seed": self.seed, "replications": self.requested}
        )
        return (
            "# The resolved scenario of this run, with its seed and replications:\n"
            "# `orgsim run scenario.yaml` repeats it.\n" + resolved_yaml(repeatable)
        )


def assemble_tables(
    scenario_name: str, chunks: Sequence[ChunkResult]
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Failure, ...]]:
    """The replications and monthly tables and the failures, in replication order.

    Tasks finish in any order; sorting by their first replication makes the
    tables identical whatever the backend and worker count.
    """
    ordered = sorted(chunks, key=lambda chunk: chunk.start)
    index = np.concatenate([c.replications for c in ordered] or [np.empty(0, np.int64)])
    kpis = np.concatenate([c.kpis for c in ordered] or [np.empty((0, len(KPI_NAMES)))])
    replications = pd.DataFrame(kpis, columns=list(KPI_NAMES))
    replications.insert(0, "replication", index)
    replications.insert(0, "scenario", scenario_name)

    owner = np.concatenate([c.monthly_replication for c in ordered] or [np.empty(0, np.int64)])
    columns = ordered[0].monthly_columns if ordered else MONTHLY_COLUMNS
    rows = np.concatenate([c.monthly for c in ordered] or [np.empty((0, len(columns)))])
    monthly = pd.DataFrame(rows, columns=list(columns))
    monthly["month"] = monthly["month"].astype(np.int64)
    monthly.insert(0, "replication", owner)
    monthly.insert(0, "scenario", scenario_name)

    failures = tuple(failure for c in ordered for failure in c.failures)
    return replications, monthly, failures


def assemble_sdr_months(scenario_name: str, chunks: Sequence[ChunkResult]) -> pd.DataFrame:
    """The per-SDR table (one row per replication, SDR and month), in replication order."""
    ordered = sorted(chunks, key=lambda chunk: chunk.start)
    if not ordered:
        return empty_sdr_months(scenario_name)
    rows = np.concatenate([c.sdr_months for c in ordered])
    table = pd.DataFrame(rows, columns=list(SDR_MONTH_COLUMNS))
    for column in ("month", "seat", "person", "touches"):
        table[column] = table[column].astype(np.int64)
    table.insert(0, "replication", np.concatenate([c.sdr_months_replication for c in ordered]))
    table.insert(0, "scenario", scenario_name)
    return table


def empty_sdr_months(scenario_name: str) -> pd.DataFrame:
    """A per-SDR table with its columns and no rows."""
    return pd.DataFrame(columns=["scenario", "replication", *SDR_MONTH_COLUMNS])
