"""Tables from real small runs of the shipped deck, shared by the figure tests."""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from fixtures.results import deck_tables

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def deck() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replications and monthly tables of three deck scenarios, 12 replications of 6 months."""
    return deck_tables()


@pytest.fixture
def replications(deck: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return deck[0].copy()


@pytest.fixture
def monthly(deck: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return deck[1].copy()


@pytest.fixture
def names(deck: tuple[pd.DataFrame, pd.DataFrame]) -> list[str]:
    """Scenario names in the order the tables list them."""
    return list(pd.unique(deck[0]["scenario"]))
