"""The one place calibration runs the model: one replication of each parameter draw.

Through the experiment layer's public :class:`~orgsim.experiment.Session`:
``Session.simulate_each`` sends each draw as a task of its own, so a session
with several workers shares a batch of draws between them, and each draw's
numbers are those of running it alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from orgsim.scenario import Scenario

if TYPE_CHECKING:
    from orgsim.experiment import Results, Session


def run_draws(session: Session, draws: Sequence[tuple[Scenario, int]], seed: int) -> list[Results]:
    """Replication ``i`` of each ``(scenario, i)`` in a run seeded ``seed``, in order.

    A replication that fails stops the caller: a fit or a comparison that
    silently left out the draws the model cannot run would be biased.
    """
    runs = session.simulate_each(draws, seed=seed)
    for run in runs:
        if run.failures:
            raise RuntimeError(f"{run.scenario.name}: {run.failures[0].describe()}")
    return runs
