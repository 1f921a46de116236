"""Study tables as people read them: a header, rows of formatted cells, and which columns are figures.

The terminal aligns these (``orgsim.terminal.text_table``) and the report makes
HTML of them (``orgsim.report.page.table``), so a sweep, a tornado, Sobol
indices and Shapley contributions read the same in both: settings by their
short labels, KPIs by the registry's labels and in their units. Light on
purpose (no pandas import, no plotting), so the command line loads it freely.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orgsim.kpis import kpi_info
from orgsim.scenario.labels import setting_title


@dataclass(frozen=True, slots=True)
class Readable:
    """A table to show: its header, its rows of text, and the columns that hold figures."""

    header: list[str]
    rows: list[list[str]]
    numeric: frozenset[int]


def signed(kpi: str, value: float) -> str:
    """``value`` in ``kpi``'s unit with a ``+`` when positive: a contribution or a difference."""
    return ("+" if value > 0 else "") + kpi_info(kpi).format(value)


def setting_value(value: Any) -> str:
    """A setting's value in a cell: ``6``, ``0.25``, ``1,600``."""
    return (
        f"{value:,.4g}"
        if isinstance(value, float | int) and not isinstance(value, bool)
        else str(value)
    )


def sweep_rows(records: Iterable[Mapping[Any, Any]], keys: Sequence[str]) -> Readable:
    """A sweep's points: the swept values, the KPI, its mean, interval and percentiles."""
    rows = []
    for row in records:
        fmt = kpi_info(row["kpi"]).format
        rows.append(
            [
                *(setting_value(row[key]) for key in keys),
                kpi_info(row["kpi"]).title,
                fmt(row["mean"]),
                f"{fmt(row['ci_low'])} to {fmt(row['ci_high'])}",
                fmt(row["p5"]),
                fmt(row["p95"]),
            ]
        )
    header = [*map(setting_title, keys), "KPI", "Mean", "95% CI of the mean", "p5", "p95"]
    return Readable(
        header, rows, frozenset({*range(len(keys)), *range(len(keys) + 1, len(header))})
    )


def swing_rows(records: Iterable[Mapping[Any, Any]], kpi: str) -> Readable:
    """A tornado's rows: each assumption's range, the KPI at either end and the swing."""
    fmt = kpi_info(kpi).format
    rows = [
        [
            setting_title(row["parameter"]),
            f"{setting_value(row['low_value'])} to {setting_value(row['high_value'])}",
            fmt(row["kpi_at_low"]),
            fmt(row["kpi_at_high"]),
            fmt(row["swing"]),
        ]
        for row in records
    ]
    return Readable(
        ["Assumption", "Range", "At low", "At high", "Swing"], rows, frozenset({1, 2, 3, 4})
    )


def sobol_rows(records: Iterable[Mapping[Any, Any]]) -> Readable:
    """Sobol indices as shares of the KPI's variance, with their bootstrap half-widths."""
    rows = [
        [
            setting_title(row["parameter"]),
            f"{row['S1']:.2f} ± {row['S1_conf']:.2f}",
            f"{row['ST']:.2f} ± {row['ST_conf']:.2f}",
        ]
        for row in records
    ]
    return Readable(["Assumption", "First-order index", "Total index"], rows, frozenset({1, 2}))


def contribution_rows(records: Iterable[Mapping[Any, Any]], kpi: str) -> Readable:
    """Explain's rows: each mechanism's mean contribution and interval, in the KPI's unit."""
    rows = [
        [
            str(row["group"]),
            signed(kpi, row["mean"]),
            f"{signed(kpi, row['ci_low'])} to {signed(kpi, row['ci_high'])}",
            str(row["settings"]),
        ]
        for row in records
    ]
    return Readable(["Mechanism", "Contribution", "95% CI", "Settings"], rows, frozenset({1, 2}))
