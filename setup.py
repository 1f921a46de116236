"""Packages the shipped scenarios with orgsim, and compiles the model with mypyc where it can.

``scenarios/`` stays at the top of the repository (that is where people read and
copy them); building the package copies it to ``orgsim/shipped/``, which
``orgsim.shipped`` finds first.

A wheel (``pip install .``) also compiles the model's modules with mypyc: a
replication runs about 1.6 times as fast (``benchmarks/bench_replication.py``).
The compiled modules give the pure-Python results to the last bit
(``tests/test_compiled.py`` runs the golden back-tests on them). Where they
cannot be built (no C compiler, or ``ORGSIM_COMPILE=0``) the wheel holds the
same pure-Python package, with a warning; editable installs and sdists are
never compiled, so the source you edit is the code that runs. Everything else
is in setup.cfg.
"""

import os
import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
NOT_COMPILED = ("costs.py", "streams.py")
"""Model modules mypyc cannot take as they are, and that cost a replication little:
``MonthCosts`` is generic over a value-restricted TypeVar, and ``MonthStreams`` makes its
generators as attributes on first use."""


class BuildWithScenarios(build_py):
    """``build_py`` that also copies ``scenarios/`` into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "orgsim" / "shipped"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(ROOT / "scenarios", target)


class BuildExtOrPurePython(build_ext):
    """``build_ext`` that leaves the package pure Python when the C compiler fails."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:
            for extension in self.extensions:
                Path(self.get_ext_fullpath(extension.name)).unlink(missing_ok=True)
            self.extensions = []
            _pure_python(f"{type(error).__name__}: {str(error)[:160]}")


def _pure_python(why: str) -> None:
    print(
        f"warning: orgsim's model could not be compiled ({why}); "
        "installing it as pure Python, with the same results, about 1.6x slower",
        file=sys.stderr,
    )


def compiled_model() -> list:
    """mypyc's extensions for the model's modules, when this build makes a wheel that wants them."""
    if "bdist_wheel" not in sys.argv[1:] or os.environ.get("ORGSIM_COMPILE", "1") == "0":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    modules = sorted(
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "orgsim" / "model").glob("*.py")
        if path.name not in NOT_COMPILED
    )
    # The rest of orgsim is read for types only, and what it imports need not be installed.
    options = ["--ignore-missing-imports", "--follow-imports=silent"]
    try:
        return mypycify([*options, *modules], opt_level="3", group_name="orgsim_model")
    except (Exception, SystemExit) as error:  # mypy reports type errors by exiting
        _pure_python(f"mypyc stopped: {error}")
        return []


setup(
    cmdclass={"build_py": BuildWithScenarios, "build_ext": BuildExtOrPurePython},
    ext_modules=compiled_model(),
)
