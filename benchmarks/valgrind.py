"""Instructions a benchmark's child run executes, counted by Valgrind: immune to the machine's load."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import orgsim
import orgsim.model.followup

HOME = Path(orgsim.__file__).resolve().parents[1]
"""Where the orgsim this process runs is installed (or this checkout)."""
BUILD = "pure" if orgsim.model.followup.__file__.endswith(".py") else "compiled"
"""Whether that orgsim's model is its pure Python or mypyc's compiled modules (setup.py)."""


def count(valgrind: str, script: str, arguments: list[str]) -> tuple[int, float]:
    """(instructions executed, events simulated) by ``script arguments`` run under Valgrind.

    The child prints a JSON object with ``events`` on stdout. It imports the orgsim
    this process imported: this checkout's pure Python, or the build ``pip install .``
    made, compiled where it could be (setup.py), when run from that environment.
    """
    command = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, script, *arguments]
    env = {
        **os.environ,
        "PYTHONHASHSEED": "0",  # string hashes, and so set and dict probes, alike in both runs
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HOME), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(command, check=True, env=env, capture_output=True, text=True)
    counted = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if counted is None:
        raise RuntimeError(f"no instruction count in Valgrind's output:\n{done.stderr}")
    return int(counted.group(1).replace(",", "")), json.loads(done.stdout)["events"]
