"""AE hours bind: an open deal and a rejected SQL take hours of a finite month.

The first article's second pro ("sales spends its time only on active, qualified
opportunities") needs AE time to be scarce, so that cleaner SQLs free it. An
opportunity takes ``hours_per_opportunity`` over its cycle, spread evenly: an
open deal takes that over the mean cycle each month. An AE's slots for the
month are the selling hours left after reviewing last month's rejected SQLs,
over the hours a deal takes; by Little's law, hours on deals then average
arrival rate x hours per opportunity, whatever the cycle's distribution.
Favours: whichever design passes fewer junk SQLs (no side by construction).
"""

from __future__ import annotations

from orgsim.scenario.schema import AETeam


def deal_hours_per_month(team: AETeam, mean_cycle_hours: float, hours_per_month: float) -> float:
    """AE hours an open deal takes a month: its hours spread evenly over the mean cycle."""
    return team.work.hours_per_opportunity * hours_per_month / mean_cycle_hours


def selling_hours_per_month(team: AETeam, weeks_per_month: float) -> float:
    """Hours a month one AE has for working opportunities."""
    return team.hours_per_week * weeks_per_month * team.work.selling_share


def team_slots(
    filled: list[bool], hours_per_ae: float, review_hours: float, per_deal: float
) -> list[float]:
    """Slots per seat for the month: the team's hours left after reviews, over a deal's hours.

    Whole slots, so the team's total is not lost to rounding per AE: each
    filled seat gets the floor of its share and the first seats one more each
    for the remainder; a vacant seat gets none.
    """
    staffed = sum(filled)
    if staffed == 0:
        return [0.0] * len(filled)
    total = round(max(staffed * hours_per_ae - review_hours, 0.0) / per_deal)
    base, extra = divmod(total, staffed)
    slots, rank = [], 0
    for seat_filled in filled:
        slots.append(float(base + (rank < extra)) if seat_filled else 0.0)
        rank += seat_filled
    return slots
