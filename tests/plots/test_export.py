"""Figures reach disk whole, as PNG and SVG, and the standard set follows what the tables hold."""

from __future__ import annotations

from orgsim.analysis import paired_differences
from orgsim.kpis import REPORT_KPIS
from orgsim.plots import kpi_distributions, png_bytes, save_figure, standard_figures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_save_figure_writes_png_and_svg_and_leaves_no_temporary_file(replications, tmp_path):
    figure = kpi_distributions(replications)
    written = save_figure(figure, tmp_path / "figures", "cost")
    assert written == {
        "png": tmp_path / "figures" / "cost.png",
        "svg": tmp_path / "figures" / "cost.svg",
    }
    assert written["png"].read_bytes().startswith(PNG_SIGNATURE)
    assert "<svg" in written["svg"].read_text(encoding="utf-8")[:2000]
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == ["cost.png", "cost.svg"]


def test_save_figure_replaces_a_previous_file(replications, tmp_path):
    (tmp_path / "cost.svg").write_text("old", encoding="utf-8")
    written = save_figure(kpi_distributions(replications), tmp_path, "cost")
    assert "<svg" in written["svg"].read_text(encoding="utf-8")[:2000]
    assert "<dc:date>" not in written["svg"].read_text(encoding="utf-8")


def test_png_bytes_is_a_png(replications):
    assert png_bytes(kpi_distributions(replications)).startswith(PNG_SIGNATURE)


def test_standard_figures_follow_the_tables(replications, monthly, names):
    differences = paired_differences(replications, names[0], kpis=list(REPORT_KPIS))
    full = [spec.name for spec in standard_figures(replications, monthly, differences)]
    assert full == [
        "cost_per_win",
        "cost_per_opportunity",
        "funnel",
        "paired_differences",
        "monthly_sqls",
        "monthly_leads",
        "monthly_pipeline_open",
        "manager_hours",
        "sdr_seats",
    ]
    assert "paired_differences" not in [s.name for s in standard_figures(replications, monthly)]
    narrow = replications[["scenario", "replication", "cost_per_opportunity"]]
    assert [spec.name for spec in standard_figures(narrow)] == ["cost_per_opportunity"]
    no_months = standard_figures(replications, monthly.iloc[:0], differences.iloc[:0])
    assert [spec.name for spec in no_months] == ["cost_per_win", "cost_per_opportunity", "funnel"]


def test_each_standard_figure_draws(replications, monthly):
    for spec in standard_figures(replications.head(12), monthly.head(6)):
        assert spec.draw().axes, spec.name
