"""orgsim: who should own inside sales? A discrete-event simulator of demand-generation org design."""

__version__ = "0.1.0"

from orgsim.scenario import Scenario, ScenarioError, load

__all__ = ["Scenario", "ScenarioError", "__version__", "load"]
