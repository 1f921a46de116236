"""The built package carries the shipped scenarios and deck, so they work outside a clone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from orgsim.workshop.deck import load_deck

ROOT = Path(__file__).parent.parent

CHECK = """
from pathlib import Path
import orgsim
from orgsim.workshop import DEFAULT_DECK, load_deck
assert Path(orgsim.__file__).is_relative_to(Path.cwd()), orgsim.__file__
print(DEFAULT_DECK.relative_to(Path.cwd()).as_posix(), len(load_deck(DEFAULT_DECK).steps))
"""


def test_the_wheel_carries_the_deck_and_its_scenarios(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        # What the wheel carries, not what it compiles: test_compiled checks the compiled build.
        env={**os.environ, "ORGSIM_COMPILE": "0"},
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("orgsim-*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)

    found = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert found.returncode == 0, found.stderr
    shipped = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    steps = len(load_deck(ROOT / "scenarios" / "decks" / "workshop.yaml").steps)
    assert found.stdout.split() == ["orgsim/shipped/decks/workshop.yaml", str(steps)]
    assert sorted(p.name for p in (site / "orgsim" / "shipped").glob("*.yaml")) == shipped
