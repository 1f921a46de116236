"""SDR follow-up of MQLs: queues, speed to lead, attempts, contact and qualification.

MQLs wait for an SDR; each touch takes SDR time, and the chance it reaches the
lead falls with the lead's age (contact odds fall steeply within the first hour:
MIT/InsideSales 2007; HBR 2011). A contacted lead becomes an SQL with a chance
that rises with its fit and the SDR's effective skill. Without an SLA, SDRs
cherry-pick the best-looking MQLs and let the rest go stale; under a SQL-count
KPI they pad when behind.

Speed: touches are most of a replication's events, so the desk runs them on a
heap of its own and hands the clock back to SimPy only when another event comes
first (:meth:`Environment.advance`). SDRs pull due work when they finish a
touch; idle SDRs are woken together at the team's next inbound check, one event
for every arrival and retry that falls due in that window. Every random number
of an MQL is drawn with its month's batch.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import simpy

from orgsim.model.environment import Environment
from orgsim.scenario.schema import Followup, Scenario

LN2 = math.log(2.0)


@dataclass(frozen=True, slots=True)
class FollowUpRules:
    """The follow-up policy in force, reduced to the numbers the hot loop needs."""

    contact_immediate: float
    contact_floor: float
    contact_rate: float  # ln 2 / half-life; 0 disables decay
    interest_floor: float
    interest_rate: float
    contact_lift: float
    qualification_per_fit: float
    check_interval: float
    max_wait: float
    cherry_picking: bool
    padding: bool
    extra_pass_rate: float

    @classmethod
    def from_scenario(cls, scenario: Scenario, contact_lift: float) -> FollowUpRules:
        followup = scenario.followup
        speed = followup.speed_to_lead
        handoff = scenario.policies.handoff
        sla = scenario.org.sla.enabled
        return cls(
            contact_immediate=speed.contact_immediate,
            contact_floor=speed.contact_floor if speed.enabled else speed.contact_immediate,
            contact_rate=LN2 / speed.contact_half_life_hours if speed.enabled else 0.0,
            interest_floor=speed.interest_floor if speed.enabled else 1.0,
            interest_rate=LN2 / speed.interest_half_life_hours if speed.enabled else 0.0,
            contact_lift=contact_lift,
            qualification_per_fit=followup.qualification_rate / followup.fit_reference,
            check_interval=scenario.teams.sdr.work.inbound_check_interval_hours,
            max_wait=math.inf if sla else scenario.teams.sdr.work.max_wait_hours,
            cherry_picking=handoff.cherry_picking.enabled and not sla,
            padding=handoff.padding.enabled and not sla,
            extra_pass_rate=handoff.padding.extra_pass_rate,
        )

    def contact_probability(self, age_hours: float) -> float:
        """Chance a touch reaches a lead ``age_hours`` working hours after it became an MQL.

        The model's definition; the desk decides by :meth:`contact_deadlines`, which solve it.
        """
        fresh = self.contact_floor + (self.contact_immediate - self.contact_floor) * math.exp(
            -self.contact_rate * age_hours
        )
        return min(fresh * self.contact_lift, 1.0)

    def contact_deadlines(self, u: np.ndarray) -> np.ndarray:
        """Per touch uniform ``u``: the lead's age before which that touch reaches the lead.

        ``u < contact_probability(age)`` exactly when ``age < deadline``, because the
        chance only falls with age; solving it once per attempt, with the month's
        draws, spares the hot loop an exponential per touch. ``inf``: the touch
        reaches the lead at any age; ``-inf``: at none.
        """
        scaled = u / self.contact_lift
        floor, immediate = self.contact_floor, self.contact_immediate
        deadline = np.where(scaled < floor, np.inf, -np.inf)
        fading = (scaled >= floor) & (scaled < immediate)
        with np.errstate(divide="ignore"):  # scaled == floor: reached at any age
            ratio = (scaled[fading] - floor) / (immediate - floor)
            deadline[fading] = -np.log(ratio) / self.contact_rate
        return deadline

    def qualification_probability(self, fit: float, skill: float, age_hours: float) -> float:
        """Chance a contacted lead becomes an SQL: rises with fit and skill, fades with age."""
        interest = self.interest_floor + (1.0 - self.interest_floor) * math.exp(
            -self.interest_rate * age_hours
        )
        return min(self.qualification_per_fit * fit * skill * interest, 1.0)


def planned_attempts(
    followup: Followup, sla_min_attempts: int | None, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Attempts an SDR will make before giving up: geometric around the habit, or the SLA's rule."""
    habit = rng.geometric(1.0 / followup.mean_attempts_without_rule, size)
    cap = followup.max_attempts
    if sla_min_attempts is not None:
        cap = max(cap, sla_min_attempts)
        habit = np.maximum(habit, sla_min_attempts)
    return np.minimum(habit, cap)


