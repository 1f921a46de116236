"""Demand: leads arrive from programs at a rate set by spend and by the content stock.

Marketers' content hours build a stock that decays; with a lag, the stock sets
how many leads arrive and how good they are, and bottom-of-funnel content helps
AEs close. Producing less now (diverted designers, follow-up content for SDRs)
means fewer and weaker leads later (second article).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from orgsim.model.lead_sources import draw_sources
from orgsim.scenario.schema import Demand


@dataclass(slots=True)
class ContentStock:
    """Content stock by month, starting at the steady state of the planned content hours."""

    reference: float
    decay: float
    history: list[float] = field(default_factory=list)

    @classmethod
    def steady(cls, planned_hours_per_month: float, decay: float) -> ContentStock:
        reference = planned_hours_per_month / decay if decay > 0 else planned_hours_per_month
        return cls(reference=max(reference, 1e-9), decay=decay, history=[reference])

    def add_month(self, content_hours: float) -> None:
        self.history.append(self.history[-1] * (1 - self.decay) + content_hours)

    def ratio(self, lag: int) -> float:
        """Stock ``lag`` months ago relative to the reference (1.0 at steady state)."""
        index = max(len(self.history) - 1 - lag, 0)
        return self.history[index] / self.reference


@dataclass(frozen=True, slots=True)
class DemandMultipliers:
    volume: float
    fit: float
    win: float


def demand_multipliers(demand: Demand, stock_ratio: float) -> DemandMultipliers:
    """How spend and content scale this month's lead volume, lead fit and win chance."""
    spend = (
        demand.program_spend_per_month / demand.reference_spend_per_month
    ) ** demand.spend_elasticity
    content = demand.content
    if not content.enabled:
        return DemandMultipliers(spend, 1.0, 1.0)
    ratio = max(stock_ratio, 0.0)
    return DemandMultipliers(
        volume=spend * ratio**content.lead_elasticity,
        fit=ratio**content.fit_elasticity,
        win=ratio**content.win_elasticity,
    )


@dataclass(frozen=True, slots=True)
class NewLeads:
    times: np.ndarray
    fit: np.ndarray
    source: np.ndarray
    """Each lead's lead-source code (index into ``demand.sources``; all 0 with none)."""


def generate_leads(
    demand: Demand,
    multipliers: DemandMultipliers,
    start: float,
    length: float,
    arrivals: np.random.Generator,
    fit_rng: np.random.Generator,
    source_rng: np.random.Generator,
) -> NewLeads:
    """A month's leads: a Poisson process over the month, each with a source and a hidden fit."""
    if not demand.enabled:
        return NewLeads(np.empty(0), np.empty(0), np.empty(0, dtype=np.int64))
    count = arrivals.poisson(demand.leads_per_month * multipliers.volume)
    times = start + np.sort(arrivals.uniform(0.0, length, count))
    source, fit = draw_sources(demand, count, source_rng, fit_rng)
    return NewLeads(times, np.clip(fit * multipliers.fit, 0.0, 1.0), source)
