"""Rewrite the golden files from the model as it is now: ``python tests/golden/regenerate.py``.

Only for a change meant to alter results, committed on its own with the reason.
"""

from __future__ import annotations

from golden_cases import SCENARIOS, simulate, store_paths, write_rows

if __name__ == "__main__":
    for path in SCENARIOS:
        kpis, monthly = simulate(path)
        kpi_file, monthly_file = store_paths(path)
        write_rows(kpi_file, kpis)
        write_rows(monthly_file, monthly)
        print(f"wrote {kpi_file.name} and {monthly_file.name}")
