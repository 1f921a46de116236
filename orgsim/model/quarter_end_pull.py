"""Moving KPIs down-funnel: sales pulls its SDRs off inbound at quarter end.

The mirror of month-end diversion (second article: "moving KPIs down-funnel is a
bad idea, too"). When sales runs the SDR team and its quarter looks short, it
puts SDRs on outbound pipeline for the rest of the quarter's last month, and
marketing's MQLs wait, go stale or expire. The parameters have diversion's shape
(a trigger day, the share of people pulled, the same behind-target check); only a
sales-run team can be pulled, as only a marketing-run one can divert marketers.

Sales' quarters follow the calendar, not the simulated months: the fiscal year is
the calendar year (assumption), so with three-month quarters the pull can fire in
March, June, September and December, whichever month the reported period starts
in (``calendar.start_month``) and however many warm-up months come before it.
"""

from __future__ import annotations

from orgsim.model.targets import is_behind
from orgsim.scenario.schema import QuarterEndPull


def owner_commands_pipeline(policy: QuarterEndPull, reports_to: str) -> bool:
    """Only sales, running the team, can trade marketing's MQLs for its own pipeline."""
    return reports_to == "sales" or policy.applies_to == "any_team"


def is_quarter_end(policy: QuarterEndPull, months_from_january: int) -> bool:
    """Whether the month ``months_from_january`` months after a January (``Clock.months_from_january``)
    closes one of sales' quarters: every ``months_per_quarter``-th month counted from January."""
    return (months_from_january + 1) % policy.months_per_quarter == 0


def pulled_sdrs(
    policy: QuarterEndPull,
    reports_to: str,
    months_from_january: int,
    to_date: float,
    monthly_target: float,
    day: int,
    days_per_month: int,
    sdrs: int,
) -> int:
    """How many SDRs prospect instead of working inbound from tomorrow to month end (0: no pull).

    ``months_from_january`` places the month in sales' year (0 January, 2 March, 12 the next January).
    """
    if not (policy.enabled and owner_commands_pipeline(policy, reports_to)):
        return 0
    if day != policy.trigger_working_day or not is_quarter_end(policy, months_from_january):
        return 0
    if not is_behind(to_date, monthly_target, day / days_per_month):
        return 0
    return round(policy.share_of_sdrs * sdrs)
