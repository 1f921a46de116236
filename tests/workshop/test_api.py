"""The workshop's JSON endpoints: saved YAML reproduces the screen; bad levers are refused;
a poll is held until there is news; explain and discovery run on request."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

import orgsim
from orgsim.experiment.discover import shared_ranges
from orgsim.kpis import WORKSHOP_KPIS
from orgsim.scenario import validate_files
from orgsim.workshop import discovering, load_deck
from orgsim.workshop.app import LONG_POLL_SECONDS, create_app
from orgsim.workshop.levers import with_levers

from .conftest import ORIGIN, SCENARIOS, final_view, finished_discovery, get_json, post_json

LEVERS = {"org.sla.enabled": True, "teams.sdr.headcount": 10}


def test_saved_yaml_validates_and_reproduces_the_screen(server, tmp_path):
    view = final_view(server, 1, LEVERS)
    assert view["shown"] == view["total"] == 20
    query = urllib.parse.urlencode({"step": 1, "levers": json.dumps(LEVERS)})
    with urllib.request.urlopen(f"{server}api/scenario.yaml?{query}", timeout=30) as response:
        saved = tmp_path / "take_home.yaml"
        saved.write_bytes(response.read())
    assert validate_files([saved]) == {str(saved): []}

    scenario = orgsim.load(saved)
    assert scenario.seed == get_json(f"{server}api/deck")["seed"]
    assert scenario.replications == view["total"]
    results = orgsim.simulate(scenario, workers=1)
    shown = view["means"][scenario.name]
    means = results.replications[list(WORKSHOP_KPIS)].mean()
    for kpi in WORKSHOP_KPIS:
        assert means[kpi] == pytest.approx(shown[kpi], rel=1e-12), kpi


def test_untouched_levers_run_the_decks_scenarios(server):
    deck = get_json(f"{server}api/deck")
    step = deck["steps"][0]
    levers = {lever["key"]: lever["value"] for lever in step["levers"]}
    view = final_view(server, 0, levers)
    assert view["scenarios"] == step["scenarios"]
    assert view["verdict"].startswith(step["scenarios"][0])


@pytest.mark.parametrize(
    "levers",
    [{"org.sla.enabled": "yes"}, {"teams.sdr.headcount": 500}, {"calendar.months": 3}],
    ids=["not-a-bool", "out-of-range", "not-a-lever"],
)
def test_bad_lever_values_are_refused_with_a_message(server, levers):
    with pytest.raises(urllib.error.HTTPError) as caught:
        post_json(f"{server}api/run", {"step": 1, "levers": levers})
    assert caught.value.code == 400
    problems = json.load(caught.value)["problems"]
    assert problems and next(iter(levers)) in problems[0]


def test_the_handout_is_a_self_contained_report_with_the_story(server):
    with urllib.request.urlopen(f"{server}handout.html", timeout=300) as response:
        html = response.read().decode()
    deck = get_json(f"{server}api/deck")
    assert 'id="story"' in html and 'id="verdict"' in html
    for step in deck["steps"]:
        assert step["title"].split(":")[0] in html
    assert "data:image/png;base64," in html
    assert "http://" not in html.replace("http://www.w3.org", "")


def test_the_closing_step_recalls_each_step_as_the_room_left_it(server):
    final_view(server, 1, {"teams.sdr.headcount": 9})
    closing = get_json(f"{server}api/closing")
    while not closing["done"]:
        closing = get_json(f"{server}api/closing")
    titles = [step["title"] for step in get_json(f"{server}api/deck")["steps"]]
    assert [step["title"] for step in closing["steps"]] == titles[:2]
    assert closing["steps"][1]["moved"] == [
        {"key": "teams.sdr.headcount", "label": "SDR headcount", "from": "8", "to": "9"}
    ]
    assert "[SDR headcount 9]" in closing["steps"][1]["verdict"]
    assert re.fullmatch(
        r"Of the \d designs shown, .+ has the lowest cost per win: .+", closing["best"]
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_json(f"{server}api/run", {"step": 2, "levers": {}})
    assert "closing summary" in json.load(refused.value)["problems"][0]


def test_explain_draws_the_waterfall_of_the_steps_two_sides(server):
    """The SLA alone moved on the one-scenario step: one group, two designs, both the step's."""
    levers = {"org.sla.enabled": True}
    final_view(server, 0, levers)
    started = post_json(f"{server}api/explain", {"step": 0, "levers": levers})
    assert started["designs"] == 2
    state = get_json(f"{server}api/explain/{started['explain']}")
    while not state["done"]:
        assert state["error"] is None
        state = get_json(f"{server}api/explain/{started['explain']}?after={state['arrived']}")
    with urllib.request.urlopen(f"{server}{state['figure'][1:]}?width=1280", timeout=60) as image:
        png = image.read()
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 1280


