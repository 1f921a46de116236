"""``orgsim workshop`` as a user runs it: prints its loopback address, serves, stops on Ctrl+C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent


def test_the_command_prints_its_address_serves_the_deck_and_stops_on_interrupt():
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DISPLAY": ""}
    command = [sys.executable, "-m", "orgsim", "workshop", "--no-browser"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert found, line + process.stderr.read()
        with urllib.request.urlopen(found.group(1) + "api/deck", timeout=60) as response:
            deck = json.load(response)
        assert deck["title"] == "Who should own inside sales?"
        assert len(deck["steps"]) == 6
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
            process.stderr.close()
    assert process.returncode == 0
