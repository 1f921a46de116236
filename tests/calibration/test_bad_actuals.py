"""The corpus of bad monthly actuals: each file gives exactly the messages beside it, and exit 2.

Each ``bad_actuals/NAME.csv`` has a ``NAME.expect`` with one expected message
per line (``{f}`` stands for the file's name); CSV has no comments to hold them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim.calibration import DataError, read_actuals
from orgsim.cli import main

CORPUS = Path(__file__).parent / "bad_actuals"
FILES = sorted(path.name for path in CORPUS.glob("*.csv"))
REPO = Path(__file__).parents[2]


def expected_messages(name: str) -> list[str]:
    text = (CORPUS / name).with_suffix(".expect").read_text(encoding="utf-8")
    return text.replace("{f}", name).splitlines()


def test_every_bad_file_declares_its_messages_and_they_differ() -> None:
    assert len(FILES) >= 15
    messages = [tuple(expected_messages(name)) for name in FILES]
    assert all(messages)
    assert len(set(messages)) == len(messages)


@pytest.mark.parametrize("name", FILES)
def test_bad_file_gives_its_messages_and_exit_2(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CORPUS)
    result = CliRunner().invoke(main, ["actuals", name])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected_messages(name)


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("month,leads\n" + "2025-01,1\n" * 10, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_actuals(big, max_bytes=50)
    assert str(caught.value) == f"{big}: the file is 112 bytes: expected at most 50"


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        read_actuals(tmp_path)
    assert str(caught.value) == f"{tmp_path}: expected a regular file, got a directory or device"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    with pytest.raises(DataError, match="expected a regular file"):
        read_actuals(pipe)


def test_a_missing_file_is_named() -> None:
    with pytest.raises(DataError) as caught:
        read_actuals("no_such_file.csv")
    assert str(caught.value) == "no_such_file.csv: cannot read the file: No such file or directory"


def test_python_dash_m_orgsim_reports_a_bad_file_without_a_traceback() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "orgsim", "actuals", "every_problem_at_once.csv"],
        cwd=CORPUS,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == expected_messages("every_problem_at_once.csv")


def test_a_good_file_reads_to_months_and_present_columns(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("month,sdr_headcount,leads\n2025-11,7.5,10\n\n2025-12,8,\n2026-01,8,12\n")
    actuals = read_actuals(good)
    assert actuals.columns == ("leads", "sdr_headcount")
    assert [str(month) for month in actuals.months] == ["2025-11", "2025-12", "2026-01"]
    assert actuals.table["leads"].isna().tolist() == [False, True, False]
    assert actuals.table["sdr_headcount"].tolist() == [7.5, 8.0, 8.0]
