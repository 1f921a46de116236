"""orgsim: who should own inside sales? A discrete-event simulator of demand-generation org design."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from orgsim.calibration.abc import calibrate
    from orgsim.experiment import Results, compare, explain, simulate, sweep
    from orgsim.experiment import one_at_a_time as sensitivity
    from orgsim.scenario import Scenario, ScenarioError, load

__all__ = [
    "Results",
    "Scenario",
    "ScenarioError",
    "__version__",
    "calibrate",
    "compare",
    "explain",
    "load",
    "sensitivity",
    "simulate",
    "sweep",
]

_LAZY = {
    "Scenario": ("orgsim.scenario", "Scenario"),
    "ScenarioError": ("orgsim.scenario", "ScenarioError"),
    "load": ("orgsim.scenario", "load"),
    "Results": ("orgsim.experiment", "Results"),
    "simulate": ("orgsim.experiment", "simulate"),
    "compare": ("orgsim.experiment", "compare"),
    "sweep": ("orgsim.experiment", "sweep"),
    "sensitivity": ("orgsim.experiment", "one_at_a_time"),
    "explain": ("orgsim.experiment", "explain"),
    "calibrate": ("orgsim.calibration.abc", "calibrate"),
}


def __getattr__(name: str) -> Any:
    """Import the scenario and experiment layers (pydantic, pandas, scipy) on first use only.

    Worker processes import ``orgsim`` to run the model; without this each
    would also pay for the analysis stack it never uses. And ``python -m
    orgsim`` imports this package before its ``__main__``, which is what turns
    a Ctrl-C during start-up into a clean stop: there must be nothing slow here.
    """
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orgsim' has no attribute {name!r}")
