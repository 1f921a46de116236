"""Every command's output directory appears whole or not at all, and --force replaces it whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim import cli
from orgsim.experiment import staged_directory

QUICK = ["--reps", "2", "--seed", "1", "--workers", "1", "--set", "calendar.months=1"]


def invoke(*args: object) -> None:
    result = CliRunner().invoke(cli.main, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output


def test_a_forced_comparison_of_fewer_designs_leaves_no_stale_scenario(baseline_path, tmp_path):
    out = tmp_path / "d"
    invoke("compare", baseline_path, baseline_path, baseline_path, *QUICK, "--out", out)
    assert (out / "scenario_3.yaml").is_file()

    invoke("compare", baseline_path, baseline_path, *QUICK, "--out", out, "--force")

    assert sorted(path.name for path in out.iterdir()) == [
        "comparison.json",
        "differences.csv",
        "differences.json",
        "monthly.csv",
        "pairs.csv",
        "replications.csv",
        "scenario_1.yaml",
        "scenario_2.yaml",
    ]


def test_a_forced_sweep_without_plots_leaves_no_stale_figure(baseline_path, tmp_path):
    out = tmp_path / "sweep"
    grid = ["--vary", "teams.sdr.headcount=2:4:2"]
    invoke("sweep", baseline_path, *grid, *QUICK, "--out", out, "--plots")
    assert (out / "sweep_cost_per_win.png").is_file()

    invoke("sweep", baseline_path, *grid, *QUICK, "--out", out, "--force")

    assert sorted(path.name for path in out.iterdir()) == [
        "replications.csv",
        "study.json",
        "sweep.csv",
    ]
    assert list(tmp_path.iterdir()) == [out]  # no staging directory left beside it


def test_a_failure_while_filling_keeps_the_previous_directory_untouched(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.csv").write_text("a\n")

    with pytest.raises(RuntimeError), staged_directory(out, force=True) as staging:
        (staging / "new.csv").write_text("b\n")
        raise RuntimeError("the figures failed")

    assert [path.name for path in tmp_path.iterdir()] == ["out"]
    assert [path.name for path in out.iterdir()] == ["kept.csv"]


def test_extending_moves_the_new_files_in_beside_the_existing_ones(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.csv").write_text("a\n")
    (out / "figure.png").write_bytes(b"old")

    with staged_directory(out, extend=True) as staging:
        (staging / "figure.png").write_bytes(b"new")
        (staging / "added.svg").write_bytes(b"svg")

    assert sorted(path.name for path in out.iterdir()) == ["added.svg", "figure.png", "kept.csv"]
    assert (out / "figure.png").read_bytes() == b"new"
    assert (out / "kept.csv").read_text() == "a\n"
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_an_interrupted_extension_adds_nothing(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "kept.csv").write_text("a\n")

    with pytest.raises(KeyboardInterrupt), staged_directory(out, extend=True) as staging:
        (staging / "figure.png").write_bytes(b"half")
        raise KeyboardInterrupt

    assert [path.name for path in out.iterdir()] == ["kept.csv"]
    assert [path.name for path in tmp_path.iterdir()] == ["out"]
