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
HOURS_PER_MONTH = 21 * 8


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


def single_touch_desk(
    arrival_rate: float,
    touch_minutes: Any,
    sdrs: int,
    interval: float = 0.0,
    months: int = 3,
    warm_up: int = 1,
) -> Scenario:
    """Poisson MQLs, one touch each, FIFO, no decay, expiry, outbound or neglect; idle SDRs look
    at the queue every ``interval`` hours (0: at once). The desk alone, for queueing theory."""
    return build(
        {
            "calendar.months": months,
            "calendar.warm_up_months": warm_up,
            "demand.leads_per_month": arrival_rate * HOURS_PER_MONTH,
            "demand.content.enabled": False,
            "demand.fit": 0.5,
            "scoring.enabled": False,
            "scoring.mql_threshold": 0.0,
            "scoring.nurture.enabled": False,
            "teams.sdr.headcount": sdrs,
            "teams.sdr.attrition.enabled": False,
            "teams.sdr.work.touch_minutes": touch_minutes,
            "teams.sdr.work.inbound_check_interval_hours": interval,
            "teams.sdr.work.max_wait_hours": 1e9,
            "followup.mean_attempts_without_rule": 1,
            "followup.max_attempts": 1,
            "followup.speed_to_lead.enabled": False,
            "followup.outbound.enabled": False,
            "policies.handoff.cherry_picking.enabled": False,
            "policies.handoff.padding.enabled": False,
            "policies.handoff.neglect.enabled": False,
        }
    )
