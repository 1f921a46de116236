"""Attrition and backfill: SDRs leave, seats stay empty, new hires ramp.

SDRs average about 14 months in the seat (TOPO; Bridge Group), and half of adults
have left a job to get away from a manager (Gallup 2015): the monthly hazard
rises when coaching falls below its reference. A seat stays empty 41-58 days
(WSJ 2016; HRO Today) and recruiting costs money.
"""

from __future__ import annotations

import numpy as np

from orgsim.scenario.schema import Attrition


def monthly_hazard(attrition: Attrition, coaching_quality: float) -> float:
    """Chance an SDR leaves during a month, given the coaching the team gets."""
    if not attrition.enabled:
        return 0.0
    shortfall = max(attrition.coaching_reference - coaching_quality, 0.0)
    return min(
        attrition.monthly_rate * (1.0 + attrition.poor_coaching_sensitivity * shortfall), 1.0
    )


def draw_exits(
    hazard: float, seats: int, rng: np.random.Generator
) -> tuple[list[bool], list[float]]:
    """For each seat: does its occupant leave this month, and when (share of the month).

    Both are drawn for every seat, filled or not, so the stream stays aligned
    across scenarios. Plain Python values: an exit time becomes the simulation
    clock, and a NumPy scalar there would slow every later event's arithmetic.
    """
    u = rng.random(seats)
    when = rng.random(seats)
    return (u < hazard).tolist(), when.tolist()
