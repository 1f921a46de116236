"""A workshop server on a free loopback port, or the app in a test client, shared by a module's
tests and always stopped."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the workshop extra (starlette, uvicorn) is not installed")
pytest.importorskip("uvicorn", reason="the workshop extra (starlette, uvicorn) is not installed")

from orgsim.workshop import Deck, load_deck, running
from orgsim.workshop.app import create_app

SCENARIOS = Path(__file__).parent.parent.parent / "scenarios"

SMALL_DECK = """\
title: A short deck for tests
seed: 11
replications: 20
months: 4
steps:
  - title: "Baseline: sales owns"
    talking_point: Where we start.
    scenario: {scenarios}/sales_owns_inside_sales.yaml
  - title: "Marketing owns, as planned"
    talking_point: The pitch.
    compare:
      - {scenarios}/sales_owns_inside_sales.yaml
      - {scenarios}/marketing_owns_inside_sales.yaml
  - title: What we saw
    talking_point: The recommendation.
    summary: true
"""


ORIGIN = "http://127.0.0.1:8000"
"""Where the test client's app is served from, as a browser on the page would name it."""


@pytest.fixture(scope="module")
def small_deck(tmp_path_factory: pytest.TempPathFactory) -> Deck:
    """A small deck (20 replications of 4 months), so each test takes seconds."""
    deck = tmp_path_factory.mktemp("deck") / "deck.yaml"
    deck.write_text(SMALL_DECK.format(scenarios=SCENARIOS), encoding="utf-8")
    return load_deck(deck)


@pytest.fixture(scope="module")
def server(small_deck: Deck) -> Iterator[str]:
    """The app on the small deck, served by uvicorn on a free loopback port."""
    with running(small_deck, workers=2) as url:
        yield url


@pytest.fixture(scope="module")
def client(small_deck: Deck) -> Iterator[Any]:
    """The app on the small deck in starlette's test client, as served at :data:`ORIGIN`."""
    testclient = pytest.importorskip("starlette.testclient", reason="needs httpx (test extra)")
    with testclient.TestClient(create_app(small_deck, workers=2), base_url=ORIGIN) as client:
        yield client


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def post_json(url: str, body: Any) -> Any:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def final_view(base: str, step: int, levers: dict[str, Any], timeout: float = 120) -> Any:
    """Run ``levers`` on ``step`` and wait for every replication."""
    job = post_json(f"{base}api/run", {"step": step, "levers": levers})["job"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view = get_json(f"{base}api/job/{job}")
        if view["done"]:
            return view
        time.sleep(0.2)
    raise TimeoutError(f"job {job} did not finish in {timeout} s")


FEW_POINTS = 16
"""Latin-hypercube points of a test's discovery: 64 runs of the small deck, seconds on two workers."""


@pytest.fixture
def few_points(monkeypatch: pytest.MonkeyPatch) -> int:
    """Discovery at :data:`FEW_POINTS` points, for the in-process servers of these tests."""
    from orgsim.workshop import discovering

    monkeypatch.setattr(discovering, "POINTS", FEW_POINTS)
    return FEW_POINTS


def finished_discovery(base: str, started: dict[str, Any], timeout: float = 300) -> Any:
    """Poll the discovery ``started`` names until it is done; its last answer."""
    url = f"{base}api/discover/{started['discover']}"
    state = get_json(url)
    deadline = time.monotonic() + timeout
    while not state["done"]:
        assert state["error"] is None, state["error"]
        if time.monotonic() > deadline:
            raise TimeoutError(f"discovery {started['discover']} did not finish in {timeout} s")
        state = get_json(f"{url}?after={state['arrived']}")
    return state
