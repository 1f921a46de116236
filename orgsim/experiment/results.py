"""What a Monte Carlo run returns: tidy tables, their summary, and how the run was made.

The tables go straight into pandas; the seed, worker count and timing travel
with them, so a saved run says how to repeat it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from orgsim import __version__
from orgsim.analysis.summary import summarize
from orgsim.experiment.rundir import write_run_directory
from orgsim.experiment.tasks import ChunkResult, Failure
from orgsim.model import KPI_NAMES, MONTHLY_COLUMNS, SDR_MONTH_COLUMNS
from orgsim.scenario import Scenario


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
        """Write the run directory (see ``orgsim.experiment.rundir``); returns its path."""
        return write_run_directory(self, Path(out), force=force)


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
