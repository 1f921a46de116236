"""Sweep one or two scenario keys over a grid, every point on common random numbers.

"Where does marketing ownership break even as the manager's planned share
grows?" is a curve, not a point: each grid point runs the same replications
(same seed), so differences between points are the parameter's doing.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orgsim.analysis import summarize
from orgsim.experiment.backends import BackendName
from orgsim.experiment.output import OutputFile, write_directory
from orgsim.experiment.rundir import REPLICATIONS_CSV, SWEEP_CSV
from orgsim.experiment.session import Progress, ScenarioSource, Session, as_scenario
from orgsim.scenario import with_overrides


def parse_vary(text: str) -> tuple[str, list[float]]:
    """``key=lo:hi:steps`` -> (key, evenly spaced values); integers stay integers."""
    key, equals, spec = text.partition("=")
    parts = spec.split(":")
    if not equals or not key.strip() or len(parts) != 3:
        raise ValueError(f"expected KEY=LO:HI:STEPS, got {text!r}")
    try:
        low, high, steps = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise ValueError(
            f"LO and HI must be numbers and STEPS a whole number, got {text!r}"
        ) from None
    if steps < 2:
        raise ValueError(f"STEPS must be at least 2, got {steps} in {text!r}")
    values = np.linspace(low, high, steps)
    if all(part.lstrip("-").isdigit() for part in parts[:2]) and np.allclose(
        values, values.round()
    ):
        return key.strip(), [int(v) for v in values.round()]
    return key.strip(), [float(v) for v in values]


@dataclass(frozen=True, eq=False)
class Sweep:
    """Per grid point and KPI: mean, interval and percentiles over replications."""

    keys: tuple[str, ...]
    table: pd.DataFrame
    replications: pd.DataFrame

    def curve(self, kpi: str) -> pd.DataFrame:
        """The tidy rows for one KPI: swept keys, mean, ci_low, ci_high, p5, p95."""
        rows = self.table[self.table["kpi"] == kpi]
        return rows[[*self.keys, "mean", "ci_low", "ci_high", "p5", "p95"]].reset_index(drop=True)

    def save(self, out: str | os.PathLike[str], *, force: bool = False) -> Path:
        """Write the sweep's directory, whole: see :meth:`files`."""
        return write_directory(Path(out), self.files(), force=force)

    def files(self) -> list[OutputFile]:
        """The summary per grid point and KPI, and every replication with its point."""
        return [
            (SWEEP_CSV, lambda f: self.table.to_csv(f, index=False), False),
            (REPLICATIONS_CSV, lambda f: self.replications.to_csv(f, index=False), False),
        ]


def sweep(
    scenario: ScenarioSource,
    vary: Mapping[str, Sequence[Any]],
    replications: int | None = None,
    seed: int | None = None,
    *,
    kpis: Sequence[str] | None = None,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
) -> Sweep:
    """Run ``scenario`` at every combination of the ``vary`` values (one or two keys)."""
    if not 1 <= len(vary) <= 2:
        raise ValueError(f"sweep varies one or two keys, got {len(vary)}")
    base = as_scenario(scenario)
    keys = tuple(vary)
    points = [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*vary.values())]
    variants = [with_overrides(base, point, source="--vary") for point in points]
    session = Session(
        replications, seed, workers=workers, backend=backend, address=address, progress=progress
    )
    runs = session.simulate_many(variants).results
    summaries = [
        summarize(run.replications, kpis=kpis).assign(**point)
        for point, run in zip(points, runs, strict=True)
    ]
    tables = [run.replications.assign(**point) for point, run in zip(points, runs, strict=True)]
    table = pd.concat(summaries, ignore_index=True)
    ordered = [*keys, *[column for column in table.columns if column not in keys]]
    return Sweep(keys, table[ordered], pd.concat(tables, ignore_index=True))
