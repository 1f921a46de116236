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
from orgsim.model.neglect import NeglectRule
from orgsim.model.tallies import DeskTally
from orgsim.model.targets import padding_credit
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
    max_wait: float  # for MQLs outside an SLA; those under one never expire
    cherry_picking: bool
    padding: bool  # for MQLs outside an SLA
    extra_pass_rate: float
    escalate_after: float  # an SLA's response window: unseen MQLs reach the team by then
    definition_fit: float  # fit an SQL under the SLA must show; 0 with no SLA
    neglect_share: float  # MQLs a sales-run team never works (neglect.py)

    @classmethod
    def from_scenario(cls, scenario: Scenario, contact_lift: float) -> FollowUpRules:
        followup = scenario.followup
        speed = followup.speed_to_lead
        handoff = scenario.policies.handoff
        sla = scenario.org.sla.enabled
        agreement = scenario.org.sla
        neglect = NeglectRule.from_scenario(scenario)
        return cls(
            contact_immediate=speed.contact_immediate,
            contact_floor=speed.contact_floor if speed.enabled else speed.contact_immediate,
            contact_rate=LN2 / speed.contact_half_life_hours if speed.enabled else 0.0,
            interest_floor=speed.interest_floor if speed.enabled else 1.0,
            interest_rate=LN2 / speed.interest_half_life_hours if speed.enabled else 0.0,
            contact_lift=contact_lift,
            qualification_per_fit=followup.qualification_rate / followup.fit_reference,
            check_interval=scenario.teams.sdr.work.inbound_check_interval_hours
            * neglect.check_interval_factor,
            max_wait=scenario.teams.sdr.work.max_wait_hours,
            cherry_picking=handoff.cherry_picking.enabled and not sla,
            padding=handoff.padding.enabled,
            extra_pass_rate=handoff.padding.extra_pass_rate
            * padding_credit(
                scenario.policies.sql_target.metric, handoff.padding.padded_acceptance
            ),
            escalate_after=agreement.response_window_hours if sla else math.inf,
            definition_fit=agreement.sql_definition_fit if sla else 0.0,
            neglect_share=neglect.drop_share,
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
    followup: Followup,
    sla_min_attempts: int | None,
    size: int,
    rng: np.random.Generator,
    habit_factor: float = 1.0,
    agreed: np.ndarray | None = None,
) -> np.ndarray:
    """Attempts an SDR will make before giving up: geometric around the habit, or the SLA's rule.

    ``habit_factor`` scales the habitual mean (a neglectful team's fewer attempts), at least one;
    the SLA's minimum binds the MQLs worked by it (``agreed``, all of them when not given).
    """
    habit = rng.geometric(1.0 / max(followup.mean_attempts_without_rule * habit_factor, 1.0), size)
    habit = np.minimum(habit, followup.max_attempts)
    if sla_min_attempts is None:
        return habit
    ruled = np.maximum(habit, sla_min_attempts)
    return ruled if agreed is None else np.where(agreed, ruled, habit)


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
    u_neglect: list[float]
    agreed: list[bool]  # worked by the SLA's rules (all False with no SLA)
    sql_draws: list[tuple[float, float, float, float]]
    done: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.lead)


@dataclass(slots=True, eq=False)
class SDR:
    """One SDR seat's occupant: skill, tenure, what they are doing now, and their month so far."""

    seat: int
    base_skill: float
    hired_at: float
    person: int = 0
    skill: float = 1.0
    left_at: float = math.inf
    busy: bool = False
    leaving: bool = False
    pulled: bool = False  # off inbound work for now (quarter_end_pull.py)
    touch_end: float = 0.0  # when the touch in progress ends
    busy_today: float = 0.0  # touch hours started today or carried into it
    touches: int = 0  # touches finished this month
    month_present: float = 0.0
    month_busy: float = 0.0
    month_outbound: float = 0.0


