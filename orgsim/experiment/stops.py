"""Stopping a run on a signal: SIGINT, SIGTERM and SIGHUP all take Ctrl-C's clean path.

``timeout``, CI cancellation, systemd and ``docker stop`` send SIGTERM; a closed
terminal sends SIGHUP. Python's default for either kills the process at once,
leaving its workers blocked on a pipe forever; turned into :class:`Stopped` (a
``KeyboardInterrupt``) they unwind through the same ``with`` blocks that stop
the workers and discard half-written output. A second signal arrives while
that cleanup runs (people press Ctrl-C again when a stop is slow), so only the
first one raises: the cleanup is bounded and must not be broken off.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
"""The signals that ask a command to stop (Windows has no SIGHUP)."""

TERMINAL_SIGNALS = tuple(number for number in STOP_SIGNALS if number != signal.SIGTERM)
"""The stop signals a terminal sends to its whole foreground process group, workers included."""


class Stopped(KeyboardInterrupt):
    """A stop asked for by signal ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def exit_status(stop: KeyboardInterrupt) -> int:
    """The conventional status of a process stopped by a signal: 128 + its number."""
    return 128 + (stop.signum if isinstance(stop, Stopped) else signal.SIGINT)


def signal_name(stop: KeyboardInterrupt) -> str:
    """``SIGTERM`` for a stop by SIGTERM; ``SIGINT`` for Ctrl-C."""
    return signal.Signals(exit_status(stop) - 128).name


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Raise :class:`Stopped` on the first stop signal inside the block; ignore the rest.

    Signal handlers belong to the main thread; elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise Stopped(signum)

    previous = {number: signal.signal(number, stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def signals_deferred(signals: tuple[signal.Signals, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Hold ``signals`` back in this thread until the block ends, then deliver them.

    Around a few renames, so that a stop never falls between them; and around
    starting a worker, which inherits the blocked signals and so cannot die of
    Ctrl-C while it imports, before it has set its own handlers. (Windows
    cannot block signals; there this does nothing.)
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
