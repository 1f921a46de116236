"""The workshop web app: one HTML page and a few JSON endpoints over the warm engine.

The page posts lever values to ``/api/run``, gets a job id back at once and
polls ``/api/job/{id}?after=N`` until every replication is in. A poll is held
until more than the N batches it has seen have arrived (a long poll), so the
last replications show the moment they are in; each answer carries the
verdict so far and the URLs of the matching figures. ``/api/closing`` is the
closing step: every other step run in full as the room last set it;
``/api/explain`` starts the explain waterfall of a step's two sides, polled
the same way at ``/api/explain/{id}``, and ``/api/discover`` the search for
where in the uncertain assumptions each side wins, at ``/api/discover/{id}``.
"""

from __future__ import annotations

import gc
import math
import os
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import pandas as pd
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from orgsim.analysis import HEADLINE_KPI, kpi_info
from orgsim.scenario import Scenario, ScenarioError
from orgsim.workshop.closing import closing
from orgsim.workshop.deck import Deck
from orgsim.workshop.discovering import CannotDiscover, Discovering, discover_cost
from orgsim.workshop.discovering import start as start_discovering
from orgsim.workshop.engine import Engine, Job
from orgsim.workshop.explaining import Explaining, explain_cost
from orgsim.workshop.explaining import start as start_explaining
from orgsim.workshop.guard import (
    LOOPBACK_HOSTS,
    BadRequest,
    SameOriginJson,
    parse_json,
    problems,
    read_body,
    whole_number,
)
from orgsim.workshop.handout import HandoutError, StepRun, handout_html
from orgsim.workshop.levers import BY_KEY, lever_state, moved, moves, scenario_file, with_levers
from orgsim.workshop.view import (
    FIGURES,
    figure_png,
    figure_width,
    regions_png,
    summary,
    waterfall_png,
)

KEPT_JOBS = 32
"""Jobs whose results a page can still ask for."""

LONG_POLL_SECONDS = 10.0
"""Longest a poll is held waiting for news."""

UPDATE_SECONDS = 0.5
"""Shortest time between two answers to a page before the last: each costs a summary
(20-30 ms) on the cores the replications need; twice a second is as fast as a room reads."""


KEPT_EXPLAINS = 4
"""Explain runs whose progress and waterfall a page can still ask for."""

KEPT_DISCOVERIES = 4
"""Discoveries whose progress, sentence and figure a page can still ask for."""

KEPT_VIEWS = 8
"""Views of a job whose figures can still be drawn: the page asks for the figure of the view it
holds, which later polls may have overtaken while an earlier figure was drawn (views come at
most every :data:`UPDATE_SECONDS`, so 8 cover 4 s of drawing; each is a few hundred rows)."""


@dataclass
class _Shown:
    """A job, the step and levers it ran, its latest view, and the replications of recent views.

    A figure is drawn from the replications of the view that named it, never
    from newer ones, so the figure, the verdict and the table on the page
    always describe the same replications.
    """

    job: Job
    step: int
    overrides: dict[str, Any]
    view_at: int = -1
    view: dict[str, Any] = field(default_factory=dict)
    answered: float = 0.0
    samples: OrderedDict[int, tuple[pd.DataFrame, pd.DataFrame]] = field(
        default_factory=OrderedDict
    )
    pngs: dict[tuple[str, int, int], bytes] = field(default_factory=dict)

    def wait(self, seen: int) -> None:
        """Hold a poll that has seen ``seen`` batches until there is news, at most every
        :data:`UPDATE_SECONDS` once results are showing, unless the job is done."""
        self.job.wait_beyond(seen, LONG_POLL_SECONDS)
        rest = self.answered + UPDATE_SECONDS - time.monotonic()
        if rest > 0 and self.view.get("shown", 0) >= 2:
            self.job.finished.wait(rest)
        self.answered = time.monotonic()


