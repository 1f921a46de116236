"""The analyst notebooks run top to bottom without an error, and are stored without outputs."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the 'notebooks' extra")
nbclient = pytest.importorskip("nbclient", reason="needs the 'notebooks' extra")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
CELL_TIMEOUT = 300
"""Seconds any one cell may take: a hang detector, generous for a loaded CI machine running two
test processes; each notebook as a whole is meant to finish in about a minute."""

FIGURES = {
    "01_compare_org_designs.ipynb": 3,
    "02_manager_time_sweep.ipynb": 1,
    "03_sensitivity_and_explain.ipynb": 2,
    "04_scale_out_with_dask.ipynb": 0,
    "05_when_does_each_design_win.ipynb": 2,
}
"""Each notebook of the issue, and the figures it draws."""


def test_the_issue_s_notebooks_are_all_there() -> None:
    assert [path.name for path in NOTEBOOKS] == list(FIGURES)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, f"{path.name} has no code cells"
    for index, cell in enumerate(notebook.cells):
        where = f"{path.name} cell {index}"
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{where} has stored outputs"
            assert cell.execution_count is None, f"{where} has an execution count"
        assert "execution" not in cell.get("metadata", {}), f"{where} has execution timings"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(
    path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The kernel (and the worker processes it starts) import orgsim from this checkout.
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    started = time.perf_counter()
    client.execute()  # raises CellExecutionError on the first failing cell
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n{path.name}: {elapsed:.1f} s")

    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [out for cell in code for out in cell.outputs if out.output_type == "error"]
    assert errors == []
    figures = [
        out
        for cell in code
        for out in cell.outputs
        if out.output_type in {"display_data", "execute_result"}
        and "image/png" in out.get("data", {})
    ]
    assert len(figures) == FIGURES[path.name], f"{path.name} drew {len(figures)} figure(s)"
