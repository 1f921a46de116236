"""Lead sources: leads come from several programs (content, paid, events, partners), each with its fit.

A source takes a share of the month's leads and of the program spend, and
draws its leads' fit from its own distribution, so a cheap source of weak
leads and a dear one of strong leads can be told apart down the funnel.
Neutral: both designs receive the same leads. A lead's id carries its source
(``id % sources``), so no table follows leads through nurture and the desk;
with no sources configured there is one, and ids are what they always were.
"""

from __future__ import annotations

import numpy as np

from orgsim.kpis import SOURCE_STAGES, source_column
from orgsim.scenario.schema import Demand, Scenario


def source_columns(demand: Demand) -> tuple[str, ...]:
    """The per-source counts the model books, stage by stage."""
    return tuple(source_column(stage, name) for name in demand.sources for stage in SOURCE_STAGES)


def reported_source_columns(demand: Demand) -> tuple[str, ...]:
    """The monthly table's per-source columns: the counts, then each source's program cost."""
    costs = tuple(source_column("cost_programs", name) for name in demand.sources)
    return (*source_columns(demand), *costs)


def monthly_columns(scenario: Scenario) -> tuple[str, ...]:
    """Every column of ``scenario``'s monthly table: the fixed ones, then its lead sources'."""
    from orgsim.model.result import MONTHLY_COLUMNS

    return (*MONTHLY_COLUMNS, *reported_source_columns(scenario.demand))


def source_count(demand: Demand) -> int:
    return max(len(demand.sources), 1)


def lead_ids(first: int, codes: np.ndarray, sources: int) -> np.ndarray:
    """Ids of leads ``first, first + 1, ...`` that carry their source: ``id % sources == code``."""
    return (first + np.arange(codes.size, dtype=np.int64)) * sources + codes


def pre_history_ids(first: int, codes: np.ndarray, sources: int) -> np.ndarray:
    """Negative ids ``-(first + 1), -(first + 2), ...`` per source, as :func:`lead_ids` (numpy's % floors)."""
    return -(first + 1 + np.arange(codes.size, dtype=np.int64)) * sources + codes


def draw_sources(
    demand: Demand, count: int, source_rng: np.random.Generator, fit_rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Source codes and fit of ``count`` leads; each source's fits drawn in turn from ``fit_rng``."""
    if not demand.sources:
        return np.zeros(count, dtype=np.int64), demand.fit.sample(fit_rng, count)
    sources = list(demand.sources.values())
    shares = np.array([source.share for source in sources])
    codes = source_rng.choice(len(sources), size=count, p=shares / shares.sum())
    fit = np.empty(count)
    for code, source in enumerate(sources):
        mine = codes == code
        fit[mine] = source.fit.sample(fit_rng, int(mine.sum()))
    return codes.astype(np.int64), fit