class Workshop:
    """The app's state: the deck, the engine, the lever overrides last run on each step."""

    def __init__(self, deck: Deck, workers: int) -> None:
        self.deck = deck
        self.workers = workers
        self.engine: Engine | None = None
        self.overrides: dict[int, dict[str, Any]] = {}
        self.jobs: OrderedDict[int, _Shown] = OrderedDict()
        self.finals: dict[int, _Shown] = {}
        self.explains: OrderedDict[int, Explaining] = OrderedDict()
        self.discoveries: OrderedDict[int, Discovering] = OrderedDict()

    def sides(self, step: int, overrides: dict[str, Any]) -> list[Scenario]:
        """The step's scenarios with the levers on the last one.

        A one-scenario step with moved levers becomes a comparison: the deck's
        scenario against the room's settings.
        """
        scenarios = list(self.deck.scenarios[step])
        changed = with_levers(scenarios[-1], overrides)
        if overrides and len(scenarios) == 1:
            return [*scenarios, changed]
        return [*scenarios[:-1], changed]

    def run(self, step: int, overrides: dict[str, Any]) -> _Shown:
        """A page's run of ``step``: it cancels the queued batches of the page's last run."""
        self.overrides[step] = overrides
        shown = self._start(step, overrides, live=True)
        self.jobs[shown.job.id] = shown
        while len(self.jobs) > KEPT_JOBS:
            self.jobs.popitem(last=False)
        return shown

    def _start(self, step: int, overrides: dict[str, Any], *, live: bool) -> _Shown:
        assert self.engine is not None
        spec = self.deck.spec
        sides = self.sides(step, overrides)
        return _Shown(
            self.engine.start(sides, spec.seed, spec.replications, live=live), step, overrides
        )

    def final_runs(self) -> list[_Shown]:
        """Every step that runs scenarios, in full and as the room last set its levers.

        For the closing step and the handout: never cancelled by a page's run,
        started once per setting (batches the room saw come from the cache).
        """
        runs = []
        for step in self.deck.studies:
            overrides = self.overrides.get(step, {})
            kept = self.finals.get(step)
            if kept is None or kept.overrides != overrides or kept.job.error is not None:
                kept = self.finals[step] = self._start(step, overrides, live=False)
            runs.append(kept)
        return runs

    def explain(self, step: int, overrides: dict[str, Any]) -> Explaining:
        """Start explaining the step's two sides as the levers set them (a live run)."""
        assert self.engine is not None
        sides = self.sides(step, overrides)
        if len(sides) != 2:
            raise BadRequest(
                "explain compares two designs: move a lever to compare with the deck's"
            )
        a, b = sides
        explaining = start_explaining(self.engine, a, b, self.deck.spec.seed)
        self.explains[explaining.job.id] = explaining
        while len(self.explains) > KEPT_EXPLAINS:
            self.explains.popitem(last=False)
        return explaining

    def discover(self, step: int, overrides: dict[str, Any]) -> Discovering:
        """Start discovering where each of the step's sides wins, as the levers set them (live).

        The levers the room moved are held, not sampled; the sentence that
        leads is that of the side the step's verdict does not favour.
        """
        assert self.engine is not None
        sides = self.sides(step, overrides)
        if len(sides) != 2:
            raise BadRequest(
                "discovery compares two designs: move a lever to compare with the deck's"
            )
        a, b = sides
        try:
            discovering = start_discovering(
                self.engine, a, b, self.deck.spec.seed, overrides, self._loser(step, overrides)
            )
        except CannotDiscover as error:
            raise BadRequest(str(error)) from None
        self.discoveries[discovering.job.id] = discovering
        while len(self.discoveries) > KEPT_DISCOVERIES:
            self.discoveries.popitem(last=False)
        return discovering

    def _loser(self, step: int, overrides: dict[str, Any]) -> str | None:
        """The side with the worse mean headline KPI in the page's latest view of these levers."""
        for shown in reversed(self.jobs.values()):
            means: dict[str, dict[str, float]] = shown.view.get("means", {})
            values = {name: kpis[HEADLINE_KPI] for name, kpis in means.items()}
            if shown.step == step and shown.overrides == overrides and len(values) == 2:
                if any(math.isnan(value) for value in values.values()):
                    return None  # undefined on one side: no verdict to go against
                ordered = sorted(values, key=values.__getitem__)
                return ordered[0] if kpi_info(HEADLINE_KPI).direction == "higher" else ordered[-1]
        return None

    def shown(self, job: str) -> _Shown | None:
        """The kept job that a URL's ``job`` segment names, if any."""
        number = whole_number(job)
        return None if number is None else self.jobs.get(number)

    def view(self, shown: _Shown) -> dict[str, Any]:
        done = shown.job.finished.is_set()  # before the tables: "done" must not outrun them
        arrived = shown.job.arrived
        replications, monthly = shown.job.tables()
        if len(replications) != shown.view_at:
            shown.view = summary(replications, shown.job.seed)
            shown.view_at = len(replications)
            shown.samples[shown.view["shown"]] = (replications, monthly)
            while len(shown.samples) > KEPT_VIEWS:
                shown.samples.popitem(last=False)
        return {
            **shown.view,
            "job": shown.job.id,
            "step": shown.step,
            "total": shown.job.replications,
            "done": done,
            "arrived": arrived,
            "error": shown.job.error,
            "scenarios": [s.name for s in shown.job.scenarios],
            "moved": moves(self.deck.scenarios[shown.step][-1], shown.overrides),
            "figures": {
                name: f"/api/figure/{shown.job.id}/{name}/{shown.view.get('shown', 0)}.png"
                for name in FIGURES
            },
        }

    def figure(self, shown: _Shown, name: str, sample: int, width: int) -> bytes | None:
        """Figure ``name`` of the view that showed ``sample`` replications, ``width`` pixels wide;
        None once that view is too old (the page then waits for the next one)."""
        tables = shown.samples.get(sample)
        if tables is None:
            return None
        key = (name, sample, width)
        if key not in shown.pngs:
            shown.pngs[key] = figure_png(name, *tables, width=width)
        return shown.pngs[key]


