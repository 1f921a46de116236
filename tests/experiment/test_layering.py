"""Imports follow the architecture (style.md): data flows one way, and no module imports itself round.

Every import counts, at module level, inside functions and under
``TYPE_CHECKING``: each is a dependency a reader must follow, and a cycle
among them is one the next change can turn into an import error.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "orgsim"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py")}


def imported(name: str, path: Path) -> set[str]:
    """The orgsim modules ``name`` imports (``from pkg import sub`` names the submodule)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in MODULES else node.module)
    return {module for module in found if module in MODULES and module != name}


IMPORTS = {name: imported(name, path) for name, path in MODULES.items()}


def in_layer(module: str, layer: str) -> bool:
    return module == layer or module.startswith(f"{layer}.")


def offending(layers: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, targets in IMPORTS.items()
        if any(in_layer(module, layer) for layer in layers)
        for target in targets
        if any(in_layer(target, other) for other in forbidden)
    )


def cycles(within: str | None = None) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), optionally inside one layer."""
    nodes = [m for m in IMPORTS if within is None or in_layer(m, within)]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in IMPORTS[node]:
            if target not in nodes:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in nodes:
        if node not in index:
            visit(node)
    return groups


def test_the_walk_sees_the_imports_it_judges() -> None:
    """The rules below would pass vacuously if the walk found nothing."""
    assert "orgsim.experiment.session" in IMPORTS["orgsim.experiment.compare"]
    assert "orgsim.model" in IMPORTS["orgsim.experiment.tasks"]
    assert "orgsim.report" in IMPORTS["orgsim.cli"]  # imported inside a command


def test_the_model_knows_no_runs_plots_files_or_command_line() -> None:
    above = ("orgsim.experiment", "orgsim.plots", "orgsim.report", "orgsim.workshop", "orgsim.cli")
    assert offending(("orgsim.model",), above) == []


def test_experiment_and_analysis_draw_nothing() -> None:
    drawing = ("orgsim.plots", "orgsim.report", "orgsim.workshop", "orgsim.cli")
    assert offending(("orgsim.experiment", "orgsim.analysis"), drawing) == []


def test_the_command_line_uses_the_experiment_layers_public_api() -> None:
    reached = {m for m in IMPORTS["orgsim.cli"] if in_layer(m, "orgsim.experiment")}
    assert reached == {"orgsim.experiment"}


def test_no_import_cycles() -> None:
    """Not even under TYPE_CHECKING: a cycle there still ties two modules' designs together."""
    assert cycles() == []
