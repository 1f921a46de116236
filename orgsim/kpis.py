"""The KPI registry: every KPI a replication returns, what to call it, how to print it, which way is
better and which screens show it.

One entry per KPI, in the column order of the files; every list of KPI names
(the model's columns, the contract of interface.md, the terminal table, the
verdicts of ``compare`` and the report, the report's forest plot, the workshop)
is derived from it, so adding a KPI is one entry here, its formula in
``orgsim/model/summary.py`` and its row in docs/model.md (a test checks all
three agree). Pure data with no imports from ``orgsim``, so every layer, the
model included, may import it.

Statistics alone cannot say whether a higher cost per opportunity is bad news;
the direction can, so P(better) and the verdicts follow it. A column the
registry does not know is neutral and labelled by its name (:func:`kpi_info`),
so nothing is claimed about it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower", "neutral"]
"""Which way is better: ``higher``, ``lower``, or ``neutral`` when neither is."""

Unit = Literal["$", "%", "hours", "months", "count", "index"]
"""How a value is printed; ``%`` KPIs are stored as fractions (0.25 is 25%)."""

Screen = Literal["table", "verdicts", "report", "workshop", "key"]
"""Where a KPI is shown unless a user asks for others.

``table``: the terminal table after ``run``; ``verdicts``: the sentences
``compare`` and the report state; ``report``: the paired differences the report
computes and its forest plot draws (every verdict KPI among them); ``workshop``:
the means the workshop page lists; ``key``: the few KPIs the executive summary of ``compare``
and of every report shows beside the headline (the rest are in the files and folded tables).
"""

HEADLINE_KPI = "cost_per_win"
"""The KPI verdicts, reports, the workshop and ``explain`` lead with unless told otherwise.

Cost per win, not cost per opportunity: cost per opportunity divides the cost of
demand generation by opportunities, so a design that passes more, weaker SQLs
(padding, month-end diversion, a low bar for an SQL) can lower it while closing
nothing more. Cost per win divides the total cost, the AEs' hours spent on the
deals that lose included, by the deals that close, so junk raises it: a CFO can
accept it as the price of a customer. Cost per opportunity is still reported,
second; a command's ``--kpi`` (or a scenario's ``sensitivity.kpi``) picks another.
"""

LEADING_KPIS = (HEADLINE_KPI, "cost_per_opportunity")
"""Every screen starts with these, in this order; the rest follow in column order."""


@dataclass(frozen=True, slots=True)
class KPI:
    """A KPI column: its label, unit, the direction that is better, and where it is shown."""

    name: str
    label: str
    unit: Unit
    direction: Direction
    contract: bool = False
    """Named in interface.md: in every file, never renamed."""
    screens: frozenset[Screen] = frozenset()

    def format(self, value: float) -> str:
        """``value`` in this KPI's unit, e.g. ``$12,345``, ``23.4%``, ``3.5 h``."""
        return format_value(value, self.unit)

    @property
    def title(self) -> str:
        """The label with a capital first letter, for headings, axes and table rows."""
        return self.label[:1].upper() + self.label[1:]


def format_value(value: float, unit: Unit) -> str:
    """Print ``value`` in ``unit`` with thousands separators; NaN prints as ``n/a``."""
    if math.isnan(value):
        return "n/a"
    if unit == "$":
        sign = "-" if value < 0 else ""
        digits = 2 if 0 < abs(value) < 100 else 0
        return f"{sign}${abs(value):,.{digits}f}"
    if unit == "%":
        return f"{value * 100:.1f}%"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "months":
        return f"{value:,.1f} months"
    if unit == "index":
        return f"{value:.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def format_change(kpi: str, diff: float, relative: float) -> str:
    """A change as a reader compares it: percentage points for rates, else percent of the baseline.

    Falls back to the KPI's unit when the relative change is undefined (a baseline of 0).
    """
    info = kpi_info(kpi)
    if info.unit == "%":
        value, text = diff * 100, f"{abs(diff) * 100:.1f} pts"
    elif not math.isnan(relative):
        value, text = relative, f"{abs(relative) * 100:.1f}%"
    else:
        value, text = diff, info.format(abs(diff))
    if math.isnan(value):
        return "n/a"
    return f"{'+' if value > 0 else '-' if value < 0 else ''}{text}"


def _kpi(
    name: str,
    label: str,
    unit: Unit,
    direction: Direction,
    *screens: Screen,
    contract: bool = False,
) -> KPI:
    return KPI(name, label, unit, direction, contract, frozenset(screens))


def _contract(name: str, label: str, unit: Unit, direction: Direction, *screens: Screen) -> KPI:
    return _kpi(name, label, unit, direction, *screens, contract=True)


KEY_SCREENS: tuple[Screen, ...] = ("table", "verdicts", "report", "workshop", "key")
"""Where a key KPI shows: everywhere."""

