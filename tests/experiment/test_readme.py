"""The README's Python example runs as written."""

from __future__ import annotations

import re

import pandas as pd

README = "README.md"


def test_the_readme_python_example_runs(baseline_path, tmp_path, monkeypatch):
    worktree = baseline_path.parents[1]
    text = (worktree / README).read_text()
    (example,) = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    (tmp_path / "scenarios").symlink_to(worktree / "scenarios")
    monkeypatch.chdir(tmp_path)

    namespace: dict[str, object] = {}
    exec(compile(example, README, "exec"), namespace)

    res = namespace["res"]
    assert isinstance(res.replications, pd.DataFrame) and len(res.replications) == 100
    assert (tmp_path / "results" / "baseline_seed7" / "summary.json").exists()
