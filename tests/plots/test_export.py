"""Figures reach disk whole, as PNG and SVG, and the standard set follows what the tables hold."""

from __future__ import annotations

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
    full = [spec.name for spec in standard_figures(replications, monthly)]
    assert full == [
        "cost_per_opportunity",
        "funnel",
        "paired_differences",
        "monthly_sqls",
        "monthly_leads",
        "monthly_pipeline_open",
        "manager_hours",
        "sdr_seats",
    ]
    one = replications[replications["scenario"] == names[0]]
    assert [spec.name for spec in standard_figures(one)] == ["cost_per_opportunity", "funnel"]
    narrow = replications[["scenario", "replication", "cost_per_opportunity"]]
    assert [spec.name for spec in standard_figures(narrow)] == [
        "cost_per_opportunity",
        "paired_differences",
    ]


def test_standard_figures_compare_against_the_chosen_baseline(replications, names):
    (forest,) = [
        s
        for s in standard_figures(replications, baseline=names[1])
        if s.name == "paired_differences"
    ]
    figure = forest.draw()
    assert names[1] in figure.get_suptitle()
    titles = [ax.get_title().replace("\n", " ") for ax in figure.axes if ax.get_visible()]
    assert titles == [names[0], names[2]]
