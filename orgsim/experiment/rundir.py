"""The names of the files in output directories (interface.md: names are the contract).

One place for each name: the writers (``Results.save``, the studies' ``save``)
and the reader (``orgsim.report``) both take them from here.
"""

from __future__ import annotations

REPLICATIONS_CSV = "replications.csv"
REPLICATIONS_PARQUET = "replications.parquet"
MONTHLY_CSV = "monthly.csv"
SDRS_CSV = "sdrs.csv"
SUMMARY_JSON = "summary.json"
SCENARIO_YAML = "scenario.yaml"
"""A run directory's files (``orgsim run``)."""

DIFFERENCES_CSV = "differences.csv"
DIFFERENCES_JSON = "differences.json"
COMPARISON_JSON = "comparison.json"
PAIRS_CSV = "pairs.csv"
"""A comparison's files besides the stacked tables and each scenario's YAML (``pairs.csv``: each
design against the design it is judged against, ``orgsim.analysis.answer``)."""

SWEEP_CSV = "sweep.csv"
SENSITIVITY_CSV = "sensitivity.csv"
SOBOL_CSV = "sobol.csv"
CONTRIBUTIONS_CSV = "contributions.csv"
"""The table of ``orgsim sweep``, ``sensitivity`` (one at a time, Sobol) and ``explain``."""


STUDY_JSON = "study.json"
"""What a sweep, sensitivity or explain directory was made from: kind, seed, replications, version."""


def compared_scenario_yaml(position: int) -> str:
    """The resolved scenario of the comparison's ``position``-th design (1 for the baseline)."""
    return f"scenario_{position}.yaml"
