"""The closed loop: SQL outcomes feed back into marketing's scoring ("revenue responsibility").

Heinz's pros 1, 3 and 4: marketing "puts itself closer to revenue by owning inside
sales" and "owns the entire lead capture & follow-up process". When the team that
qualifies leads reports to the team that makes them, what SDRs learn about each
lead reaches marketing: after a lag, and exponentially with ``learning_months``,
scoring noise falls toward ``1 - noise_reduction`` of its level (a cleaner, smaller
MQL stream) and new leads' fit rises by up to ``fit_lift`` (programs shift toward
what converts). A sales-run team's outcomes
stay in sales' systems (the first article's con 3: "will they still use the same
CRM systems?"), so its scoring does not learn. The size is an assumption with a
range in the sensitivity section.
"""

from __future__ import annotations

import math

from orgsim.scenario.schema import ClosedLoop


def learned(loop: ClosedLoop, in_marketing: bool, month: int) -> float:
    """Share of the loop's full effect reached in ``month`` (0-based, from the start of the run)."""
    if not (loop.enabled and in_marketing) or month < loop.lag_months:
        return 0.0
    return 1.0 - math.exp(-(month - loop.lag_months) / loop.learning_months)


def scoring_noise_factor(loop: ClosedLoop, in_marketing: bool, month: int) -> float:
    """Multiplier on scoring noise in ``month``."""
    return 1.0 - loop.noise_reduction * learned(loop, in_marketing, month)


def lead_fit_factor(loop: ClosedLoop, in_marketing: bool, month: int) -> float:
    """Multiplier on new leads' fit in ``month`` (capped at fit 1 where it is applied)."""
    return 1.0 + loop.fit_lift * learned(loop, in_marketing, month)
