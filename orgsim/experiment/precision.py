"""Replications enough? Run in batches until a KPI's interval is as narrow as asked.

The sequential rule of ``orgsim.analysis.stopping`` decides when to stop;
each batch continues the same run (same seed, next replication numbers), so
the result equals one run of that many replications.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from orgsim.analysis import StoppingResult, replications_needed
from orgsim.experiment.backends import BackendName
from orgsim.experiment.results import Results
from orgsim.experiment.session import Progress, ScenarioSource, Session, as_scenario

BATCH = 50
"""Replications added per step after the first ``BATCH``."""

PRECISION_MAX_REPLICATIONS = 20 * BATCH
"""The most replications run when the call sets no ``max_replications``."""


def simulate_until_precise(
    scenario: ScenarioSource,
    kpi: str,
    target: float,
    seed: int | None = None,
    *,
    max_replications: int | None = None,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
) -> tuple[Results, StoppingResult]:
    """Results of as many replications as ``kpi``'s relative 95% half-width needs to reach ``target``.

    ``progress`` counts towards ``max_replications`` (default ``PRECISION_MAX_REPLICATIONS``),
    the most that may run.
    """
    design = as_scenario(scenario)
    limit = max_replications or PRECISION_MAX_REPLICATIONS
    runs: list[Results] = []

    def count_towards_limit(completed: int, total: int) -> None:
        if progress is not None:
            progress(sum(run.requested for run in runs) + completed, limit)

    session = Session(
        seed=seed, workers=workers, backend=backend, address=address, progress=count_towards_limit
    )

    def draw(start: int, count: int) -> np.ndarray:
        run = session.simulate(design, range(start, start + count))
        runs.append(run)
        return run.replications[kpi].to_numpy(dtype=float)

    with session:
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
        sdr_months=pd.concat([run.sdr_months for run in runs], ignore_index=True),
        failures=tuple(failure for run in runs for failure in run.failures),
        wall_time=sum(run.wall_time for run in runs),
    )
    return merged, stop
