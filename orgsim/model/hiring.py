"""The hiring plan: headcount per role by month, as revenue planners write it (Fullcast, Anaplan).

A plan is a list of steps, each a reported month from which a headcount holds.
New SDR and AE seats open that month and are filled after the hiring delay
(the role's backfill delay), so a plan to grow shows in ramping hires months
later; seats cut close at once (their occupants leave). Marketers are a pool, not
seats: the plan's headcount works (and costs) from its month. The SQL target
scales with planned SDR seats. Neutral: it applies to whichever side owns the team.
"""

from __future__ import annotations

from collections.abc import Sequence

from orgsim.scenario.schema import HeadcountStep, SQLTarget


def planned_headcount(plan: Sequence[HeadcountStep], initial: int, reported_month: int) -> int:
    """Headcount in ``reported_month`` (1-based; warm-up months, 0 and below, keep ``initial``)."""
    headcount = initial
    for step in plan:
        if step.month <= reported_month:
            headcount = step.headcount
    return headcount


def seats_factor(target: SQLTarget, seats_by_month: Sequence[float], month: int) -> float:
    """How much the SQL target grows with planned seats: this month's over those it was set on.

    A run-rate target averages the SQLs of the last ``run_rate_months`` months, booked
    with the seats of those months; a fixed one was planned for the first month's seats.
    """
    seats = seats_by_month[month]
    if target.basis == "fixed" or month == 0:
        basis = seats_by_month[0]
    else:
        recent = seats_by_month[max(0, month - target.run_rate_months) : month]
        basis = sum(recent) / len(recent)
    return seats / basis if basis > 0 else 1.0