class FollowUpDesk:
    """The SDR team's inbound work and the SDRs who take it, by a stated policy.

    Which work an SDR takes next (docs/model.md, section 3):

    * an SDR who finishes a touch (or joins) takes the best waiting MQL (the
      oldest; the best-scored when cherry-picking), else the earliest due
      retry, else goes back to outbound work (idle);
    * idle SDRs take a retry when it falls due (it is a scheduled call-back),
      and see newly arrived MQLs at the team's next inbound check, every
      ``inbound_check_interval_hours`` (0: at once); the SDR idle longest
      takes work first;
    * retries belong to the team, not to the SDR who made the last attempt, so
      one busy SDR never holds back due work while colleagues are idle, and an
      SDR who leaves takes no lead with them.

    Touches in progress wait on the desk's own heap, ``(end, seq, sdr, batch,
    row, start, draw)``; the desk finishes them in order of their ends while
    SimPy has nothing scheduled before them, and otherwise waits for SimPy with
    one timeout at the earliest end. Every wake-up is matched by its event, not
    by its time: SimPy fires a timeout at ``now + delay``, which may differ from
    the time meant in the last bit.
    """

    def __init__(
        self,
        env: Environment,
        rules: FollowUpRules,
        on_sql: Callable[[MqlBatch, int, bool], None],
        on_nurture: Callable[[int, float], None],
        behind_target: Callable[[float], bool],
        on_departed: Callable[[SDR], None],
    ) -> None:
        self.env = env
        self.rules = rules
        self.on_sql = on_sql
        self.on_nurture = on_nurture
        self.behind_target = behind_target
        self.on_departed = on_departed
        self.staff: dict[SDR, None] = {}  # SDRs at work, in the order they joined
        self.idle: dict[SDR, None] = {}  # SDRs on outbound work, longest idle first
        self.queue: list[tuple[float, int, MqlBatch, int]] = []  # MQLs arrived, not yet touched
        self.retries: list[tuple[float, int, MqlBatch, int]] = []  # (due, seq, batch, row)
        self._touches: list[tuple[float, int, SDR, MqlBatch, int, float, int]] = []
        self._seq = 0
        self._batch: MqlBatch | None = None
        self._next_row = 0
        self._next_arrival = math.inf  # of the MQL at ``_next_row``
        self._next_seen = math.inf  # when idle SDRs see it: ``_seen_at(_next_arrival)``, kept
        self._wake: simpy.Event | None = None  # the timeout for the earliest touch end
        self._wake_at = math.inf
        self._check: simpy.Event | None = None  # the timeout for idle SDRs' next inbound check
        self._check_at = math.inf
        self.touches = 0
        self.first_touch_ages: list[float] = []
        self.first_touch_arrivals: list[float] = []
        self.untouched = 0
        self.neglected = 0
        self.below_definition = 0
        self.retry_delay_max = 0.0  # the longest a due retry waited for an SDR

    # ---------------------------------------------------------------- arrivals

    def receive(self, batch: MqlBatch) -> None:
        """Take a month's MQLs; they join the queue as their arrival times pass."""
        now = self.env.now
        self._admit(now)
        batch.done = [0] * len(batch)
        self._batch, self._next_row = batch, 0
        self._set_next_arrival(batch.arrival[0] if len(batch) else math.inf)
        self._schedule_check(now)

    def _admit(self, now: float) -> None:
        """Move every MQL that has arrived by ``now`` into the queue."""
        if self._next_arrival > now:
            return
        batch = self._batch
        assert batch is not None  # an arrival is due, so there is a batch
        row, arrival, cherry_picking = self._next_row, batch.arrival, self.rules.cherry_picking
        neglect_share, u_neglect, score = self.rules.neglect_share, batch.u_neglect, batch.score
        queue, seq, rows = self.queue, self._seq, len(arrival)
        while row < rows and arrival[row] <= now:
            if u_neglect[row] < neglect_share:  # never worked: "sales ignores good leads"
                self.neglected += 1
                self.on_nurture(batch.lead[row], batch.fit[row])
                row += 1
                continue
            key = -score[row] if cherry_picking else arrival[row]
            seq += 1
            heapq.heappush(queue, (key, seq, batch, row))
            row += 1
        self._seq = seq
        self._next_row = row
        self._set_next_arrival(arrival[row] if row < len(arrival) else math.inf)

    def _set_next_arrival(self, arrival: float) -> None:
        """The next MQL arrives at ``arrival``; when idle SDRs will see it is worked out once
        here, not each time an SDR goes idle (several times per arrival)."""
        self._next_arrival = arrival
        self._next_seen = self._seen_at(arrival)

    def _next_check(self, time: float) -> float:
        """The first inbound check at or after ``time`` (the team looks every check interval)."""
        interval = self.rules.check_interval
        if interval <= 0 or time == math.inf:
            return time
        check = math.ceil(time / interval) * interval
        return check if check >= time else check + interval  # ``time / interval`` rounded down

    def _seen_at(self, arrival: float) -> float:
        """When idle SDRs see an MQL that arrived at ``arrival``: the next check, or its escalation."""
        return min(self._next_check(arrival), arrival + self.rules.escalate_after)

    # ---------------------------------------------------------------- taking work

    def _pop_queue(self, now: float) -> tuple[MqlBatch, int] | None:
        """The best waiting MQL; those past the longest wait go to nurture untouched."""
        queue, max_wait = self.queue, self.rules.max_wait
        while queue:
            _key, _seq, batch, row = heapq.heappop(queue)
            if batch.agreed[row] or now - batch.arrival[row] <= max_wait:
                return batch, row
            self.untouched += 1
            self.on_nurture(batch.lead[row], batch.fit[row])
        return None

    def _pop_due_retry(self, now: float) -> tuple[MqlBatch, int] | None:
        """The earliest retry that is due by ``now``."""
        if not self.retries or self.retries[0][0] > now:
            return None
        return self._pop_retry(now)

    def _pop_retry(self, now: float) -> tuple[MqlBatch, int]:
        """The earliest retry, taken at ``now``; how late it is counts toward the longest delay."""
        due, _seq, batch, row = heapq.heappop(self.retries)
        if now - due > self.retry_delay_max:
            self.retry_delay_max = now - due
        return batch, row

    def _next_work(self, sdr: SDR, now: float) -> None:
        """An SDR at the desk takes the best waiting MQL, else a due retry, else goes idle."""
        if self._next_arrival <= now:
            self._admit(now)
        if self.queue:
            ticket = self._pop_queue(now)
            if ticket is not None:
                self._start(sdr, ticket[0], ticket[1], now)
                return
        retries = self.retries
        if retries and retries[0][0] <= now:  # _pop_due_retry inlined: once per touch
            batch, row = self._pop_retry(now)
            self._start(sdr, batch, row, now)
            return
        self.idle[sdr] = None
        self._schedule_check(now)

    def _start(self, sdr: SDR, batch: MqlBatch, row: int, now: float) -> None:
        """The SDR starts this MQL's next attempt; it ends on the desk's heap."""
        attempt = batch.done[row]
        if attempt == 0:
            self.first_touch_ages.append(now - batch.arrival[row])
            self.first_touch_arrivals.append(batch.arrival[row])
        draw = batch.first[row] + attempt  # this attempt's place in the flat draws
        end = now + batch.touch_hours[draw]
        sdr.busy = True
        sdr.touch_end = end
        sdr.busy_today += end - now
        self._seq += 1
        heapq.heappush(self._touches, (end, self._seq, sdr, batch, row, now, draw))

    # ---------------------------------------------------------------- idle SDRs

    def _schedule_check(self, now: float) -> None:
        """Wake the idle SDRs at the first inbound check after an MQL they have not seen arrives.

        Busy SDRs see the queue when they finish a touch, so an arrival costs an
        event only when somebody is idle, and every arrival that falls due in one
        check window shares it. (Due retries reach idle SDRs through :meth:`_run`.)
        """
        if not self.idle:
            return
        if self.queue:
            when = self._seen_at(min(batch.arrival[row] for _k, _s, batch, row in self.queue))
        else:
            when = self._next_seen
        if when < self._check_at:
            self._check_at = when
            self._check = self.env.timeout(max(when - now, 0.0))
            self._check.callbacks.append(self._on_check)

    def _on_check(self, event: simpy.Event) -> None:
        if event is not self._check:
            return  # an earlier check took this one's place
        self._check, self._check_at = None, math.inf
        now = self.env.now
        self._admit(now)
        idle = self.idle
        while idle:
            ticket = self._pop_queue(now) if self.queue else None
            if ticket is None:
                ticket = self._pop_due_retry(now)
                if ticket is None:
                    break
            sdr = next(iter(idle))
            del idle[sdr]
            self._start(sdr, ticket[0], ticket[1], now)
        self._schedule_check(now)
        self._run()

    # ---------------------------------------------------------------- SDRs

    def join(self, sdr: SDR) -> None:
        """A new SDR (or one at the start) joins the desk and looks at the queue first."""
        self.staff[sdr] = None
        self._next_work(sdr, self.env.now)
        self._wait()

    def leave(self, sdr: SDR) -> None:
        """An SDR exits: at once if idle, else when the touch in progress ends."""
        if sdr.busy:
            sdr.leaving = True
            return
        self._depart(sdr, self.env.now)

    def _depart(self, sdr: SDR, now: float) -> None:
        self.idle.pop(sdr, None)
        self.staff.pop(sdr, None)  # a pulled SDR is off the desk already
        sdr.left_at = now
        self.on_departed(sdr)

    def pull(self, sdr: SDR) -> None:
        """Take an SDR off inbound work to prospect: at once if idle, else when the touch ends."""
        if sdr.pulled or sdr not in self.staff:
            return
        sdr.pulled = True
        if not sdr.busy:
            del self.idle[sdr]
            del self.staff[sdr]

    def restore(self, sdr: SDR) -> None:
        """A pulled SDR, still on the team, comes back to inbound work."""
        if not sdr.pulled:
            return
        sdr.pulled = False
        if sdr not in self.staff and sdr.left_at == math.inf:
            self.join(sdr)

    # ---------------------------------------------------------------- touches

    def _next_event(self) -> float:
        """When the desk next acts by itself: a touch ends, or a retry falls due for an idle SDR."""
        end = self._touches[0][0] if self._touches else math.inf
        if self.idle and self.retries and self.retries[0][0] < end:
            return self.retries[0][0]
        return end

    def _run(self) -> None:
        """Settle the desk's own events in time order until SimPy has one first; then wait.

        Its own events are touch ends and, while an SDR is idle, retries falling
        due: the SDR idle longest takes a retry at its due time (a scheduled
        call-back), with no SimPy event of its own.
        """
        touches, retries, idle, env = self._touches, self.retries, self.idle, self.env
        now, inf = env.now, math.inf
        while True:
            end = touches[0][0] if touches else inf
            if idle and retries and retries[0][0] < end:
                retry_first, when = True, retries[0][0]
            else:
                retry_first, when = False, end
            if when == inf:
                break
            if when > now:
                if not env.advance(when):
                    break
                now = when
            if retry_first:
                batch, row = self._pop_retry(now)
                sdr = next(iter(idle))
                del idle[sdr]
                self._start(sdr, batch, row, now)
            else:
                _end, _seq, sdr, batch, row, start, draw = heapq.heappop(touches)
                self._finish(sdr, batch, row, start, draw, now)
        self._wait()

    def _wait(self) -> None:
        """Have SimPy wake the desk when it next acts by itself."""
        when = self._next_event()
        if when < self._wake_at:
            self._wake_at = when
            self._wake = self.env.timeout(max(when - self.env.now, 0.0))
            self._wake.callbacks.append(self._on_wake)

    def _on_wake(self, event: simpy.Event) -> None:
        if event is not self._wake:
            return  # an earlier wake-up took this one's place
        self._wake, self._wake_at = None, math.inf
        self._run()

    def _finish(
        self, sdr: SDR, batch: MqlBatch, row: int, start: float, draw: int, now: float
    ) -> None:
        """A touch ends at ``now``: settle its outcome; the SDR takes the next work."""
        rules = self.rules
        self.touches += 1
        sdr.touches += 1
        age = start - batch.arrival[row]
        attempt = batch.done[row]
        batch.done[row] = attempt + 1
        if age < batch.contact_before[draw]:
            u = batch.u_qualify[row]
            agreed = batch.agreed[row]
            if u < rules.qualification_probability(batch.fit[row], sdr.skill, age):
                if agreed and batch.fit[row] < rules.definition_fit:
                    self.below_definition += 1  # qualified, but not an SQL as the SLA defines one
                    self.on_nurture(batch.lead[row], batch.fit[row])
                else:
                    self.on_sql(batch, row, False)
            elif (
                rules.padding
                and not agreed
                and batch.u_pad[row] < rules.extra_pass_rate
                and self.behind_target(now)
            ):
                self.on_sql(batch, row, True)
            else:
                self.on_nurture(batch.lead[row], batch.fit[row])
        elif attempt + 1 < batch.planned[row]:
            self._seq += 1
            heapq.heappush(self.retries, (now + batch.retry_gap[draw], self._seq, batch, row))
        else:
            self.on_nurture(batch.lead[row], batch.fit[row])
        sdr.busy = False
        if sdr.leaving:
            self._depart(sdr, now)
        elif sdr.pulled:
            del self.staff[sdr]
        else:
            self._next_work(sdr, now)

    def tally(self) -> DeskTally:
        """What the desk counted, for the summary."""
        return DeskTally(
            touches=self.touches,
            first_touch_ages=np.asarray(self.first_touch_ages, dtype=float),
            first_touch_arrivals=np.asarray(self.first_touch_arrivals, dtype=float),
            neglected=self.neglected,
            below_definition=self.below_definition,
            retry_delay_max=self.retry_delay_max,
        )

    def close(self) -> None:
        """Let go of the pending wake-ups: each refers back to the desk through its callback."""
        self._wake = self._check = None

    # ---------------------------------------------------------------- checks

    def check_invariants(self) -> None:
        """Raise AssertionError if the desk breaks its policy; for tests, after any step.

        An SDR at work is idle exactly when it is in the idle set, and while one
        is idle no retry is overdue and no MQL that idle SDRs have seen waits.
        """
        now = self.env.now
        for sdr in self.staff:
            assert (sdr in self.idle) == (not sdr.busy), f"SDR {sdr.person}: idle set out of step"
        assert all(sdr in self.staff for sdr in self.idle), "an SDR who left is idle"
        if not self.idle:
            return
        if self.retries:
            assert self.retries[0][0] >= now or self._wake_at <= now, (
                f"a retry due at {self.retries[0][0]} waits at {now} while an SDR is idle"
            )
        for _key, _seq, batch, row in self.queue:
            seen = self._seen_at(batch.arrival[row])
            assert seen >= now or self._check_at <= now, (
                f"an MQL seen at {seen} waits at {now} while an SDR is idle"
            )
