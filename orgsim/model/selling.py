"""Selling: AEs work accepted opportunities, each AE with a limit on open deals (slots).

An AE's slots are fixed (``teams.ae.max_open_opportunities``) or set each month
from the AE's hours (``ae_hours.py``); a vacant seat has none. When every AE is full, a new opportunity waits and ages, which lowers its win
chance. Cycle length, win chance (fit, AE skill, bottom-of-funnel content, a
month-end push) and deal size are drawn per opportunity (Bridge Group 2017:
median ACV $25K, median cycle 60 days; TOPO 2017: 22% win for SDR-sourced).
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable
from typing import NamedTuple, cast

import simpy

from orgsim.model.tallies import FloorTally
from orgsim.scenario.schema import Selling


class Opportunity(NamedTuple):
    """An accepted SQL; a named tuple because one is made per SQL (a frozen dataclass costs 3x)."""

    created: float
    fit: float
    u_win: float
    cycle_hours: float
    deal: float
    push_penalty: float
    source: str  # "inbound", "outbound", "diverted" (SQLs), "ae_sourced" or "partner"


SQL_SOURCES = frozenset({"inbound", "outbound", "diverted"})
"""Sources whose opportunities are accepted SQLs: the funnel the conversion KPIs describe."""


class SalesFloor:
    """AEs with open-opportunity slots, a FIFO of waiting deals, and the time-average pipeline.

    A new deal goes to the first of the AEs with the most free slots, and among
    those the fewest open deals (with equal slots: the fewest open deals). They
    are found on a lazy heap of ``(open - slots, open, AE)``, so an opportunity
    costs O(log AEs) rather than a scan of every AE: an entry whose counts are
    no longer its AE's is stale and dropped when it reaches the top, and the
    heap is rebuilt when stale entries outnumber the AEs or slots change.
    """

    def __init__(
        self,
        env: simpy.Environment,
        selling: Selling,
        ae_skills: list[float],
        max_open: int,
        fit_reference: float,
        hours_per_month: float,
        on_close: Callable[[float, bool, Opportunity], None],
    ) -> None:
        self.env = env
        self.selling = selling
        self.ae_skills = ae_skills
        self.slots: list[float] = [max_open if selling.enabled else math.inf] * len(ae_skills)
        self.open = [0] * len(ae_skills)
        self.in_use = sum(self.slots)  # _slots_in_use() with no deal open yet
        self._by_load: list[tuple[float, int, int]] = []
        self._rebuild()
        self.waiting: deque[Opportunity] = deque()
        self.fit_reference = fit_reference
        self.hours_per_month = hours_per_month
        self.on_close = on_close
        self.win_multiplier = 1.0
        self.in_system = 0
        self.working = 0
        self._last = 0.0
        self.area_in_system = 0.0
        self.area_working = 0.0
        self.area_slots = 0.0
        self.closed = 0
        self.closed_sql_sourced = 0
        self.sojourn_hours = 0.0

    def _tick(self) -> None:
        now = self.env.now
        elapsed = now - self._last
        self.area_in_system += self.in_system * elapsed
        self.area_working += self.working * elapsed
        self.area_slots += self.in_use * elapsed
        self._last = now

    def _entry(self, ae: int) -> tuple[float, int, int]:
        """An AE's place on the heap: free slots first (negative: some free), then open deals."""
        return (self.open[ae] - self.slots[ae], self.open[ae], ae)

    def _rebuild(self) -> None:
        self._by_load = [self._entry(ae) for ae in range(len(self.open))]
        heapq.heapify(self._by_load)

    def _least_loaded(self) -> tuple[float, int, int]:
        """The heap's top once stale entries are dropped: the AE a new deal goes to."""
        by_load, open_deals, slots = self._by_load, self.open, self.slots
        while True:  # _entry inlined: a deal's hot path
            entry = by_load[0]
            ae = entry[2]
            if entry[1] == open_deals[ae] and entry[0] == open_deals[ae] - slots[ae]:
                return entry
            heapq.heappop(by_load)

    def set_slots(self, slots: list[float]) -> None:
        """Give each AE this many slots from now (0: a vacant seat); waiting deals fill new ones.

        Deals already open stay with their AE when the slots shrink (a leaver's
        deals are closed out by the team); the seat just takes no new ones.
        """
        self._tick()
        self.slots = list(slots)
        self.in_use = self._slots_in_use()
        self._rebuild()
        self._fill_free_slots()

    def set_seat_slots(self, ae: int, slots: float) -> None:
        """Give one AE this many slots from now (an AE leaves or is hired), as :meth:`set_slots`
        would, in O(log AEs) rather than a pass over every AE (issue 19: linear scaling).

        Slots and deals are whole numbers, so the count of slots in use moves by their
        difference to exactly the sum ``set_slots`` takes; an infinite one (selling off) takes
        that sum afresh. The AE's new entry goes on the heap; its old ones are stale.
        """
        self._tick()
        deals, old = self.open[ae], self.slots[ae]
        self.slots[ae] = slots
        if math.isfinite(self.in_use) and math.isfinite(old) and math.isfinite(slots):
            self.in_use += max(slots, deals) - max(old, deals)
        else:
            self.in_use = self._slots_in_use()
        self._file(ae)
        self._fill_free_slots()

    def _slots_in_use(self) -> float:
        """Over AEs, max(slots, open deals): a seat holding more deals than slots (a leaver's)
        counts as full, so use stays <= 1."""
        return sum(max(cap, deals) for cap, deals in zip(self.slots, self.open, strict=True))

    def _file(self, ae: int) -> None:
        """Put ``ae``'s current entry on the heap, or rebuild it once stale entries outnumber AEs.

        ``_on_close`` does the same inline, on a deal's hot path."""
        if len(self._by_load) < 2 * len(self.open):
            heapq.heappush(self._by_load, self._entry(ae))
        else:
            self._rebuild()

    def _fill_free_slots(self) -> None:
        """Waiting deals go to the least-loaded AEs while any has a free slot."""
        while self.waiting and self.open and self._least_loaded()[0] < 0:
            ae = self._least_loaded()[2]
            self._start(ae, self.waiting.popleft())
            heapq.heapreplace(self._by_load, self._entry(ae))

    def open_opportunity(self, opportunity: Opportunity) -> None:
        self._tick()
        self.in_system += 1
        if not self.open:
            self.waiting.append(opportunity)
            return
        free, _, ae = self._least_loaded()
        if free < 0:
            self._start(ae, opportunity)
            deals = self.open[ae]  # _entry inlined: a deal's hot path
            heapq.heapreplace(self._by_load, (deals - self.slots[ae], deals, ae))
        else:
            self.waiting.append(opportunity)

    def win_probability(self, opportunity: Opportunity, ae: int, waited_hours: float) -> float:
        selling = self.selling
        fit_factor = (opportunity.fit / self.fit_reference) ** selling.fit_elasticity
        wait_factor = max(
            1.0 - selling.wait_penalty_per_month * waited_hours / self.hours_per_month, 0.0
        )
        p = selling.win_rate * fit_factor * self.ae_skills[ae] * self.win_multiplier * wait_factor
        return min(p * (1.0 - opportunity.push_penalty), 1.0)

    def _start(self, ae: int, opportunity: Opportunity) -> None:
        env, open_deals = self.env, self.open
        deals = open_deals[ae] = open_deals[ae] + 1
        if deals > self.slots[ae]:
            self.in_use += 1
        self.working += 1
        waited = env.now - opportunity.created
        won = opportunity.u_win < self.win_probability(opportunity, ae, waited)
        env.timeout(opportunity.cycle_hours, (ae, opportunity, won)).callbacks.append(
            self._on_close
        )

    def _on_close(self, event: simpy.Event) -> None:
        ae, opportunity, won = cast(tuple[int, Opportunity, bool], event.value)
        self._tick()
        now, open_deals, slots = self.env.now, self.open, self.slots
        if open_deals[ae] > slots[ae]:
            self.in_use -= 1
        deals = open_deals[ae] = open_deals[ae] - 1
        self.working -= 1
        self.in_system -= 1
        self.closed += 1
        self.closed_sql_sourced += opportunity.source in SQL_SOURCES
        self.sojourn_hours += now - opportunity.created
        self.on_close(now, won, opportunity)
        if self.waiting and deals < slots[ae]:
            self._start(ae, self.waiting.popleft())  # back to the count its heap entry holds
        elif len(self._by_load) < 2 * len(open_deals):  # _file(ae), _entry inlined
            heapq.heappush(self._by_load, (deals - slots[ae], deals, ae))
        else:  # stale entries outnumber the AEs
            self._rebuild()

    def finish(self) -> FloorTally:
        """Close the time averages at the end of the run; what the floor counted, for the summary."""
        self._tick()
        return FloorTally(self.area_in_system, self.sojourn_hours, self.closed)
