"""A worker killed mid-run costs that run only: the next run and the handout work, no restart."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from orgsim.workshop.app import create_app
from orgsim.workshop.engine import WORKER_DIED

from .conftest import ORIGIN

testclient = pytest.importorskip("starlette.testclient", reason="needs httpx (test extra)")

BOUND_SECONDS = 120
"""Longest wait for a run, or for the pool to notice its dead worker."""


def test_after_a_worker_is_killed_the_next_run_and_the_handout_work(small_deck):
    before = set(multiprocessing.active_children())
    app = create_app(small_deck, workers=2)
    with testclient.TestClient(app, base_url=ORIGIN) as client:
        workers = set(multiprocessing.active_children()) - before
        assert len(workers) == 2
        killed = client.post("/api/run", json={"step": 1, "levers": {"teams.sdr.headcount": 9}})
        os.kill(next(iter(workers)).pid, signal.SIGKILL)
        view = _final(client, killed.json()["job"])
        assert view["done"] or view["error"] == WORKER_DIED
        _wait_until_gone(workers)  # the pool has seen the death and stopped the other worker

        view = _final(client, client.post("/api/run", json={"step": 1}).json()["job"])
        assert view["error"] is None and view["shown"] == 20
        handout = client.get("/handout.html")
        assert handout.status_code == 200 and 'id="story"' in handout.text


def _final(client, job: int) -> dict:
    """The job's view once it is done or has failed."""
    view = client.get(f"/api/job/{job}").json()
    deadline = time.monotonic() + BOUND_SECONDS
    while not (view["done"] or view["error"]):
        assert time.monotonic() < deadline, f"job {job} did not end"
        view = client.get(f"/api/job/{job}", params={"after": view["arrived"]}).json()
    return view


def _wait_until_gone(processes: set[multiprocessing.Process]) -> None:
    deadline = time.monotonic() + BOUND_SECONDS
    while any(process.is_alive() for process in processes):
        assert time.monotonic() < deadline, "the pool's workers did not stop"
        time.sleep(0.05)
