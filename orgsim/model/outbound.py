"""Outbound prospecting: SDR hours not spent on MQLs or admin go to dialing.

60-90 dials book a meeting (12.7-18.8 dials per connect, ~22.5 per meaningful
conversation, 3 conversations per meeting: Vorsight via TOPO/Gartner 2019). This
is what makes SDR time scarce: every hour on MQLs is taken from prospecting.
Settled once a working day for the whole team, so it costs no per-dial event.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from orgsim.scenario.schema import Outbound


def meetings_booked(
    hours: Sequence[float], skill: Sequence[float], outbound: Outbound, rng: np.random.Generator
) -> int:
    """Meetings (SQLs) booked by a day's dialers (SDRs or diverted marketers) from hours and skill.

    Each dialer's meetings are binomial in their dials; a dozen dialers a day
    are cheaper in plain Python than in NumPy arrays, bar the one draw.
    """
    dials = [int(max(h, 0.0) * outbound.dials_per_hour) for h in hours]
    chance = [min(max(k / outbound.dials_per_meeting, 0.0), 1.0) for k in skill]
    return int(rng.binomial(dials, chance).sum())
