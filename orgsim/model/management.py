"""The SDR manager's week: planned share for the team vs the hours it needs.

A marketing leader is planned to spend 20-25% of her week on inside sales and
in reality needs the majority of it (first article). When the need exceeds the
plan, the overflow policy decides who pays: the team (coaching falls short) or
her other work (which, for a marketing leader, slows the marketers).
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.schema import ManagerTime


@dataclass(frozen=True, slots=True)
class ManagerMonth:
    planned_hours: float
    needed_hours: float
    spent_hours: float
    other_work_lost_hours: float

    @property
    def coverage(self) -> float:
        """Share of the management the team needs that it gets."""
        if self.needed_hours <= 0:
            return 1.0
        return min(self.spent_hours / self.needed_hours, 1.0)

    @property
    def booked_hours(self) -> float:
        """Hours charged to SDR management: the plan is reserved even when unused."""
        return max(self.planned_hours, self.spent_hours)


def split_manager_time(time: ManagerTime, filled_seats: float, weeks: float) -> ManagerMonth:
    """Hours the manager plans, needs, spends on the SDR team, and takes from other work."""
    week_hours = time.hours_per_week * weeks
    planned = time.planned_share * week_hours
    needed = time.hours_needed_per_rep_per_week * filled_seats * weeks
    if not time.enabled:
        return ManagerMonth(planned, needed, needed, 0.0)
    if needed <= planned:
        return ManagerMonth(planned, needed, needed, 0.0)
    shortfall = needed - planned
    taken = {"team": 0.0, "other_work": shortfall, "split": time.overflow_split * shortfall}[
        time.overflow_policy
    ]
    spent = min(planned + taken, week_hours)
    return ManagerMonth(planned, needed, spent, spent - planned)


def marketing_productivity(
    month: ManagerMonth, time: ManagerTime, leader_runs_marketing: bool
) -> float:
    """Marketers' productivity when their leader's marketing hours fall short of plan.

    Only a leader who also runs marketing slows the marketers; a sales manager's
    other work is outside the model.
    """
    if not leader_runs_marketing or month.other_work_lost_hours <= 0:
        return 1.0
    week_hours = month.planned_hours / time.planned_share if time.planned_share > 0 else 0.0
    other_planned = week_hours - month.planned_hours
    if other_planned <= 0:
        return 1.0 - time.leadership_dependency
    lost_share = min(month.other_work_lost_hours / other_planned, 1.0)
    return 1.0 - time.leadership_dependency * lost_share
