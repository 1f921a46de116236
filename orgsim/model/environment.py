"""SimPy's environment, plus a way for a component to run its own events in between SimPy's.

A SimPy event costs a ``Timeout``, a heap push and a step; the follow-up desk's
touches are most of a replication's events and need none of that machinery, so
the desk keeps them on a heap of its own and moves the clock itself, up to the
next event SimPy has scheduled and never past it. Events then happen in the same
order and at the same times as if each touch were a SimPy timeout.

This module is the one place the model touches SimPy's private attributes
(SimPy 4.1, pinned ``simpy>=4.1,<5`` in setup.cfg); nothing else in ``orgsim``
may. It relies on three of ``simpy.Environment``'s:

- ``_queue``, the heap of ``(time, priority, event id, event)`` that ``step``
  pops: :meth:`Environment.advance` peeks at its head, :meth:`Environment.close`
  empties it;
- ``_now``, the clock that ``step`` sets from each event it pops:
  :meth:`Environment.advance` sets it;
- ``_eid``, the ``itertools.count`` that numbers scheduled events:
  :func:`events_scheduled` reads it.

If a SimPy release renames them or changes their shape, ``advance`` would stop
seeing scheduled events (touches run past them: wrong order, wrong results),
``close`` would leave a finished replication to the cycle collector, and the
``events`` KPI would fail. ``tests/model/test_environment.py`` checks all three
against SimPy's own behaviour, so an upgrade breaks tests, not results.
"""

from __future__ import annotations

import simpy


class Environment(simpy.Environment):
    """A SimPy environment whose clock a component may move forward between SimPy's events."""

    def advance(self, time: float) -> bool:
        """Move the clock to ``time`` if no scheduled event comes first (or at the same time).

        Returns whether it moved; if not, the caller must schedule an event at
        ``time`` and continue from there. SimPy keeps its clock in ``_now`` and
        sets it from each event it steps to, so a clock moved here is never
        moved back.
        """
        queue = self._queue
        if queue and queue[0][0] <= time:
            return False
        self._now = time
        return True

    def close(self) -> None:
        """Drop the events still scheduled when a run is over.

        Each event references the environment, so leftovers (deals still open at
        the end) would keep the whole model alive until Python's cycle collector
        came by.
        """
        self._queue.clear()


def events_scheduled(env: simpy.Environment) -> int:
    """Events ``env`` has scheduled so far: SimPy numbers each one from a counter.

    Reading the counter takes a number from it, so the next event's id is one
    higher than it would have been; ids only break ties between events at one
    time and priority, in the order they were scheduled, which that keeps.
    """
    return next(env._eid)
