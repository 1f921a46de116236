"""Costs: loaded salaries by the hour, managers' time, programs, overheads, recruiting.

Cost per opportunity divides the demand-generation cost (programs, marketing,
SDRs, SDR management, overheads, recruiting) by opportunities; cost per win adds
the AEs. Booked by month so diversion and vacancies show when they happen.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Generic, TypeVar

import numpy as np

Amount = TypeVar("Amount", float, np.ndarray)
"""Dollars: one month's (a float), or one per month (an array); every part of one bill alike."""


@dataclass(frozen=True, slots=True)
class MonthCosts(Generic[Amount]):
    """Cost parts of a month (floats), or of every month at once (arrays)."""

    programs: Amount
    marketing: Amount
    sdr: Amount
    management: Amount
    overheads: Amount
    recruiting: Amount
    ae: Amount

    @property
    def demand_generation(self) -> Amount:
        return (
            self.programs
            + self.marketing
            + self.sdr
            + self.management
            + self.overheads
            + self.recruiting
        )

    @property
    def total(self) -> Amount:
        return self.demand_generation + self.ae

    @classmethod
    def parts(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def hourly_rate(loaded_cost_per_year: float, hours_per_year: float) -> float:
    """Cost of one working hour, over the calendar's own working year."""
    return loaded_cost_per_year / hours_per_year


def seat_cost(loaded_cost_per_year: float, seat_months: float) -> float:
    """Cost of ``seat_months`` filled seat-months."""
    return loaded_cost_per_year / 12.0 * seat_months


def ratio(numerator: float, denominator: float) -> float:
    """A KPI ratio that is NaN, not infinite, when nothing was produced."""
    return numerator / denominator if denominator > 0 else float("nan")
