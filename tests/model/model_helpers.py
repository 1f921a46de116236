"""Helpers for model tests: scenarios from dotted overrides, replications as a table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import orgsim
from orgsim.model import run_replication
from orgsim.model.streams import Streams
from orgsim.scenario.schema import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def build(overrides: dict[str, Any] | None = None) -> Scenario:
    """The default scenario with dotted-key overrides applied."""
    data: dict[str, Any] = {}
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    return Scenario.model_validate(data)


def shipped(name: str, overrides: dict[str, Any] | None = None) -> Scenario:
    return orgsim.load(SCENARIOS / f"{name}.yaml", overrides)


def replicate(scenario: Scenario, n: int, seed: int = 11) -> pd.DataFrame:
    """KPIs of replications 0..n-1 (common random numbers across scenarios)."""
    rows = [run_replication(scenario, Streams.for_replication(seed, i)).kpis for i in range(n)]
    return pd.DataFrame(rows)


def monthly(scenario: Scenario, n: int, seed: int = 11) -> list[dict[str, np.ndarray]]:
    return [run_replication(scenario, Streams.for_replication(seed, i)).monthly for i in range(n)]


def paired_z(a: pd.Series, b: pd.Series) -> float:
    """Mean of b - a over its standard error: how many SEs b exceeds a by."""
    diff = (b - a).to_numpy()
    return float(diff.mean() / (diff.std(ddof=1) / np.sqrt(diff.size)))
