"""Instructions a benchmark's child run executes, counted by Valgrind: immune to the machine's load."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def count(valgrind: str, script: str, arguments: list[str]) -> tuple[int, float]:
    """(instructions executed, events simulated) by ``script arguments`` run under Valgrind.

    The child prints a JSON object with ``events`` on stdout.
    """
    command = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, script, *arguments]
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",  # string hashes, and so set and dict probes, alike in both runs
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    counted = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if counted is None:
        raise RuntimeError(f"no instruction count in Valgrind's output:\n{done.stderr}")
    return int(counted.group(1).replace(",", "")), json.loads(done.stdout)["events"]
