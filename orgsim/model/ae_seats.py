"""AEs as people: tenure, ramp, attrition and backfill, as for SDRs.

An AE reaches full productivity in just under 5 months (Bridge Group), leaves
at a monthly hazard (``attrition.py``; AE coaching is not modeled, so the
hazard is the flat ``monthly_rate``), and the seat stays empty for the backfill
delay (41-58 days to fill a sales job: WSJ 2016; HRO Today). A ramping AE wins
less (skill x ramp, ``coaching.ramp_productivity``) and finds less pipeline;
an empty seat takes no new deals, and the deals its leaver held are closed
out by the team as drawn. The hiring plan (``hiring.py``) opens seats, filled
after the backfill delay, and closes them, their occupants leaving at once.
Favours no side: both designs have the same AEs.
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
from orgsim.model.hiring import planned_headcount
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
        hiring: np.random.Generator,
        hiring_skill: np.random.Generator,
    ) -> None:
        """The floor has a seat for the most AEs the hiring plan ever holds; the first
        ``team.headcount`` are filled at the start (``tenure_months`` each), the rest closed."""
        self.env, self.team, self.selling, self.clock, self.floor = env, team, selling, clock, floor
        self.seats: list[AE | None] = [
            AE(skill, -float(tenure) * clock.hours_per_month)
            for skill, tenure in zip(floor.ae_skills, tenure_months, strict=False)
        ]
        self.seats += [None] * (len(floor.ae_skills) - len(self.seats))
        self.open_seats = team.headcount
        self.open_seat_months = 0  # over the reported months: the seats vacancies count against
        self.recruiting: set[int] = set()
        self.hiring, self.hiring_skill = hiring, hiring_skill
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
        reported = month - self.clock.warm_up_months + 1
        self._plan_seats(planned_headcount(self.team.hiring_plan, self.team.headcount, reported))
        if reported >= 1:
            self.open_seat_months += self.open_seats
        for seat, ae in enumerate(self.seats):
            if ae is not None:
                self.floor.ae_skills[seat] = ae.base_skill * self.productivity(ae, start)
        self._set_slots(review_hours, self.clock.working_share(month))
        hazard = monthly_hazard(self.team.attrition, self.team.attrition.coaching_reference)
        leaves, when = draw_exits(hazard, len(self.seats), draws.ae_attrition)
        for seat, ae in enumerate(self.seats):
            if ae is not None and leaves[seat]:
                delay = start + when[seat] * self.clock.hours_per_month - self.env.now
                self.env.timeout(delay, seat).callbacks.append(self._on_exit)

    def _set_slots(self, review_hours: float, working_share: float) -> None:
        """Open deals each seat may carry this month: the selling hours its working days leave."""
        filled = [ae is not None for ae in self.seats]
        if self.team.work.enabled and self.selling.enabled:
            hours = selling_hours_per_month(self.team, self.clock.weeks_per_month) * working_share
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

    def _plan_seats(self, planned: int) -> None:
        """Open or close seats to the hiring plan's count: new seats are recruited for after
        the backfill delay (at once with backfill off), a closed seat's AE leaves now."""
        opened = range(self.open_seats, planned)
        closed = range(planned, self.open_seats)
        self.open_seats = planned  # first, so a seat closed now is not backfilled
        for seat in closed:
            if self.seats[seat] is not None:
                self._vacate(seat)
        for seat in opened:
            if self.seats[seat] is None and seat not in self.recruiting:
                backfill = self.team.backfill
                days = float(backfill.days.sample(self.hiring, 1)[0]) if backfill.enabled else 0.0
                self.recruiting.add(seat)
                delay = self.clock.calendar_days_to_hours(days)
                self.env.timeout(delay, (seat, self.hiring_skill)).callbacks.append(self._on_hire)

    def _vacate(self, seat: int) -> None:
        """The seat's AE leaves now; the seat takes no new deals."""
        ae = self.seats[seat]
        assert ae is not None
        ae.left_at = self.env.now
        self.seats[seat] = None
        self.floor.set_seat_slots(seat, 0.0)

    def _on_exit(self, event: simpy.Event) -> None:
        seat = cast(int, event.value)
        if self.seats[seat] is None:
            return
        self._vacate(seat)
        self.exits += 1
        if self.team.backfill.enabled and seat < self.open_seats:
            assert self.draws is not None  # exits are scheduled by open_month
            days = float(self.team.backfill.days.sample(self.draws.ae_backfill, 1)[0])
            self.recruiting.add(seat)
            self.env.timeout(
                self.clock.calendar_days_to_hours(days), (seat, None)
            ).callbacks.append(self._on_hire)

    def _on_hire(self, event: simpy.Event) -> None:
        """A hire arrives: a backfill's skill from the month's stream, a new seat's from the plan's."""
        seat, skill_rng = cast(tuple[int, np.random.Generator | None], event.value)
        self.recruiting.discard(seat)
        if seat >= self.open_seats or self.seats[seat] is not None:
            return  # the plan closed the seat while it was being filled
        if skill_rng is None:
            assert self.draws is not None
            skill_rng = self.draws.ae_backfill
        skill = float(self.team.skill.sample(skill_rng, 1)[0])
        ae = AE(skill, self.env.now)
        self.seats[seat] = ae
        self.held.append(ae)
        self.hires += 1
        self.floor.ae_skills[seat] = skill * self.productivity(ae, self.env.now)
        self.floor.set_seat_slots(seat, self.slots_per_seat)
