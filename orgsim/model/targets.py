"""The target the SDR team's owner is measured on; padding, month-end diversion and the
quarter-end pull react to it.

Marketing leaders pull designers to dial "if the goal doesn't look like it will be
reached" (second article). A goal set above what the team can book makes nearly
every month look behind, so by default the target is the team's own run rate, the
average of its last few months' own results (times a stretch): a month is behind
only when it is. Results that diverted marketers booked do not count toward the run
rate, or one push would raise the next months' targets and make them look behind
too. ``basis: fixed`` keeps one planned number for every month.

What the target counts is a choice ("moving KPIs up-funnel doesn't solve problems,
it creates them", second article): SQLs handed over, SQLs sales accepted as
opportunities, or those opportunities' deal value. ``monthly`` is always planned
in SQLs and turned into the metric at the planned acceptance (and mean deal size).
Padding pays only as far as a padded SQL counts: under a target on accepted
opportunities or pipeline, only the share sales accepts does.
"""

from __future__ import annotations

from collections.abc import Sequence

from orgsim.scenario.schema import Scenario, SQLTarget

METRIC_BOOK = {
    "sql_count": ("sqls", "sqls_diverted"),
    "accepted_opportunities": ("opportunities", "opportunities_diverted"),
    "pipeline_value": ("pipeline_value", "pipeline_value_diverted"),
}
"""Per target metric: the monthly counter it reads, and the part of it diverted marketers booked."""


def planned_yield(scenario: Scenario) -> float:
    """The target metric one planned SQL is worth: 1 SQL, the planned acceptance, or its pipeline."""
    metric = scenario.policies.sql_target.metric
    if metric == "sql_count":
        return 1.0
    sla = scenario.org.sla
    acceptance = (
        sla.acceptance_rate
        if sla.enabled
        else scenario.policies.handoff.acceptance_rate_without_sla
    )
    if metric == "accepted_opportunities":
        return acceptance
    return acceptance * scenario.selling.deal_size.mean


def padding_credit(metric: str, padded_acceptance: float) -> float:
    """What a padded SQL earns toward the target, as a share of what padding pays under a SQL count.

    Under a SQL count every padded SQL counts; under accepted opportunities or
    pipeline only those sales accepts do, so the incentive to pad shrinks to that share.
    """
    return 1.0 if metric == "sql_count" else padded_acceptance


def monthly_target(
    target: SQLTarget, team_results_by_month: Sequence[float], month: int, yield_: float = 1.0
) -> float:
    """The target of simulated ``month`` (0 the first warm-up month), in the metric, from the
    team's own results before it: the run rate runs through the warm-up, so the first reported
    month's target is the steady org's own run rate, not the plan."""
    if target.basis == "fixed" or month == 0:
        return target.monthly * yield_
    recent = team_results_by_month[max(0, month - target.run_rate_months) : month]
    return sum(recent) / len(recent) * (1.0 + target.stretch)


def is_behind(to_date: float, target: float, elapsed_share: float) -> bool:
    """Below the target pro-rated to the share of the month gone."""
    return to_date < target * elapsed_share
