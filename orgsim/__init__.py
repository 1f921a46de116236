"""orgsim: who should own inside sales? A discrete-event simulator of demand-generation org design."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from orgsim.version import __version__

if TYPE_CHECKING:
    from orgsim.calibration.abc import calibrate
    from orgsim.experiment.compare import compare
    from orgsim.experiment.discover import discover
    from orgsim.experiment.explain import explain
    from orgsim.experiment.optimize import optimize
    from orgsim.experiment.results import Results
    from orgsim.experiment.sensitivity import one_at_a_time as sensitivity
    from orgsim.experiment.session import simulate
    from orgsim.experiment.sweep import sweep
    from orgsim.scenario import Scenario, ScenarioError, load

__all__ = [
    "Results",
    "Scenario",
    "ScenarioError",
    "__version__",
    "calibrate",
    "compare",
    "discover",
    "explain",
    "load",
    "optimize",
    "sensitivity",
    "simulate",
    "sweep",
]

_LAZY = {
    "Scenario": ("orgsim.scenario", "Scenario"),
    "ScenarioError": ("orgsim.scenario", "ScenarioError"),
    "load": ("orgsim.scenario", "load"),
    # The modules that define them: ``orgsim.experiment.compare`` (say) is also a
    # submodule's name, which shadows the function once the submodule is imported.
    "Results": ("orgsim.experiment.results", "Results"),
    "simulate": ("orgsim.experiment.session", "simulate"),
    "compare": ("orgsim.experiment.compare", "compare"),
    "sweep": ("orgsim.experiment.sweep", "sweep"),
    "sensitivity": ("orgsim.experiment.sensitivity", "one_at_a_time"),
    "explain": ("orgsim.experiment.explain", "explain"),
    "discover": ("orgsim.experiment.discover", "discover"),
    "optimize": ("orgsim.experiment.optimize", "optimize"),
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
