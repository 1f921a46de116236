"""The summary statistics a fit compares: each month's funnel counts and stage rates.

Actuals and simulations are reduced by the same function, so a statistic
means the same on both sides. Only what the actuals hold is compared: a column
they lack, or a month left blank, is not a statistic. The distance (see
``orgsim.calibration.abc``) divides each statistic by its spread over the
simulations, so no statistic dominates by its units (revenue in dollars beside
a rate of 0.1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orgsim.calibration.actuals import MonthlyActuals
from orgsim.calibration.csvfile import DataError, problem
from orgsim.calibration.synthesize import ACTUALS_FROM_MONTHLY

STAGE_RATES: dict[str, tuple[str, str]] = {
    "lead_to_mql": ("mqls", "leads"),
    "mql_to_sql": ("sqls", "mqls"),
    "sql_to_opportunity": ("opportunities", "sqls"),
    "opportunity_to_win": ("wins", "opportunities"),
}
"""Each month's stage rate (a KPI name): numerator and denominator, as actuals columns."""


def fitted_columns(actuals: MonthlyActuals) -> tuple[str, ...]:
    """The actuals columns a simulation also produces by month, in the actuals' order.

    ``ae_headcount`` and ``program_spend`` are the scenario's inputs, and the
    model reports ``speed_to_lead_hours_median`` for the horizon only: none is fitted.
    """
    return tuple(name for name in actuals.columns if name in ACTUALS_FROM_MONTHLY)


def no_fittable_column(actuals: MonthlyActuals, blank: tuple[str, ...] = ()) -> DataError:
    """The error for actuals with nothing a simulation can be compared with.

    ``blank`` names fitted columns that are there but have no value in any month.
    """
    if blank:
        message = f"no value to fit: every cell of {', '.join(blank)} is blank"
    else:
        message = f"no column to fit: expected at least one of {', '.join(ACTUALS_FROM_MONTHLY)}"
    return DataError([problem(actuals.source, message)])


def simulated_series(monthly: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """One replication's monthly table as actuals columns, a row per month in order."""
    ordered = monthly.sort_values("month")
    return pd.DataFrame(
        {name: ordered[ACTUALS_FROM_MONTHLY[name]].to_numpy(float) for name in columns}
    )


def summary_statistics(series: pd.DataFrame, observed: pd.DataFrame) -> dict[str, float]:
    """``{"leads[0]": 2086.0, ..., "lead_to_mql[0]": 0.094, ...}`` for what ``observed`` holds.

    ``series`` and ``observed`` have a row per month (positions, not labels)
    and actuals columns; a blank (NA) cell of ``observed`` drops that month's
    statistic, and a rate whose numerator or denominator is blank with it. A
    rate over zero is 0, so that no statistic is ever NaN.
    """
    known = observed.notna().to_numpy()
    column_index = {name: index for index, name in enumerate(observed.columns)}
    values = series[list(observed.columns)].to_numpy(float)
    statistics: dict[str, float] = {}
    for name, index in column_index.items():
        for month in np.flatnonzero(known[:, index]):
            statistics[f"{name}[{month}]"] = float(values[month, index])
    for rate, (numerator, denominator) in STAGE_RATES.items():
        if numerator not in column_index or denominator not in column_index:
            continue
        top, bottom = column_index[numerator], column_index[denominator]
        for month in np.flatnonzero(known[:, top] & known[:, bottom]):
            over = values[month, bottom]
            statistics[f"{rate}[{month}]"] = float(values[month, top] / over) if over > 0 else 0.0
    return statistics


def observed_table(actuals: MonthlyActuals, columns: tuple[str, ...]) -> pd.DataFrame:
    """The actuals' fitted columns as floats with NA for blanks, a row per month by position."""
    return actuals.table[list(columns)].astype(float).reset_index(drop=True)
