"""Reading a user's CSV the way a scenario is read: every problem named by file, line and column.

Both input shapes (monthly actuals and lead records) come through here, so the
checks on the file itself (a regular file, under a size cap, UTF-8 text, a
header and rows) and the line numbers in messages are the same for both.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orgsim.scenario.errors import Origin, Problem, ScenarioError, describe_value

HEADER_LINE = 1
"""Column problems point at the header, the file's first line."""


class DataError(ScenarioError):
    """A data file was refused; ``problems`` holds every reason found, in file order.

    A ``ScenarioError`` so that every command reports it the same way: one line
    per problem on stderr, exit status 2, no traceback.
    """


def problem(file: str, message: str, line: int | None = None, column: str = "") -> Problem:
    """A problem at ``file:line column``; without a line it concerns the whole file."""
    return Problem(Origin(file, line), column, message)


def got(text: str) -> str:
    """How a cell's text is quoted after "got" in messages."""
    return describe_value(text if text.strip() else None)


@dataclass(frozen=True, slots=True)
class Table:
    """A CSV's cells as text, with the file line of each row so messages can point at it."""

    file: str
    header: list[str]
    cells: pd.DataFrame
    lines: dict[Hashable, int]
    """The file line of each row label of ``cells``."""

    def line(self, row: Hashable) -> int:
        """The file line of row label ``row`` of ``cells``."""
        return self.lines[row]


def read_table(path: str | os.PathLike[str], max_bytes: int, what: str) -> Table:
    """The CSV at ``path`` as text cells, refusing anything that is not a CSV of ``what``.

    The standard library's csv reader tokenizes, because it tells the line
    each row starts on (a quoted cell may span lines), which pandas does not;
    rows that are wholly blank are dropped.
    """
    file = str(path)
    text = _read_text(Path(path), file, max_bytes)
    if not text.strip():
        raise DataError([problem(file, f"the file is empty: expected a header line, then {what}")])
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader)]
    _check_header(file, header)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            message = f"expected {len(header)} cells as in the header, got {len(row)}"
            problems.append(problem(file, message, line))
            continue
        rows.append([cell.strip() for cell in row])
        lines.append(line)
    if problems:
        raise DataError(problems)
    if not rows:
        raise DataError(
            [problem(file, f"the file has a header but no rows: expected {what} after it")]
        )
    cells = pd.DataFrame(rows, columns=header, dtype=str)
    return Table(file, header, cells, dict(zip(cells.index, lines, strict=True)))


def _read_text(path: Path, file: str, max_bytes: int) -> str:
    try:
        info = path.stat()
    except OSError as error:
        raise DataError([problem(file, f"cannot read the file: {error.strerror}")]) from None
    if not stat.S_ISREG(info.st_mode):
        raise DataError([problem(file, "expected a regular file, got a directory or device")])
    if info.st_size > max_bytes:
        raise DataError(
            [problem(file, f"the file is {info.st_size:,} bytes: expected at most {max_bytes:,}")]
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        raise DataError([problem(file, f"cannot read the file: {error.strerror}")]) from None
    if len(raw) > max_bytes:
        raise DataError([problem(file, f"the file grew past {max_bytes:,} bytes while read")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"expected UTF-8 text, got byte 0x{raw[error.start]:02x}"
        raise DataError([problem(file, message, line)]) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError([problem(file, "expected text, got a NUL byte", line)])
    return text


def _check_header(file: str, header: list[str]) -> None:
    problems = [
        problem(file, "expected a name for every column, got an empty one", HEADER_LINE)
        for name in header
        if not name
    ]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            message = "the column appears twice: expected each column once"
            problems.append(problem(file, message, HEADER_LINE, name))
        seen.add(name)
    if problems:
        raise DataError(problems)


def unknown_column_message(name: str, known: Iterable[str]) -> str:
    """``unknown column``, with the closest known name when one is close."""
    import difflib

    known = list(known)
    close = difflib.get_close_matches(name, known, n=1)
    hint = f", did you mean {close[0]!r}?" if close else ""
    return f"unknown column{hint} Expected any of: {', '.join(known)}"
