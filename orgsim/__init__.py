"""orgsim: who should own inside sales? A discrete-event simulator of demand-generation org design."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from orgsim.scenario import Scenario, ScenarioError, load

if TYPE_CHECKING:
    from orgsim.experiment import Results, compare, explain, simulate, sweep
    from orgsim.experiment import one_at_a_time as sensitivity

__all__ = [
    "Results",
    "Scenario",
    "ScenarioError",
    "__version__",
    "compare",
    "explain",
    "load",
    "sensitivity",
    "simulate",
    "sweep",
]

_EXPERIMENT = {
    "Results": "Results",
    "simulate": "simulate",
    "compare": "compare",
    "sweep": "sweep",
    "sensitivity": "one_at_a_time",
    "explain": "explain",
}


def __getattr__(name: str) -> Any:
    """Import the experiment layer (pandas, scipy) on first use only.

    Worker processes import ``orgsim`` to run the model; without this each
    would also pay for the analysis stack it never uses.
    """
    if name in _EXPERIMENT:
        from orgsim import experiment

        value = getattr(experiment, _EXPERIMENT[name])
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orgsim' has no attribute {name!r}")
