"""A player-coach SDR manager: she carries part of an SDR quota, and coaches less.

A common way to staff a small SDR team's management (and to give a new manager
credibility with her reps): her prospecting hours add SDR capacity, and they
come out of the hours planned for the team, so coaching coverage falls once the
team's need passes what is left. Either side can have one. Her week for the
team is the rest of it; she is paid for all of it. The share and her skill are
assumptions with ranges in the sensitivity section.
"""

from __future__ import annotations

from orgsim.scenario.schema import ManagerTime, PlayerCoach


def team_time(time: ManagerTime, coach: PlayerCoach) -> ManagerTime:
    """Her week as the team's management sees it: the prospecting hours taken out of the plan.

    The week shrinks by her selling hours and so does the planned share, so the
    hours for her other work (``1 - planned_share`` of the week) stay as they were.
    """
    if not coach.enabled or coach.selling_share <= 0:
        return time
    left = 1.0 - coach.selling_share
    if left <= 0:
        return time.model_copy(update={"hours_per_week": 0.0, "planned_share": 0.0})
    return time.model_copy(
        update={
            "hours_per_week": time.hours_per_week * left,
            "planned_share": (time.planned_share - coach.selling_share) / left,
        }
    )


def selling_hours_per_day(time: ManagerTime, coach: PlayerCoach) -> float:
    """Hours she prospects each working day (0 unless she is a player-coach)."""
    if not coach.enabled:
        return 0.0
    return coach.selling_share * time.hours_per_week / 5
