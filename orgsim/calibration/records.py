"""Lead records as CRMs export them: one row per lead, the date it reached each stage.

Records are aggregated to monthly actuals (each stage counted in the month it
was reached) and to stage conversion by cohort (the leads created in a month,
and the share of them that reached each later stage). Columns are found by
their orgsim names, by Salesforce's or HubSpot's default export names, or by a
mapping (a small YAML file or command-line options).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from orgsim.calibration.actuals import MonthlyActuals
from orgsim.calibration.csvfile import HEADER_LINE, DataError, Table, got, problem, read_table
from orgsim.scenario.errors import Problem

STAGES = ("created", "mql", "sql", "opportunity")
"""The dated stages a lead passes, in order; a lead may skip any after ``created``."""

COUNTS = {
    "created": "leads",
    "mql": "mqls",
    "sql": "sqls",
    "opportunity": "opportunities",
    "won": "wins",
}
"""The monthly actuals column that counts each stage reached (``won``: by its close date)."""

SHARES = {
    "mql": "lead_to_mql",
    "sql": "lead_to_sql",
    "opportunity": "lead_to_opportunity",
    "won": "lead_to_win",
}
"""The cohort column holding the share of a month's leads that reached each later stage."""

ROLES: dict[str, tuple[str, ...]] = {
    # role: the orgsim name (what `orgsim synthesize` writes) first, then CRM defaults.
    # Salesforce: field labels (report exports) and API names (Data Loader exports) of the
    # Lead and Opportunity objects, from Salesforce's Object Reference: Lead.CreatedDate
    # "Created Date", Lead.ConvertedDate "Converted Date" (conversion is when sales accepts
    # the lead), Lead.LeadSource "Lead Source", Opportunity.IsWon "Won", StageName "Stage",
    # CloseDate "Close Date", Amount. Salesforce has no standard MQL date: map yours.
    # HubSpot: contact property internal names and their labels, from HubSpot's default
    # contact properties: createdate "Create Date", hs_lifecyclestage_*_date "Became a ...
    # Date", hs_analytics_source "Original Source"; deals export dealstage and amount.
    "created": ("created_date", "Created Date", "CreatedDate", "createdate", "Create Date"),
    "mql": (
        "mql_date",
        "hs_lifecyclestage_marketingqualifiedlead_date",
        "Became a Marketing Qualified Lead Date",
    ),
    "sql": (
        "sql_date",
        "hs_lifecyclestage_salesqualifiedlead_date",
        "Became a Sales Qualified Lead Date",
        "Converted Date",
        "ConvertedDate",
    ),
    "opportunity": (
        "opportunity_date",
        "hs_lifecyclestage_opportunity_date",
        "Became an Opportunity Date",
    ),
    "status": ("status", "Won", "IsWon", "Stage", "StageName", "dealstage", "Deal Stage"),
    "close": (
        "close_date",
        "Close Date",
        "CloseDate",
        "closedate",
        "hs_lifecyclestage_customer_date",
        "Became a Customer Date",
    ),
    "amount": ("amount", "Amount"),
    "source": ("source", "Lead Source", "LeadSource", "hs_analytics_source", "Original Source"),
}
"""What each column of a record means, and the headers that mean it without a mapping."""

WON = frozenset({"won", "closed won", "closedwon", "true", "1", "yes"})
"""Status values (any case) that mean won: orgsim's, Salesforce's Stage and Won, HubSpot's."""

OUTBOUND = "outbound"
"""The source value of a record that did not come from marketing (an SDR's own prospect)."""

MAX_BYTES = 64_000_000
"""The size cap of a records file: about half a million leads."""

