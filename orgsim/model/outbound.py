"""Outbound prospecting: SDR hours not spent on MQLs or admin go to dialing.

60-90 dials book a meeting (12.7-18.8 dials per connect, ~22.5 per meaningful
conversation, 3 conversations per meeting: Vorsight via TOPO/Gartner 2019). This
is what makes SDR time scarce: every hour on MQLs is taken from prospecting.
Settled once a working day for the whole team, so it costs no per-dial event.
"""

from __future__ import annotations

import numpy as np

from orgsim.scenario.schema import Outbound


def meetings_booked(
    hours: np.ndarray, skill: np.ndarray, outbound: Outbound, rng: np.random.Generator
) -> np.ndarray:
    """Meetings (SQLs) booked by each dialer (SDR or diverted marketer) from hours and skill."""
    dials = np.floor(np.maximum(hours, 0.0) * outbound.dials_per_hour).astype(np.int64)
    chance = np.clip(skill / outbound.dials_per_meeting, 0.0, 1.0)
    return rng.binomial(dials, chance)
