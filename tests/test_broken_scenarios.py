"""The corpus of broken scenarios: each file gives exactly the messages it declares, and exit 2.

Each file in ``broken_scenarios/`` starts with one ``# expect: <message>`` line
per problem it must produce; helpers that other files extend live in
``broken_scenarios/parents/``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim.cli import main

CORPUS = Path(__file__).parent / "broken_scenarios"
FILES = sorted(path.name for path in CORPUS.glob("*.yaml"))
REPO = Path(__file__).parent.parent


def expected_messages(name: str) -> list[str]:
    lines = (CORPUS / name).read_bytes().decode("utf-8", errors="replace").splitlines()
    return [line.removeprefix("# expect: ") for line in lines if line.startswith("# expect: ")]


def test_the_corpus_covers_at_least_25_broken_files() -> None:
    assert len(FILES) >= 25
    assert all(expected_messages(name) for name in FILES)


@pytest.mark.parametrize("name", FILES)
def test_broken_file_gives_its_messages_and_exit_2(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(CORPUS)
    result = CliRunner().invoke(main, ["validate", name])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    *problems, summary = result.stderr.splitlines()
    assert problems == expected_messages(name)
    assert summary == f"{len(problems)} problem(s) in 1 of 1 file(s)"


def test_python_dash_m_orgsim_reports_every_file_without_a_traceback() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "orgsim",
            "validate",
            *FILES,
            str(REPO / "tests/scenarios/base.yaml"),
        ],
        cwd=CORPUS,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stdout == f"{REPO / 'tests/scenarios/base.yaml'}: OK\n"
    problems = done.stderr.splitlines()
    for name in FILES:
        for message in expected_messages(name):
            assert message in problems
    assert (
        problems[-1]
        == f"{len(problems) - 1} problem(s) in {len(FILES)} of {len(FILES) + 1} file(s)"
    )
