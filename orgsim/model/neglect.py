"""MQL neglect: a team run by sales works marketing's leads last ("sales ignores good leads").

Heinz's third pro: "Marketing often complains that sales ignores good leads,
thereby decreasing what should be a higher conversion rate." An SDR team that
reports to sales is paid on its pipeline and quota, and without an SLA it drops
some MQLs unworked, works the rest with fewer attempts, and looks at the inbound
queue less often. The mirror of the friction a marketing-run team meets at the
AE (2.7); an SLA switches both off. Every default is an assumption with a range
in the sensitivity section.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.schema import Scenario


@dataclass(frozen=True, slots=True)
class NeglectRule:
    """How much of marketing's MQLs the SDR team in force leaves undone."""

    drop_share: float
    attempt_factor: float
    check_interval_factor: float

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> NeglectRule:
        neglect = scenario.policies.handoff.neglect
        sales_run = scenario.org.inside_sales_reports_to == "sales"
        active = (
            neglect.enabled
            and (sales_run or neglect.applies_to == "any_team")
            and not scenario.org.sla.enabled
        )
        if not active:
            return cls(drop_share=0.0, attempt_factor=1.0, check_interval_factor=1.0)
        return cls(neglect.drop_share, neglect.attempt_factor, neglect.check_interval_factor)
