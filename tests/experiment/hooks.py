"""Stand-ins for the model that tests send to workers: importable, so they pickle under spawn."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

from orgsim.model import ReplicationResult, Streams, run_replication
from orgsim.scenario import Scenario


def replication_index(streams: Streams) -> int:
    """Which replication ``streams`` belong to: the first entry of their seed's spawn key."""
    return int(streams.months.spawn_key[0])


@dataclass(frozen=True)
class RaiseOn:
    """The real model, except that the listed replications raise ``error``."""

    replications: frozenset[int]
    error: type[BaseException] = ZeroDivisionError

    def __call__(self, scenario: Scenario, streams: Streams) -> ReplicationResult:
        index = replication_index(streams)
        if index in self.replications:
            raise self.error(f"no SDRs left in replication {index}")
        return run_replication(scenario, streams)


@dataclass(frozen=True)
class FailScenario:
    """The real model, except that every replication of the scenario named ``name`` raises."""

    name: str

    def __call__(self, scenario: Scenario, streams: Streams) -> ReplicationResult:
        if scenario.name == self.name:
            raise ZeroDivisionError(f"no SDRs left in {self.name}")
        return run_replication(scenario, streams)


@dataclass(frozen=True)
class KillOn:
    """The real model, except that the listed replications kill their worker, as the OOM killer would."""

    replications: frozenset[int]

    def __call__(self, scenario: Scenario, streams: Streams) -> ReplicationResult:
        if replication_index(streams) in self.replications:
            os.kill(os.getpid(), signal.SIGKILL)
        return run_replication(scenario, streams)
