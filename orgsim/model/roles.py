"""Inbound and outbound as roles: MDRs qualify marketing's MQLs, SDRs prospect.

The articles argue about the inbound role; outbound may stay in sales ("MDRs
in marketing, outbound SDRs in sales"). With the split on, the first
``inbound_share`` of the seats are MDRs, who work MQLs only, and the rest
prospect only; ``org.inside_sales_reports_to`` is the MDRs' line and
``outbound_reports_to`` the SDRs'. Off, one team does both (the shipped
designs). Favours neither side by itself: it decides which reps each line's
mechanisms (friction, split-org overheads) reach.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.schema import Scenario


@dataclass(frozen=True, slots=True)
class Roles:
    split: bool
    inbound_seats: int  # seats 0..inbound_seats-1 are MDRs when split
    inbound_in_marketing: bool
    outbound_in_marketing: bool

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> Roles:
        roles, headcount = scenario.teams.sdr.roles, scenario.teams.sdr.headcount
        inbound_line = scenario.org.inside_sales_reports_to
        outbound_line = (
            inbound_line if roles.outbound_reports_to == "same" else roles.outbound_reports_to
        )
        return cls(
            split=roles.enabled,
            inbound_seats=round(roles.inbound_share * headcount) if roles.enabled else headcount,
            inbound_in_marketing=inbound_line == "marketing",
            outbound_in_marketing=outbound_line == "marketing",
        )

    def works_inbound(self, seat: int) -> bool:
        return not self.split or seat < self.inbound_seats

    def prospects(self, seat: int) -> bool:
        return not self.split or seat >= self.inbound_seats

    def in_marketing(self, seat: int) -> bool:
        """Whether the rep in ``seat`` reports to marketing (one team: the org's line)."""
        if self.works_inbound(seat):
            return self.inbound_in_marketing
        return self.outbound_in_marketing
