"""The compiled model (a wheel compiles it with mypyc, setup.py) gives the golden results to the last bit.

The rest of the suite runs the source tree's pure Python, the fallback that every
install without a compiler gets; this runs ``tests/golden/test_golden.py`` on the
build that ``pip install .`` put in site-packages, in a child process whose
interpreter does not put the source tree on its path. Where no compiled build is installed (an editable install, say) it
skips, unless ``ORGSIM_EXPECT_COMPILED=1`` (CI sets it) makes that a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "test_golden.py"

WHERE = """
import json, orgsim.model.followup as hot
print(json.dumps(hot.__file__))
"""


def _installed(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -P arguments``: an interpreter that sees site-packages and not this tree."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    return subprocess.run(
        [sys.executable, "-P", *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_compiled_model_reproduces_every_golden_result(tmp_path: Path) -> None:
    where = _installed("-c", WHERE, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    hot_module = Path(json.loads(where.stdout))
    if hot_module.suffix == ".py":
        message = f"the installed model is pure Python ({hot_module}): pip install . compiles it"
        if os.environ.get("ORGSIM_EXPECT_COMPILED") == "1":
            pytest.fail(message)
        pytest.skip(message)

    # The golden test itself, run by that interpreter: pytest puts tests/golden on the path
    # for golden_cases, and orgsim comes from site-packages.
    golden = _installed(
        "-m", "pytest", str(GOLDEN), "-q", "-n", "0", "-p", "no:cacheprovider", cwd=ROOT
    )

    assert golden.returncode == 0, f"the compiled model's results differ:\n{golden.stdout[-3000:]}"
