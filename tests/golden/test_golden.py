"""Every shipped scenario gives, to the last bit, the KPIs and monthly tables stored for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import SCENARIOS, read_rows, same, simulate, store_paths

HINT = "results changed: if meant, run tests/golden/regenerate.py and commit it alone, saying why"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_shipped_scenario_reproduces_its_golden_results(path: Path) -> None:
    kpi_file, monthly_file = store_paths(path)
    kpis, monthly = simulate(path)
    for stored_file, rows in ((kpi_file, kpis), (monthly_file, monthly)):
        stored = read_rows(stored_file)
        assert len(stored) == len(rows), f"{stored_file.name}: row count; {HINT}"
        assert list(stored[0]) == list(rows[0]), f"{stored_file.name}: columns; {HINT}"
        for index, (old, new) in enumerate(zip(stored, rows, strict=True)):
            changed = {key: (old[key], new[key]) for key in old if not same(old[key], new[key])}
            assert not changed, f"{stored_file.name} row {index}: {changed}; {HINT}"


def test_every_shipped_scenario_has_golden_files() -> None:
    stored = {p.name.split(".")[0] for p in (Path(__file__).parent / "store").glob("*.csv")}
    assert stored == {p.stem for p in SCENARIOS}
