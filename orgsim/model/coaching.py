"""Effective SDR skill = base skill x ramp x coaching (the first article's first con).

Marketers rarely have sales-management skill; coaching lifts core performers up
to 19% (CEB 2009), and a team that does not get the management it needs loses
that lift. Pure arithmetic, so it is tested without a simulation.
"""

from __future__ import annotations

from orgsim.scenario.schema import Ramp


def ramp_productivity(tenure_months: float, ramp: Ramp) -> float:
    """Share of full productivity of a person ``tenure_months`` into the job."""
    if not ramp.enabled or ramp.months <= 0 or tenure_months >= ramp.months:
        return 1.0
    return (
        ramp.start_productivity
        + (1 - ramp.start_productivity) * max(tenure_months, 0) / ramp.months
    )


def coaching_quality(coverage: float, management_skill: float) -> float:
    """Share of the management the team needs that it gets, times how good it is (0..1)."""
    return min(max(coverage, 0.0), 1.0) * min(max(management_skill, 0.0), 1.0)


def coaching_factor(quality: float, lift: float, enabled: bool = True) -> float:
    """Multiplier on SDR skill: 1 with perfect coaching, 1 - lift with none."""
    if not enabled:
        return 1.0
    return 1.0 - lift + lift * quality


def effective_skill(base: float, tenure_months: float, ramp: Ramp, factor: float) -> float:
    return base * ramp_productivity(tenure_months, ramp) * factor
