"""The one place calibration runs the model: one replication of one parameter draw.

Through the experiment layer's public :class:`~orgsim.experiment.Session`, in
this process: a fit's draws are thousands of single replications, each its own
scenario, which a pool's start-up and pickling would cost more than they run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgsim.scenario import Scenario

if TYPE_CHECKING:
    from orgsim.experiment import Results


def run_draw(scenario: Scenario, seed: int, replication: int) -> Results:
    """Replication ``replication`` of ``scenario`` in a run seeded ``seed``, in this process.

    A replication that fails stops the caller: a fit or a comparison that
    silently left out the draws the model cannot run would be biased.
    """
    from orgsim.experiment import Session

    run = Session(seed=seed, workers=1).simulate(scenario, range(replication, replication + 1))
    if run.failures:
        raise RuntimeError(f"{scenario.name}: {run.failures[0].describe()}")
    return run
