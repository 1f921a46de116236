"""The standard figures of run directories, written to disk: what ``orgsim plot`` does.

The runs are combined as the report combines them, so ``orgsim plot`` and
``orgsim report`` always draw the same pictures from the same directories.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from orgsim.plots import save_figure, standard_figures
from orgsim.report.comparison import compare_runs
from orgsim.report.runs import Run, combine_runs, distinct_names


@dataclass(frozen=True, slots=True)
class WrittenFigure:
    """A figure on disk: its name and its two files."""

    name: str
    png: Path
    svg: Path


def write_figures(
    runs: Sequence[Run], out: str | os.PathLike[str], baseline: str | None = None
) -> list[WrittenFigure]:
    """Draw every figure the runs' tables support into ``out`` as PNG and SVG, one at a time."""
    runs = distinct_names(runs)
    replications, monthly = combine_runs(runs)
    differences = compare_runs(runs, replications, baseline).differences
    written = []
    for spec in standard_figures(replications, monthly, differences):
        files = save_figure(spec.draw(), out, spec.name)
        written.append(WrittenFigure(spec.name, files["png"], files["svg"]))
    return written
