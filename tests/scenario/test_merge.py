"""Deep merge of scenario layers: mappings merge, lists and scalars replace, origins follow values."""

from __future__ import annotations

from orgsim.scenario.document import Document
from orgsim.scenario.errors import Origin
from orgsim.scenario.merge import merge

PARENT = Document(
    {"teams": {"sdr": {"headcount": 8, "hours_per_week": 40}}, "tags": [1, 2], "name": "p"},
    {
        ("teams",): Origin("p.yaml", 1),
        ("teams", "sdr"): Origin("p.yaml", 2),
        ("teams", "sdr", "headcount"): Origin("p.yaml", 3),
        ("teams", "sdr", "hours_per_week"): Origin("p.yaml", 4),
        ("tags",): Origin("p.yaml", 5),
        ("name",): Origin("p.yaml", 6),
    },
)


def layer(data: dict, file: str = "c.yaml") -> Document:
    """A document whose every key path was written on line 1 of ``file``."""

    def paths(node: object, prefix: tuple) -> list[tuple]:
        if not isinstance(node, dict):
            return []
        return [p for k, v in node.items() for p in [(*prefix, k), *paths(v, (*prefix, k))]]

    return Document(data, {path: Origin(file, 1) for path in paths(data, ())})


def test_mappings_merge_key_by_key() -> None:
    merged = merge(PARENT, layer({"teams": {"sdr": {"headcount": 3}}}))
    assert merged.data["teams"] == {"sdr": {"headcount": 3, "hours_per_week": 40}}


def test_lists_and_scalars_replace() -> None:
    merged = merge(PARENT, layer({"tags": [3], "name": "c"}))
    assert merged.data["tags"] == [3]
    assert merged.data["name"] == "c"


def test_a_mapping_replaces_a_scalar_and_a_scalar_replaces_a_mapping() -> None:
    merged = merge(PARENT, layer({"name": {"dist": "constant", "value": 1}, "teams": 5}))
    assert merged.data == {"teams": 5, "tags": [1, 2], "name": {"dist": "constant", "value": 1}}
    assert ("teams", "sdr") not in merged.origins


def test_a_distribution_merges_with_its_own_kind_and_is_replaced_by_another() -> None:
    base = layer({"fit": {"dist": "beta", "mean": 0.3, "sd": 0.1}}, "p.yaml")
    assert merge(base, layer({"fit": {"mean": 0.4}})).data["fit"] == {
        "dist": "beta",
        "mean": 0.4,
        "sd": 0.1,
    }
    swapped = merge(base, layer({"fit": {"dist": "uniform", "low": 0, "high": 1}}))
    assert swapped.data["fit"] == {"dist": "uniform", "low": 0, "high": 1}
    assert ("fit", "mean") not in swapped.origins


def test_origins_follow_the_layer_that_wrote_each_value() -> None:
    merged = merge(PARENT, layer({"teams": {"sdr": {"headcount": 3}}}))
    assert merged.origins[("teams", "sdr", "headcount")] == Origin("c.yaml", 1)
    assert merged.origins[("teams", "sdr", "hours_per_week")] == Origin("p.yaml", 4)
    assert merged.origins[("teams",)] == Origin("p.yaml", 1)


def test_merge_leaves_its_inputs_untouched() -> None:
    before = repr(PARENT)
    merge(PARENT, layer({"teams": {"sdr": {"headcount": 3}}, "tags": []}))
    assert repr(PARENT) == before
