"""Output directories written so that no one ever sees half of one: every command's writer.

A command's files are written into a staging directory beside the destination,
which is renamed into place last: an interrupted or failed command leaves
nothing under the final name, and a replaced directory (``force``) stays intact
until its successor is complete: it is renamed aside, the new one renamed in,
and only then is it deleted. So ``--force`` replaces a directory whole, and no
file of the previous output survives into the new one. A command that adds to
a directory (figures into a run's) stages the new files and moves them in
together, a stop signal held back until all are in.

A staging name (``.NAME.PID.TOKEN.partial``, or ``.replaced`` for the directory
set aside) records the process that made it. What a killed process left is
put right by the next command to write NAME (:func:`check_destination`): a
directory set aside with nothing in its place is renamed back, the rest deleted.
:func:`write_directory` and :func:`staged_directory` are the writers for any
command's output directory; :func:`atomic_write` is the one way a file is written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from orgsim.experiment.stops import signals_deferred

OutputFile = tuple[str, Callable[[IO[Any]], object], bool]
"""A file of an output directory: its name, how to write it, and whether it is binary."""


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
    with staged_directory(out, force=force) as staging:
        write_files(staging, files)
    return out


def write_files(directory: Path, files: Iterable[OutputFile]) -> None:
    """Write each of ``files`` into ``directory`` (a staging directory, usually)."""
    for name, write, binary in files:
        atomic_write(directory / name, write, binary=binary)


@contextmanager
def staged_directory(out: Path, *, force: bool = False, extend: bool = False) -> Iterator[Path]:
    """A directory to fill; when the block ends without an error it becomes ``out``, whole.

    ``force`` replaces an existing ``out``. ``extend`` adds the block's files
    to an existing ``out`` instead (figures into a run directory, which stays
    the directory it was, a shell's working directory say): they are moved in
    together once all are written. On an error or a stop the staging
    directory is deleted and ``out`` is as it was.
    """
    target = Path(os.path.abspath(out))  # ``.`` has no name to stage beside
    check_destination(target, force or extend)
    staging = _staging(target, "partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
        yield staging
        if extend and target.is_dir():
            _move_files_in(staging, target)
        else:
            _move_into_place(staging, target, force)
    except BaseException as error:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(error, OSError) and not isinstance(error, OutputExistsError):
            reason = error.strerror or str(error)
            raise OutputLocationError(f"{out}: could not write the results ({reason})") from error
        raise


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


def _move_files_in(staging: Path, out: Path) -> None:
    """Rename each of ``staging``'s files into ``out``; a stop signal waits until all are in."""
    with signals_deferred():
        for path in staging.iterdir():
            os.replace(path, out / path.name)
    staging.rmdir()


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
