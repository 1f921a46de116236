"""The run directory of interface.md, written so that no one ever sees half of it.

Each file is written under a temporary name and renamed; the directory is
built under a staging name beside its destination and renamed into place
last. An interrupted or failed run leaves nothing under the final name, and a
replaced run (``force``) stays intact until its successor is complete: it is
renamed aside, the new one renamed in, and only then is it deleted.

A staging name (``.NAME.PID.TOKEN.partial``, or ``.replaced`` for the run
set aside) records the process that made it. What a killed process left is
put right by the next command to write NAME (:func:`check_destination`): a
run set aside with nothing in its place is renamed back, the rest deleted.
``write_directory`` is the writer for any command's output directory.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from orgsim.analysis.summary import summary_to_dict
from orgsim.experiment.stops import signals_deferred
from orgsim.scenario import resolved_yaml

if TYPE_CHECKING:
    from orgsim.experiment.results import Results

REPLICATIONS_CSV = "replications.csv"
REPLICATIONS_PARQUET = "replications.parquet"
MONTHLY_CSV = "monthly.csv"
SDRS_CSV = "sdrs.csv"
SUMMARY_JSON = "summary.json"
SCENARIO_YAML = "scenario.yaml"

OutputFile = tuple[str, Callable[[IO[Any]], object], bool]
"""A file of an output directory: its name, how to write it, and whether it is binary."""


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


class OutputLocationError(OSError):
    """The output directory cannot be written where it was asked for; the message says why."""


def check_destination(out: Path, force: bool) -> None:
    """Make sure the results can go to ``out``, before any work is done.

    Puts right what a killed run left beside ``out``, then refuses an existing
    ``out`` unless ``force`` (a finished run is not overwritten by accident)
    and a place where nothing can be written.
    """
    _recover(out)
    if not force and (out.exists() or out.is_symlink()):
        raise OutputExistsError(f"{out} already exists")
    _check_writable(out)


def write_directory(out: Path, files: Iterable[OutputFile], *, force: bool = False) -> Path:
    """Write ``files`` into a staging directory beside ``out``, then move it into place."""
    check_destination(out, force)
    staging = _staging(out, "partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        for name, write, binary in files:
            atomic_write(staging / name, write, binary=binary)
        _move_into_place(staging, out, force)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError) and not isinstance(error, OutputExistsError):
            reason = error.strerror or str(error)
            raise OutputLocationError(f"{out}: could not write the results ({reason})") from error
        raise
    return out


def write_run_directory(results: Results, out: Path, *, force: bool = False) -> Path:
    """Write every file of the run into ``out``; with ``force`` replace what was there."""
    return write_directory(out, _run_files(results), force=force)


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


def _run_files(results: Results) -> list[OutputFile]:
    """Each file's name, how to write it, and whether it is binary."""
    files: list[OutputFile] = [
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
    """Rename ``staging`` to ``out``; a previous ``out`` goes aside first and is deleted last.

    A stop signal waits until the renames are done: either both happen or neither.
    """
    with signals_deferred():
        if not force and (out.exists() or out.is_symlink()):
            raise OutputExistsError(f"{out} already exists")
        if not (out.exists() or out.is_symlink()):
            os.rename(staging, out)
            return
        previous = _staging(out, "replaced")
        os.rename(out, previous)
        try:
            os.rename(staging, out)
        except BaseException:
            os.rename(previous, out)
            raise
    _remove(previous)


def _staging(out: Path, kind: str) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}.{uuid.uuid4().hex}.{kind}")


def _recover(out: Path) -> None:
    """Undo what killed writers of ``out`` left: restore a run set aside, delete the rest."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(\d+)\.[0-9a-f]{{32}}\.(partial|replaced)")
    try:
        siblings = list(out.parent.iterdir())
    except OSError:
        return  # no directory yet, so nothing to put right
    stale = []
    for path in siblings:
        match = pattern.fullmatch(path.name)
        if match and not _process_alive(int(match[1])):
            stale.append((match[2], path))
    set_aside = sorted(
        (path for kind, path in stale if kind == "replaced"), key=lambda p: p.lstat().st_mtime
    )
    if set_aside and not (out.exists() or out.is_symlink()):
        os.rename(set_aside.pop(), out)
    for kind, path in stale:
        if kind == "partial" or path in set_aside:
            _remove(path)


def _process_alive(pid: int) -> bool:
    """Whether process ``pid`` runs; on Windows, where this cannot be asked safely, assume so."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def _check_writable(out: Path) -> None:
    """Refuse ``out`` when the directory it would be made in cannot take a file."""
    base = out.absolute().parent
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        raise OutputLocationError(f"{out}: cannot be created, {base} is a file, not a directory")
    try:
        with tempfile.TemporaryFile(dir=base):
            pass
    except OSError as error:
        raise OutputLocationError(
            f"{out}: cannot write in {base} ({error.strerror or error})"
        ) from None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
