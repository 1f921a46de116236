"""One progress bar for every command that runs replications: on a terminal, and only there.

Logs, pipes and CI get no progress output at all, so a redirected stderr holds
only what went wrong. Every study reports ``progress(completed, total)``
(``orgsim.experiment.Progress``); the bar is click's, so no further dependency
is needed for it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A bar on stderr labelled ``label`` when stderr is a terminal; None (no output) otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = None

    def advance(completed: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
        bar.update(completed - bar.pos)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.render_finish()
