"""No web page can drive the workshop, and every malformed request gets a 4xx in plain words.

Each case is an attack or a mistake a reviewer tried: a rebinding Host, a
cross-site post, bodies and queries too large, too deep or not numbers, ids of
thousands of digits, and a figure asked for before the first batch.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from orgsim.workshop.engine import Job
from orgsim.workshop.guard import MAX_BODY_BYTES
from orgsim.workshop.view import FIGURES, figure_png

from .conftest import ORIGIN

INTERNALS = re.compile(
    r"Traceback|Error\b|Exception|sys\.|int_max_str_digits|<class|NoneType|object has no attribute"
    r"|cannot convert|invalid literal|codec|\(char \d+\)"
)
"""What a message must not show: Python's own words for what went wrong."""

ROUTES = [
    ("GET", "/"),
    ("GET", "/api/deck"),
    ("POST", "/api/run"),
    ("GET", "/api/job/1"),
    ("GET", "/api/figure/1/funnel/0.png"),
    ("GET", "/api/scenario.yaml?step=0"),
    ("POST", "/api/discover"),
    ("GET", "/api/discover/1"),
    ("GET", "/api/discover/1/regions.png"),
    ("GET", "/handout.html"),
]


def refused_plainly(response: Any, status: int) -> list[str]:
    """The problems of a refusal with ``status``, checked to be plain words."""
    assert response.status_code == status, response.text
    problems = response.json()["problems"]
    assert problems and not INTERNALS.search(" ".join(problems)), problems
    return problems


def post(client: Any, body: Any, **headers: str) -> Any:
    headers = {"Content-Type": "application/json", "Origin": ORIGIN, **headers}
    return client.post("/api/run", content=body, headers=headers)


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_a_foreign_host_is_refused_on_every_route(client, method, path):
    """DNS rebinding: a page at evil.example.com whose name now resolves to this machine."""
    headers = {"Host": "evil.example.com", "Origin": "http://evil.example.com"}
    response = client.request(method, path, headers=headers, json={"step": 0})
    assert response.status_code == 400
    assert "Invalid host header" in response.text


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "LOCALHOST"])
def test_loopback_names_are_answered(client, host):
    assert client.get("/api/deck", headers={"Host": host}).status_code == 200


def test_a_cross_site_text_plain_post_is_refused(client):
    """What a form or a no-preflight fetch on any page the facilitator opens would send."""
    response = client.post(
        "/api/run",
        content='{"step": 1, "levers": {"org.sla.enabled": true}}',
        headers={"Content-Type": "text/plain", "Origin": "http://evil.example.com"},
    )
    refused_plainly(response, 403)


@pytest.mark.parametrize(
    "origin", ["http://evil.example.com", "null", "http://127.0.0.1:8001", "https://127.0.0.1:8000"]
)
def test_a_post_from_another_origin_is_refused_even_as_json(client, origin):
    refused_plainly(post(client, '{"step": 0}', Origin=origin), 403)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", ""]
)
def test_a_post_that_is_not_json_is_refused(client, content_type):
    refused_plainly(post(client, '{"step": 0}', **{"Content-Type": content_type}), 415)


