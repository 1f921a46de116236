"""Monte Carlo experiments: many replications of a scenario, in parallel, reproducible from one seed."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgsim.experiment.compare import Comparison, compare
    from orgsim.experiment.dask_cluster import DaskUnavailableError
    from orgsim.experiment.discover import Discovery, discover
    from orgsim.experiment.explain import Explanation, explain
    from orgsim.experiment.optimize import Optimization, optimize
    from orgsim.experiment.results import Results
    from orgsim.experiment.runner import DEFAULT_REPLICATIONS, Progress, simulate
    from orgsim.experiment.sensitivity import Sensitivity, one_at_a_time
    from orgsim.experiment.sweep import Sweep, parse_vary, sweep
    from orgsim.experiment.tasks import Failure

__all__ = [
    "DEFAULT_REPLICATIONS",
    "Comparison",
    "DaskUnavailableError",
    "Discovery",
    "Explanation",
    "Failure",
    "Optimization",
    "Progress",
    "Results",
    "Sensitivity",
    "Sweep",
    "compare",
    "discover",
    "explain",
    "one_at_a_time",
    "optimize",
    "parse_vary",
    "simulate",
    "sweep",
]

_HOMES = {
    "DEFAULT_REPLICATIONS": "runner",
    "Comparison": "compare",
    "compare": "compare",
    "Discovery": "discover",
    "discover": "discover",
    "Optimization": "optimize",
    "optimize": "optimize",
    "Explanation": "explain",
    "explain": "explain",
    "Sensitivity": "sensitivity",
    "one_at_a_time": "sensitivity",
    "Sweep": "sweep",
    "parse_vary": "sweep",
    "sweep": "sweep",
    "DaskUnavailableError": "dask_cluster",
    "Failure": "tasks",
    "Progress": "runner",
    "Results": "results",
    "simulate": "runner",
}


def __getattr__(name: str) -> Any:
    """Import each public name's module on first use.

    A worker imports only ``orgsim.experiment.tasks`` and the model, not the
    pandas and scipy the results need, so a spawned pool starts in a fraction
    of the time.
    """
    if name in _HOMES:
        value = getattr(importlib.import_module(f"orgsim.experiment.{_HOMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orgsim.experiment' has no attribute {name!r}")