def _step(workshop: Workshop, value: Any) -> int:
    """The step ``value`` names: a whole number from JSON, or digits from a query string;
    a step that runs scenarios (the closing summary runs none of its own)."""
    if isinstance(value, str):
        value = whole_number(value)
    steps = len(workshop.deck.steps)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < steps:
        raise BadRequest(f"step must be a step number from 0 to {steps - 1}")
    if workshop.deck.steps[value].summary:
        raise BadRequest(f"step {value} is the closing summary: it runs no scenario of its own")
    return value


def _levers(workshop: Workshop, step: int, values: Any) -> dict[str, Any]:
    if not isinstance(values, dict):
        raise BadRequest('levers must be an object of "key": value')
    return moved(workshop.deck.scenarios[step][-1], values)


def _discover_offer(scenarios: Sequence[Scenario]) -> dict[str, str | None]:
    """For a step's button: what discovery runs, or why the step cannot have it."""
    try:
        return {"discover": discover_cost(scenarios[0], scenarios[-1]), "discover_problem": None}
    except CannotDiscover as error:
        return {"discover": None, "discover_problem": str(error)}


def _bad(error: BadRequest | ScenarioError) -> JSONResponse:
    if isinstance(error, ScenarioError):
        return problems([str(p) for p in error.problems], 400)
    return problems([str(error)], error.status)


def _freeze_what_lasts() -> None:
    """Load the plots now, then keep everything loaded so far out of the cycle collector's walks.

    Modules, the deck and matplotlib live as long as the app: a full collection
    walked them all (about 180,000 objects, 0.2-0.4 s) on the cores the
    replications need, and the first figure paid for importing matplotlib.
    """
    import orgsim.plots  # noqa: F401

    gc.freeze()


