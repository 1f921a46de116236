"""Scenarios: the YAML format, its schema, and loading with extends and overrides."""

from orgsim.scenario.errors import Origin, Problem, ScenarioError
from orgsim.scenario.loader import load, resolved_yaml, validate_files
from orgsim.scenario.schema import Scenario

__all__ = [
    "Origin",
    "Problem",
    "Scenario",
    "ScenarioError",
    "load",
    "resolved_yaml",
    "validate_files",
]
