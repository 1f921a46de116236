"""Pydantic's validation errors reworded as what a scenario key needs and what it got.

The schema stays the one place where rules live; this module only translates
its errors into the words of the file's author: the key path as written in YAML
(without pydantic's internal union tags), the allowed range or choices, and a
did-you-mean for misspelt keys and names.
"""

from __future__ import annotations

import difflib
import re
import types
from collections.abc import Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Tag
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from orgsim.scenario.bounds import Why
from orgsim.scenario.distributions import DIST_NAMES
from orgsim.scenario.errors import describe_value
from orgsim.scenario.schema import Scenario

_KINDS = {
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be text",
    "model_type": "must be a mapping of keys",
    "finite_number": "must be a finite number",
    "invalid_key": "keys must be text",
}
_BOUNDS = ("greater_than", "greater_than_equal", "less_than", "less_than_equal")


def explain(error: ErrorDetails, data: Mapping[Any, Any]) -> tuple[tuple[Any, ...], str]:
    """The key path of ``error`` as written in the YAML ``data``, and a plain-words message."""
    path, owner, field = _walk(error["loc"])
    path = _as_written(path, data)
    kind = error["type"]
    got = describe_value(error["input"])
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        return path, _unknown_key(path[-1], owner)
    if kind == "missing":
        return path, _missing(owner)
    if kind in _BOUNDS:
        return path, f"{_range(field, ctx)}, got {got}{_why(field, kind)}"
    if kind == "int_parsing_size" and "le" in _field_bounds(field):
        return path, f"{_range(field, ctx)}, got {got}{_why(field, 'less_than')}"
    if kind == "literal_error":
        return path, _not_a_choice(ctx["expected"], error["input"])
    if kind == "union_tag_invalid":
        return path, _unknown_distribution(ctx["tag"], got)
    if kind == "value_error":
        return path, str(ctx["error"])
    if kind in _KINDS:
        return path, f"{_KINDS[kind]}, got {got}"
    return path, f"{error['msg'].replace('Input should be', 'must be')}, got {got}"


def _walk(loc: tuple[int | str, ...]) -> tuple[tuple[Any, ...], type[BaseModel], FieldInfo | None]:
    """Follow ``loc`` through the schema: the YAML key path, the model owning its last key, and that key's field.

    Pydantic puts the union tag of a distribution (``beta``) into ``loc``; such
    tags choose the model to continue with and are left out of the path.
    """
    path: list[Any] = []
    owner: type[BaseModel] = Scenario
    model: type[BaseModel] | None = Scenario
    field: FieldInfo | None = None
    tagged: dict[str, type[BaseModel]] = {}
    for item in loc:
        if isinstance(item, str) and item in tagged:
            model, tagged = tagged[item], {}
            continue
        path.append(item)
        if model is None:
            field = None
            continue
        owner, field = model, _fields(model).get(item)
        choices = _models_in(field.annotation) if field else {}
        model = choices.pop(None, None)
        tagged = {tag: choice for tag, choice in choices.items() if tag is not None}
    return tuple(path), owner, field


def _as_written(path: tuple[Any, ...], data: Mapping[Any, Any]) -> tuple[Any, ...]:
    """Cut the path where the YAML has a plain number standing for a whole distribution."""
    node: Any = data
    for depth, key in enumerate(path):
        if not isinstance(node, Mapping):
            return path[:depth] if isinstance(node, int | float) else path
        node = node.get(key)
    return path


def _fields(model: type[BaseModel]) -> dict[Any, FieldInfo]:
    return {field.alias or name: field for name, field in model.model_fields.items()}