def create_app(
    deck: Deck, workers: int | None = None, hosts: Sequence[str] = LOOPBACK_HOSTS
) -> Starlette:
    """The Starlette app for ``deck``; the worker pool lives as long as the app's lifespan.

    Only requests whose Host header names one of ``hosts`` are answered: a page
    on another site that resolves its own name to this machine (DNS
    rebinding) gets a 400.
    """
    workshop = Workshop(deck, workers or min(2, os.cpu_count() or 1))
    page = resources.files("orgsim.workshop").joinpath("page.html").read_text(encoding="utf-8")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        workshop.engine = Engine(workshop.workers)
        workshop.engine.warm(deck.scenarios[deck.studies[0]][0])
        _freeze_what_lasts()
        try:
            yield
        finally:
            workshop.engine.close()

    async def index(request: Request) -> HTMLResponse:
        return HTMLResponse(page)

    async def deck_info(request: Request) -> JSONResponse:
        spec = deck.spec
        steps = [
            {
                "title": step.title,
                "talking_point": step.talking_point,
                "files": [str(path) for path in deck.files(index)],
                "scenarios": [s.name for s in deck.scenarios[index]],
                "months": deck.scenarios[index][0].calendar.months if not step.summary else None,
                "levers": lever_state(deck.scenarios[index][-1]) if not step.summary else [],
                "summary": step.summary,
                "explain": explain_cost(*deck.scenarios[index]) if len(step.files) == 2 else None,
                **({} if step.summary else _discover_offer(deck.scenarios[index])),
            }
            for index, step in enumerate(deck.steps)
        ]
        return JSONResponse(
            {
                "title": spec.title,
                "seed": spec.seed,
                "replications": spec.replications,
                "steps": steps,
            }
        )

    async def step_and_levers(request: Request) -> tuple[int, dict[str, Any]]:
        """The step and the moved levers a POST names; ``BadRequest``/``ScenarioError`` if bad."""
        body = parse_json(await read_body(request))
        if not isinstance(body, dict):
            raise BadRequest('the body must be an object: {"step": N, "levers": {...}}')
        step = _step(workshop, body.get("step"))
        return step, _levers(workshop, step, body.get("levers", {}))

    async def run(request: Request) -> JSONResponse:
        try:
            shown = workshop.run(*await step_and_levers(request))
        except (BadRequest, ScenarioError) as error:
            return _bad(error)
        return JSONResponse({"job": shown.job.id, "total": shown.job.replications})

    async def job(request: Request) -> JSONResponse:
        shown = workshop.shown(request.path_params["job"])
        if shown is None:
            return problems(["no such job (too old?)"], 404)
        after = request.query_params.get("after")
        if after is not None:
            seen = whole_number(after)
            if seen is None:
                return problems(["after must be a whole number of batches"], 400)
            await anyio.to_thread.run_sync(shown.wait, seen)
        return JSONResponse(await anyio.to_thread.run_sync(workshop.view, shown))

    async def _held_until_news(request: Request, job: Job) -> JSONResponse | None:
        """Long poll: wait until ``job`` has more batches than ``?after=`` (or a while); a bad
        ``after`` is refused with the response to send."""
        after = request.query_params.get("after")
        seen = -1 if after is None else whole_number(after)
        if seen is None:
            return problems(["after must be a whole number of batches"], 400)
        await anyio.to_thread.run_sync(job.wait_beyond, seen, LONG_POLL_SECONDS)
        return None

    async def explain_run(request: Request) -> JSONResponse:
        try:
            explaining = workshop.explain(*await step_and_levers(request))
        except (BadRequest, ScenarioError) as error:
            return _bad(error)
        return JSONResponse({"explain": explaining.job.id, "designs": explaining.designs})

    def _explaining(request: Request) -> Explaining | None:
        number = whole_number(request.path_params["job"])
        return None if number is None else workshop.explains.get(number)

    async def explain_job(request: Request) -> JSONResponse:
        explaining = _explaining(request)
        if explaining is None:
            return problems(["no such explain run (too old?)"], 404)
        job = explaining.job
        refused = await _held_until_news(request, job)
        if refused is not None:
            return refused
        explanation = await anyio.to_thread.run_sync(explaining.explanation)
        return JSONResponse(
            {
                "explain": job.id,
                "designs": explaining.designs,
                "replications": job.replications,
                "arrived": job.arrived,
                "expected": job.expected,
                "done": explanation is not None,
                "error": job.error,
                "figure": f"/api/explain/{job.id}/waterfall.png" if explanation else None,
            }
        )

    def waterfall(request: Request) -> Response:
        explaining = _explaining(request)
        explanation = None if explaining is None else explaining.explanation()
        if explanation is None:
            return Response(status_code=404)
        width = figure_width(request.query_params.get("width"))
        return Response(waterfall_png(explanation, width), media_type="image/png")

    async def discover_run(request: Request) -> JSONResponse:
        try:
            discovering = workshop.discover(*await step_and_levers(request))
        except (BadRequest, ScenarioError) as error:
            return _bad(error)
        return JSONResponse(
            {
                "discover": discovering.job.id,
                "points": discovering.points,
                "runs": discovering.runs,
                "held": [BY_KEY[key].label for key in discovering.held],
            }
        )

    def _discovering(request: Request) -> Discovering | None:
        number = whole_number(request.path_params["job"])
        return None if number is None else workshop.discoveries.get(number)

    async def discover_job(request: Request) -> JSONResponse:
        """Progress while the points run; then the sentence, the boxes and the figure's URL."""
        discovering = _discovering(request)
        if discovering is None:
            return problems(["no such discovery (too old?)"], 404)
        job = discovering.job
        refused = await _held_until_news(request, job)
        if refused is not None:
            return refused
        answer = await anyio.to_thread.run_sync(discovering.answer)
        figure = f"/api/discover/{job.id}/regions.png" if answer and answer["plotted"] else None
        return JSONResponse(
            {
                "discover": job.id,
                "points": discovering.points,
                "points_done": discovering.points_done(),
                "replications": job.replications,
                "runs": discovering.runs,
                "held": [BY_KEY[key].label for key in discovering.held],
                "arrived": job.arrived,
                "expected": job.expected,
                "done": answer is not None,
                "error": discovering.error,
                **(answer or {}),
                "figure": figure,
            }
        )

    def regions(request: Request) -> Response:
        discovering = _discovering(request)
        discovery = None if discovering is None else discovering.discovery()
        if discovery is None or len(discovery.parameters) < 2:
            return Response(status_code=404)
        width = figure_width(request.query_params.get("width"))
        return Response(regions_png(discovery, width), media_type="image/png")

    def figure(request: Request) -> Response:
        shown = workshop.shown(request.path_params["job"])
        name = request.path_params["name"]
        sample = whole_number(request.path_params["shown"])
        if shown is None or name not in FIGURES or sample is None:
            return Response(status_code=404)
        png = workshop.figure(shown, name, sample, figure_width(request.query_params.get("width")))
        if png is None:
            return Response(status_code=404)
        return Response(png, media_type="image/png")

    def scenario_yaml(request: Request) -> Response:
        try:
            step = _step(workshop, request.query_params.get("step"))
            levers = parse_json(request.query_params.get("levers", "{}"), "levers")
            overrides = _levers(workshop, step, levers)
        except (BadRequest, ScenarioError) as error:
            return _bad(error)
        scenario = workshop.sides(step, overrides)[-1]
        base = os.path.normpath(deck.files(step)[-1])
        spec = deck.spec
        text = scenario_file(scenario, base, overrides, spec.seed, spec.replications)
        name = Path(base).stem + ("_workshop" if overrides else "") + ".yaml"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(text, media_type="application/x-yaml", headers=headers)

    async def final(request: Request) -> JSONResponse:
        """The closing step: held up to a long poll until every step has its full count."""
        runs = workshop.final_runs()

        def wait() -> None:
            deadline = time.monotonic() + LONG_POLL_SECONDS
            for shown in runs:
                shown.job.finished.wait(max(0.0, deadline - time.monotonic()))

        await anyio.to_thread.run_sync(wait)
        views = [await anyio.to_thread.run_sync(workshop.view, shown) for shown in runs]
        titles = [deck.steps[shown.step].title for shown in runs]
        return JSONResponse(closing(titles, views))

    def handout(request: Request) -> Response:
        assert workshop.engine is not None
        steps = [
            StepRun(deck.steps[shown.step].title, deck.steps[shown.step].talking_point, shown.job)
            for shown in workshop.final_runs()
        ]
        try:
            closing_words = [
                (step.title, step.talking_point) for step in deck.steps if step.summary
            ]
            html = handout_html(steps, workshop.engine, closing_words)
        except HandoutError as error:
            return PlainTextResponse(f"No handout: {error}", status_code=503)
        headers = {"Content-Disposition": 'attachment; filename="workshop_handout.html"'}
        return HTMLResponse(html, headers=headers)

    routes = [
        Route("/", index),
        Route("/api/deck", deck_info),
        Route("/api/run", run, methods=["POST"]),
        # Ids are parsed by the handlers: a route's int convertor turns 5,000 digits into a 500.
        Route("/api/job/{job}", job),
        Route("/api/figure/{job}/{name}/{shown}.png", figure),
        Route("/api/scenario.yaml", scenario_yaml),
        Route("/api/closing", final),
        Route("/api/explain", explain_run, methods=["POST"]),
        Route("/api/explain/{job}", explain_job),
        Route("/api/explain/{job}/waterfall.png", waterfall),
        Route("/api/discover", discover_run, methods=["POST"]),
        Route("/api/discover/{job}", discover_job),
        Route("/api/discover/{job}/regions.png", regions),
        Route("/handout.html", handout),
    ]
    middleware = [
        Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts), www_redirect=False),
        Middleware(SameOriginJson),
    ]
    return Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
