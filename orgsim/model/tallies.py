"""What each part of a finished replication hands the summary: typed tallies, not its attributes.

As desmod's ``get_result``: the desk, the sales floor and the AE seats each say
what they counted, the replication's monthly book says what the calendar
booked, and ``summary.summarize`` combines them without knowing the parts. A
new mechanism adds its field here, its KPI to the registry and its section to
docs/model.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orgsim.model.clock import Clock
from orgsim.scenario import Scenario


@dataclass(frozen=True, slots=True)
class DeskTally:
    """The SDR desk's counts (``followup.py``)."""

    touches: int
    first_touch_ages: np.ndarray
    """Hours from each MQL's arrival to its first touch, for MQLs touched at all."""
    first_touch_arrivals: np.ndarray
    """When those MQLs arrived (simulated hours), to keep the reported months' only."""
    neglected: int
    below_definition: int
    retry_delay_max: float


@dataclass(frozen=True, slots=True)
class FloorTally:
    """The sales floor's time-integrals and closed deals (``selling.py``)."""

    area_in_system: float
    """Open deals integrated over simulated hours."""
    sojourn_hours: float
    closed: int


@dataclass(frozen=True, slots=True)
class SeatTally:
    """The AE seats' plan (``ae_seats.py``)."""

    open_seat_months: int
    """Seats the hiring plan kept open, summed over the reported months."""


@dataclass(frozen=True, slots=True)
class ReplicationTally:
    """Everything a finished replication hands the summary."""

    scenario: Scenario
    clock: Clock
    book: dict[str, list[float]]
    """The calendar's monthly book, a list per ``MONTHLY_COLUMNS`` name and internal running sum."""
    sdr_months: dict[str, list[float]]
    desk: DeskTally
    floor: FloorTally
    seats: SeatTally
    events: int
    """SimPy events scheduled and desk touches settled without one: the replication's work."""