REGISTRY: tuple[KPI, ...] = (
    # The contract of interface.md. Funnel volumes and revenue: more is better.
    _contract("leads", "leads", "count", "higher"),
    _contract("mqls", "MQLs", "count", "higher", "table"),
    _contract("sqls", "SQLs", "count", "higher", *KEY_SCREENS),
    _contract(
        "opportunities",
        "opportunities",
        "count",
        "higher",
        "table",
        "verdicts",
        "report",
        "workshop",
    ),
    _contract("wins", "wins", "count", "higher", *KEY_SCREENS),
    _contract("revenue", "revenue", "$", "higher", "table", "report"),
    # Conversion rates: a higher share moves on.
    _contract("lead_to_mql", "lead-to-MQL rate", "%", "higher"),
    _contract("mql_to_sql", "MQL-to-SQL rate", "%", "higher", "verdicts", "report"),
    _contract("sql_to_opportunity", "SQL-to-opportunity rate", "%", "higher", "verdicts", "report"),
    _contract("opportunity_to_win", "opportunity-to-win rate", "%", "higher"),
    # Costs: less is better.
    _contract("cost_total", "total cost", "$", "lower", "table"),
    _contract("cost_per_opportunity", "cost per opportunity", "$", "lower", *KEY_SCREENS),
    _contract("cost_per_sql", "cost per SQL", "$", "lower", "table", "report"),
    _contract("cost_per_win", "cost per win", "$", "lower", *KEY_SCREENS),
    _contract(
        "speed_to_lead_hours_median",
        "median speed to lead",
        "hours",
        "lower",
        "table",
        "verdicts",
        "report",
    ),
    # Loads and plans where neither way is better in itself.
    _contract("sdr_utilization", "SDR time on MQL touches", "%", "neutral"),
    _contract("ae_utilization", "AE utilization", "%", "neutral"),
    _contract("manager_hours_sdr_planned", "manager hours planned for SDRs", "hours", "neutral"),
    _contract(
        "manager_hours_sdr_spent", "manager hours spent on SDRs", "hours", "neutral", "report"
    ),
    # Marketers' hours: dialing lost, content made.
    _contract("diverted_hours", "marketer hours diverted to dialing", "hours", "lower", "table"),
    _contract(
        "content_hours",
        "marketing content hours",
        "hours",
        "higher",
        "table",
        "verdicts",
        "report",
        "workshop",
    ),
    _contract("sdr_exits", "SDR exits", "count", "lower", "table", "verdicts", "report"),
    # Further KPIs that show each mechanism acting.
    _kpi("cost_per_mql", "cost per MQL", "$", "lower"),
    _kpi("speed_to_lead_hours_p90", "90th-percentile speed to lead", "hours", "lower"),
    _kpi("speed_to_lead_hours_mean", "mean speed to lead", "hours", "lower"),
    _kpi("sqls_inbound", "inbound SQLs", "count", "higher"),
    _kpi("sqls_outbound", "outbound SQLs", "count", "higher"),
    _kpi("sqls_diverted", "diverted SQLs", "count", "lower"),
    _kpi("sqls_padded", "padded SQLs", "count", "lower"),
    _kpi("opportunities_inbound", "opportunities from MQLs", "count", "higher"),
    _kpi("opportunities_outbound", "opportunities from SDR prospecting", "count", "higher"),
    _kpi("wins_inbound", "wins from MQLs", "count", "higher"),
    _kpi("wins_outbound", "wins from SDR prospecting", "count", "higher"),
    _kpi("opportunities_ae_sourced", "opportunities AEs sourced", "count", "higher"),
    _kpi("opportunities_partner", "opportunities from partners", "count", "higher"),
    _kpi("wins_ae_sourced", "wins AEs sourced", "count", "higher"),
    _kpi("wins_partner", "wins from partners", "count", "higher"),
    _kpi("revenue_all_sources", "revenue, all sources", "$", "higher"),
    _kpi("cost_per_win_all_sources", "cost per win, all sources", "$", "lower"),
    _kpi("pipeline_sdr_sourced_share", "SDR-sourced share of pipeline", "%", "neutral"),
    _kpi("ae_review_hours", "AE hours on rejected SQLs", "hours", "lower"),
    _kpi("ae_exits", "AE exits", "count", "lower"),
    _kpi("ae_hires", "AE hires", "count", "lower"),
    _kpi("ae_vacant_seat_months", "vacant AE seat-months", "months", "lower"),
    _kpi("mqls_recycled", "recycled MQLs", "count", "neutral"),
    _kpi("mqls_untouched", "untouched MQLs", "count", "lower"),
    _kpi("mqls_neglected", "MQLs a sales-run team never worked", "count", "lower"),
    _kpi(
        "sqls_below_definition",
        "qualified leads below the SLA's SQL definition",
        "count",
        "neutral",
    ),
    _kpi("sla_review_hours", "SDR and manager hours on SLA reviews", "hours", "neutral"),
    _kpi("pipeline_value", "pipeline value of accepted opportunities", "$", "higher"),
    _kpi("manager_selling_hours", "SDR manager's own prospecting hours", "hours", "neutral"),
    _kpi("sdr_pulled_hours", "SDR hours pulled off inbound at quarter end", "hours", "lower"),
    _kpi("sdr_content_hours", "SDR hours making sales's own content", "hours", "neutral"),
    _kpi("mqls_touched_late", "MQLs first touched after the SLA window", "count", "lower"),
    _kpi("retry_delay_hours_max", "longest wait of a due retry", "hours", "lower"),
    _kpi("touches", "touches", "count", "neutral"),
    _kpi("opportunities_closed", "opportunities closed", "count", "neutral"),
    _kpi("pipeline_open", "open pipeline", "count", "neutral"),
    _kpi("pipeline_open_mean", "time-average open pipeline", "count", "neutral"),
    _kpi("opportunity_sojourn_hours_mean", "mean time an opportunity is open", "hours", "neutral"),
    _kpi("coaching_quality", "coaching quality", "index", "higher", "verdicts", "report"),
    _kpi("sdr_vacant_seat_months", "vacant SDR seat-months", "months", "lower"),
    _kpi("sdr_tenure_months_implied", "implied SDR tenure", "months", "higher"),
    _kpi("sdr_hires", "SDR hires", "count", "lower"),
    _kpi("outbound_hours", "SDR outbound hours", "hours", "neutral"),
    _kpi("cost_demand_generation", "demand-generation cost", "$", "lower"),
    _kpi("cost_programs", "program cost", "$", "lower"),
    _kpi("cost_marketing", "marketing cost", "$", "lower"),
    _kpi("cost_sdr", "SDR cost", "$", "lower"),
    _kpi("cost_management", "management cost", "$", "lower"),
    _kpi("cost_overheads", "overhead cost", "$", "lower"),
    _kpi("cost_recruiting", "recruiting cost", "$", "lower"),
    _kpi("cost_ae", "AE cost", "$", "lower"),
    _kpi("events", "simulation events", "count", "neutral"),
)
"""Every KPI a replication returns, in the column order of ``replications.csv``."""

