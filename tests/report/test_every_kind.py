"""Every kind of results directory gets a report that records how it was made and opens whole.

Each directory is made once per session by its own command, as small as the
command allows (two months, two or three replications), so the reports are
of real files; the browser opens all of them in one headless Chromium.
"""

from __future__ import annotations

import importlib.util
import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim.cli import main

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SALES = str(SCENARIOS / "sales_owns_inside_sales.yaml")
SALES_SLA = str(SCENARIOS / "sales_owns_inside_sales_with_sla.yaml")
MARKETING_SLA = str(SCENARIOS / "marketing_owns_inside_sales_with_sla.yaml")
COMPANY = Path(__file__).resolve().parents[1] / "calibration" / "companies" / "small_company.yaml"
SHORT = ["--set", "calendar.months=2", "--set", "calendar.warm_up_months=0", "--workers", "1"]
SEED = ["--seed", "5"]
CHROMIUM = Path("/usr/bin/chromium")

COMMANDS = {
    "run": ["run", SALES, "--reps", "2", *SEED, *SHORT],
    "compare": ["compare", SALES_SLA, MARKETING_SLA, "--reps", "2", *SEED, *SHORT],
    "sweep": ["sweep", SALES, "--vary", "teams.sdr.headcount=6:8:2", "--reps", "2", *SEED, *SHORT],
    "sensitivity": [
        "sensitivity", SALES, "--param", "teams.sdr.headcount=6:10", "--reps", "2", *SEED, *SHORT,
    ],
    "explain": ["explain", SALES, SALES_SLA, "--reps", "2", *SEED, *SHORT],
    "discover": [
        "discover", SALES, MARKETING_SLA, "--samples", "10", "--reps", "2",
        "--param", "org.sla.compliance=0.6:1", "--param", "teams.sdr.headcount=6:10",
        *SEED, *SHORT,
    ],
    "optimize": [
        "optimize", SALES, "--vary", "teams.sdr.headcount=6:8:int", "--minimize", "cost_per_win",
        "--budget", "3", "--reps", "2", "--candidates", "2", "--delta", "1e9", *SEED, *SHORT,
    ],
}  # fmt: skip
"""The command that makes each kind of directory, as small as it allows."""

NEEDS = {"discover": "ema_workbench", "optimize": None, "calibrate": "pyabc"}


def available(kind: str) -> bool:
    needed = NEEDS.get(kind)
    return needed is None or importlib.util.find_spec(needed) is not None


