"""Replications enough? Run in batches until a KPI's interval is as narrow as asked.

The sequential rule of ``orgsim.analysis.stopping`` decides when to stop;
each batch continues the same run (same seed, next replication numbers), so
the result equals one run of that many replications.
"""

from __future__ import annotations

import dataclasses
import os

import numpy as np
import pandas as pd

from orgsim.analysis import StoppingResult, replications_needed
from orgsim.experiment.backends import BackendName
from orgsim.experiment.results import Results
from orgsim.experiment.runner import session, simulate
from orgsim.scenario import Scenario, load

BATCH = 50
"""Replications added per step after the first ``BATCH``."""


def simulate_until_precise(
    scenario: Scenario | str | os.PathLike[str],
    kpi: str,
    target: float,
    seed: int | None = None,
    *,
    max_replications: int | None = None,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
) -> tuple[Results, StoppingResult]:
    """Results of as many replications as ``kpi``'s relative 95% half-width needs to reach ``target``."""
    scenario = scenario if isinstance(scenario, Scenario) else load(scenario)
    runs: list[Results] = []

    def draw(start: int, count: int) -> np.ndarray:
        run_seed = runs[0].seed if runs else seed
        run = simulate(scenario, count, run_seed, first=start, **where)
        runs.append(run)
        return run.replications[kpi].to_numpy(dtype=float)

    limit = max_replications or 20 * BATCH
    with session(workers, backend, address) as where:
        stop = replications_needed(
            draw,
            target,
            min_replications=min(BATCH, limit),
            max_replications=limit,
            batch_size=BATCH,
        )
    merged = dataclasses.replace(
        runs[0],
        requested=sum(run.requested for run in runs),
        replications=pd.concat([run.replications for run in runs], ignore_index=True),
        monthly=pd.concat([run.monthly for run in runs], ignore_index=True),
        failures=tuple(failure for run in runs for failure in run.failures),
        wall_time=sum(run.wall_time for run in runs),
    )
    return merged, stop
