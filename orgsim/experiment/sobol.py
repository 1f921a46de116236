"""Global sensitivity: Sobol indices of a KPI over the assumptions' ranges (SALib).

One-at-a-time swings miss interactions; Sobol indices split the KPI's variance
over the ranges into each assumption's own share (S1) and its share with all
interactions (ST). Every sample point runs the same replications (common random
numbers), so an assumption the model ignores gets exactly zero. Needs the
optional ``sensitivity`` extra: ``pip install 'orgsim[sensitivity]'``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from orgsim.experiment.backends import BackendName
from orgsim.experiment.session import Progress, ScenarioSource, Session, as_scenario
from orgsim.scenario import with_overrides
from orgsim.scenario.settings import setting

SOBOL_REPLICATIONS = 4
"""Replications per sample point: the points, not the replications, carry the estimate."""


class SALibUnavailableError(ImportError):
    """SALib is an optional extra."""


def sobol_indices(
    scenario: ScenarioSource,
    parameters: Mapping[str, tuple[float, float]] | None = None,
    kpi: str | None = None,
    base_samples: int = 32,
    replications: int | None = None,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Columns parameter, S1, S1_conf, ST, ST_conf, sorted by ST; runs base_samples x (k + 2) points.

    ``replications`` is per point, ``SOBOL_REPLICATIONS`` unless given (not the file's own).
    """
    try:
        from SALib.analyze import sobol as analyze  # type: ignore[import-untyped]
        from SALib.sample import sobol as sample  # type: ignore[import-untyped]
    except ImportError:
        raise SALibUnavailableError(
            "Sobol indices need SALib: pip install 'orgsim[sensitivity]'"
        ) from None
    base = as_scenario(scenario)
    kpi = kpi or base.sensitivity.kpi
    ranges = dict(parameters if parameters is not None else base.sensitivity.parameters)
    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(ranges[n]) for n in names]}
    points = sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    integers = {name for name in names if isinstance(setting(base, name), int)}
    variants = [
        with_overrides(
            base,
            {n: round(v) if n in integers else float(v) for n, v in zip(names, point, strict=True)},
            source="sobol",
        )
        for point in points
    ]
    session = Session(
        SOBOL_REPLICATIONS if replications is None else replications,
        seed,
        workers=workers,
        backend=backend,
        address=address,
        progress=progress,
    )
    outputs = [run.replications[kpi].mean() for run in session.simulate_many(variants).results]
    result = analyze.analyze(problem, np.asarray(outputs), calc_second_order=False, seed=seed)
    table = pd.DataFrame(
        {
            "parameter": names,
            "S1": result["S1"],
            "S1_conf": result["S1_conf"],
            "ST": result["ST"],
            "ST_conf": result["ST_conf"],
        }
    )
    return (
        table.assign(kpi=kpi)
        .sort_values("ST", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