KPIS: dict[str, KPI] = {kpi.name: kpi for kpi in REGISTRY}
"""The registry keyed by column name."""

KPI_NAMES: tuple[str, ...] = tuple(KPIS)
"""Every KPI column, in file order."""

CONTRACT_KPIS: tuple[str, ...] = tuple(kpi.name for kpi in REGISTRY if kpi.contract)
"""The KPI columns named in interface.md."""


def screen_kpis(screen: Screen) -> tuple[str, ...]:
    """The KPIs ``screen`` shows: :data:`LEADING_KPIS` first, then the rest in column order."""
    shown = [kpi.name for kpi in REGISTRY if screen in kpi.screens]
    leading = [name for name in LEADING_KPIS if name in shown]
    return (*leading, *(name for name in shown if name not in leading))


TABLE_KPIS = screen_kpis("table")
"""The KPIs the terminal table shows after ``run``."""

VERDICT_KPIS = screen_kpis("verdicts")
"""The KPIs ``compare`` and the report state verdicts on, the headline first."""

REPORT_KPIS = screen_kpis("report")
"""The KPIs the report pairs against its baseline and the forest plot draws."""

KEY_KPIS = screen_kpis("key")
"""The headline and the few KPIs an executive summary shows beside it."""

WORKSHOP_KPIS = screen_kpis("workshop")
"""The KPIs whose means the workshop page lists; its live verdicts are on the first three."""


def kpi_info(name: str) -> KPI:
    """The registry entry of ``name``; an unknown column is a neutral count labelled by its name."""
    return KPIS.get(name) or KPI(name, name, "count", "neutral")


MONTHLY_COLUMNS = (
    "month",
    "leads",
    "mqls",
    "sqls",
    "sqls_inbound",
    "sqls_outbound",
    "sqls_diverted",
    "opportunities",
    "opportunities_inbound",
    "opportunities_outbound",
    "wins",
    "wins_inbound",
    "wins_outbound",
    "revenue",
    "pipeline_open",
    "content_hours",
    "diverted_hours",
    "manager_hours_sdr_planned",
    "manager_hours_sdr_spent",
    "coaching_quality",
    "sql_target",
    "scoring_noise_factor",
    "sdr_filled_seats",
    "sdr_exits",
    "sdr_seats",
    "marketers",
    "sdr_vacant_seat_months",
    "cost_total",
    "cost_demand_generation",
    "opportunities_ae_sourced",
    "opportunities_partner",
    "wins_ae_sourced",
    "wins_partner",
    "ae_filled_seats",
    "ae_exits",
)
"""Columns of the monthly table (``month`` counts 1..N over the reported horizon)."""


SOURCE_STAGES = ("leads", "mqls", "sqls", "opportunities", "wins")
"""Stages the monthly table reports per lead source: ``<stage>_<source>``."""


def source_column(stage: str, source: str) -> str:
    """The monthly column of ``stage`` for the lead source ``source``."""
    return f"{stage}_{source}"


def column_clash(source: str) -> str | None:
    """A per-source column that would take the name of a KPI or monthly column, if any."""
    taken = set(KPI_NAMES) | set(MONTHLY_COLUMNS)
    return next(
        (
            source_column(stage, source)
            for stage in SOURCE_STAGES
            if source_column(stage, source) in taken
        ),
        None,
    )
