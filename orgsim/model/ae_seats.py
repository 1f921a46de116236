"""AEs as people: tenure, ramp, attrition and backfill, as for SDRs.

An AE reaches full productivity in just under 5 months (Bridge Group), leaves
at a monthly hazard (``attrition.py``; AE coaching is not modeled, so the
hazard is the flat ``monthly_rate``), and the seat stays empty for the backfill
delay (41-58 days to fill a sales job: WSJ 2016; HRO Today). A ramping AE wins
less (skill x ramp, ``coaching.ramp_productivity``) and finds less pipeline;
an empty seat takes no new deals, and the deals its leaver held are closed
out by the team as drawn. Favours no side: both designs have the same AEs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
import simpy

from orgsim.model.ae_hours import deal_hours_per_month, selling_hours_per_month, team_slots
from orgsim.model.attrition import draw_exits, monthly_hazard
from orgsim.model.clock import Clock
from orgsim.model.coaching import ramp_productivity
from orgsim.model.selling import SalesFloor
from orgsim.model.streams import MonthStreams
from orgsim.scenario.schema import AETeam, Selling


@dataclass(slots=True)
class AE:
    """One AE seat's occupant."""

    base_skill: float
    hired_at: float
    left_at: float = math.inf


class AESeats:
    """The AE team's seats: who holds each, the floor's skills and slots, exits and hires."""

    def __init__(
        self,
        env: simpy.Environment,
        team: AETeam,
        selling: Selling,
        clock: Clock,
        floor: SalesFloor,
        tenure_months: np.ndarray,
    ) -> None:
        self.env, self.team, self.selling, self.clock, self.floor = env, team, selling, clock, floor
        self.seats: list[AE | None] = [
            AE(skill, -float(tenure) * clock.hours_per_month)
            for skill, tenure in zip(floor.ae_skills, tenure_months, strict=True)
        ]
        self.held: list[AE] = [
            ae for ae in self.seats if ae is not None
        ]  # this month's, leavers too
        self.per_deal = deal_hours_per_month(
            team,
            clock.calendar_days_to_hours(selling.cycle_days.mean),
            clock.hours_per_month,
        )
        self.slots_per_seat = float(team.max_open_opportunities)
        self.exits = 0
        self.hires = 0
        self.draws: MonthStreams | None = None

    def productivity(self, ae: AE, time: float) -> float:
        return ramp_productivity((time - ae.hired_at) / self.clock.hours_per_month, self.team.ramp)

    def productive_aes(self) -> float:
        """AEs in their seats now, each weighted by ramp: what finds AE-sourced pipeline."""
        now = self.env.now
        return sum(self.productivity(ae, now) for ae in self.seats if ae is not None)

    def open_month(self, month: int, draws: MonthStreams, review_hours: float) -> None:
        """Ramp moves on, the month's exits are drawn, slots follow the hours left (``ae_hours``)."""
        self.draws = draws
        start = self.clock.month_start(month)
        for seat, ae in enumerate(self.seats):
            if ae is not None:
                self.floor.ae_skills[seat] = ae.base_skill * self.productivity(ae, start)
        self._set_slots(review_hours)
        hazard = monthly_hazard(self.team.attrition, self.team.attrition.coaching_reference)
        leaves, when = draw_exits(hazard, len(self.seats), draws.ae_attrition)
        for seat, ae in enumerate(self.seats):
            if ae is not None and leaves[seat]:
                delay = start + when[seat] * self.clock.hours_per_month - self.env.now
                self.env.timeout(delay, seat).callbacks.append(self._on_exit)

    def _set_slots(self, review_hours: float) -> None:
        filled = [ae is not None for ae in self.seats]
        if self.team.work.enabled and self.selling.enabled:
            hours = selling_hours_per_month(self.team, self.clock.weeks_per_month)
            slots = team_slots(filled, hours, review_hours, self.per_deal)
            self.slots_per_seat = max(slots, default=0.0)
        else:
            limit = self.team.max_open_opportunities if self.selling.enabled else math.inf
            slots = [limit if seat_filled else 0.0 for seat_filled in filled]
            self.slots_per_seat = limit
        self.floor.set_slots(slots)

    def filled_seat_months(self, begin: float, end: float) -> float:
        """Seat-months held in [begin, end); forgets those who left before ``end``."""
        hours = sum(max(min(ae.left_at, end) - max(ae.hired_at, begin), 0.0) for ae in self.held)
        self.held = [ae for ae in self.held if ae.left_at > end]
        return hours / self.clock.hours_per_month

    def _on_exit(self, event: simpy.Event) -> None:
        seat = cast(int, event.value)
        ae = self.seats[seat]
        if ae is None:
            return
        ae.left_at = self.env.now
        self.seats[seat] = None
        self.exits += 1
        self.floor.set_seat_slots(seat, 0.0)
        if self.team.backfill.enabled:
            assert self.draws is not None  # exits are scheduled by open_month
            days = float(self.team.backfill.days.sample(self.draws.ae_backfill, 1)[0])
            self.env.timeout(self.clock.calendar_days_to_hours(days), seat).callbacks.append(
                self._on_hire
            )

    def _on_hire(self, event: simpy.Event) -> None:
        seat = cast(int, event.value)
        assert self.draws is not None
        skill = float(self.team.skill.sample(self.draws.ae_backfill, 1)[0])
        ae = AE(skill, self.env.now)
        self.seats[seat] = ae
        self.held.append(ae)
        self.hires += 1
        self.floor.ae_skills[seat] = skill * self.productivity(ae, self.env.now)
        self.floor.set_seat_slots(seat, self.slots_per_seat)
