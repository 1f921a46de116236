"""End to end: the page in headless chromium, a lever moved, the verdict and the figures redrawn."""

from __future__ import annotations

from pathlib import Path

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


def test_moving_a_lever_redraws_the_verdict_and_the_figure(server, tmp_path):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(server)
            page.get_by_text("Marketing owns, as planned").click()
            page.wait_for_selector(FINAL, timeout=60_000)
            verdict = page.inner_text("#verdict")
            figure = page.get_attribute("#figure", "src")
            assert "Marketing owns inside sales (as planned)" in verdict
            means = page.inner_text("#means")  # rows, labels and numbers as the registry has them
            assert "Cost per win" in means and "$" in means
            figure_bytes = page.request.get(server.rstrip("/") + figure).body()

            page.check("#lever-org-sla-enabled")
            page.wait_for_function(
                "([old]) => document.querySelector('#verdict').textContent !== old"
                " && document.querySelector('#progress').dataset.done === 'true'",
                arg=[verdict],
                timeout=60_000,
            )
            page.wait_for_function(
                "([old]) => { const img = document.querySelector('#figure');"
                " return img.getAttribute('src') !== old && img.complete; }",
                arg=[figure],
                timeout=60_000,
            )
            assert "(workshop settings)" in page.inner_text("#verdict")
            new_figure = page.get_attribute("#figure", "src")
            assert new_figure != figure
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
        finally:
            browser.close()