def test_a_long_poll_answers_with_news_and_at_once_when_done(server):
    job = post_json(f"{server}api/run", {"step": 0, "levers": {"teams.sdr.headcount": 7}})["job"]
    view = get_json(f"{server}api/job/{job}?after=-1")
    answers = 1
    while not view["done"]:
        seen = view["arrived"]
        view = get_json(f"{server}api/job/{job}?after={seen}")
        assert view["arrived"] > seen or view["done"]
        answers += 1
    assert answers <= view["arrived"] + 1  # no answer without news
    start = time.monotonic()
    again = get_json(f"{server}api/job/{job}?after={view['arrived']}")
    assert again["done"] and time.monotonic() - start < LONG_POLL_SECONDS / 2


def test_a_poll_with_a_bad_count_is_refused(server):
    job = post_json(f"{server}api/run", {"step": 0, "levers": {}})["job"]
    with pytest.raises(urllib.error.HTTPError) as refused:
        get_json(f"{server}api/job/{job}?after=many")
    assert refused.value.code == 400


def test_deep_json_in_the_query_is_refused_by_the_served_app(server):
    """Through uvicorn, whose 16 KiB request-head limit refuses a 100k-deep query itself."""
    query = urllib.parse.urlencode({"step": 0, "levers": "[" * 5000})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{server}api/scenario.yaml?{query}", timeout=30)
    assert refused.value.code == 400
    assert json.load(refused.value)["problems"] == ["levers nests deeper than 8 levels"]


LIFT = "policies.multichannel.contact_lift"


def test_discovery_says_what_orgsim_discover_says_of_the_two_sides_as_set(
    server, small_deck, few_points
):
    """Same seed, same points, same sentences and boxes; the lever moved is held, not sampled."""
    levers = {LIFT: 0.2}
    view = final_view(server, 1, levers)
    started = post_json(f"{server}api/discover", {"step": 1, "levers": levers})
    assert started["points"] == few_points
    assert started["runs"] == few_points * 2 * discovering.REPLICATIONS
    assert started["held"] == ["Multichannel contact lift"]
    state = finished_discovery(server, started)
    assert state["points_done"] == few_points and state["error"] is None

    a, b = small_deck.scenarios[1]
    b = with_levers(b, levers)
    ranges = {key: bounds for key, bounds in shared_ranges(a, b).items() if key != LIFT}
    direct = orgsim.discover(
        a, b, samples=few_points, replications=discovering.REPLICATIONS,
        seed=small_deck.spec.seed, parameters=ranges, workers=1,
    )  # fmt: skip
    assert list(state["parameters"]) == list(ranges)
    document, sentences = direct.document(), direct.sentences_by_design()
    assert {region["design"] for region in state["regions"]} == set(direct.designs)
    shown = {region["design"]: region for region in state["regions"]}
    for region in document["regions"]:
        design = region["design"]
        assert shown[design]["wins"] == document["wins"][design]
        assert shown[design]["sentences"] == sentences[design]
        assert len(shown[design]["boxes"]) == len(region["boxes"])
        for page_box, box in zip(shown[design]["boxes"], region["boxes"], strict=True):
            for number in ("coverage", "density", "mass", "points", "wins"):
                assert page_box[number] == box[number]
            restricted = {key for key, limit in box["limits"].items() if limit["restricted"]}
            assert set(page_box["limits"]) == restricted
            for key, limit in page_box["limits"].items():
                assert (limit["low"], limit["high"]) == (
                    box["limits"][key]["low"],
                    box["limits"][key]["high"],
                )
    # The sentence that leads is the one of the side the verdict goes against.
    means = {name: kpis["cost_per_win"] for name, kpis in view["means"].items()}
    loser = max(means, key=means.__getitem__)
    assert state["other"] == loser == state["regions"][0]["design"]
    assert state["sentence"] == sentences[loser][0]
    assert "lowers cost per win" in state["sentence"]

    assert state["plotted"] == direct.most_important(2)
    with urllib.request.urlopen(f"{server}{state['figure'][1:]}?width=960", timeout=60) as image:
        png = image.read()
    assert png.startswith(b"\x89PNG") and int.from_bytes(png[16:20], "big") == 960