@dataclass(slots=True)
class MqlBatch:
    """One month's MQLs and every random number their follow-up may need.

    Rows are in arrival order; a ticket is ``(batch, row)``. Per-attempt values
    are flat, one for each attempt a row plans, from index ``first[row]`` on.
    Values are Python lists because the hot loop reads them one at a time.
    """

    lead: list[int]
    arrival: list[float]
    fit: list[float]
    score: list[float]
    planned: list[int]
    first: list[int]
    touch_hours: list[float]
    retry_gap: list[float]
    contact_before: list[float]
    u_qualify: list[float]
    u_pad: list[float]
    sql_draws: list[tuple[float, float, float, float]]
    done: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lead)


@dataclass(slots=True, eq=False)
class SDR:
    """One SDR seat's occupant: skill, tenure, and what they are doing now."""

    seat: int
    base_skill: float
    hired_at: float
    skill: float = 1.0
    left_at: float = math.inf
    busy: bool = False
    idle: bool = False
    leaving: bool = False
    busy_today: float = 0.0
    retries: list[tuple[float, int, MqlBatch, int]] = field(default_factory=list)


class FollowUpDesk:
    """The SDR team's inbound queue and the SDRs who pull work from it.

    Touches in progress wait on the desk's own heap, ``(end, seq, sdr, batch,
    row, start, draw)``; the desk finishes them in order of their ends while
    SimPy has nothing scheduled before them, and otherwise waits for SimPy with
    one timeout at the earliest end.
    """

    def __init__(
        self,
        env: Environment,
        rules: FollowUpRules,
        on_sql: Callable[[MqlBatch, int, bool], None],
        on_nurture: Callable[[int, float], None],
        behind_target: Callable[[float], bool],
    ) -> None:
        self.env = env
        self.rules = rules
        self.on_sql = on_sql
        self.on_nurture = on_nurture
        self.behind_target = behind_target
        self.idle: list[SDR] = []
        self.queue: list[tuple[float, int, MqlBatch, int]] = []
        self._touches: list[tuple[float, int, SDR, MqlBatch, int, float, int]] = []
        self._seq = 0
        self._batch: MqlBatch | None = None
        self._next_row = 0
        self._next_arrival = math.inf  # of the MQL at ``_next_row``
        self._check_at = math.inf
        self._wake_at = math.inf
        self.touches = 0
        self.first_touch_ages: list[float] = []
        self.first_touch_arrivals: list[float] = []
        self.untouched = 0
        self.busy_hours = 0.0

    # ---------------------------------------------------------------- arrivals

    def receive(self, batch: MqlBatch) -> None:
        """Take a month's MQLs; they join the queue as their arrival times pass."""
        now = self.env.now
        self._admit(now)
        batch.done = [0] * len(batch)
        self._batch, self._next_row = batch, 0
        self._next_arrival = batch.arrival[0] if len(batch) else math.inf
        self._schedule_check(now)

    def _admit(self, now: float) -> None:
        """Move every MQL that has arrived by ``now`` into the queue."""
        if self._next_arrival > now:
            return
        batch = self._batch
        assert batch is not None  # an arrival is due, so there is a batch
        row, arrival, cherry_picking = self._next_row, batch.arrival, self.rules.cherry_picking
        while row < len(arrival) and arrival[row] <= now:
            key = -batch.score[row] if cherry_picking else arrival[row]
            self._seq += 1
            heapq.heappush(self.queue, (key, self._seq, batch, row))
            row += 1
        self._next_row = row
        self._next_arrival = arrival[row] if row < len(arrival) else math.inf

    def _schedule_check(self, now: float) -> None:
        """Wake the idle SDRs at the first inbound check after the next arrival or due retry.

        Busy SDRs admit arrivals themselves when they finish a touch, so an MQL
        arrival or a retry costs an event only when somebody is idle, and every
        arrival and retry that falls due in one check window shares it.
        """
        if not self.idle or self._check_at <= self._next_check(now):
            return  # nobody to wake, or a check is already due as early as one can be
        due = self._next_arrival
        for sdr in self.idle:
            if sdr.retries and sdr.retries[0][0] < due:
                due = sdr.retries[0][0]
        if due == math.inf:
            return
        when = self._next_check(due)
        if when < self._check_at:
            self._check_at = when
            self.env.timeout(when - now).callbacks.append(self._on_check)

    def _on_check(self, _event: simpy.Event) -> None:
        now = self.env.now
        if now != self._check_at:
            return
        self._check_at = math.inf
        self._admit(now)
        for sdr in list(self.idle):
            if self.queue or (sdr.retries and sdr.retries[0][0] <= now):
                self._next_work(self._take_off_idle(sdr), now)
        self._schedule_check(now)
        self._run()

    # ---------------------------------------------------------------- SDRs

    def join(self, sdr: SDR) -> None:
        """A new SDR (or one at the start) starts pulling work."""
        self._next_work(sdr, self.env.now)
        self._wait()

    def leave(self, sdr: SDR) -> None:
        """An SDR exits: after the current touch; their open retries go to nurture."""
        if sdr.busy:
            sdr.leaving = True
            return
        self._depart(sdr)

    def _depart(self, sdr: SDR) -> None:
        if sdr.idle:
            self._take_off_idle(sdr)
        sdr.left_at = self.env.now
        for _due, _seq, batch, row in sdr.retries:
            self.on_nurture(batch.lead[row], batch.fit[row])
        sdr.retries.clear()

    def _take_off_idle(self, sdr: SDR) -> SDR:
        sdr.idle = False
        self.idle.remove(sdr)
        return sdr

    def _next_check(self, time: float) -> float:
        """When SDRs on outbound work next look at the inbound queue (together, as a team)."""
        interval = self.rules.check_interval
        if interval <= 0:
            return time
        return math.ceil(time / interval) * interval

    def _next_work(self, sdr: SDR, now: float) -> None:
        """The SDR takes the next due MQL (queue first, then their own retries) and starts a touch."""
        if self._next_arrival <= now:
            self._admit(now)
        queue = self.queue
        while queue:
            _key, _seq, batch, row = heapq.heappop(queue)
            if now - batch.arrival[row] <= self.rules.max_wait:
                break
            self.untouched += 1
            self.on_nurture(batch.lead[row], batch.fit[row])
        else:
            retries = sdr.retries
            if not retries or retries[0][0] > now:
                sdr.idle = True
                self.idle.append(sdr)
                self._schedule_check(now)
                return
            _due, _seq, batch, row = heapq.heappop(retries)
        # Start the touch here rather than in a method of its own: it runs once per touch.
        attempt = batch.done[row]
        if attempt == 0:
            self.first_touch_ages.append(now - batch.arrival[row])
            self.first_touch_arrivals.append(batch.arrival[row])
        draw = batch.first[row] + attempt  # this attempt's place in the flat draws
        hours = batch.touch_hours[draw]
        sdr.busy = True
        sdr.busy_today += hours
        self.busy_hours += hours
        self._seq += 1
        heapq.heappush(self._touches, (now + hours, self._seq, sdr, batch, row, now, draw))

    # ---------------------------------------------------------------- touches

    def _run(self) -> None:
        """Finish touches in order of their ends until SimPy has an event first; then wait."""
        touches, env = self._touches, self.env
        now = env.now
        while touches:
            end = touches[0][0]
            if end > now:
                if not env.advance(end):
                    break
                now = end
            _end, _seq, sdr, batch, row, start, draw = heapq.heappop(touches)
            self._finish(sdr, batch, row, start, draw, now)
        self._wait()

    def _wait(self) -> None:
        """Have SimPy wake the desk at the earliest end of a touch in progress."""
        touches = self._touches
        if touches and touches[0][0] < self._wake_at:
            self._wake_at = touches[0][0]
            self.env.timeout(self._wake_at - self.env.now).callbacks.append(self._on_wake)

    def _on_wake(self, _event: simpy.Event) -> None:
        if self.env.now != self._wake_at:
            return  # an earlier touch took this wake-up's place
        self._wake_at = math.inf
        self._run()

    def _finish(
        self, sdr: SDR, batch: MqlBatch, row: int, start: float, draw: int, now: float
    ) -> None:
        """A touch ends at ``now``: settle its outcome; the SDR pulls the next work."""
        rules = self.rules
        self.touches += 1
        age = start - batch.arrival[row]
        attempt = batch.done[row]
        batch.done[row] = attempt + 1
        if age < batch.contact_before[draw]:
            u = batch.u_qualify[row]
            if u < rules.qualification_probability(batch.fit[row], sdr.skill, age):
                self.on_sql(batch, row, False)
            elif (
                rules.padding
                and batch.u_pad[row] < rules.extra_pass_rate
                and self.behind_target(now)
            ):
                self.on_sql(batch, row, True)
            else:
                self.on_nurture(batch.lead[row], batch.fit[row])
        elif attempt + 1 < batch.planned[row]:
            self._seq += 1
            due = now + batch.retry_gap[draw]
            heapq.heappush(sdr.retries, (due, self._seq, batch, row))
        else:
            self.on_nurture(batch.lead[row], batch.fit[row])
        sdr.busy = False
        if sdr.leaving:
            self._depart(sdr)
        else:
            self._next_work(sdr, now)
