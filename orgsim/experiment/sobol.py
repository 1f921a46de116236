"""Global sensitivity: Sobol indices of a KPI over the assumptions' ranges (SALib).

One-at-a-time swings miss interactions; Sobol indices split the KPI's variance
over the ranges into each assumption's own share (S1) and its share with all
interactions (ST). Every sample point runs the same replications (common random
numbers), so an assumption the model ignores gets exactly zero. Needs the
optional ``sensitivity`` extra: ``pip install 'orgsim[sensitivity]'``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
import pandas as pd

from orgsim.experiment.backends import BackendName
from orgsim.experiment.runner import session, simulate
from orgsim.scenario import Scenario, load, with_overrides
from orgsim.scenario.settings import setting


class SALibUnavailableError(ImportError):
    """SALib is an optional extra."""


def sobol_indices(
    scenario: Scenario | str | os.PathLike[str],
    parameters: Mapping[str, tuple[float, float]] | None = None,
    kpi: str | None = None,
    base_samples: int = 32,
    replications: int = 4,
    seed: int | None = None,
    *,
    workers: int | None = None,
    backend: BackendName = "local",
    address: str | None = None,
) -> pd.DataFrame:
    """Columns parameter, S1, S1_conf, ST, ST_conf, sorted by ST; runs base_samples x (k + 2) points."""
    try:
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample
    except ImportError:
        raise SALibUnavailableError(
            "Sobol indices need SALib: pip install 'orgsim[sensitivity]'"
        ) from None
    base = scenario if isinstance(scenario, Scenario) else load(scenario)
    kpi = kpi or base.sensitivity.kpi
    ranges = dict(parameters if parameters is not None else base.sensitivity.parameters)
    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(ranges[n]) for n in names]}
    points = sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    integers = {name for name in names if isinstance(setting(base, name), int)}
    outputs = []
    with session(workers, backend, address) as where:
        run_seed = seed
        for point in points:
            values = {
                n: round(v) if n in integers else float(v)
                for n, v in zip(names, point, strict=True)
            }
            run = simulate(
                with_overrides(base, values, source="sobol"), replications, run_seed, **where
            )
            run_seed = run.seed
            outputs.append(run.replications[kpi].mean())
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
