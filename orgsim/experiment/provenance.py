"""``study.json``: the seed, replications and version of a study whose tables do not record them.

A run's ``summary.json`` and a comparison's ``comparison.json`` say how they
were made; a sweep's, a sensitivity study's and an explanation's tables do
not, so without this file their report could not say how to repeat them.
"""

from __future__ import annotations

import json
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
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    return (STUDY_JSON, lambda f: f.write(text), False)
