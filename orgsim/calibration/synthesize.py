"""A synthetic company: monthly actuals, and lead records, from one replication of a known scenario.

Its parameters are known, so a fit to its actuals can be checked against them;
and it gives anyone a realistic file to learn the input shapes on.

The model reports counts per month, not leads, so records are made to match
them: every count of the monthly actuals is reproduced exactly when the records
are read back and aggregated. What the records add is invented, plausibly:

* each stage reached in a month is given to the leads that reached the stage
  before it most recently (latest month first, at random within a month), on
  a day drawn uniformly from the month's calendar days, never before the
  previous stage;
* SDRs' own SQLs (outbound, and diverted marketers' if any) are records with
  source ``outbound`` created on the day of the SQL, with no MQL date;
* a lead reaches MQL at most once (the model may recycle an MQL and count it
  again; here that is another lead);
* a win's amount is a random share of its month's revenue (to the cent);
  opportunities not won are left open (the model's monthly table has no lost
  count), with a blank status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from orgsim.calibration.actuals import COLUMNS, MonthlyActuals
from orgsim.calibration.records import OUTBOUND, ROLES, STAGES
from orgsim.model import Streams, run_replication
from orgsim.scenario import Scenario

ACTUALS_FROM_MONTHLY = {
    "leads": "leads",
    "mqls": "mqls",
    "sqls": "sqls",
    "opportunities": "opportunities",
    "wins": "wins",
    "revenue": "revenue",
    "sdr_headcount": "sdr_filled_seats",
    "sdr_exits": "sdr_exits",
}
"""Monthly actuals columns taken from the model's monthly table (actuals name: model name).

``ae_headcount`` and ``program_spend`` are the scenario's own constants;
``speed_to_lead_hours_median`` is not written, since the model reports it for
the whole horizon only.
"""

DIALED_SQLS = ("sqls_outbound", "sqls_diverted")
"""Monthly SQLs that no marketing lead became: SDRs' prospecting and diverted marketers'."""

LEAD_ID = "lead_id"
INBOUND = "inbound"
WON = "won"
RECORD_COLUMNS = (
    LEAD_ID,
    *(ROLES[role][0] for role in ("source", *STAGES, "status", "close", "amount")),
)
"""The records' header: an id, then each role under its orgsim name."""
RECORDS_ENTROPY = 0x5E_C0_2D_5
"""Mixed with the seed for the records' own random numbers, apart from the model's streams."""


class SynthesisError(ValueError):
    """The monthly counts cannot be laid out as records (e.g. SQLs from leads of a warm-up)."""


@dataclass(frozen=True, slots=True)
class SyntheticCompany:
    """Monthly actuals of one replication and, if asked for, lead records matching them."""

    actuals: MonthlyActuals
    records: pd.DataFrame | None

    def write_records(self, handle: IO[str]) -> None:
        """Write the records in the shape ``read_records`` accepts, dates as YYYY-MM-DD."""
        if self.records is None:
            raise ValueError("this company was synthesized without records")
        self.records.to_csv(
            handle, index=False, date_format="%Y-%m-%d", float_format="%.2f", lineterminator="\n"
        )


def synthesize(
    scenario: Scenario, seed: int, *, start: str = "2025-01", records: bool = False
) -> SyntheticCompany:
    """Replication 0 of ``scenario`` seeded ``seed``, its months labelled from ``start`` (YYYY-MM)."""
    result = run_replication(scenario, Streams.for_replication(seed, 0))
    monthly = result.monthly
    months = pd.period_range(
        pd.Period(start, freq="M"), periods=scenario.calendar.months, name="month"
    )
    table = pd.DataFrame(
        {name: monthly[column] for name, column in ACTUALS_FROM_MONTHLY.items()}, index=months
    )
    table["ae_headcount"] = float(scenario.teams.ae.headcount)
    table["program_spend"] = float(scenario.demand.program_spend_per_month)
    present = [name for name in COLUMNS if name in table]
    table = table[present]
    for name in present:
        kind = COLUMNS[name]
        table[name] = (
            table[name].round().astype("Int64") if kind == "count" else table[name].round(2)
        )
    actuals = MonthlyActuals(table, scenario.name)
    if not records:
        return SyntheticCompany(actuals, None)
    dialed = (
        np.sum([np.asarray(monthly[column]) for column in DIALED_SQLS], axis=0).round().astype(int)
    )
    rng = np.random.default_rng([RECORDS_ENTROPY, seed])
    return SyntheticCompany(actuals, _records(table, dialed, rng))


