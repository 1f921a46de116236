"""The one place calibration runs the model: one replication of one parameter draw.

Through the public API only (``orgsim.experiment.simulate``), so that when
the experiment layer gains a session for many small runs, this is the
function to switch.
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
    from orgsim.experiment import simulate

    run = simulate(scenario, replications=1, seed=seed, first=replication, workers=1)
    if run.failures:
        raise RuntimeError(f"{scenario.name}: {run.failures[0].describe()}")
    return run
