"""A bounded fuzz over workshop requests: whatever the path, query, headers or body, never a 5xx,
and a refusal in plain words.

The handout is left out: it takes no input (the Host check before it is
fuzzed on every other route) and each one costs a full report.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.workshop import app
from orgsim.workshop.levers import LEVERS
from orgsim.workshop.view import FIGURES

from .conftest import ORIGIN
from .test_requests import INTERNALS

EXAMPLES = 300
"""Requests per run of the suite: a few seconds on a loaded machine."""

QUERY_VALUE = 7_000
"""Longest query value, so three of them percent-encoded (3 bytes a character at most) stay
under the test client's 65,536-byte URL limit (httpx refuses a longer URL before sending it);
still far deeper than the 8 levels of JSON the app accepts."""

segments = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12).map(
    lambda text: urllib.parse.quote(text, safe="")
)
numbers = st.one_of(
    st.integers(-3, 40).map(str),
    st.integers(1, 6000).map(lambda digits: "9" * digits),
    segments,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
levers = st.dictionaries(
    st.sampled_from([lever.key for lever in LEVERS]) | st.text(max_size=20), json_values, max_size=4
)
runs = st.fixed_dictionaries(
    {"step": st.integers(-1, 3) | json_values}, optional={"levers": levers | json_values}
)
json_texts = st.one_of(
    (runs | json_values).map(json.dumps),  # NaN and Infinity included
    st.integers(0, 70_000).map(lambda depth: "[" * depth),
    st.integers(0, 6000).map(lambda digits: '{"step": 1' + "0" * digits + "}"),
    st.sampled_from(["1e400", "-1e400", '{"step": 0, "levers": {"teams.sdr.headcount": 1e999}}']),
)
bodies = st.one_of(json_texts.map(str.encode), st.binary(max_size=300))
paths = st.one_of(
    st.sampled_from(["/", "/api/deck", "/api/run", "/api/scenario.yaml", "/api/job/"]),
    numbers.map(lambda job: f"/api/job/{job}"),
    st.tuples(numbers, st.sampled_from(FIGURES) | segments, numbers).map(
        lambda parts: "/api/figure/{}/{}/{}.png".format(*parts)
    ),
    segments.map(lambda segment: f"/{segment}"),
)
queries = st.dictionaries(
    st.sampled_from(["step", "levers", "after"]) | segments,
    numbers | json_texts.filter(lambda text: len(text) < QUERY_VALUE) | levers.map(json.dumps),
    max_size=3,
)
headers = st.fixed_dictionaries(
    {
        "Content-Type": st.sampled_from(
            ["application/json"] * 4 + ["application/json; charset=latin-1", "text/plain", ""]
        )
    },
    optional={
        "Host": st.sampled_from(
            [
                "127.0.0.1:8000",
                "localhost",
                "[::1]:8000",
                "evil.example.com",
                "127.0.0.1.nip.io",
                "",
            ]
        ),
        "Origin": st.sampled_from([ORIGIN, "http://evil.example.com", "null", "http://localhost"]),
    },
)
methods = st.sampled_from(["GET", "POST", "POST", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"])


@pytest.fixture(scope="module")
def quick_polls() -> Iterator[None]:
    """Polls held a moment, not ten seconds: the fuzz asks for news that may never come."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "LONG_POLL_SECONDS", 0.05)
        patch.setattr(app, "UPDATE_SECONDS", 0.0)
        yield


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(method=methods, path=paths, query=queries, headers=headers, body=bodies)
def test_no_request_gets_a_server_error(
    client: Any,
    quick_polls: None,
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    body: bytes,
) -> None:
    response = client.request(method, path, params=query, headers=headers, content=body)
    assert response.status_code < 500
    refusal = response.status_code >= 400 and method != "HEAD"
    if refusal and response.headers.get("content-type") == "application/json":
        assert not INTERNALS.search(" ".join(response.json()["problems"]))