@pytest.mark.parametrize(
    "headers",
    [{"Origin": ORIGIN}, {}, {"Content-Type": "application/json; charset=utf-8"}],
    ids=["same-origin", "no-origin", "with-charset"],
)
def test_a_same_origin_json_post_runs(client, headers):
    """What the page sends (page.html's fetch), and a script without a browser's Origin."""
    headers = {"Content-Type": "application/json", **headers}
    response = client.post("/api/run", content='{"step": 0, "levers": {}}', headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == 20


def test_the_page_posts_json(client):
    """The page itself keeps working: its one state-changing fetch declares JSON."""
    page = client.get("/").text
    posts = re.findall(r"fetch\([^)]*method: \"POST\"[^;]*;", page)
    assert posts and all('"Content-Type": "application/json"' in call for call in posts)
    assert all("JSON.stringify" in call for call in posts)


BAD_BODIES = {
    "infinity": ('{"step": Infinity}', 400),
    "minus-infinity": ('{"step": 0, "levers": {"teams.sdr.headcount": -Infinity}}', 400),
    "nan": ('{"step": NaN}', 400),
    "1e400": ('{"step": 1e400}', 400),
    "1e400-lever": ('{"step": 0, "levers": {"policies.multichannel.contact_lift": 1e400}}', 400),
    "5000-digits": ('{"step": 1' + "0" * 5000 + "}", 400),
    "100k-deep": ("[" * 100_000, 413),
    "60k-deep": ("[" * 60_000, 400),
    "deep-in-levers": ('{"step": 0, "levers": {"x": ' + "[" * 20 + "]" * 20 + "}}", 400),
    "8-MB": ('{"step": 0, "pad": "' + "x" * 8_000_000 + '"}', 413),
    "not-json": ("step=0", 400),
    "truncated": ('{"step": 0, "levers": {', 400),
    "not-utf8": (b'{"step": "\xff"}', 400),
    "empty": ("", 400),
    "a-list": ("[0, {}]", 400),
    "a-string": ('"step"', 400),
    "step-missing": ('{"levers": {}}', 400),
    "step-true": ('{"step": true}', 400),
    "step-float": ('{"step": 0.5}', 400),
    "step-negative": ('{"step": -1}', 400),
    "step-too-big": ('{"step": 2}', 400),
    "levers-a-list": ('{"step": 0, "levers": []}', 400),
    "levers-null": ('{"step": 0, "levers": null}', 400),
    "lever-unknown": ('{"step": 0, "levers": {"__class__": 1}}', 400),
}


@pytest.mark.parametrize(("body", "status"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_malformed_run_is_refused_in_plain_words(client, body, status):
    refused_plainly(post(client, body), status)


def test_a_body_without_a_length_is_cut_off_at_the_limit(client):
    """Chunked, so no Content-Length warns: reading stops past the limit, not at the end."""
    chunks = iter([b'{"pad": "'] + [b"x" * 1024] * (8 * MAX_BODY_BYTES // 1024) + [b'"}'])
    refused_plainly(post(client, chunks), 413)


BAD_QUERIES = {
    "levers-20k-deep": ({"step": "0", "levers": "[" * 20_000}, 400),
    "levers-infinity": ({"step": "0", "levers": '{"teams.sdr.headcount": Infinity}'}, 400),
    "levers-1e400": ({"step": "0", "levers": '{"teams.sdr.headcount": 1e400}'}, 400),
    "levers-not-json": ({"step": "0", "levers": "{teams"}, 400),
    "levers-a-list": ({"step": "0", "levers": "[]"}, 400),
    "step-missing": ({}, 400),
    "step-5000-digits": ({"step": "9" * 5000}, 400),
    "step-not-a-number": ({"step": "one"}, 400),
    "step-unicode-digit": ({"step": "\u0661"}, 400),
}


@pytest.mark.parametrize(("query", "status"), BAD_QUERIES.values(), ids=BAD_QUERIES.keys())
def test_a_malformed_scenario_download_is_refused_in_plain_words(client, query, status):
    refused_plainly(client.get("/api/scenario.yaml", params=query), status)


@pytest.mark.parametrize(
    "path",
    ["/api/job/" + "9" * 5000, "/api/job/-1", "/api/job/1.5", "/api/job/%00"],
    ids=["5000-digits", "negative", "fraction", "nul"],
)
def test_an_impossible_job_id_is_not_found(client, path):
    refused_plainly(client.get(path), 404)


@pytest.mark.parametrize(
    "path",
    ["/api/discover/" + "9" * 5000, "/api/discover/-1", "/api/discover/1.5", "/api/discover/7"],
    ids=["5000-digits", "negative", "fraction", "never-started"],
)
def test_an_impossible_discovery_is_not_found(client, path):
    refused_plainly(client.get(path), 404)
    assert client.get(f"{path}/regions.png").status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [('{"step": 2}', 400), ('{"step": 0, "levers": {"__class__": 1}}', 400), ("[" * 60_000, 400)],
    ids=["closing-step", "lever-unknown", "60k-deep"],
)
def test_a_malformed_discovery_is_refused_in_plain_words(client, body, status):
    headers = {"Content-Type": "application/json", "Origin": ORIGIN}
    refused_plainly(client.post("/api/discover", content=body, headers=headers), status)


def test_a_poll_count_of_5000_digits_is_refused(client):
    job = post(client, '{"step": 0}').json()["job"]
    refused_plainly(client.get(f"/api/job/{job}", params={"after": "9" * 5000}), 400)


def test_a_figure_of_a_job_of_5000_digits_is_not_found(client):
    assert client.get("/api/figure/" + "9" * 5000 + "/funnel/0.png").status_code == 404


def test_a_figure_is_drawn_only_from_a_view_that_was_shown(client):
    """The count names the view whose replications the figure draws; 5,000 digits name none."""
    job = post(client, '{"step": 0}').json()["job"]
    assert client.get(f"/api/figure/{job}/funnel/" + "9" * 5000 + ".png").status_code == 404
    view = client.get(f"/api/job/{job}", params={"after": 0}).json()
    while view["shown"] < 2:
        view = client.get(f"/api/job/{job}", params={"after": view["arrived"]}).json()
    response = client.get(view["figures"]["distributions"])
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_a_job_before_its_first_batch_draws_every_figure(small_deck):
    """The page may ask for a figure before any batch is in (5-7 of 100 concurrent asks did)."""
    job = Job(1, tuple(small_deck.scenarios[1]), seed=11, replications=20)
    replications, monthly = job.tables()
    assert replications.empty
    for name in FIGURES:
        assert figure_png(name, replications, monthly).startswith(b"\x89PNG"), name


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("explain", '{"step": 0, "levers": {"org.sla.enabled": true}}'),
        ("discover", '{"step": 1, "levers": {}}'),
    ],
)
def test_a_poll_count_of_5000_digits_is_refused_by_explain_and_discover(
    client, few_points, kind, body
):
    headers = {"Content-Type": "application/json", "Origin": ORIGIN}
    started = client.post(f"/api/{kind}", content=body, headers=headers)
    assert started.status_code == 200, started.text
    number = started.json()[kind]
    refused_plainly(client.get(f"/api/{kind}/{number}", params={"after": "9" * 5000}), 400)
    refused_plainly(client.get(f"/api/{kind}/{number}", params={"after": "1.5"}), 400)
