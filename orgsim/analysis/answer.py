"""The answer first: which way the headline KPI points, judged on pairs that isolate one change.

A comparison of a whole deck against its first design credits ownership with
what an SLA does: marketing with an SLA beats sales without one, yet loses to
sales with one. So each design is judged against the design it changes least:
a design that moves inside sales out of sales is paired with the sales-owned
design whose settings, beyond who owns the team, differ from its own the
least (ties: the earlier one); any other design with the first. The answer's
first sentence is then the honest one: ownership judged where nothing else
moved, at marketing's best case, with its interval and how many runs agree.

Pure functions over resolved settings (as mappings) and paired-differences
tables, so ``compare``, the report and the workshop say the same words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from orgsim.analysis.paired import paired_differences
from orgsim.analysis.summary import summarize
from orgsim.analysis.verdict import plain_change
from orgsim.kpis import HEADLINE_KPI, kpi_info
from orgsim.scenario.settings import differing_settings

REPORTING_LINE = "org.inside_sales_reports_to"
"""Who inside sales reports to: ``sales`` or ``marketing``."""

OWNERSHIP_SETTINGS = (REPORTING_LINE, "management.sdr_manager")
"""Settings that come with the owner: the reporting line and the manager that owner provides."""

UNRELATED_SETTINGS = ("name", "description", "seed", "replications", "sensitivity")
"""Settings that say nothing about the design."""


@dataclass(frozen=True, slots=True)
class Pair:
    """A design and the design it is judged against, with what differs besides ownership."""

    design: str
    baseline: str
    ownership: bool
    """Whether the two have different owners of inside sales."""
    also_differs: tuple[str, ...]
    """Dotted keys, other than ownership's, in which the two differ."""

    def document(self) -> dict[str, object]:
        return {
            "scenario": self.design,
            "baseline": self.baseline,
            "ownership": self.ownership,
            "also_differs": list(self.also_differs),
        }


def owner(settings: Mapping[str, Any]) -> str:
    """Who owns inside sales in these resolved settings (``sales`` when they do not say)."""
    return str((settings.get("org") or {}).get("inside_sales_reports_to", "sales"))


def matched_pairs(designs: Mapping[str, Mapping[str, Any]]) -> list[Pair]:
    """Each design after the first with the design it is judged against (see the module's rule).

    ``designs`` maps each design's name to its resolved settings, in the
    comparison's order; the first is the fallback baseline.
    """
    names = list(designs)
    pairs = []
    for name in names[1:]:
        candidates = [
            other
            for other in names
            if other != name and owner(designs[other]) == "sales" != owner(designs[name])
        ]
        distance = {other: _other_differences(designs[name], designs[other]) for other in names}
        baseline = min(candidates, key=lambda o: len(distance[o])) if candidates else names[0]
        ownership = owner(designs[name]) != owner(designs[baseline])
        pairs.append(Pair(name, baseline, ownership, distance[baseline]))
    return pairs


