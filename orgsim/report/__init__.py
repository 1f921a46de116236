"""The HTML report and the figure files of run directories.

Reads run directories (interface.md), combines several into one comparison
on common random numbers, and writes either the standard figures as PNG and
SVG (``orgsim plot``) or one self-contained HTML report (``orgsim report``).
"""

from orgsim.report.comparison import BaselineError, Comparison, compare_runs
from orgsim.report.document import Report, build_report, write_report
from orgsim.report.figures import WrittenFigure, write_figures
from orgsim.report.runs import Run, RunDirectoryError, combine_runs, distinct_names, read_run
from orgsim.report.settings import differing_settings, flatten

__all__ = [
    "BaselineError",
    "Comparison",
    "Report",
    "Run",
    "RunDirectoryError",
    "WrittenFigure",
    "build_report",
    "combine_runs",
    "compare_runs",
    "differing_settings",
    "distinct_names",
    "flatten",
    "read_run",
    "write_figures",
    "write_report",
]
