"""The desk runs its touches off SimPy's heap: the clock and the order of events must not notice."""

from __future__ import annotations

import gc
import math

import simpy
from model_helpers import build, shipped
from simpy.events import NORMAL, EventPriority

from orgsim.model import run_replication
from orgsim.model.environment import Environment, events_scheduled
from orgsim.model.followup import SDR, FollowUpDesk, FollowUpRules, MqlBatch


def test_advance_moves_the_clock_only_up_to_the_next_scheduled_event():
    env = Environment()
    seen: list[float] = []
    env.timeout(5.0).callbacks.append(lambda _event: seen.append(env.now))
    assert env.advance(3.0) and env.now == 3.0
    assert not env.advance(5.0) and env.now == 3.0  # an event at the same time goes first
    assert not env.advance(7.0) and env.now == 3.0
    env.run()
    assert seen == [5.0]
    assert env.advance(7.0) and env.now == 7.0  # nothing left scheduled


class CountingEnvironment(Environment):
    """Counts calls to SimPy's public ``schedule``, which every event passes through."""

    calls = 0

    def schedule(
        self, event: simpy.Event, priority: EventPriority = NORMAL, delay: float = 0
    ) -> None:
        self.calls += 1
        super().schedule(event, priority, delay)


def test_events_scheduled_counts_every_event_simpy_scheduled_and_close_drops_the_rest():
    """The three SimPy internals the model reads (``_eid``, ``_queue``, ``_now``) act as it assumes."""
    env = CountingEnvironment()
    for delay in (1.0, 2.0, 3.0):
        env.timeout(delay)
    env.run(until=2.5)  # schedules events of its own too
    assert events_scheduled(env) == env.calls >= 4
    env.close()
    env.run()
    assert env.now == 2.5  # the timeout at 3.0 was dropped, so nothing moved the clock


def test_a_finished_replication_leaves_nothing_for_the_cycle_collector():
    """Its objects are freed as it returns, not later by the collector (4% of its time)."""
    scenario = shipped("marketing_owns_inside_sales_with_sla")
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # keep what the collector finds, to see whose it is
    try:
        run_replication(scenario, 3)
        gc.collect()
        # other tests' threads may leave garbage of their own meanwhile: only the model's counts
        ours = [o for o in gc.garbage if type(o).__module__.startswith(("orgsim", "simpy"))]
        assert ours == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def _batch(arrivals: list[float], touch_hours: float) -> MqlBatch:
    """MQLs that are never reached: each is touched ``attempts`` times, an hour apart."""
    n, attempts = len(arrivals), 3
    return MqlBatch(
        lead=list(range(n)),
        arrival=arrivals,
        fit=[0.5] * n,
        score=[0.5] * n,
        planned=[attempts] * n,
        first=[attempts * row for row in range(n)],
        touch_hours=[touch_hours] * (attempts * n),
        retry_gap=[1.0] * (attempts * n),
        contact_before=[-math.inf] * (attempts * n),  # never reached
        u_qualify=[1.0] * n,
        u_pad=[1.0] * n,
        u_neglect=[1.0] * n,
        agreed=[False] * n,
        sql_draws=[(1.0, 1.0, 1.0, 1.0)] * n,
    )


def test_touches_run_off_simpy_finish_in_time_order_with_simpy_events():
    """A SimPy process that looks at the desk sees exactly the touches that have ended."""
    rules = FollowUpRules.from_scenario(
        build({"teams.sdr.work.inbound_check_interval_hours": 0}), contact_lift=1.0
    )
    env = Environment()
    nurtured: list[tuple[int, float]] = []
    desk = FollowUpDesk(
        env,
        rules,
        on_sql=lambda *_: None,
        on_nurture=lambda lead, _fit: nurtured.append((lead, env.now)),
        behind_target=lambda _now: False,
        on_departed=lambda _sdr: None,
    )
    desk.receive(_batch([0.0, 0.1, 2.0], touch_hours=0.3))
    desk.join(SDR(0, 1.0, 0.0))
    looks: list[tuple[float, int]] = []

    def observer():
        for _ in range(25):
            yield env.timeout(0.17)  # off the touches' grid, so no ties
            looks.append((env.now, desk.touches))

    env.run(until=env.process(observer()))

    # One SDR: the queue first, then due retries, idle until the next one is due.
    # Lead 0 at 0-0.3, 1.3-1.6, 2.6-2.9; lead 1 at 0.3-0.6, 1.6-1.9, 2.9-3.2;
    # lead 2 at 2.0-2.3 and 3.3-3.6; its third touch comes after the observer stops.
    ends = [0.3, 0.6, 1.6, 1.9, 2.3, 2.9, 3.2, 3.6]
    assert [touches for _, touches in looks] == [
        sum(1 for end in ends if end < now) for now, _ in looks
    ]
    assert [lead for lead, _ in nurtured] == [0, 1]
    assert [round(at, 9) for _, at in nurtured] == [2.9, 3.2]
    assert env.now > 4.0 and desk.touches == 8