def _other_differences(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[str, ...]:
    rows = differing_settings([a, b], ignored=UNRELATED_SETTINGS)
    return tuple(
        key
        for key, _ in rows
        if not any(key == k or key.startswith(f"{k}.") for k in OWNERSHIP_SETTINGS)
    )


def matched_differences(
    replications: pd.DataFrame,
    pairs: Sequence[Pair],
    kpis: Sequence[str] | None = None,
    *,
    n_boot: int,
    seed: int,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """:func:`paired_differences` of each pair's design against its own baseline, in pair order."""
    tables = []
    for baseline in dict.fromkeys(pair.baseline for pair in pairs):
        members = [baseline, *(p.design for p in pairs if p.baseline == baseline)]
        rows = replications[replications["scenario"].isin(members)]
        tables.append(
            paired_differences(
                rows, baseline, kpis, confidence=confidence, n_boot=n_boot, seed=seed
            )
        )
    table = pd.concat(tables, ignore_index=True)
    order = {pair.design: i for i, pair in enumerate(pairs)}
    return table.sort_values("scenario", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )


def answer(
    replications: pd.DataFrame,
    differences: pd.DataFrame,
    pairs: Sequence[Pair],
    owners: Mapping[str, str],
    kpi: str = HEADLINE_KPI,
) -> list[str]:
    """The executive summary's sentences on ``kpi``: the recommendation first, then the best design.

    ``differences`` holds the pairs' rows (:func:`matched_differences`);
    ``owners`` who owns inside sales in each design.
    """
    rows: dict[str, Mapping[Any, Any]] = {
        str(row["scenario"]): row
        for row in differences[differences["kpi"] == kpi].to_dict("records")
    }
    judged = [pair for pair in pairs if pair.design in rows]
    if not judged:
        return [f"No design could be compared on {kpi_info(kpi).label}."]
    sentences = [_recommendation(judged, rows, owners)]
    best = _best_mean(replications, kpi)
    if best is not None:
        sentences.append(best)
    return sentences


def _recommendation(
    pairs: Sequence[Pair], rows: Mapping[str, Mapping[Any, Any]], owners: Mapping[str, str]
) -> str:
    ownership = [pair for pair in pairs if pair.ownership]
    pool = ownership or list(pairs)
    best = max(pool, key=lambda pair: _advantage(rows[pair.design]))
    row = rows[best.design]
    change = plain_change(row, against=best.baseline).replace(" runs", " simulated runs", 1)
    clear = _clear(row)
    if ownership:
        mover, stayer = owners[best.design], owners[best.baseline]
        case = "even at its best, " if len(ownership) > 1 else ""
        if clear and _advantage(row) < 0:
            lead = f"Keep inside sales in {stayer}: {case}{mover} ownership ({best.design})"
        elif clear:
            lead = f"Move inside sales to {mover}, done as {best.design}: it"
            # The move pays only as this design makes it: say how the other ways of making it do.
            worse = [
                p
                for p in ownership
                if p is not best and _clear(rows[p.design]) and _advantage(rows[p.design]) < 0
            ]
            if worse:
                others = len(ownership) - 1
                change += (
                    f"; {len(worse)} of the {others} other {mover}-owned designs are clearly worse"
                )
        else:
            lead = f"No clear answer: {case}{mover} ownership ({best.design})"
        return f"{lead} {change}."
    if clear and _advantage(row) > 0:
        return f"Best of these: {best.design} {change}."
    return f"No design here is clearly better than the one it changes; the closest, {best.design}, {change}."


def _advantage(row: Mapping[str, Any]) -> float:
    """How much better the design is than its baseline (relative, in the KPI's better direction)."""
    change = float(row["rel_diff"]) if pd.notna(row["rel_diff"]) else float(row["diff"])
    return -change if kpi_info(row["kpi"]).direction == "lower" else change


def _clear(row: Mapping[str, Any]) -> bool:
    low, high = float(row["rel_t_low"]), float(row["rel_t_high"])
    if pd.isna(low) or pd.isna(high):
        low, high = float(row["diff_t_low"]), float(row["diff_t_high"])
    return bool(low > 0 or high < 0)


def _best_mean(replications: pd.DataFrame, kpi: str) -> str | None:
    """``Lowest cost per win of the 8 designs: X, $26,660 (95% CI ...)``; None for a neutral KPI."""
    info = kpi_info(kpi)
    if info.direction == "neutral" or kpi not in replications.columns:
        return None
    summary = summarize(replications, kpis=[kpi]).dropna(subset=["mean"])
    if len(summary) < 2:
        return None
    ranked = summary.sort_values("mean", ascending=info.direction == "lower", kind="stable")
    top = ranked.iloc[0]
    word = "Lowest" if info.direction == "lower" else "Highest"
    return (
        f"{word} {info.label} of the {len(summary)} designs: {top['scenario']}, "
        f"{info.format(top['mean'])} (95% CI {info.format(top['ci_low'])} to "
        f"{info.format(top['ci_high'])})."
    )
