"""Multichannel follow-up: marketing coordinates email and ads with SDR touches.

The first article expects higher lead-to-SQL conversion when marketing owns
follow-up across channels. No published figure was found: the lift is an
explicit assumption, meant to be varied in sensitivity runs.
"""

from __future__ import annotations

from orgsim.scenario.schema import Multichannel


def contact_lift(policy: Multichannel, sdrs_in_marketing: bool) -> float:
    """Multiplier on every touch's contact chance."""
    if policy.enabled and sdrs_in_marketing:
        return 1.0 + policy.contact_lift
    return 1.0
