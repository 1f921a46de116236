"""Pipeline that does not come from SQLs: AEs' own prospecting, and partners and referrals.

Without it AEs work only what SDRs book and are starved (issue 17). Each source
is a Poisson stream of opportunities over the month: AE-sourced at a rate per
AE at full productivity (a ramping AE finds fewer), partner-sourced at a rate
for the org. They go straight to the sales floor, with no SDR or acceptance.
Favours no side: both designs get the same pipeline, and compete for AE hours
with it. Rates and fits are assumptions (docs/model.md, 2.8b).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from orgsim.scenario.distributions import Distribution
from orgsim.scenario.schema import Selling


class SourcedDeal(NamedTuple):
    """An opportunity from a non-SQL source, with its draws for the floor."""

    time: float
    source: str  # "ae_sourced" or "partner"
    fit: float
    u_win: float
    cycle_hours: float
    deal: float


def sourced_deals(
    selling: Selling,
    productive_aes: float,
    start: float,
    hours_per_month: float,
    hours_per_calendar_day: float,
    rng: np.random.Generator,
) -> list[SourcedDeal]:
    """The month's AE- and partner-sourced opportunities, in time order.

    ``productive_aes``: AEs present at the month's open, each weighted by ramp.
    Both counts are drawn first, then each source's arrays, from the month's
    own ``pipeline`` stream.
    """
    rates = {
        "ae_sourced": selling.ae_sourced.per_ae_per_month * productive_aes
        if selling.ae_sourced.enabled
        else 0.0,
        "partner": selling.partner.per_month if selling.partner.enabled else 0.0,
    }
    fits: dict[str, Distribution] = {
        "ae_sourced": selling.ae_sourced.fit,
        "partner": selling.partner.fit,
    }
    counts = {source: int(rng.poisson(rate)) for source, rate in rates.items()}
    deals: list[SourcedDeal] = []
    for source, count in counts.items():
        times = start + rng.uniform(0.0, hours_per_month, count)
        fit = fits[source].sample(rng, count)
        u_win = rng.random(count)
        cycle = selling.cycle_days.sample(rng, count) * hours_per_calendar_day
        deal = selling.deal_size.sample(rng, count)
        deals.extend(
            SourcedDeal(*row)
            for row in zip(
                times.tolist(),
                [source] * count,
                fit.tolist(),
                u_win.tolist(),
                cycle.tolist(),
                deal.tolist(),
                strict=True,
            )
        )
    return sorted(deals)
