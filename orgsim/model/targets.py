"""The SQL target the SDR team's owner is measured on; padding and month-end diversion react to it.

Marketing leaders pull designers to dial "if the goal doesn't look like it will be
reached" (second article). A goal set above what the team can book makes nearly
every month look behind, so by default the target is the team's own run rate, the
average of its last few months' own SQLs (times a stretch): a month is behind
only when it is. SQLs that diverted marketers booked do not count toward the run
rate, or one push would raise the next months' targets and make them look behind
too. ``basis: fixed`` keeps one planned number for every month.
"""

from __future__ import annotations

from collections.abc import Sequence

from orgsim.scenario.schema import SQLTarget


def monthly_target(target: SQLTarget, team_sqls_by_month: Sequence[float], month: int) -> float:
    """The SQL target of ``month`` (0-based), from the team's own SQLs in the months before it."""
    if target.basis == "fixed" or month == 0:
        return target.monthly
    recent = team_sqls_by_month[max(0, month - target.run_rate_months) : month]
    return sum(recent) / len(recent) * (1.0 + target.stretch)


def is_behind(to_date: float, target: float, elapsed_share: float) -> bool:
    """Below the target pro-rated to the share of the month gone."""
    return to_date < target * elapsed_share
