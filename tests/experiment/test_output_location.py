"""The output place is checked before any simulating, and --force never leaves the final name empty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from orgsim import cli
from orgsim.experiment import Results, output

QUICK = ["--reps", "2", "--seed", "1", "--workers", "1", "--set", "calendar.months=1"]


def never_simulate(*args, **kwargs):
    raise AssertionError("simulated although the output place was unusable")


def dead_pid() -> int:
    """The id of a process that has just ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait(timeout=60)
    return process.pid


def test_an_out_under_a_regular_file_is_refused_before_simulating(
    baseline_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(cli, "simulate", never_simulate)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a directory")
    out = blocker / "results" / "run"

    result = CliRunner().invoke(cli.main, ["run", str(baseline_path), *QUICK, "--out", str(out)])

    assert result.exit_code == 2, result.output
    assert result.stderr == f"{out}: cannot be created, {blocker} is a file, not a directory\n"
    assert blocker.read_text() == "not a directory"


@pytest.mark.skipif(
    os.geteuid() != 0 or subprocess.run(["unshare", "-rm", "true"]).returncode != 0,
    reason="needs a mount namespace (unshare) for a read-only filesystem",
)
def test_an_out_on_a_read_only_filesystem_is_refused_before_simulating(baseline_path, tmp_path):
    """Root writes through any permission bits, so the place is made read-only by a mount."""
    frozen = tmp_path / "frozen"
    frozen.mkdir()
    out = frozen / "run"
    command = (
        f"mount -t tmpfs -o ro tmpfs {frozen} && exec {sys.executable} -m orgsim run "
        f"{baseline_path} {' '.join(QUICK)} --out {out}"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])}

    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr == f"{out}: cannot write in {frozen} (Read-only file system)\n"


def scenario_yaml_on_a_full_disk(results: object) -> str:
    raise OSError(28, "No space left on device")


def test_a_failed_write_is_a_message_and_leaves_nothing(baseline_path, tmp_path, monkeypatch):
    monkeypatch.setattr(Results, "scenario_yaml", scenario_yaml_on_a_full_disk)
    out = tmp_path / "run"

    result = CliRunner().invoke(cli.main, ["run", str(baseline_path), *QUICK, "--out", str(out)])

    assert result.exit_code == 2, result.output
    assert result.stderr == f"{out}: could not write the results (No space left on device)\n"
    assert list(tmp_path.iterdir()) == []


def set_aside(out: Path, pid: int, kind: str) -> Path:
    path = out.with_name(f".{out.name}.{pid}.{'0' * 32}.{kind}")
    path.mkdir()
    (path / "summary.json").write_text(kind)
    return path


def test_a_run_set_aside_by_a_killed_force_is_restored_and_staging_cleaned(tmp_path):
    out = tmp_path / "run"
    gone = dead_pid()
    set_aside(out, gone, "replaced")
    stale = set_aside(out, gone, "partial")
    live = set_aside(out, os.getpid(), "partial")

    with pytest.raises(output.OutputExistsError):
        output.check_destination(out, force=False)

    assert (out / "summary.json").read_text() == "replaced"
    assert not stale.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, "run"])


def test_a_stale_run_set_aside_beside_a_complete_one_is_deleted(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "summary.json").write_text("new")
    set_aside(out, dead_pid(), "replaced")

    output.check_destination(out, force=True)

    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    assert (out / "summary.json").read_text() == "new"


def test_force_replaces_the_old_run_only_once_the_new_one_is_in_place(
    baseline_path, tmp_path, monkeypatch
):
    out = tmp_path / "run"
    out.mkdir()
    (out / "summary.json").write_text("old")
    seen: list[list[str]] = []
    remove = output._remove

    def look_then_remove(path: Path) -> None:
        seen.append(sorted(p.name for p in out.iterdir()))
        remove(path)

    monkeypatch.setattr(output, "_remove", look_then_remove)
    args = ["run", str(baseline_path), *QUICK, "--out", str(out), "--force"]

    result = CliRunner().invoke(cli.main, args)

    assert result.exit_code == 0, result.output
    assert "scenario.yaml" in seen[0]
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
