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
from typing import Any

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


def describe_stop(stop: KeyboardInterrupt) -> str:
    """``Interrupted`` for Ctrl-C, ``Stopped by SIGTERM`` for SIGTERM, and so on."""
    number = exit_status(stop) - 128
    return "Interrupted" if number == signal.SIGINT else f"Stopped by {signal.Signals(number).name}"


def stop_on_signals() -> None:
    """From now on, raise :class:`Stopped` on the first stop signal and ignore the rest.

    For a command's whole process, its start-up included: it ends after a
    stop, so a later signal has nothing left to interrupt but its exit, and
    ignored (not merely handled) it cannot kill the interpreter while it
    finalizes. Signal handlers belong to the main thread; call this from there.
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        raise Stopped(signum)

    for number in STOP_SIGNALS:
        signal.signal(number, stop)


@contextmanager
def signals_deferred(signals: tuple[signal.Signals, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Hold ``signals`` back in this thread until the block ends, then deliver them.

    Around a few renames, so that a stop never falls between them; and around
    starting a worker, which inherits the blocked signals and so cannot die of
    Ctrl-C while it imports, before it has set its own handlers. Blocking them
    in this thread is not enough: a signal sent to the process goes to any
    thread that does not block it (numpy's BLAS threads, started at import), and
    Python then runs its handler in the main thread all the same. So in the
    main thread the handlers are also swapped for one that only notes the
    signal, and the first noted is raised again when the block ends. (Windows
    cannot block signals; there this does nothing.)
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    noted: list[int] = []
    handlers: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for number in signals:
            handlers[number] = signal.signal(number, lambda signum, _frame: noted.append(signum))
    try:
        yield
    finally:
        for held, handler in handlers.items():
            signal.signal(held, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        if noted:
            signal.raise_signal(noted[0])  # to the handler just restored
