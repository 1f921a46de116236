"""Several runs against a baseline: paired on the replications they share, with honest notes.

Pairing needs replication i of every scenario; runs made with one seed have
that (common random numbers). Runs that lost a replication, or were made with
different seeds, can still be compared, and the report says what that costs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from orgsim.analysis import VERDICT_RESAMPLES, paired_differences, shared_replications
from orgsim.kpis import REPORT_KPIS
from orgsim.plots.style import scenario_order
from orgsim.report.runs import Run


class BaselineError(ValueError):
    """The baseline asked for is not one of the runs' scenarios."""


@dataclass(frozen=True)
class Comparison:
    """Paired differences of the key KPIs against ``baseline`` (None for a single scenario)."""

    baseline: str | None
    differences: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)


def compare_runs(
    runs: Sequence[Run], replications: pd.DataFrame, baseline: str | None = None
) -> Comparison:
    """Compare the scenarios of ``replications`` (the runs' combined table) with ``baseline``.

    The baseline defaults to the first scenario. ``differences`` is None with
    one scenario, and empty when the runs share no replication to pair.
    """
    names = scenario_order(replications)
    if baseline is not None and baseline not in names:
        raise BaselineError(f"{baseline!r} is not one of the scenarios: {names}")
    if len(names) < 2:
        return Comparison(None, None)
    baseline = baseline or names[0]
    paired, notes = _pairable(replications)
    notes += _seed_notes(runs)
    if paired.empty:
        return Comparison(baseline, pd.DataFrame(), notes)
    present = [k for k in REPORT_KPIS if k in replications.columns]
    # Resampled as ``compare`` does (its seed is the baseline run's), so the verdicts agree.
    seed = next((run.seed for run in runs if baseline in run.scenarios), None)
    differences = paired_differences(
        paired, baseline, kpis=present, n_boot=VERDICT_RESAMPLES, seed=seed or 0
    )
    return Comparison(baseline, differences, notes)


def _pairable(replications: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The rows of the replications every scenario has, and a note if others were left out."""
    kept = shared_replications(replications)
    if len(kept) == len(replications):
        return kept, []
    if kept.empty:
        return kept, ["The runs share no replication numbers, so they cannot be paired."]
    return kept, [
        f"Only the {kept['replication'].nunique()} replications present in every run are compared; "
        f"{len(replications) - len(kept)} rows found in some runs only are left out."
    ]


def _seed_notes(runs: Sequence[Run]) -> list[str]:
    seeds = {run.seed for run in runs}
    if len(seeds) < 2:
        return []
    listed = ", ".join("not recorded" if s is None else str(s) for s in sorted(seeds, key=str))
    return [
        f"These runs used different seeds ({listed}), so replication i of each did not see the "
        "same random numbers: the differences are still fair, but their intervals are wider "
        "than common random numbers would give."
    ]
