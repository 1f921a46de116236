"""The per-SDR table travels from the model to ``Results`` and the run directory, row for row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import orgsim
from orgsim.model import SDR_MONTH_COLUMNS

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_owns_inside_sales.yaml"


def test_results_and_sdrs_csv_hold_every_sdr_month_of_every_replication(tmp_path: Path) -> None:
    scenario = orgsim.load(BASELINE, {"calendar.months": 3, "calendar.warm_up_months": 0})
    results = orgsim.simulate(scenario, replications=4, seed=3, workers=1)
    people = results.sdr_months
    assert list(people.columns) == ["scenario", "replication", *SDR_MONTH_COLUMNS]
    assert sorted(people["replication"].unique()) == [0, 1, 2, 3]
    per_replication = people.groupby("replication")["touches"].sum()
    touches = results.replications.set_index("replication")["touches"]
    assert (per_replication == touches).all()
    written = pd.read_csv(results.save(tmp_path / "run") / "sdrs.csv")
    pd.testing.assert_frame_equal(written, people.reset_index(drop=True), check_dtype=False)