def test_a_new_run_stops_a_discovery_and_asking_again_resumes_it(server, few_points):
    levers = {"teams.sdr.headcount": 6}
    final_view(server, 1, levers)
    started = post_json(f"{server}api/discover", {"step": 1, "levers": levers})
    url = f"{server}api/discover/{started['discover']}"
    final_view(server, 1, {"teams.sdr.headcount": 5})  # a lever moved: its run cancels discovery
    stopped = get_json(url)
    time.sleep(1)
    again = get_json(url)
    assert not again["done"] and again["arrived"] == stopped["arrived"] < stopped["expected"]

    resumed = post_json(f"{server}api/discover", {"step": 1, "levers": levers})
    assert resumed["discover"] != started["discover"]
    first = get_json(f"{server}api/discover/{resumed['discover']}")
    assert first["arrived"] >= stopped["arrived"]  # what ran is kept in the cache
    state = finished_discovery(server, resumed)
    assert state["sentence"] and state["points_done"] == few_points


def test_discovery_needs_two_sides(server):
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_json(f"{server}api/discover", {"step": 0, "levers": {}})
    assert refused.value.code == 400
    assert "two designs" in json.load(refused.value)["problems"][0]


NO_RANGES_DECK = """\
title: A deck without sensitivity ranges
seed: 3
replications: 10
months: 2
steps:
  - title: Two designs, nothing uncertain
    talking_point: Nothing to vary.
    compare: [{sales}, {marketing}]
"""


def test_a_step_whose_scenarios_declare_no_ranges_is_told_so(tmp_path):
    testclient = pytest.importorskip("starlette.testclient", reason="needs httpx (test extra)")
    for name in ("sales", "marketing"):
        (tmp_path / f"{name}.yaml").write_text(
            f"extends: {SCENARIOS}/{name}_owns_inside_sales.yaml\n"
            f"name: {name} owns, nothing uncertain\n"
            "sensitivity: {parameters: {}}\n",
            encoding="utf-8",
        )
    deck = tmp_path / "deck.yaml"
    deck.write_text(NO_RANGES_DECK.format(sales="sales.yaml", marketing="marketing.yaml"))
    app = create_app(load_deck(deck), workers=1)
    with testclient.TestClient(app, base_url=ORIGIN) as client:
        (step,) = client.get("/api/deck").json()["steps"]
        assert step["discover"] is None
        assert "declare no sensitivity ranges" in step["discover_problem"]
        response = client.post(
            "/api/discover", json={"step": 0, "levers": {}}, headers={"Origin": ORIGIN}
        )
    assert response.status_code == 400
    (problem,) = response.json()["problems"]
    assert "declare no sensitivity ranges" in problem and "Traceback" not in problem
