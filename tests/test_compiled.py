"""The compiled model (a wheel compiles it with mypyc, setup.py) gives the golden results to the last bit.

The rest of the suite runs the source tree's pure Python, the fallback that every
install without a compiler gets; this runs the golden back-tests on the build that
``pip install .`` put in site-packages, in a child process that cannot see the
source tree. Where no compiled build is installed (an editable install, say) it
skips, unless ``ORGSIM_EXPECT_COMPILED=1`` (CI sets it) makes that a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"

WHERE = """
import json, orgsim.model.followup as hot
print(json.dumps(hot.__file__))
"""

CHECK = """
import json, sys
sys.path.append(sys.argv[1])  # after site-packages: the golden cases, not the source's orgsim
from golden_cases import SCENARIOS, read_rows, same, simulate, store_paths
changed = []
for path in SCENARIOS:
    for stored_file, rows in zip(store_paths(path), simulate(path), strict=True):
        stored = read_rows(stored_file)
        if len(stored) != len(rows):
            changed.append(f"{stored_file.name}: {len(rows)} rows, stored {len(stored)}")
            continue
        for index, (old, new) in enumerate(zip(stored, rows, strict=True)):
            keys = [key for key in old if not same(old[key], new.get(key, float("nan")))]
            if keys:
                changed.append(f"{stored_file.name} row {index}: {keys}")
print(json.dumps(changed))
"""


def _installed(code: str, *arguments: str, cwd: Path) -> object:
    """What ``code`` prints, run by an interpreter that sees site-packages and not this tree."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-P", "-c", code, *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_compiled_model_reproduces_every_golden_result(tmp_path: Path) -> None:
    hot_module = Path(str(_installed(WHERE, cwd=tmp_path)))
    if hot_module.suffix == ".py":
        message = f"the installed model is pure Python ({hot_module}): pip install . compiles it"
        if os.environ.get("ORGSIM_EXPECT_COMPILED") == "1":
            pytest.fail(message)
        pytest.skip(message)

    changed = _installed(CHECK, str(GOLDEN), cwd=tmp_path)

    assert changed == [], f"the compiled model's results differ from the pure Python's: {changed}"
