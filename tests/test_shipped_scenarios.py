"""Every scenario shipped in scenarios/ is valid (the README's first command relies on it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgsim.scenario import validate_files

SHIPPED = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[path.name for path in SHIPPED])
def test_shipped_scenario_is_valid(path: Path) -> None:
    assert validate_files([path]) == {str(path): []}
