"""Handoff and SLA: sales accepts or rejects each SQL.

With a signed SLA, definitions are agreed and rejection is only definitional
(acceptance near 90%: SiriusDecisions); padding and cherry-picking are off.
Without one, sales judges fit itself (only 44% of MQLs are judged a good fit:
Gartner), padded SQLs are mostly rejected, and AEs accept fewer SQLs from a
team in another department (second article).
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.schema import Scenario


@dataclass(frozen=True, slots=True)
class AcceptanceRule:
    sla: bool
    sla_rate: float
    base_rate: float
    fit_reference: float
    fit_elasticity: float
    padded_rate: float

    @classmethod
    def from_scenario(
        cls, scenario: Scenario, team_in_marketing: bool | None = None
    ) -> AcceptanceRule:
        """The rule for SQLs of a team in marketing or not (``None``: the org's inside-sales line)."""
        handoff = scenario.policies.handoff
        sla = scenario.org.sla
        cross_department = (
            scenario.org.inside_sales_reports_to != "sales"
            if team_in_marketing is None
            else team_in_marketing
        )
        friction = handoff.friction.enabled and cross_department
        base = handoff.acceptance_rate_without_sla
        if friction:
            base *= 1.0 - handoff.friction.acceptance_penalty
        return cls(
            sla=sla.enabled,
            sla_rate=sla.acceptance_rate,
            base_rate=base,
            fit_reference=scenario.followup.fit_reference,
            fit_elasticity=handoff.fit_elasticity,
            padded_rate=handoff.padding.padded_acceptance,
        )

    def probability(self, fit: float, padded: bool, agreed: bool) -> float:
        """Chance sales accepts an SQL of this fit as an opportunity.

        ``agreed``: handed over under the SLA's definitions, so only definitional
        rejections remain: the SLA's rate at the reference fit, with no friction.
        """
        if padded:
            return self.padded_rate
        rate = self.sla_rate if agreed else self.base_rate
        return min(rate * (fit / self.fit_reference) ** self.fit_elasticity, 1.0)
