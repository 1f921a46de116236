"""Packages the shipped scenarios and workshop deck with orgsim, so they work outside a clone.

``scenarios/`` stays at the top of the repository (that is where people read and
copy them); building the package copies it to ``orgsim/shipped/``, which
``orgsim.shipped`` finds first. Everything else is in setup.cfg.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithScenarios(build_py):
    """``build_py`` that also copies ``scenarios/`` into the built package."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "orgsim" / "shipped"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(Path(__file__).parent / "scenarios", target)


setup(cmdclass={"build_py": BuildWithScenarios})
