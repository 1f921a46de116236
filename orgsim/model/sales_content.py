"""Moving KPIs down-funnel: a sales-run SDR team makes its own follow-up content.

"Sales people should be selling, not creating their own MOFU and BOFU products.
With their input, that's our job" (second article). When marketing runs the SDR
team its marketers make the team's follow-up content (split-org overheads, 2.11);
when sales runs it and marketing does not, the SDRs make it themselves, in hours
taken from prospecting. The same hours per SDR as split-org's by default, so
neither side's follow-up content is free; off by default.
"""

from __future__ import annotations

from orgsim.scenario.schema import SalesMadeContent


def own_content_share(policy: SalesMadeContent, reports_to: str, hours_per_month: float) -> float:
    """Share of a present SDR's clock hours spent making content (0 unless it applies)."""
    applies = reports_to == "sales" or policy.applies_to == "any_team"
    if not (policy.enabled and applies):
        return 0.0
    return policy.hours_per_sdr_per_month / hours_per_month
