"""SimPy's environment, plus a way for a component to run its own events in between SimPy's.

A SimPy event costs a ``Timeout``, a heap push and a step; the follow-up desk's
touches are most of a replication's events and need none of that machinery, so
the desk keeps them on a heap of its own and moves the clock itself, up to the
next event SimPy has scheduled and never past it. Events then happen in the same
order and at the same times as if each touch were a SimPy timeout.
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
    """Events ``env`` has scheduled so far: SimPy numbers each one from a counter."""
    return next(env._eid)
