"""orgsim: who should own inside sales? A discrete-event simulator of demand-generation org design."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from orgsim.scenario import Scenario, ScenarioError, load

if TYPE_CHECKING:
    from orgsim.experiment import Results, simulate

__all__ = ["Results", "Scenario", "ScenarioError", "__version__", "load", "simulate"]

_EXPERIMENT = ("Results", "simulate")


def __getattr__(name: str) -> Any:
    """Import the experiment layer (pandas, scipy) on first use only.

    Worker processes import ``orgsim`` to run the model; without this each
    would also pay for the analysis stack it never uses.
    """
    if name in _EXPERIMENT:
        from orgsim import experiment

        value = getattr(experiment, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orgsim' has no attribute {name!r}")
