"""The report is one self-contained file: verdict first, figures that decode, KPIs, settings, seeds."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import subprocess
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from fixtures.results import scenario, simulate, write_run
from matplotlib.image import imread

import orgsim
from orgsim.analysis import kpi_info, paired_differences, summarize, verdicts
from orgsim.cli import main
from orgsim.kpis import REPORT_KPIS
from orgsim.report import build_report, read_run, write_figures
from orgsim.report.comparison import compare_runs

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def deck_report(run_dirs, tmp_path_factory) -> tuple[Path, dict, str]:
    """The deck's report made by ``orgsim report --format json``: file, printed JSON, text."""
    out = tmp_path_factory.mktemp("report") / "deck.html"
    result = CliRunner().invoke(
        main, ["report", *map(str, run_dirs), "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    return out, json.loads(result.output), out.read_text(encoding="utf-8")


def images(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def test_the_report_is_one_file_that_needs_no_network(deck_report):
    out, printed, html = deck_report
    assert printed["report"] == str(out)
    assert sorted(p.name for p in out.parent.iterdir()) == ["deck.html"]
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert html.startswith("<!DOCTYPE html>")


def test_every_image_is_an_embedded_png(deck_report):
    _, printed, html = deck_report
    tags = images(html)
    assert len(tags) == len(printed["figures"]) == 9
    for tag in tags:
        match = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', tag)
        assert match, tag[:80]
        assert base64.b64decode(match.group(1), validate=True).startswith(PNG_SIGNATURE)
        assert re.search(r'alt="[^"]+"', tag)


def test_the_verdict_comes_first_and_quotes_the_paired_analysis(deck_report, run_dirs):
    _, printed, html = deck_report
    replications = pd.concat([read_run(d).replications for d in run_dirs], ignore_index=True)
    baseline = "Sales owns inside sales"
    assert printed["baseline"] == baseline
    differences = paired_differences(replications, baseline, kpis=["cost_per_win"])
    expected = list(verdicts(differences))
    assert [v for v in printed["verdicts"] if "cost per win" in v] == expected
    assert any("cost per opportunity" in v for v in printed["verdicts"])
    text = unescape(html)
    for sentence in expected:
        assert text.index(sentence) < text.index("<figure>")
    assert text.index('id="verdict"') < text.index('id="figures"') < text.index('id="kpis"')


def test_the_kpi_table_gives_mean_interval_and_percentiles(deck_report, run_dirs):
    _, _, html = deck_report
    replications = read_run(run_dirs[0]).replications
    row = summarize(replications, kpis=["cost_per_opportunity"]).iloc[0]
    fmt = kpi_info("cost_per_opportunity").format
    cells = [fmt(row["mean"]), f"{fmt(row['ci_low'])} to {fmt(row['ci_high'])}"]
    cells += [fmt(row["p5"]), fmt(row["p50"]), fmt(row["p95"])]
    kpis = html[html.index('id="kpis"') : html.index('id="settings"')]
    assert "<th>95% CI of the mean</th>" in kpis.replace(' class="num"', "")
    expected = "".join(f'<td class="num">{c}</td>' for c in cells)
    assert f"<td>Cost per opportunity</td><td>Sales owns inside sales</td>{expected}" in kpis


def test_settings_that_differ_and_how_to_repeat_each_run_are_listed(deck_report, run_dirs):
    _, _, html = deck_report
    settings = html[html.index('id="settings"') : html.index('id="repeat"')]
    assert "<td>policies.end_of_month_diversion.enabled</td><td>false</td>" in settings
    assert "<td>org.inside_sales_reports_to</td><td>sales</td><td>marketing</td>" in settings
    repeat = html[html.index('id="repeat"') :]
    for directory in run_dirs:
        assert f"orgsim run {directory / 'scenario.yaml'} --seed 7 --reps 12" in repeat
    assert repeat.count("<td>0.1.0</td>") == len(run_dirs)


def test_one_run_gets_a_plain_summary_sentence(run_dirs):
    report = build_report([read_run(run_dirs[0])])
    (sentence,) = report.verdicts
    replications = read_run(run_dirs[0]).replications
    mean = summarize(replications, kpis=["cost_per_win"])["mean"].iloc[0]
    assert sentence.startswith("Sales owns inside sales: cost per win averages ")
    assert kpi_info("cost_per_win").format(mean) in sentence
    assert report.baseline is None
    assert "paired_differences" not in report.figures
    assert "nothing to compare" in report.html


def test_runs_with_different_seeds_or_replications_are_compared_with_a_note(run_dirs, tmp_path):
    other = scenario("marketing_owns_inside_sales_as_it_turns_out")
    replications, monthly = simulate(other, replications=10, seed=8)
    write_run(tmp_path / "seed8", other, replications, monthly, seed=8)
    runs = [dataclasses.replace(read_run(run_dirs[0]), monthly=None), read_run(tmp_path / "seed8")]
    report = build_report(runs)
    text = unescape(report.html)
    assert "used different seeds (7, 8)" in text
    assert "Only the 10 replications present in every run are compared" in text
    assert report.verdicts[0].startswith(other.name)


def test_figures_compare_against_the_chosen_baseline(run_dirs, tmp_path):
    runs = [dataclasses.replace(read_run(d), monthly=None) for d in run_dirs]
    baseline = "Marketing owns inside sales (as it turns out)"
    written = write_figures(runs, tmp_path, baseline=baseline)
    assert [f.name for f in written] == [
        "cost_per_win",
        "cost_per_opportunity",
        "funnel",
        "paired_differences",
    ]
    report = build_report(runs, baseline=baseline)
    assert report.baseline == baseline
    assert re.match(r"Sales owns inside sales(:| lowers| raises)", report.verdicts[0])
    assert "cost per win" in report.verdicts[0]
    assert not any(v.startswith(baseline) for v in report.verdicts)


def test_plot_writes_png_and_svg_for_every_figure_a_directory_supports(run_dirs, tmp_path):
    result = CliRunner().invoke(
        main, ["plot", str(run_dirs[1]), "--out", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    names = [figure["name"] for figure in printed["figures"]]
    assert names == [
        "cost_per_win",
        "cost_per_opportunity",
        "funnel",
        "monthly_sqls",
        "monthly_leads",
        "monthly_pipeline_open",
        "manager_hours",
        "sdr_seats",
    ]
    for figure in printed["figures"]:
        assert Path(figure["png"]).read_bytes().startswith(PNG_SIGNATURE)
        assert "<svg" in Path(figure["svg"]).read_text(encoding="utf-8")[:2000]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.{ext}" for name in names for ext in ("png", "svg")
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["plot", "{missing}"], "not a directory"),
        (["report", "{missing}"], "not a directory"),
        (["report", "{run}", "--baseline", "Nobody"], "'Nobody' is not one of the scenarios"),
    ],
)
def test_bad_directories_and_baselines_exit_2_with_a_message(
    run_dirs, tmp_path, arguments, message
):
    filled = [a.format(missing=tmp_path / "absent", run=run_dirs[0]) for a in arguments]
    result = CliRunner().invoke(main, [*filled, "--out", str(tmp_path / "out.html")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless check needs Debian's chromium at /usr/bin/chromium (installed by .ci/run)",
)
def test_the_report_renders_in_headless_chromium(deck_report, tmp_path):
    out, printed, html = deck_report
    probe = tmp_path / "probe.html"
    probe.write_text(
        html.replace(
            "</body>",
            "<script>window.addEventListener('load', () => document.body.setAttribute("
            "'data-broken', [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
            ".length));</script></body>",
        ),
        encoding="utf-8",
    )
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=10000"]
    dom = subprocess.run(
        [str(CHROMIUM), *flags, "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert 'data-broken="0"' in dom
    assert unescape(printed["verdicts"][0]) in unescape(dom)
    shot = tmp_path / "report.png"
    subprocess.run(
        [str(CHROMIUM), *flags, "--window-size=1280,2000", f"--screenshot={shot}", out.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pixels = imread(shot)
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert pixels[..., :3].std() > 0.05


def test_the_report_states_the_verdicts_compare_states_on_the_same_runs(deck_report, run_dirs):
    """One verdict list and one bootstrap: the report of the deck's runs reads as ``compare`` does.

    ``compare`` reruns the deck (same scenarios, seed and replications as the run directories) and
    resamples with the baseline's seed; the report pairs the directories' tables. Same numbers in,
    so the sentences and the bootstrap intervals must be equal, not merely close.
    """
    _, printed, _ = deck_report
    runs = [read_run(d) for d in run_dirs]
    scenarios = [orgsim.load(d / "scenario.yaml") for d in run_dirs]
    comparison = orgsim.compare(scenarios, workers=1, kpis=REPORT_KPIS)
    assert printed["verdicts"] == comparison.verdicts()
    ours = compare_runs(runs, pd.concat([r.replications for r in runs], ignore_index=True))
    assert ours.differences is not None
    columns = ["diff_boot_low", "diff_boot_high", "rel_boot_low", "rel_boot_high"]
    key = ["scenario", "kpi"]
    theirs = comparison.differences.set_index(key).loc[ours.differences.set_index(key).index]
    np.testing.assert_allclose(
        ours.differences[columns].to_numpy(), theirs[columns].to_numpy(), rtol=1e-12
    )
