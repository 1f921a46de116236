"""Each figure draws real results with the labels, legend entries and marks a reader needs."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from fixtures.results import contributions, sweep_table, tornado_table
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from orgsim.analysis import kpi_info, paired_differences, summarize
from orgsim.kpis import REPORT_KPIS
from orgsim.plots import (
    contributions_waterfall,
    funnel,
    kpi_distributions,
    manager_hours,
    monthly_band,
    paired_forest,
    sdr_seats,
    sweep_curve,
    tornado,
)
from orgsim.plots.forest import OUTCOMES, outcome
from orgsim.plots.funnel import RATES, STAGE_NAMES, STAGES
from orgsim.plots.style import STYLE
from orgsim.scenario.labels import setting_title


def legend_texts(figure: Figure) -> list[str]:
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def unwrapped(labels: list) -> list[str]:
    return [label.get_text().replace("\n", " ") for label in labels]


def bands(ax: plt.Axes) -> list[PolyCollection]:
    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def bars(ax: plt.Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_distributions_show_each_scenario_with_its_mean_and_interval(replications, names):
    figure = kpi_distributions(replications, "cost_per_opportunity")
    (ax,) = figure.axes
    assert ax.get_xlabel() == "Cost per opportunity ($)"
    assert "Cost per opportunity" in ax.get_title(loc="left")
    assert unwrapped(ax.get_yticklabels()) == names[::-1]
    violins = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(violins) == len(names)
    assert {"Mean", "95% CI of the mean"} <= set(legend_texts(figure))
    summary = summarize(replications, kpis=["cost_per_opportunity"])
    expected = {f"mean {kpi_info('cost_per_opportunity').format(m)}" for m in summary["mean"]}
    assert {t.get_text() for t in ax.texts} == expected
    intervals = [c for c in ax.collections if isinstance(c, LineCollection)]
    ends = sorted(tuple(np.sort(seg[:, 0])) for c in intervals for seg in c.get_segments())
    expected_ends = sorted(zip(summary["ci_low"], summary["ci_high"], strict=True))
    np.testing.assert_allclose(np.array(ends), np.array(expected_ends))


def test_funnel_draws_every_stage_and_rate_per_scenario(replications, names):
    figure = funnel(replications)
    volumes, rates = figure.axes
    assert unwrapped(volumes.get_xticklabels()) == list(STAGE_NAMES)
    assert volumes.get_yscale() == "log"
    assert "log scale" in volumes.get_ylabel()
    assert rates.get_ylabel().replace("\n", " ") == "Conversion rate (%)"
    assert len(bars(volumes)) == len(names) * len(STAGES)
    assert len(bars(rates)) == len(names) * len(RATES)
    assert legend_texts(figure) == names
    means = summarize(replications, kpis=["leads"])["mean"].to_numpy()
    heights = [p.get_height() for p in bars(volumes)][:: len(STAGES)]
    assert heights == pytest.approx(means)
    labels = {t.get_text() for t in rates.texts}
    first_rate = summarize(replications, kpis=["lead_to_mql"])["mean"].iloc[0]
    assert kpi_info("lead_to_mql").format(first_rate) in labels


@pytest.mark.parametrize(
    ("column", "ylabel"),
    [("sqls", "SQLs per month"), ("leads", "Leads per month"), ("pipeline_open", "Open pipeline")],
)
def test_monthly_band_has_a_median_and_band_per_scenario(monthly, names, column, ylabel):
    figure = monthly_band(monthly, column)
    (ax,) = figure.axes
    assert ax.get_ylabel() == ylabel
    assert ax.get_xlabel() == "Month"
    assert len(bands(ax)) == len(names)
    texts = legend_texts(figure)
    assert texts[: len(names)] == names
    assert "5th–95th percentile of replications" in texts
    median_lines = [line for line in ax.lines if line.get_label() in names]
    first = monthly[monthly["scenario"] == names[0]].groupby("month")[column].median()
    assert median_lines[0].get_ydata() == pytest.approx(first.to_numpy())


def test_forest_colours_each_interval_by_whether_it_is_better(replications, names):
    differences = paired_differences(replications, names[0], kpis=list(REPORT_KPIS))
    figure = paired_forest(differences)
    panels = [ax for ax in figure.axes if ax.get_visible()]
    assert [ax.get_title().replace("\n", " ") for ax in panels] == names[1:]
    labels = unwrapped(panels[0].get_yticklabels())
    assert labels[:2] == [
        "Cost per win (lower is better)",
        "Cost per opportunity (lower is better)",
    ]
    assert "SQLs (higher is better)" in labels
    assert panels[0].get_xlabel() == "Relative change of the mean (%)"
    assert names[0] in figure.get_suptitle()
    for ax, scenario in zip(panels, names[1:], strict=True):
        rows = differences[differences["scenario"] == scenario]
        expected = [
            OUTCOMES[outcome(r.direction, r.rel_t_low, r.rel_t_high)][1] for r in rows.itertuples()
        ]
        drawn = [to_hex(c.get_color()[0]).upper() for c in ax.collections]
        assert drawn == [e.upper() for e in expected]
        assert any(line.get_xdata()[0] == 0 for line in ax.lines)
    assert set(legend_texts(figure)) <= {text for text, _ in OUTCOMES.values()}


@pytest.mark.parametrize(
    ("direction", "low", "high", "expected"),
    [
        ("lower", -0.2, -0.1, "better"),
        ("lower", 0.1, 0.2, "worse"),
        ("higher", 0.1, 0.2, "better"),
        ("higher", -0.2, -0.1, "worse"),
        ("higher", -0.1, 0.2, "unclear"),
        ("neutral", 0.1, 0.2, "changed"),
    ],
)
def test_outcome_follows_the_kpis_better_direction(direction, low, high, expected):
    assert outcome(direction, low, high) == expected


def test_sweep_curve_draws_the_mean_with_both_bands():
    table = sweep_table()
    key = "management.sdr_manager.time.planned_share"
    figure = sweep_curve(table, key, "cost_per_opportunity")
    (ax,) = figure.axes
    assert ax.get_xlabel() == setting_title(key) == "SDR manager's planned share of week"
    assert ax.get_ylabel() == "Cost per opportunity ($)"
    assert len(bands(ax)) == 2
    (curve,) = ax.lines
    rows = table[table["kpi"] == "cost_per_opportunity"].sort_values(key)
    assert curve.get_xdata() == pytest.approx(rows[key].to_numpy())
    assert curve.get_ydata() == pytest.approx(rows["mean"].to_numpy())
    texts = legend_texts(figure)
    assert {"Sales owns inside sales", "95% CI of the mean", "5th–95th percentile"} <= set(texts)


def test_sweep_curve_reads_a_plain_table_of_one_kpi():
    table = pd.DataFrame(
        {"x": [1, 2, 3], "mean": [3.0, 2.0, 1.0], "ci_low": [2.5, 1.5, 0.5], "ci_high": [4, 3, 2]}
    )
    figure = sweep_curve(table, "x", "sqls")
    (ax,) = figure.axes
    assert len(bands(ax)) == 1
    assert "5th–95th percentile" not in legend_texts(figure)


def test_tornado_puts_the_widest_swing_on_top_and_names_inert_settings():
    table = tornado_table()
    figure = tornado(table)
    (ax,) = figure.axes
    assert ax.get_xlabel() == "Cost per win ($)"  # the headline KPI by default
    swing = (table["kpi_at_high"] - table["kpi_at_low"]).abs()
    widest_first = table.assign(swing=swing).sort_values("swing", ascending=False)["parameter"]
    assert unwrapped(ax.get_yticklabels())[::-1] == [setting_title(k) for k in widest_first]
    assert "." not in "".join(unwrapped(ax.get_yticklabels()))  # no raw dotted key
    inert = swing == 0
    assert len(bars(ax)) == 2 * int((~inert).sum())
    assert any(t.get_text().startswith("no change") for t in ax.texts) == bool(inert.any())
    assert legend_texts(figure) == ["Setting at its low value", "Setting at its high value"]
    assert any(line.get_xdata()[0] == table["base"].iloc[0] for line in ax.lines)


def test_tornado_rejects_a_table_without_its_columns():
    with pytest.raises(ValueError, match="kpi_at_high"):
        tornado(pd.DataFrame({"parameter": ["x"], "low_value": [1], "high_value": [2]}))


def test_waterfall_steps_add_up_to_the_total():
    table, total = contributions()
    figure = contributions_waterfall(table, total)
    (ax,) = figure.axes
    assert unwrapped(ax.get_yticklabels()) == [*table["group"], "Total difference"]
    steps = bars(ax)
    assert [p.get_width() for p in steps[:-1]] == pytest.approx(table["mean"].to_numpy())
    assert steps[-1].get_width() == pytest.approx(total.mean)
    assert steps[-2].get_x() + steps[-2].get_width() == pytest.approx(total.mean)
    assert ax.get_xlabel() == "Contribution to the difference in cost per win ($)"
    assert "Total (sum of the steps)" in legend_texts(figure)


def test_manager_hours_draws_planned_and_spent_per_scenario(monthly, names):
    figure = manager_hours(monthly)
    (ax,) = figure.axes
    assert ax.get_ylabel() == "Manager hours on SDRs per month"
    assert ax.get_xlabel() == "Month"
    texts = legend_texts(figure)
    assert texts[: len(names)] == names
    assert {"Planned", "Spent (median)"} <= set(texts)
    dashed = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(dashed) == len(names)
    planned = monthly[monthly["scenario"] == names[0]].groupby("month")
    assert dashed[0].get_ydata() == pytest.approx(
        planned["manager_hours_sdr_planned"].median().to_numpy()
    )


def test_sdr_seats_shows_filled_and_vacant_seats(monthly, names):
    figure = sdr_seats(monthly)
    filled, vacant = figure.axes
    assert filled.get_ylabel() == "Filled seats"
    assert vacant.get_ylabel() == "Vacant seats"
    assert vacant.get_xlabel() == "Month"
    assert len(bands(filled)) == len(bands(vacant)) == len(names)
    assert legend_texts(figure)[: len(names)] == names


def test_figures_leave_pyplot_and_global_style_alone(replications):
    before = dict(mpl.rcParams)
    figures = plt.get_fignums()
    figure = kpi_distributions(replications)
    assert plt.get_fignums() == figures
    assert dict(mpl.rcParams) == before
    figure.canvas.draw()
    (ax,) = figure.axes
    sizes = {label.get_fontsize() for label in ax.get_xticklabels()}
    assert sizes == {STYLE["xtick.labelsize"]}


def test_money_axes_have_thousands_separators(replications):
    figure = kpi_distributions(replications)
    figure.canvas.draw()
    (ax,) = figure.axes
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert labels
    assert all(label.startswith("$") for label in labels)
    assert any("," in label for label in labels)


def outside(figure: Figure) -> list[str]:
    """The titles, axis labels and tick labels whose drawn extent leaves the figure (none, if fine)."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    page = figure.bbox
    texts = [figure._suptitle] if figure._suptitle is not None else []
    for ax in figure.axes:
        texts += [ax.title, ax._left_title, ax.xaxis.label, ax.yaxis.label]
        # Only the ticks in view are drawn; matplotlib keeps labels for some just beyond.
        low, high = sorted(ax.get_xlim())
        texts += [t for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
        low, high = sorted(ax.get_ylim())
        texts += [t for t in ax.get_yticklabels() if low <= t.get_position()[1] <= high]
    found = []
    for text in texts:
        if not text.get_text() or not text.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if (
            box.x0 < page.x0 - 1
            or box.x1 > page.x1 + 1
            or box.y0 < page.y0 - 1
            or box.y1 > page.y1 + 1
        ):
            found.append(text.get_text())
    return found


def test_the_tornado_title_and_labels_stay_inside_the_figure():
    """Long setting labels push the axes right; the title must not run off the figure's edge."""
    table = tornado_table()
    figure = tornado(table, kpi="cost_per_opportunity")
    assert outside(figure) == []
    assert figure._suptitle is not None and figure._suptitle.get_text().startswith("What moves")


def test_the_funnels_rate_scale_stops_at_100_percent(replications):
    figure = funnel(replications)
    rates = figure.axes[1]
    assert max(rates.get_yticks()) <= 1.0
    assert outside(figure) == []


def test_sweep_and_monthly_figures_keep_their_text_inside(monthly):
    assert (
        outside(sweep_curve(sweep_table(), "management.sdr_manager.time.planned_share", "sqls"))
        == []
    )
    assert outside(monthly_band(monthly, "sqls")) == []


def test_many_scenarios_fade_the_monthly_bands_so_overlaps_stay_legible(monthly):
    """Eight overlapping fills at a fixed alpha turn brown: each fades with the number of bands."""
    many = pd.concat(
        [monthly.assign(scenario=f"{name} {i}") for i, name in enumerate(["a"] * 8)],
        ignore_index=True,
    )
    (ax,) = monthly_band(many, "sqls").axes
    fills = bands(ax)
    assert len(fills) == 8
    assert max(fill.get_alpha() for fill in fills) * 8 <= 0.5


def test_the_waterfalls_values_stay_inside_its_plot_area():
    """Each value is written past its interval's end; it must not run into the tick labels."""
    table, total = contributions()
    figure = contributions_waterfall(table, total, kpi="cost_per_opportunity")
    assert outside(figure) == []
    (ax,) = figure.axes
    renderer = FigureCanvasAgg(figure).get_renderer()
    area = ax.get_window_extent(renderer)
    for text in ax.texts:
        box = text.get_window_extent(renderer)
        assert area.x0 <= box.x0 and box.x1 <= area.x1, text.get_text()
