"""A stop that lands inside ``concurrent.futures.wait`` still ends the run: no lock is left held.

``wait`` takes each pending future's lock in turn. A Ctrl-C raised between two
of them once left a lock held; the pool's thread then blocked for ever
completing that future, and the stop's shutdown never returned (seen as a hung
``orgsim run`` after Ctrl-C, about once in a few hundred stops). The script
below delivers SIGINT exactly there, every time, in a process of its own so a
hang is a timeout rather than a stuck test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from .conftest import BASELINE, WORKTREE

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from concurrent.futures import _base

    import orgsim

    # Ctrl-C raises KeyboardInterrupt, as in a terminal: a parent that ignores SIGINT
    # (pytest-xdist's workers do) would otherwise hand that ignoring down to this process.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    original = _base._AcquireFutures.__enter__
    fired = []

    def enter(self):
        futures = list(self.futures)
        if fired or len(futures) < 2:
            return original(self)
        fired.append(True)
        futures[0]._condition.acquire()
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between two of wait's locks
        for future in futures[1:]:
            future._condition.acquire()

    _base._AcquireFutures.__enter__ = enter
    try:
        orgsim.simulate(sys.argv[1], replications=400, seed=1, workers=2)
    except KeyboardInterrupt:
        print("stopped" if fired else "stopped before any wait")
    else:
        print("not stopped")
    """
)


def test_a_stop_between_two_of_waits_locks_ends_the_run():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(BASELINE)],
        env={**os.environ, "PYTHONPATH": str(WORKTREE)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.stdout.strip() == "stopped", done.stderr