def _models_in(annotation: Any) -> dict[str | None, type[BaseModel]]:
    """Models a field can hold: ``{None: model}`` for a section, ``{tag: model}`` for a tagged union."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {None: annotation}
    args = get_args(annotation)
    if get_origin(annotation) is Annotated:
        found = _models_in(args[0])
        tags = [meta.tag for meta in args[1:] if isinstance(meta, Tag)]
        return {tags[0]: found[None]} if tags and None in found else found
    if get_origin(annotation) in (Union, types.UnionType):
        return {tag: model for arg in args for tag, model in _models_in(arg).items()}
    return {}


def _keys(model: type[BaseModel]) -> list[str]:
    keys = [str(key) for key in _fields(model)]
    return ["extends", *keys] if model is Scenario else keys


def _distribution(model: type[BaseModel]) -> str | None:
    field = model.model_fields.get("dist")
    return None if field is None else field.default


def _unknown_key(key: Any, owner: type[BaseModel]) -> str:
    kind = _distribution(owner)
    text = f"unknown key {key!r}" + (f" for a {kind} distribution" if kind else "")
    keys = _keys(owner)
    close = difflib.get_close_matches(str(key), keys, n=1)
    suggestion = close[0] if close else _nested_key(owner, str(key))
    if suggestion:
        return f"{text}; did you mean {suggestion!r}?"
    return f"{text}; expected one of: {', '.join(keys)}"


def _nested_key(model: type[BaseModel], key: str) -> str | None:
    """The dotted path of ``key`` in a sub-section of ``model``, for a key put one level too high."""
    for name, field in _fields(model).items():
        sub = _models_in(field.annotation).get(None)
        if sub is None:
            continue
        if key in _fields(sub):
            return f"{name}.{key}"
        deeper = _nested_key(sub, key)
        if deeper:
            return f"{name}.{deeper}"
    return None


def _missing(owner: type[BaseModel]) -> str:
    kind = _distribution(owner)
    if kind is None:
        return "required, but missing"
    needed = [str(key) for key, field in _fields(owner).items() if field.is_required()]
    listed = " and ".join([", ".join(needed[:-1]), needed[-1]] if len(needed) > 1 else needed)
    return f"missing; a {kind} distribution needs {listed}"


def _range(field: FieldInfo | None, ctx: Mapping[str, Any]) -> str:
    """The whole allowed range (both bounds), although pydantic reports only the one crossed."""
    bounds = {**_field_bounds(field), **ctx}
    low = "at least {ge}" if "ge" in bounds else "more than {gt}" if "gt" in bounds else ""
    high = "at most {le}" if "le" in bounds else "less than {lt}" if "lt" in bounds else ""
    numbers = {
        name: _number(value) for name, value in bounds.items() if name in ("ge", "gt", "le", "lt")
    }
    if "ge" in bounds and "le" in bounds:
        return "must be between {ge} and {le}".format(**numbers)
    if "gt" in bounds and "lt" in bounds:
        return "must be strictly between {gt} and {lt}".format(**numbers)
    return "must be " + " and ".join(part for part in (low, high) if part).format(**numbers)


def _number(value: float) -> str:
    """A bound as people write it: 10,000 and 0.25, but 1e+12 rather than twelve zeros."""
    if float(value).is_integer() and abs(value) < 1e7:
        return f"{int(value):,}"
    return f"{value:g}"


def _why(field: FieldInfo | None, kind: str) -> str:
    """The schema's reason for the bound crossed (see ``bounds.Why``), as a clause to append."""
    why = _field_bounds(field).get("why")
    reason = None
    if why is not None:
        reason = why.above if kind.startswith("less_than") else why.below
    return f"; {reason}" if reason else ""


def _field_bounds(field: FieldInfo | None) -> dict[str, Any]:
    """``ge``/``gt``/``le``/``lt`` and ``why`` of a field; a narrower ``Annotated`` layer wins."""
    bounds: dict[str, Any] = {}
    if field is not None:
        _collect_bounds([*get_args(field.annotation), *field.metadata], bounds)
    return bounds


def _collect_bounds(items: list[Any], bounds: dict[str, Any]) -> None:
    for item in items:
        if isinstance(item, FieldInfo):
            _collect_bounds(item.metadata, bounds)
        else:
            _collect_bounds(list(get_args(item)), bounds)
        if isinstance(item, Why):
            old = bounds.get("why", Why())
            bounds["why"] = Why(item.above or old.above, item.below or old.below)
        for name in ("ge", "gt", "le", "lt"):
            value = getattr(item, name, None)
            if isinstance(value, int | float):
                bounds[name] = value


def _not_a_choice(expected: str, got: Any) -> str:
    choices = re.findall(r"'([^']*)'", expected)
    text = f"must be {expected}, got {describe_value(got)}"
    close = difflib.get_close_matches(str(got), choices, n=1)
    return f"{text}; did you mean {close[0]!r}?" if close else text


def _unknown_distribution(tag: str, got: str) -> str:
    names = ", ".join(DIST_NAMES)
    if tag == "<missing>":
        return f"a distribution needs 'dist:', one of {names}; got {got}"
    close = difflib.get_close_matches(tag, DIST_NAMES, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown distribution {tag!r}; expected one of {names}{hint}"