@pytest.fixture(scope="session")
def study_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One directory of every kind whose extra is installed, by kind."""
    root = tmp_path_factory.mktemp("every_kind")
    runner = CliRunner()
    made = {}
    for kind, command in COMMANDS.items():
        if not available(kind):
            continue
        result = runner.invoke(main, [*command, "--out", str(root / kind)])
        assert result.exit_code == 0, (kind, result.output)
        made[kind] = root / kind
    if available("calibrate"):
        actuals = root / "actuals.csv"
        synthesized = runner.invoke(
            main,
            ["synthesize", str(COMPANY), "--months", "3", "--seed", "1", "--out", str(actuals)],
        )
        assert synthesized.exit_code == 0, synthesized.output
        tiny = [
            "--population",
            "4",
            "--generations",
            "1",
            "--simulations",
            "8",
            "--predictive",
            "3",
        ]
        fit = ["calibrate", str(COMPANY), str(actuals), "--param", "demand.leads_per_month=150:600"]
        result = runner.invoke(main, [*fit, *tiny, *SEED, "--out", str(root / "calibrate")])
        assert result.exit_code == 0, result.output
        made["calibrate"] = root / "calibrate"
    return made


@pytest.fixture(scope="session")
def reports(study_dirs: dict[str, Path]) -> dict[str, Path]:
    """``orgsim report DIR`` of every directory, and one of a comparison with its explanation."""
    made = {}
    for kind, directory in study_dirs.items():
        result = CliRunner().invoke(main, ["report", str(directory)])
        assert result.exit_code == 0, (kind, result.output)
        made[kind] = directory / "report.html"
    out = study_dirs["compare"].parent / "compare_explained.html"
    both = [str(study_dirs["compare"]), str(study_dirs["explain"]), "--out", str(out)]
    assert CliRunner().invoke(main, ["report", *both]).exit_code == 0
    made["compare+explain"] = out
    return made


def test_every_kind_of_directory_is_reported_with_its_seed_replications_and_version(reports):
    assert {"run", "compare", "sweep", "sensitivity", "explain", "optimize"} <= set(reports)
    for kind, path in reports.items():
        html = unescape(path.read_text(encoding="utf-8"))
        assert html.index('id="verdict"') < html.index('id="figures"'), kind
        repeat = html[html.index('id="repeat"') :]
        assert "not recorded" not in repeat, kind
        assert "<td>5</td>" in repeat, kind  # the seed


def test_a_comparison_report_opens_with_the_answer_and_what_drives_it(reports):
    html = unescape(reports["compare+explain"].read_text(encoding="utf-8"))
    summary = html[html.index('id="verdict"') : html.index('id="figures"')]
    headline = re.search(r'<p class="headline">(.*?)</p>', summary, flags=re.DOTALL)
    assert headline and re.match(
        r"(Keep inside sales|Move inside sales|No clear answer)", headline[1]
    )
    assert "95% CI" in headline[1]
    assert "What drives it (Sales owns inside sales, with a signed SLA against" in summary
    assert "Lowest cost per win of the 2 designs" in summary
    assert "<td>Sales owns inside sales, with a signed SLA</td>" in summary  # judged against it


def test_a_sweep_is_reported_point_by_point_not_pooled(reports):
    html = unescape(reports["sweep"].read_text(encoding="utf-8"))
    assert "over 2 grid points" in html
    assert "SDR headcount" in html and "teams.sdr.headcount" not in html.split('id="repeat"')[0]


def test_the_tornado_and_the_waterfall_reach_their_reports(reports):
    for kind, alt in (
        ("sensitivity", "at each assumption's low and high end"),
        ("explain", "Shapley"),
    ):
        html = unescape(reports[kind].read_text(encoding="utf-8"))
        assert re.search(rf'<img src="data:image/png;base64,[^"]+" alt="[^"]*{alt}', html), kind


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_every_report_opens_in_headless_chromium_with_no_broken_section(reports):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            for kind, path in reports.items():
                page.goto(path.as_uri())
                page.wait_for_load_state("load")
                broken = page.evaluate(
                    "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length"
                )
                assert broken == 0, kind
                if kind != "discover":  # its figures are drawn by discover --plots only
                    assert page.evaluate("document.images.length") > 0, kind
                headline = page.inner_text("#verdict + .verdict .headline")
                assert len(headline) > 20, kind
                # Nothing wider than the page: a table or figure that overflows is cut off.
                wide = page.evaluate(
                    "[...document.querySelectorAll('table, figure, img')]"
                    ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).length"
                )
                assert wide == 0, kind
        finally:
            browser.close()


def test_compare_quotes_what_drives_the_answer_from_an_explain_directory(study_dirs, tmp_path):
    findings = ["--findings", str(study_dirs["explain"])]
    result = CliRunner().invoke(
        main, [*COMMANDS["compare"], *findings, "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 0, result.output
    first, second, *_ = result.stdout.splitlines()
    assert "95% CI" in first
    assert second.startswith("What drives it (Sales owns inside sales, with a signed SLA against")
    # Terminal tables use the registry's names and formats, never internal columns or e-notation.
    assert not re.search(r"rel_diff|rel_t_|p_better|baseline_mean|\de[+-]\d", result.stdout)
    assert "Cost per win" in result.stdout and "$" in result.stdout
    wrong = CliRunner().invoke(main, [*COMMANDS["compare"], "--findings", str(tmp_path)])
    assert wrong.exit_code == 2 and "not an explain or discover directory" in wrong.output


def test_a_calibration_report_says_which_parameters_the_data_pinned_down(reports, study_dirs):
    if "calibrate" not in reports:
        pytest.skip("pyabc is not installed")
    document = json.loads((study_dirs["calibrate"] / "calibration.json").read_text())
    html = unescape(reports["calibrate"].read_text(encoding="utf-8"))
    summary = html[html.index('id="verdict"') : html.index('id="figures"')]
    assert document["what_the_data_decided"] in summary
