"""Statistics on replication tables: summaries, paired differences, verdicts, Shapley, stopping,
scenario discovery (where each design wins) and ranking and selection (which design is best).

Pure functions on pandas and numpy: they take the replications table a run
writes (one row per scenario and replication, one column per KPI) and never
run a simulation, so commands, notebooks and tests share one implementation.
"""

from orgsim.analysis.discovery import (
    Box,
    Limit,
    describe_region,
    discovery_document,
    feature_scores,
    find_regions,
    latin_hypercube,
)
from orgsim.analysis.intervals import MeanInterval, t_interval
from orgsim.analysis.paired import PAIRED_COLUMNS, paired_differences, shared_replications
from orgsim.analysis.selection import (
    Constraint,
    ConstraintCheck,
    Selection,
    Stage,
    check_constraint,
    kn_constant,
    kn_select,
    kn_select_samples,
    parse_constraint,
)
from orgsim.analysis.shapley import (
    Contribution,
    contributions_table,
    shapley_contributions,
    total_contribution,
)
from orgsim.analysis.stopping import StoppingResult, relative_half_width, replications_needed
from orgsim.analysis.summary import SUMMARY_COLUMNS, kpi_columns, summarize, summary_to_dict
from orgsim.analysis.verdict import VERDICT_RESAMPLES, verdict, verdicts
from orgsim.kpis import (
    HEADLINE_KPI,
    KPI,
    KPIS,
    Direction,
    Unit,
    format_value,
    kpi_info,
)

__all__ = [
    "HEADLINE_KPI",
    "KPI",
    "KPIS",
    "PAIRED_COLUMNS",
    "SUMMARY_COLUMNS",
    "VERDICT_RESAMPLES",
    "Box",
    "Constraint",
    "ConstraintCheck",
    "Contribution",
    "Direction",
    "Limit",
    "MeanInterval",
    "Selection",
    "Stage",
    "StoppingResult",
    "Unit",
    "check_constraint",
    "contributions_table",
    "describe_region",
    "discovery_document",
    "feature_scores",
    "find_regions",
    "format_value",
    "kn_constant",
    "kn_select",
    "kn_select_samples",
    "kpi_columns",
    "kpi_info",
    "latin_hypercube",
    "paired_differences",
    "parse_constraint",
    "relative_half_width",
    "replications_needed",
    "shapley_contributions",
    "shared_replications",
    "summarize",
    "summary_to_dict",
    "t_interval",
    "total_contribution",
    "verdict",
    "verdicts",
]
