"""``orgsim workshop`` as a user runs it: prints its loopback address, serves, stops on Ctrl+C;
an address it cannot listen on is a message, and one beyond loopback a warning."""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).parent.parent.parent
COMMAND = [sys.executable, "-m", "orgsim", "workshop", "--no-browser"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "DISPLAY": ""}


def test_the_command_prints_its_address_serves_the_deck_and_stops_on_interrupt():
    process = _workshop()
    try:
        line = _line(process.stdout)
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert found, line + process.stderr.read()
        with urllib.request.urlopen(found.group(1) + "api/deck", timeout=60) as response:
            deck = json.load(response)
        assert deck["title"] == "Who should own inside sales?"
        assert len(deck["steps"]) == 9  # the shipped deck: done right, the split by role, the close
        assert deck["steps"][-1]["summary"]
    finally:
        _stop(process)
    assert process.returncode == 0


def _line(stream: IO[str], timeout: float = 60) -> str:
    """The next line of ``stream``, or "" if none comes within ``timeout`` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def _stop(process: subprocess.Popen[str]) -> None:
    """Ctrl+C, as a facilitator ends a workshop; killed if it has not stopped within a minute."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def _workshop(*options: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COMMAND, *options],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _refused(*options: str) -> subprocess.CompletedProcess[str]:
    """The command run to its end (killed after two minutes), for options it must refuse."""
    return subprocess.run(
        [*COMMAND, *options], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("host", ["999.1.1.1", "no such host.invalid", "192.0.2.1"])
def test_an_address_that_cannot_be_listened_on_is_a_message_and_exit_2(host):
    result = _refused("--host", host)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("orgsim workshop: ") and host in result.stderr
    assert "Traceback" not in result.stderr


def test_a_busy_port_is_a_message_and_exit_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _refused("--port", str(port))
    assert result.returncode == 2, result.stderr
    assert f"port {port} is in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_listening_beyond_loopback_warns_what_is_exposed_and_answers_only_known_hosts():
    process = _workshop("--host", "0.0.0.0")
    try:
        warning = _line(process.stderr)
        assert "warning: listening on every network interface" in warning
        assert "no login" in warning and "handout" in warning
        port = re.search(r"port (\d+)", warning).group(1)
        assert f":{port}/" in _line(process.stdout)
        assert _status(port, socket.gethostname()) == 200
        assert _status(port, "evil.example.com") == 400
    finally:
        _stop(process)
    assert process.returncode == 0


def _status(port: str, host: str) -> int:
    """The status of ``/api/deck`` asked for on loopback under the Host name ``host``."""
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
    try:
        connection.request("GET", "/api/deck", headers={"Host": f"{host}:{port}"})
        return connection.getresponse().status
    finally:
        connection.close()
