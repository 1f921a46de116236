"""End-of-month diversion: marketers pulled off their work to dial for dollars.

On a set working day of the last week, the owner of the SQL target compares
month-to-date SQLs with the pro-rated target; if behind, and if that owner
commands marketers (inside sales reports to marketing), a share of marketers
dial for the rest of the month at low skill (second article). Their content
hours are lost, which shows up as fewer and weaker leads in later months.
"""

from __future__ import annotations

from orgsim.model.targets import is_behind
from orgsim.scenario.schema import Diversion


def owner_commands_marketers(reports_to: str) -> bool:
    """The SQL target belongs to whoever runs inside sales; only marketing can divert marketers."""
    return reports_to == "marketing"


def diverted_marketers(
    policy: Diversion,
    reports_to: str,
    sqls_to_date: float,
    monthly_target: float,
    day: int,
    days_per_month: int,
    marketers: int,
) -> int:
    """How many marketers dial from tomorrow to month end (0 when nothing triggers)."""
    if not (policy.enabled and owner_commands_marketers(reports_to)):
        return 0
    if day != policy.trigger_working_day or not is_behind(
        sqls_to_date, monthly_target, day / days_per_month
    ):
        return 0
    return round(policy.share_of_marketers * marketers)
