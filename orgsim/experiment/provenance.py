"""``study.json``: the seed, replications and version of a study whose tables do not record them.

A run's ``summary.json`` and a comparison's ``comparison.json`` say how they
were made; a sweep's, a sensitivity study's and an explanation's tables do
not, so without this file their report could not say how to repeat them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from orgsim.experiment.output import OutputFile
from orgsim.experiment.rundir import STUDY_JSON
from orgsim.version import __version__


def study_file(
    kind: str,
    seed: int,
    replications: int,
    scenarios: Sequence[str],
    details: Mapping[str, Any] | None = None,
) -> OutputFile:
    """The ``study.json`` of a ``kind`` study (``sweep``, ``sensitivity``, ``explain``)."""
    document = {
        "kind": kind,
        "seed": seed,
        "replications": replications,
        "version": __version__,
        "scenarios": list(scenarios),
        **(details or {}),
    }
    text = json.dumps(_finite(document), indent=2, allow_nan=False) + "\n"
    return (STUDY_JSON, lambda f: f.write(text), False)


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinite number as null (a KPI undefined in every run: no win,
    no cost per win), so the file stays JSON that any reader takes."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