def _records(table: pd.DataFrame, dialed: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Lead records whose stages, counted by month, are ``table``'s counts."""
    leads = table["leads"].to_numpy(int)
    total = int(leads.sum() + dialed.sum())
    dates = {
        stage: np.full(total, np.datetime64("NaT"), "datetime64[D]") for stage in (*STAGES, WON)
    }
    source = np.full(total, INBOUND, object)
    amount = np.full(total, np.nan)
    made = 0
    for index, month in enumerate(table.index):
        first = np.datetime64(month.start_time.date(), "D")
        last = np.datetime64(month.end_time.date(), "D")
        new = slice(made, made + leads[index])
        dates["created"][new] = _days(first, first, last, leads[index], rng)
        made = new.stop
        _advance(dates["created"], dates["mql"], table["mqls"].iloc[index], first, last, rng)
        dialed_new = slice(made, made + dialed[index])
        dates["created"][dialed_new] = dates["sql"][dialed_new] = _days(
            first, first, last, dialed[index], rng
        )
        source[dialed_new] = OUTBOUND
        made = dialed_new.stop
        inbound_sqls = table["sqls"].iloc[index] - dialed[index]
        _advance(dates["mql"], dates["sql"], inbound_sqls, first, last, rng)
        _advance(
            dates["sql"], dates["opportunity"], table["opportunities"].iloc[index], first, last, rng
        )
        wins = _advance(
            dates["opportunity"], dates[WON], table["wins"].iloc[index], first, last, rng
        )
        amount[wins] = _shares(float(table["revenue"].iloc[index]), len(wins), rng)
    won = ~np.isnat(dates[WON])
    columns = {
        "source": source,
        **{stage: pd.to_datetime(dates[stage]) for stage in STAGES},
        "status": np.where(won, WON, ""),
        "close": pd.to_datetime(dates[WON]),
        "amount": amount,
    }
    frame = pd.DataFrame({ROLES[role][0]: values for role, values in columns.items()})
    frame = frame.sort_values(ROLES["created"][0], kind="stable").reset_index(drop=True)
    frame.insert(0, LEAD_ID, [f"L{number:06d}" for number in range(1, len(frame) + 1)])
    return frame


def _advance(
    previous: np.ndarray,
    current: np.ndarray,
    count: int,
    first: np.datetime64,
    last: np.datetime64,
    rng: np.random.Generator,
) -> np.ndarray:
    """Date ``count`` records' next stage in this month; return which records they are."""
    count = int(count)
    waiting = np.flatnonzero(~np.isnat(previous) & np.isnat(current) & (previous <= last))
    if len(waiting) < count:
        raise SynthesisError(
            f"{first.astype('datetime64[M]')} has {count} to advance but only {len(waiting)} "
            "records waiting (months before the horizon, such as a warm-up, are not recorded)"
        )
    reached = previous[waiting].astype("datetime64[M]").astype(int)
    chosen = waiting[np.lexsort((rng.random(len(waiting)), -reached))[:count]]
    current[chosen] = _days(np.maximum(previous[chosen], first), first, last, count, rng)
    return chosen


def _days(
    earliest: np.ndarray | np.datetime64,
    first: np.datetime64,
    last: np.datetime64,
    count: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """``count`` days drawn uniformly from ``earliest`` (each at least ``first``) to ``last``."""
    low = np.maximum(np.broadcast_to(earliest, (count,)), first)
    span = (last - low).astype(int) + 1
    return low + np.floor(rng.random(count) * span).astype(int)


def _shares(revenue: float, wins: int, rng: np.random.Generator) -> np.ndarray:
    """``revenue`` split among ``wins`` at random, in cents that add up to it exactly."""
    if wins == 0:
        return np.empty(0)
    cents = round(revenue * 100)
    split = np.floor(rng.dirichlet(np.full(wins, 4.0)) * cents).astype(np.int64)
    split[-1] += cents - split.sum()
    return split / 100
