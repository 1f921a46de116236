"""Monte Carlo experiments: many replications of a scenario, in parallel, reproducible from one seed."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgsim.experiment.backends import BACKENDS, BackendName
    from orgsim.experiment.compare import Comparison, compare
    from orgsim.experiment.dask_cluster import DaskUnavailableError
    from orgsim.experiment.discover import DISCOVER_REPLICATIONS, Discovery, discover
    from orgsim.experiment.explain import EXPLAIN_REPLICATIONS, Explanation, explain
    from orgsim.experiment.optimize import (
        TRIAL_REPLICATIONS,
        Optimization,
        ReplicationFailedError,
        optimize,
    )
    from orgsim.experiment.output import (
        OutputExistsError,
        OutputFile,
        OutputLocationError,
        atomic_write,
        check_destination,
        staged_directory,
        write_directory,
        write_files,
    )
    from orgsim.experiment.precision import PRECISION_MAX_REPLICATIONS, simulate_until_precise
    from orgsim.experiment.provenance import study_file
    from orgsim.experiment.results import Results
    from orgsim.experiment.rundir import PAIRS_CSV, SOBOL_CSV
    from orgsim.experiment.search import parse_lever
    from orgsim.experiment.sensitivity import Sensitivity, one_at_a_time
    from orgsim.experiment.session import (
        DEFAULT_REPLICATIONS,
        Progress,
        Runs,
        Session,
        results_of,
        simulate,
        study_replications,
        study_seed,
    )
    from orgsim.experiment.sobol import SOBOL_REPLICATIONS, SALibUnavailableError, sobol_indices
    from orgsim.experiment.stops import describe_stop, exit_status
    from orgsim.experiment.sweep import Sweep, parse_vary, sweep
    from orgsim.experiment.table import summary_table
    from orgsim.experiment.tasks import ChunkResult, Failure

__all__ = [
    "BACKENDS",
    "DEFAULT_REPLICATIONS",
    "DISCOVER_REPLICATIONS",
    "EXPLAIN_REPLICATIONS",
    "PAIRS_CSV",
    "PRECISION_MAX_REPLICATIONS",
    "SOBOL_CSV",
    "SOBOL_REPLICATIONS",
    "TRIAL_REPLICATIONS",
    "BackendName",
    "ChunkResult",
    "Comparison",
    "DaskUnavailableError",
    "Discovery",
    "Explanation",
    "Failure",
    "Optimization",
    "OutputExistsError",
    "OutputFile",
    "OutputLocationError",
    "Progress",
    "ReplicationFailedError",
    "Results",
    "Runs",
    "SALibUnavailableError",
    "Sensitivity",
    "Session",
    "Sweep",
    "atomic_write",
    "check_destination",
    "compare",
    "describe_stop",
    "discover",
    "exit_status",
    "explain",
    "one_at_a_time",
    "optimize",
    "parse_lever",
    "parse_vary",
    "results_of",
    "simulate",
    "simulate_until_precise",
    "sobol_indices",
    "staged_directory",
    "study_file",
    "study_replications",
    "study_seed",
    "summary_table",
    "sweep",
    "write_directory",
    "write_files",
]

_EXPORTS = {
    "backends": ("BACKENDS", "BackendName"),
    "compare": ("Comparison", "compare"),
    "dask_cluster": ("DaskUnavailableError",),
    "discover": ("DISCOVER_REPLICATIONS", "Discovery", "discover"),
    "explain": ("EXPLAIN_REPLICATIONS", "Explanation", "explain"),
    "optimize": ("TRIAL_REPLICATIONS", "Optimization", "ReplicationFailedError", "optimize"),
    "output": (
        "OutputExistsError",
        "OutputFile",
        "OutputLocationError",
        "atomic_write",
        "check_destination",
        "staged_directory",
        "write_directory",
        "write_files",
    ),
    "precision": ("PRECISION_MAX_REPLICATIONS", "simulate_until_precise"),
    "results": ("Results",),
    "sensitivity": ("Sensitivity", "one_at_a_time"),
    "provenance": ("study_file",),
    "session": (
        "DEFAULT_REPLICATIONS",
        "Progress",
        "Runs",
        "Session",
        "results_of",
        "simulate",
        "study_replications",
        "study_seed",
    ),
    "rundir": ("PAIRS_CSV", "SOBOL_CSV"),
    "search": ("parse_lever",),
    "sobol": ("SOBOL_REPLICATIONS", "SALibUnavailableError", "sobol_indices"),
    "stops": ("describe_stop", "exit_status"),
    "sweep": ("Sweep", "parse_vary", "sweep"),
    "table": ("summary_table",),
    "tasks": ("ChunkResult", "Failure"),
}
"""Each module of the layer and the public names it defines."""

_HOMES = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import each public name's module on first use.

    A worker imports only ``orgsim.experiment.tasks`` and the model, not the
    pandas and scipy the results need, so a spawned pool starts in a fraction
    of the time.
    """
    if name in _HOMES:
        module = importlib.import_module(f"orgsim.experiment.{_HOMES[name]}")
        # Every name of the module at once: importing ``compare.py`` has just set this
        # package's ``compare`` to the module, which must give way to the function.
        for public in _EXPORTS[_HOMES[name]]:
            globals()[public] = getattr(module, public)
        return globals()[name]
    raise AttributeError(f"module 'orgsim.experiment' has no attribute {name!r}")
