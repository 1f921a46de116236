"""Property: any mutation of a valid scenario either loads or fails with exit 2 and messages.

Never a traceback: deleted keys, wrong types, unknown keys, NaN/inf/negative
numbers, garbled distributions and corrupted bytes all end as a ScenarioError
whose every line names the file.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.cli import main
from orgsim.scenario import ScenarioError, load, resolved_yaml
from orgsim.scenario.distributions import DIST_NAMES

VALID = yaml.safe_load(resolved_yaml(load(FIXTURES / "marketing.yaml")))

NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**9), 10**9),
    st.sampled_from([-1, 0, 0.5, 1, 1.5, 1e308]),
)
ODD_VALUES = st.one_of(
    NUMBERS,
    st.none(),
    st.booleans(),
    st.text(max_size=12),
    st.lists(NUMBERS, max_size=3),
    st.dictionaries(st.text(max_size=6), NUMBERS, max_size=3),
)
GARBLED_DISTRIBUTIONS = st.fixed_dictionaries(
    {},
    optional={
        "dist": st.sampled_from([*DIST_NAMES, "weibull", "", "Beta"]),
        **{
            key: NUMBERS
            for key in ("value", "median", "sigma", "mean", "sd", "low", "mode", "high")
        },
    },
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def key_paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    if not isinstance(data, dict):
        return []
    return [p for k, v in data.items() for p in [(*prefix, k), *key_paths(v, (*prefix, k))]]


@st.composite
def mutated_scenarios(draw: st.DrawFn) -> dict:
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        paths = key_paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        operation = draw(st.sampled_from(["delete", "replace", "insert", "garble"]))
        if operation == "delete":
            del parent[key]
        elif operation == "replace":
            parent[key] = draw(ODD_VALUES)
        elif operation == "insert":
            target = parent[key] if isinstance(parent[key], dict) else parent
            target[draw(st.text(min_size=1, max_size=12))] = draw(ODD_VALUES)
        else:
            parent[key] = draw(GARBLED_DISTRIBUTIONS)
    return data


def check_outcome(name: str) -> None:
    """Loading either works or raises ScenarioError; the CLI agrees, with exit 0 or 2."""
    try:
        load(name)
        loaded = True
    except ScenarioError as error:
        loaded = False
        assert error.problems
        assert all(str(problem).startswith(name) for problem in error.problems)
    result = CliRunner().invoke(main, ["validate", name])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if loaded:
        assert (result.exit_code, result.stdout) == (0, f"{name}: OK\n")
    else:
        assert result.exit_code == 2
        assert result.stderr.splitlines()[0].startswith(name)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_unmutated_scenario_is_valid(workdir: Path) -> None:
    Path("s.yaml").write_text(yaml.safe_dump(VALID, sort_keys=False), encoding="utf-8")
    assert load("s.yaml") == load(FIXTURES / "marketing.yaml")


@SETTINGS
@given(data=mutated_scenarios())
def test_mutated_scenarios_load_or_fail_with_messages(workdir: Path, data: dict) -> None:
    Path("s.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    check_outcome("s.yaml")


@SETTINGS
@given(position=st.integers(0, 10**6), junk=st.binary(min_size=1, max_size=8))
def test_corrupted_bytes_load_or_fail_with_messages(
    workdir: Path, position: int, junk: bytes
) -> None:
    text = (FIXTURES / "base.yaml").read_bytes()
    at = position % (len(text) + 1)
    Path("s.yaml").write_bytes(text[:at] + junk + text[at:])
    check_outcome("s.yaml")
