"""Monthly actuals: a company's own funnel, one row per month, the input the fit compares with.

Any of the known columns may be present; a column that is absent is simply not
known (and not fitted). A blank cell is a month whose value was not recorded.
Everything else that is wrong is refused with every problem at once, each
named by file, line and column, like a bad scenario.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import IO, Literal

import pandas as pd

from orgsim.calibration.csvfile import (
    HEADER_LINE,
    DataError,
    Table,
    got,
    problem,
    read_table,
    unknown_column_message,
)
from orgsim.scenario.errors import Problem

MONTH = "month"
"""The one required column: the calendar month, written YYYY-MM."""

Kind = Literal["count", "amount"]

COLUMNS: dict[str, Kind] = {
    "leads": "count",
    "mqls": "count",
    "sqls": "count",
    "opportunities": "count",
    "wins": "count",
    "revenue": "amount",
    "sdr_headcount": "amount",
    "sdr_exits": "count",
    "ae_headcount": "amount",
    "program_spend": "amount",
    "speed_to_lead_hours_median": "amount",
}
"""Every column monthly actuals may have besides ``month``, and what it holds.

A count is a whole number of events in the month; an amount is any
non-negative number (headcounts are averages over the month, so a seat filled
for half of it counts 0.5).
"""

MAX_BYTES = 1_000_000
"""The size cap of a monthly actuals file: ten years of months need a few kilobytes."""

MONTH_PATTERN = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
"""How a month is written: YYYY-MM."""
_EXPECTED = {
    "count": "a whole number of 0 or more",
    "amount": "a number of 0 or more",
}


@dataclass(frozen=True, slots=True)
class MonthlyActuals:
    """A company's months: ``table`` is indexed by month (a monthly ``PeriodIndex``).

    ``table`` holds only the columns the source had, in the order of ``COLUMNS``;
    counts are nullable integers, amounts floats, and a missing value is NA.
    """

    table: pd.DataFrame
    source: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The known columns present, in the order of ``COLUMNS``."""
        return tuple(self.table.columns)

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.PeriodIndex(self.table.index)

    def write_csv(self, handle: IO[str]) -> None:
        """Write the table in the shape ``read_actuals`` accepts (amounts to two decimals)."""
        table = self.table.copy()
        table.index = self.months.strftime("%Y-%m")
        table.to_csv(handle, index_label=MONTH, float_format="%.2f", lineterminator="\n")


def read_actuals(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> MonthlyActuals:
    """Read and check a monthly actuals CSV; raise ``DataError`` with every problem found."""
    table = read_table(path, max_bytes, "one row per month")
    problems = _header_problems(table)
    if MONTH not in table.header:
        raise DataError(problems)
    months, found = _months(table)
    problems += found
    columns: dict[str, pd.Series] = {}
    for name in (name for name in COLUMNS if name in table.header):
        values, found = _values(table, name)
        columns[name] = values
        problems += found
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(columns, index=table.cells.index)
    frame.index = pd.PeriodIndex(months, freq="M", name=MONTH)
    return MonthlyActuals(frame, table.file)


def _header_problems(table: Table) -> list[Problem]:
    known = [MONTH, *COLUMNS]
    problems = [
        problem(table.file, unknown_column_message(name, known), HEADER_LINE, name)
        for name in table.header
        if name not in known
    ]
    if MONTH not in table.header:
        message = f"no {MONTH} column: expected one, with each row's month as YYYY-MM"
        problems.append(problem(table.file, message, HEADER_LINE))
    return problems


def _months(table: Table) -> tuple[list[pd.Period], list[Problem]]:
    """Each row's month; rows must run month after month, none twice and none left out."""
    months: list[pd.Period] = []
    problems: list[Problem] = []
    first_line: dict[pd.Period, int] = {}
    previous: pd.Period | None = None
    for row, text in table.cells[MONTH].items():
        line = table.line(row)
        if not MONTH_PATTERN.fullmatch(text):
            message = f"expected a month as YYYY-MM, e.g. 2025-01, got {got(text)}"
            problems.append(problem(table.file, message, line, MONTH))
            previous = None
            continue
        month = pd.Period(text, freq="M")
        months.append(month)
        out_of_order = _sequence_problem(month, previous, first_line)
        if out_of_order:
            problems.append(problem(table.file, out_of_order, line, MONTH))
        first_line.setdefault(month, line)
        previous = month
    return months, problems


def _sequence_problem(
    month: pd.Period, previous: pd.Period | None, first_line: dict[pd.Period, int]
) -> str | None:
    if month in first_line:
        return (
            f"{month} appears again (first on line {first_line[month]}): expected each month once"
        )
    if previous is None or month == previous + 1:
        return None
    if month < previous:
        return f"expected months in order, got {month} after {previous}"
    gap = pd.period_range(previous + 1, month - 1, freq="M")
    missing = ", ".join(str(m) for m in gap)
    return f"expected {previous + 1} after {previous}, got {month}: missing {missing}"


def _values(table: Table, name: str) -> tuple[pd.Series, list[Problem]]:
    """The column as numbers (blank cells NA), and a problem for each cell that is not one."""
    kind = COLUMNS[name]
    text = table.cells[name]
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
    problems: list[Problem] = []
    for (row, cell), number in zip(text.items(), numbers, strict=True):
        if cell == "":
            continue
        value = float(number)
        if not math.isfinite(value) or value < 0 or (kind == "count" and not value.is_integer()):
            message = f"expected {_EXPECTED[kind]}, got {got(cell)}"
            problems.append(problem(table.file, message, table.line(row), name))
    if kind == "count" and not problems:
        return numbers.astype("Int64"), problems
    return numbers.astype(float), problems
