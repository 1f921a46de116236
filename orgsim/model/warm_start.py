"""The steady start: nurture holds, on the first simulated day, the leads of the months before it.

Nurture keeps a lead ``months_kept`` months (12 by default), so started empty it
takes a year to fill, and MQLs climb by half over the first year on flat leads:
a start-up transient that no design comparison should mix in. This files the
leads of the ``months_kept`` months before month 0 as the run would have: each
pre-history month's new leads are scored, those below the bar go to nurture,
and the leads due back that month are scored again (those still below it go
back). The pre-history's MQLs, new and returning, go back to nurture too, as
the desk sends back every MQL it does not turn into an SQL: this ignores the
one in ten or so it does (assumption; it overstates the returns of recycled
MQLs by about a tenth, which the warm-up months then replace with the run's
own). The open pipeline and seat vacancies settle in the warm-up months
(``calendar.warm_up_months``). Neutral: both designs start from the same
pre-history (one stream, ``Streams.warm_start``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from orgsim.model.lead_sources import draw_sources, pre_history_ids, source_count
from orgsim.model.scoring import NurturePool, is_mql, score_leads
from orgsim.scenario.schema import Scenario


def fill_nurture(
    pool: NurturePool,
    scenario: Scenario,
    leads_by_month: Sequence[float],
    mean_fit_factor: float,
    scoring_skill: float,
    noise_factor: float,
    rng: np.random.Generator,
) -> list[int]:
    """File the nurtured leads of the pre-history months ``-len(leads_by_month)..-1``.

    ``leads_by_month`` are the expected new leads of those months, oldest first;
    pre-history leads have negative ids, so they never meet a lead of the run.
    Returns the ids of the pre-history's MQLs: back from nurture, they are recycled MQLs.
    """
    demand, scoring = scenario.demand, scenario.scoring
    made, sources = 0, source_count(demand)
    were_mqls: list[int] = []
    for month in range(-len(leads_by_month), 0):
        back_ids, back_fit, back_entered = pool.draw_returns(month)
        back_mql = is_mql(score_leads(back_fit, scoring, scoring_skill, rng, noise_factor), scoring)
        pool.add(back_ids[~back_mql], back_fit[~back_mql], back_entered[~back_mql], month, rng)
        count = int(rng.poisson(leads_by_month[month]))
        codes, fit = draw_sources(demand, count, rng, rng)
        ids = pre_history_ids(made, codes, sources)
        made += count
        fit = np.clip(fit * mean_fit_factor, 0.0, 1.0)
        mql = is_mql(score_leads(fit, scoring, scoring_skill, rng, noise_factor), scoring)
        pool.add(ids[~mql], fit[~mql], month, month, rng)
        # Worked before the start and sent back unqualified, as the desk would.
        recycled_ids = np.concatenate([back_ids[back_mql], ids[mql]])
        recycled_fit = np.concatenate([back_fit[back_mql], fit[mql]])
        pool.add(recycled_ids, recycled_fit, month, month, rng)
        were_mqls.extend(recycled_ids.tolist())
    return were_mqls
