"""End to end: the page in headless chromium at 1280x720, a lever moved, and the verdict, the
figure and the moved-lever marker redrawn together from the same replications."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (test extra)"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium (installed by .ci/run)",
)

FINAL = "#progress[data-done=true]"


@contextmanager
def step_two_in_chromium(server: str) -> Iterator[Any]:
    """A 1280x720 page of the deck's second step with its final view in; the browser closes."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(server)
            page.wait_for_selector("#step-list option >> nth=1", state="attached")
            page.select_option("#step-list", label="2. Marketing owns, as planned")
            page.wait_for_selector(FINAL, timeout=60_000)
            yield page
        finally:
            browser.close()


def test_moving_a_lever_redraws_the_verdict_and_the_figure(server, tmp_path):
    with step_two_in_chromium(server) as page:
        verdict = page.inner_text("#verdict")
        figure = page.get_attribute("#figure", "src")
        assert "Marketing owns inside sales (as planned)" in verdict
        assert page.inner_text("#moved") == "Levers as the deck sets them."
        assert page.locator(".lever.moved").count() == 0
        # The figure is drawn as wide as it is shown, so its type is not shrunk.
        natural, shown = page.eval_on_selector(
            "#figure", "img => [img.naturalWidth, img.clientWidth]"
        )
        assert shown > 800 and abs(natural - shown) <= 160
        means = page.inner_text("#means")  # rows, labels and numbers as the registry has them
        assert "Cost per win" in means and "$" in means
        figure_bytes = page.request.get(server.rstrip("/") + figure).body()

        page.check("#lever-org-sla-enabled")
        assert page.locator(".lever.moved").count() == 1  # on the lever at once
        # Every time the verdict changes, the figure and the marker beside it change with it.
        page.evaluate(
            """() => { window.frames_ = [];
            new MutationObserver(() => window.frames_.push([
              document.querySelector('#verdict').textContent,
              document.querySelector('#figure').getAttribute('src'),
              document.querySelector('#moved').textContent]))
            .observe(document.querySelector('#verdict'), {childList: true}); }"""
        )
        page.wait_for_function(
            "([old]) => document.querySelector('#verdict').textContent !== old"
            " && document.querySelector('#progress').dataset.done === 'true'",
            arg=[verdict],
            timeout=60_000,
        )
        frames = page.evaluate("window.frames_")
        assert frames, "the verdict never changed"
        for new_verdict, new_figure, marker in frames:
            assert "with a signed SLA" not in new_verdict
            assert "[signed SLA on]" in new_verdict  # named after the settings as now set
            assert new_figure != figure
            assert marker == "Levers moved from the deck: Signed SLA off → on"
        new_figure = page.get_attribute("#figure", "src")
        assert page.request.get(server.rstrip("/") + new_figure).body() != figure_bytes
        assert "20 of 20 replications" in page.inner_text("#progress")
        page.wait_for_function(
            "() => ['funnel', 'monthly'].every((id) => {"
            " const img = document.getElementById(id);"
            " return img.complete && img.naturalWidth > 0; })",
            timeout=60_000,
        )

        with page.expect_download() as download:
            page.click("#save")
        assert download.value.suggested_filename == "marketing_owns_inside_sales_workshop.yaml"
        page.screenshot(path=tmp_path / "workshop.png", full_page=True)
        assert (tmp_path / "workshop.png").stat().st_size > 10_000


def test_asking_when_the_other_design_would_win_shows_the_sentence_and_the_boxes(
    server, few_points, tmp_path
):
    with step_two_in_chromium(server) as page:
        assert f"{few_points} samples of 30 assumptions" in page.inner_text("#discover-cost")
        page.click("#discover-run")
        assert page.is_disabled("#discover-run")
        page.wait_for_selector("#discover-bar", state="visible")
        page.wait_for_selector("#discover-progress[data-done=true]", timeout=120_000)
        sentence = page.inner_text("#discover-sentence")
        designs = page.eval_on_selector_all(
            "#means th", "cells => cells.slice(1).map((c) => c.textContent)"
        )
        assert any(sentence.startswith(f"{design} lowers cost per win") for design in designs)
        assert "Wins over the samples" in page.inner_text("#discover-more")
        page.wait_for_function(
            "() => { const img = document.getElementById('regions');"
            " return !img.hidden && img.complete && img.naturalWidth > 0; }",
            timeout=60_000,
        )
        assert page.is_enabled("#discover-run")
        page.screenshot(path=tmp_path / "discover.png", full_page=True)
        page.click("#projector")
        assert page.inner_text("#discover-sentence") == sentence
        height = page.eval_on_selector("#regions", "img => img.clientHeight")
        assert height <= 0.85 * 720 + 1  # the whole figure fits on the projected screen

        page.check("#lever-org-sla-enabled")  # a new run: the old answer goes
        page.wait_for_selector("#discover-sentence", state="hidden")
        assert page.get_attribute("#regions", "src") is None
