"""Every stop signal ends run and compare cleanly: status 128 + n, no process left, nothing partial.

Each test starts ``python -m orgsim`` in a session of its own, waits until its
workers are simulating, signals it as a terminal (the whole process group),
``kill`` (the parent alone) or a service manager would, and then checks the
session is empty: no worker and no resource tracker outlives the command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import BASELINE, WORKTREE

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

WORKERS = 2
BUSY_CPU_SECONDS = 2.5
"""CPU time after which a worker is past its imports and simulating."""

WAIT = 90.0
"""The most any wait here lasts: generous, for a loaded machine; the stops take about a second."""

OTHER = BASELINE.with_name("marketing_owns_inside_sales.yaml")
LONG = ["--reps", "4000", "--seed", "1", "--workers", str(WORKERS)]
"""Far longer than any test waits: the run is always stopped mid-way."""


def session_members(session: int) -> list[int]:
    """Live (not zombie) processes of ``session``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def cpu_seconds(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {WAIT:.0f} s waiting until {what}")
        time.sleep(0.05)


@pytest.fixture
def orgsim_session(tmp_path: Path) -> Iterator[callable]:
    """Start ``python -m orgsim ARGS`` in a new session; whatever is left is killed at the end."""
    started: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "orgsim", *args],
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(WORKTREE)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        for pid in session_members(process.pid):
            os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.wait(WAIT)
        process.stdout.close()
        process.stderr.close()


def workers_busy(process: subprocess.Popen[str]) -> bool:
    others = [pid for pid in session_members(process.pid) if pid != process.pid]
    return sum(cpu_seconds(pid) >= BUSY_CPU_SECONDS for pid in others) >= WORKERS


def send(process: subprocess.Popen[str], number: int, target: str) -> None:
    if target == "group":
        os.killpg(process.pid, number)
    else:
        os.kill(process.pid, number)


COMMANDS = {
    "run": ["run", str(BASELINE), *LONG],
    "compare": ["compare", str(BASELINE), str(OTHER), *LONG],
}
CASES = [
    # (command, signals, sent to): a terminal signals the whole foreground group;
    # kill, timeout and docker stop signal the parent; systemd signals every process.
    ("run", ["SIGINT"], "group"),
    ("run", ["SIGINT", "SIGINT"], "group"),
    ("run", ["SIGTERM"], "parent"),
    ("run", ["SIGTERM"], "group"),
    ("run", ["SIGHUP"], "group"),
    ("compare", ["SIGINT", "SIGINT"], "group"),
    ("compare", ["SIGTERM"], "parent"),
    ("compare", ["SIGHUP"], "group"),
]


@pytest.mark.parametrize(("command", "signals", "target"), CASES)
def test_a_stop_signal_ends_the_command_cleanly(orgsim_session, tmp_path, command, signals, target):
    out = tmp_path / "results" / command
    process = orgsim_session(*COMMANDS[command], "--out", str(out))
    wait_until(lambda: workers_busy(process) or process.poll() is not None, "the workers work")
    assert process.poll() is None, process.stderr.read()

    for name in signals:
        send(process, signal.Signals[name], target)
        time.sleep(0.1)
    _, stderr = process.communicate(timeout=WAIT)

    first = signal.Signals[signals[0]]
    assert process.returncode == 128 + first, stderr
    assert "Traceback" not in stderr
    assert f"workers stopped; nothing was written to {out}" in stderr
    wait_until(lambda: not session_members(process.pid), "the workers and tracker are gone")
    assert list(tmp_path.iterdir()) == []


def test_a_worker_killed_mid_run_is_replaced_and_no_replication_is_lost(orgsim_session, tmp_path):
    out = tmp_path / "run"
    reps = ["--reps", "200", "--seed", "1", "--workers", str(WORKERS)]
    args = ["run", str(BASELINE), *reps, "--set", "calendar.months=4", "--out", str(out)]
    process = orgsim_session(*args)
    wait_until(lambda: workers_busy(process) or process.poll() is not None, "the workers work")
    assert process.poll() is None, process.stderr.read()
    victim = max(
        (pid for pid in session_members(process.pid) if pid != process.pid), key=cpu_seconds
    )

    os.kill(victim, signal.SIGKILL)
    _, stderr = process.communicate(timeout=10 * WAIT)

    assert process.returncode == 0, stderr
    summary = (out / "summary.json").read_text()
    assert '"replications_completed": 200' in summary and '"failures": []' in summary
    wait_until(lambda: not session_members(process.pid), "the workers and tracker are gone")


def test_ctrl_c_while_the_command_imports_is_a_clean_stop(tmp_path):
    """The first import of click raises the interrupt, as a Ctrl-C at that moment would."""
    program = (
        "import os, runpy, signal, sys\n"
        "class CtrlC:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'click':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "            time.sleep(1)\n"
        "import time\n"
        "sys.meta_path.insert(0, CtrlC())\n"
        "sys.argv = ['orgsim', '--version']\n"
        "runpy.run_module('orgsim', run_name='__main__', alter_sys=True)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(WORKTREE)},
        capture_output=True,
        text=True,
        timeout=WAIT,
    )

    assert result.returncode == 130
    assert result.stderr == "\nInterrupted.\n"
    assert result.stdout == ""
