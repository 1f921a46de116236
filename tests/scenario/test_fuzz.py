"""A bounded fuzz of scenario files: ``validate`` accepts a file or lists its problems, nothing else.

Files are random YAML trees over the schema's own keys (so most of them reach
deep into validation) holding hostile values: huge, tiny and non-finite
numbers, long texts, wrong types, nested collections and aliases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgsim.scenario import Scenario, validate_files
from orgsim.scenario.settings import flatten_settings

KEYS = sorted(flatten_settings(Scenario().model_dump(mode="json", by_alias=True)))
"""Every dotted key of a resolved scenario, distribution parameters included."""

HOSTILE_NUMBERS = st.sampled_from(
    [0, -1, 1, 1e-300, -1e-300, 1e300, -1e300, 1.7e308, 1e24, 1e15, 10**40, 0.5, 1000]
)
SCALARS = st.one_of(
    HOSTILE_NUMBERS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.booleans(),
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["beta", "lognormal", "gamma", "triangular", "cost_per_opp", "x" * 500]),
)
DISTRIBUTIONS = st.fixed_dictionaries(
    {"dist": st.sampled_from(["beta", "lognormal", "gamma", "triangular", "uniform", "nope"])},
    optional={
        name: HOSTILE_NUMBERS
        for name in ("mean", "sd", "median", "sigma", "low", "mode", "high", "value")
    },
)
VALUES = st.recursive(
    st.one_of(SCALARS, DISTRIBUTIONS),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def nest(settings_: dict[str, Any]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for dotted, value in settings_.items():
        node = tree
        *parents, last = dotted.split(".")
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[last] = value
    return tree


SCENARIOS = st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=8).map(nest)


def as_yaml(tree: dict[str, Any], shared: Any) -> str:
    """``tree`` as YAML, with ``shared`` written once and referred to from two keys by alias."""
    tree = {**tree, "name": shared, "description": shared}
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=SCENARIOS, shared=VALUES)
def test_validate_accepts_a_file_or_lists_its_problems(tmp_path: Path, tree, shared) -> None:
    path = tmp_path / "fuzzed.yaml"
    path.write_text(as_yaml(tree, shared), encoding="utf-8")
    found = validate_files([path])
    assert list(found) == [str(path)]
    for problem in found[str(path)]:
        assert problem.message
        assert len(str(problem)) < 2000


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@ \n\t\x00\x85,?0123.e+")), max_size=200
    )
)
def test_validate_survives_arbitrary_yaml_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "noise.yaml"
    path.write_text(text, encoding="utf-8")
    found = validate_files([path])
    assert list(found) == [str(path)]


FRAGMENTS = [
    "seed: " + "9" * 5000,
    "description: &d [*d]",
    "name: &n {a: *n}",
    "x: &a [ha, ha, ha]\ny: [*a, *a, *a]",
    "teams: {sdr: {headcount: 1e24}}",
    "demand: {fit: {dist: beta, mean: 0.3, sd: 1e-300}}",
    "selling: {deal_size: {dist: lognormal, median: 25000, sigma: 1000}}",
    "sensitivity: {kpi: cost_per_opp, parameters: {demand.leads_per_month: [1, .nan]}}",
    "<<: {name: merged}",
    "m: &m {k: 1}\nn: {<<: [*m, *m]}",
    "name: !!binary aGVsbG8=",
    "name: !!python/object:os.system echo",
    'extends: "a\\0b"',
    "extends: .",
    "extends: [a, b]",
    "calendar: {months: 0x" + "f" * 200 + "}",
    "replications: 1000000000000",
    "? [a, b]\n: c",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4, unique=True))
def test_validate_refuses_hostile_fragments_with_problems(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    found = validate_files([path])
    assert list(found) == [str(path)]
