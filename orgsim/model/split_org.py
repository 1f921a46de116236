"""Split-org overheads when inside sales sits in marketing (first article's cons).

Sales may not give the team up easily (shared CRM, trainers, who pays), and
more marketing staff and CMO bandwidth are needed: duplicated tools and
training, marketer hours making follow-up content, leadership coordination.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.schema import SplitOrg


@dataclass(frozen=True, slots=True)
class SplitOrgMonth:
    overhead_cost: float
    content_hours_taken: float


def split_org_month(
    policy: SplitOrg, sdrs_in_marketing: bool, filled_seats: float
) -> SplitOrgMonth:
    """A month's overheads: $ for tools and coordination, content hours taken."""
    if not (policy.enabled and sdrs_in_marketing):
        return SplitOrgMonth(0.0, 0.0)
    coordination_cost = policy.coordination_hours_per_month * policy.leadership_cost_per_hour
    return SplitOrgMonth(
        overhead_cost=policy.tools_and_training_per_month + coordination_cost,
        content_hours_taken=policy.followup_content_hours_per_sdr_per_month * filled_seats,
    )