MAPPING_KEYS = ("columns", "outbound_sources", "date_format")


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which header holds each role, which sources are outbound, and how dates are written.

    ``date_format`` is a strftime pattern such as ``%m/%d/%Y``; None reads ISO
    8601 (``2025-01-31``, ``2025-01-31T09:30:00Z``), which both CRMs' APIs use.
    """

    columns: dict[str, str] = field(default_factory=dict)
    outbound_sources: tuple[str, ...] = (OUTBOUND,)
    date_format: str | None = None
    origin: str = "the mapping"


def read_mapping(path: str | os.PathLike[str]) -> ColumnMapping:
    """A mapping file: ``columns: {role: header}``, ``outbound_sources: [...]``, ``date_format``."""
    file = str(path)
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise DataError([problem(file, f"expected a YAML mapping file ({error})")]) from None
    return mapping_from(document, file)


def mapping_from(document: Any, origin: str) -> ColumnMapping:
    """Check a mapping given as a dict (from YAML or options); ``origin`` names it in messages."""
    if not isinstance(document, dict):
        raise DataError([problem(origin, "expected a mapping of keys")])
    problems = [
        _unknown(origin, key, MAPPING_KEYS, "key") for key in document if key not in MAPPING_KEYS
    ]
    columns = document.get("columns") or {}
    if not isinstance(columns, dict):
        problems.append(problem(origin, "expected a mapping of role: header", column="columns"))
        columns = {}
    for role, header in columns.items():
        if role not in ROLES:
            problems.append(_unknown(origin, role, ROLES, "role", "columns."))
        elif not isinstance(header, str) or not header.strip():
            problems.append(
                problem(
                    origin,
                    f"expected a column header, got {got(str(header))}",
                    column=f"columns.{role}",
                )
            )
    sources = document.get("outbound_sources", [OUTBOUND])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        problems.append(
            problem(origin, "expected a list of source values", column="outbound_sources")
        )
        sources = []
    date_format = document.get("date_format")
    if date_format is not None and not isinstance(date_format, str):
        problems.append(
            problem(origin, "expected a strftime pattern such as %m/%d/%Y", column="date_format")
        )
    if problems:
        raise DataError(problems)
    return ColumnMapping(
        {role: header.strip() for role, header in columns.items()},
        tuple(sources),
        date_format,
        origin,
    )


def _unknown(origin: str, name: str, known: Any, what: str, prefix: str = "") -> Problem:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    hint = f", did you mean {close[0]!r}?" if close else ""
    return problem(
        origin,
        f"unknown {what}{hint} Expected any of: {', '.join(known)}",
        column=f"{prefix}{name}",
    )


@dataclass(frozen=True, slots=True)
class LeadRecords:
    """One row per record: a date (or NaT) per stage reached, ``won`` and ``amount``, ``inbound``.

    ``roles`` maps each role found to the file's header for it; ``close`` is the
    date a won lead was won (lost and open leads have none that counts).
    """

    table: pd.DataFrame
    roles: dict[str, str]
    source: str

    @property
    def stages(self) -> tuple[str, ...]:
        """The stages with a column in the file, in funnel order, and ``won`` if known."""
        dated = tuple(stage for stage in STAGES if stage in self.roles)
        return (*dated, "won") if "close" in self.roles else dated

    def monthly(self) -> MonthlyActuals:
        """Each stage counted in the month it was reached; leads are the inbound records created.

        The months run from the first record's to the last date's, none left out.
        """
        table = self.table
        months = pd.period_range(
            table[list(_dates(self))].min().min().to_period("M"),
            table[list(_dates(self))].max().max().to_period("M"),
            freq="M",
            name="month",
        )
        reached = {stage: table[stage] for stage in self.stages[1:] if stage != "won"}
        if "won" in self.stages:
            reached["won"] = table["close"].where(table.won)
        counts = {"leads": _per_month(table.loc[table.inbound, "created"], months)}
        counts |= {COUNTS[stage]: _per_month(dates, months) for stage, dates in reached.items()}
        frame = pd.DataFrame(counts, index=months).astype("Int64")
        if "won" in self.stages and "amount" in self.roles:
            won = table[table.won]
            revenue = won.groupby(won["close"].dt.to_period("M"))["amount"].sum()
            frame["revenue"] = revenue.reindex(months, fill_value=0.0).astype(float)
        return MonthlyActuals(frame, self.source)

    def cohorts(self) -> pd.DataFrame:
        """Per month of creation, the inbound leads created and how many reached each stage.

        Columns: ``leads``, a count per later stage (``mqls``, ..., ``wins``) and
        the share of the cohort's leads that reached it (``lead_to_mql``, ...,
        ``lead_to_win``), whenever they reached it.
        """
        inbound = self.table[self.table.inbound]
        cohort = inbound["created"].dt.to_period("M").rename("cohort")
        reached = {"leads": inbound["created"].notna()}
        for stage in self.stages[1:]:
            reached[COUNTS[stage]] = inbound["won"] if stage == "won" else inbound[stage].notna()
        counts = pd.DataFrame(reached).groupby(cohort).sum()
        for stage in self.stages[1:]:
            counts[SHARES[stage]] = counts[COUNTS[stage]] / counts["leads"]
        return counts


def _dates(records: LeadRecords) -> tuple[str, ...]:
    return tuple(stage for stage in (*STAGES, "close") if stage in records.roles)


def _per_month(dates: pd.Series, months: pd.PeriodIndex) -> pd.Series:
    return dates.dropna().dt.to_period("M").value_counts().reindex(months, fill_value=0)


def read_records(
    path: str | os.PathLike[str],
    mapping: ColumnMapping | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> LeadRecords:
    """Read and check a lead records CSV; raise ``DataError`` with every problem found.

    Columns that are no role's (a CRM exports dozens) are ignored. Without a
    status column, a close date means won: HubSpot contacts have no status,
    and the date a contact became a customer is its win.
    """
    mapping = mapping or ColumnMapping()
    table = read_table(path, max_bytes, "one row per lead")
    roles, problems = _roles(table, mapping)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(index=table.cells.index)
    for role in (*STAGES, "close"):
        if role in roles:
            frame[role], found = _dates_of(table, roles[role], mapping.date_format)
            problems += found
    frame["won"] = _won(table, roles)
    if "amount" in roles:
        frame["amount"], found = _amounts(table, roles["amount"])
        problems += found
    outbound = {value.casefold() for value in mapping.outbound_sources}
    if "source" in roles:
        frame["inbound"] = ~table.cells[roles["source"]].str.casefold().isin(outbound)
    else:
        frame["inbound"] = True
    problems += _order_problems(table, frame, roles)
    if problems:
        raise DataError(problems)
    return LeadRecords(frame, roles, table.file)


def _roles(table: Table, mapping: ColumnMapping) -> tuple[dict[str, str], list[Problem]]:
    """The header of each role: the mapping's, else the first default name the file has."""
    headers = {name.casefold(): name for name in table.header}
    roles: dict[str, str] = {}
    problems: list[Problem] = []
    for role, header in mapping.columns.items():
        if header in table.header:
            roles[role] = header
            continue
        close = difflib.get_close_matches(header, table.header, n=1)
        hint = f", did you mean {close[0]!r}?" if close else ""
        message = f"{mapping.origin} maps {role} to this column, which the header lacks{hint}"
        problems.append(problem(table.file, message, HEADER_LINE, header))
    for role, names in ROLES.items():
        if role not in roles and role not in mapping.columns:
            found = next((headers[n.casefold()] for n in names if n.casefold() in headers), None)
            if found is not None:
                roles[role] = found
    if "created" not in roles and "created" not in mapping.columns:
        listed = ", ".join(ROLES["created"])
        message = (
            f"no column for the date a lead was created: expected one of {listed}, "
            "or map yours (columns: {created: HEADER})"
        )
        problems.append(problem(table.file, message, HEADER_LINE))
    return roles, problems


