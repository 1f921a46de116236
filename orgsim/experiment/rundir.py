"""The run directory of interface.md, written so that no one ever sees half of it.

Each file is written under a temporary name and renamed; the directory is
built under a temporary name beside its destination and renamed into place
last. An interrupted or failed run leaves nothing under the final name, and a
replaced run (``force``) stays intact until its successor is complete.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from orgsim.analysis.summary import summary_to_dict
from orgsim.scenario import resolved_yaml

if TYPE_CHECKING:
    from orgsim.experiment.results import Results

REPLICATIONS_CSV = "replications.csv"
REPLICATIONS_PARQUET = "replications.parquet"
MONTHLY_CSV = "monthly.csv"
SDRS_CSV = "sdrs.csv"
SUMMARY_JSON = "summary.json"
SCENARIO_YAML = "scenario.yaml"


def summary_document(results: Results) -> dict[str, Any]:
    """The content of ``summary.json``: the run's provenance and timing, then per-KPI statistics."""
    summary = summary_to_dict(results.summary())
    return {
        "scenario": results.scenario.name,
        "orgsim_version": results.version,
        "seed": results.seed,
        "replications": results.requested,
        "replications_completed": len(results.replications),
        "failures": [
            {
                "replication": failure.replication,
                "seed": failure.seed,
                "error": failure.error,
                "message": failure.message,
            }
            for failure in results.failures
        ],
        "backend": results.backend,
        "workers": results.workers,
        "started_at": results.started_at.isoformat(),
        "wall_time_seconds": results.wall_time,
        "replications_per_second": results.replications_per_second,
        "kpis": summary.get(results.scenario.name, {}),
    }


class OutputExistsError(FileExistsError):
    """The output directory exists and replacing it was not asked for."""


def check_destination(out: Path, force: bool) -> None:
    """Refuse an existing ``out`` unless ``force``: a finished run is not overwritten by accident."""
    if not force and (out.exists() or out.is_symlink()):
        raise OutputExistsError(f"{out} already exists")


def write_run_directory(results: Results, out: Path, *, force: bool = False) -> Path:
    """Write every file of the run into ``out``; with ``force`` replace what was there."""
    check_destination(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.{uuid.uuid4().hex}.partial")
    staging.mkdir()
    try:
        for name, write, binary in _run_files(results):
            atomic_write(staging / name, write, binary=binary)
        _move_into_place(staging, out, force)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def atomic_write(path: Path, write: Callable[[IO[Any]], object], *, binary: bool = False) -> None:
    """Call ``write`` on a temporary file beside ``path``, flush it to disk, then rename it."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        if binary:
            handle: IO[Any] = open(temporary, "xb")  # noqa: SIM115 (closed below)
        else:
            handle = open(temporary, "x", encoding="utf-8", newline="")  # noqa: SIM115
        with handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _run_files(results: Results) -> list[tuple[str, Callable[[IO[Any]], object], bool]]:
    """Each file's name, how to write it, and whether it is binary."""
    files: list[tuple[str, Callable[[IO[Any]], object], bool]] = [
        (REPLICATIONS_CSV, lambda fh: results.replications.to_csv(fh, index=False), False)
    ]
    if importlib.util.find_spec("pyarrow") is not None:
        files.append(
            (
                REPLICATIONS_PARQUET,
                lambda fh: results.replications.to_parquet(fh, index=False),
                True,
            )
        )
    files += [
        (MONTHLY_CSV, lambda fh: results.monthly.to_csv(fh, index=False), False),
        (SDRS_CSV, lambda fh: results.sdr_months.to_csv(fh, index=False), False),
        (SUMMARY_JSON, lambda fh: fh.write(summary_json(results)), False),
        (SCENARIO_YAML, lambda fh: fh.write(scenario_yaml(results)), False),
    ]
    return files


def summary_json(results: Results) -> str:
    """``summary.json`` as text: strict JSON (no NaN), indented for people."""
    return json.dumps(summary_document(results), indent=2, allow_nan=False) + "\n"


def scenario_yaml(results: Results) -> str:
    """The resolved scenario with this run's seed and replications, so the file alone repeats it."""
    repeatable = results.scenario.model_copy(
        update={"seed": results.seed, "replications": results.requested}
    )
    return (
        "# The resolved scenario of this run, with its seed and replications:\n"
        "# `orgsim run scenario.yaml` repeats it.\n" + resolved_yaml(repeatable)
    )


def _move_into_place(staging: Path, out: Path, force: bool) -> None:
    check_destination(out, force)
    if not (out.exists() or out.is_symlink()):
        os.rename(staging, out)
        return
    previous = out.with_name(f".{out.name}.{uuid.uuid4().hex}.replaced")
    os.rename(out, previous)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(previous, out)
        raise
    if previous.is_dir() and not previous.is_symlink():
        shutil.rmtree(previous)
    else:
        previous.unlink()
