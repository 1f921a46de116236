"""Seconds from a stop signal to the end of ``orgsim run``: Ctrl-C once and twice, SIGTERM, SIGHUP.

Each try starts ``python -m orgsim run`` in its own session with two workers,
waits until both are simulating, signals it, and times until the command has
exited and every process of its session (workers, resource tracker) is gone.
The tests check that the stop is clean; this measures how long it takes.

    python benchmarks/bench_stop.py [--tries 3]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "sales_owns_inside_sales.yaml"
CASES = {
    "SIGINT to the group": [signal.SIGINT],
    "SIGINT twice to the group": [signal.SIGINT, signal.SIGINT],
    "SIGTERM to the parent": [signal.SIGTERM],
    "SIGHUP to the group": [signal.SIGHUP],
}


def session(sid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split() if stat else []
        if fields and int(fields[3]) == sid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_stop(signals: list[signal.Signals], out: Path) -> float:
    args = [sys.executable, "-m", "orgsim", "run", str(BASELINE), "--reps", "4000"]
    process = subprocess.Popen(
        [*args, "--workers", "2", "--out", str(out)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while sum(cpu(p) >= 2.5 for p in session(process.pid) if p != process.pid) < 2:
            time.sleep(0.05)
        start = time.perf_counter()
        for number in signals:
            (os.kill if number == signal.SIGTERM else os.killpg)(process.pid, number)
            time.sleep(0.1)
        process.wait(60)
        while session(process.pid):
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        for pid in session(process.pid):
            os.kill(pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=3)
    tries = parser.parse_args().tries
    out = Path("/tmp") / f"orgsim-bench-stop-{os.getpid()}"
    for case, signals in CASES.items():
        seconds = [one_stop(signals, out) for _ in range(tries)]
        print(f"{case}: median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")


if __name__ == "__main__":
    main()