def _dates_of(
    table: Table, header: str, date_format: str | None
) -> tuple[pd.Series, list[Problem]]:
    text = table.cells[header]
    dates = pd.to_datetime(
        text.where(text != ""), format=date_format or "ISO8601", errors="coerce", utc=True
    ).dt.tz_localize(None)
    expected = f"a date as {date_format}" if date_format else "a date as YYYY-MM-DD (ISO 8601)"
    problems = [
        problem(table.file, f"expected {expected}, got {got(cell)}", table.line(row), header)
        for (row, cell), date in zip(text.items(), dates, strict=True)
        if cell and pd.isna(date)
    ]
    return dates, problems


def _won(table: Table, roles: Mapping[str, str]) -> pd.Series:
    if "status" in roles:
        return table.cells[roles["status"]].str.casefold().isin(WON)
    if "close" in roles:
        return table.cells[roles["close"]] != ""
    return pd.Series(False, index=table.cells.index)


def _amounts(table: Table, header: str) -> tuple[pd.Series, list[Problem]]:
    text = table.cells[header]
    amounts = pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)
    problems = [
        problem(
            table.file, f"expected an amount of 0 or more, got {got(cell)}", table.line(row), header
        )
        for (row, cell), amount in zip(text.items(), amounts, strict=True)
        if cell and not (amount >= 0 and amount < float("inf"))
    ]
    return amounts.fillna(0.0), problems


UNREACHED = pd.Timestamp("1900-01-01")
"""Stands in for a stage not reached when finding the latest earlier stage: before any record."""


def _order_problems(table: Table, frame: pd.DataFrame, roles: Mapping[str, str]) -> list[Problem]:
    """A stage dated before an earlier stage the lead reached, and a win without a close date."""
    problems: list[Problem] = []
    dated = [role for role in (*STAGES, "close") if role in roles]
    never = frame[dated].fillna(UNREACHED)
    for position, role in enumerate(dated[1:], start=1):
        earlier = never[dated[:position]]
        latest, which = earlier.max(axis=1), earlier.idxmax(axis=1)
        late = frame[role].notna() & (frame[role] < latest)
        for row, date, before, stage in zip(
            frame.index[late], frame.loc[late, role], latest[late], which[late], strict=True
        ):
            message = (
                f"expected a date on or after {roles[str(stage)]} "
                f"({before:%Y-%m-%d}), got {date:%Y-%m-%d}"
            )
            problems.append(problem(table.file, message, table.line(row), roles[role]))
    if "status" in roles:
        missing = frame.won & frame["close"].isna() if "close" in roles else frame.won
        header = roles.get("close", "close_date")
        problems += [
            problem(
                table.file,
                "expected the close date of a won lead, got an empty value",
                table.line(row),
                header,
            )
            for row in frame.index[missing]
        ]
    return problems
