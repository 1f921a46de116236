"""How faithfully the SDR desk follows its own plan, per shipped scenario.

For every MQL: the touches it got against the attempts planned for it, whether
its follow-up stopped short (neither reached nor out of attempts: its retries were
dropped or never came), and for every retry how late it started against the time
it fell due. The desk's ``_finish`` is observed from outside, so the same audit
runs on any version of the desk that settles touches there.

    python benchmarks/audit_desk.py [--reps 40] [--seed 2026] [--out benchmarks/results/desk_audit.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

import orgsim
from orgsim.model import Streams, run_replication
from orgsim.model import followup as desk_module

ROOT = Path(__file__).resolve().parents[1]
LATE_HOURS = 24.0
SETTLE_MONTHS = 2  # MQLs arriving this close to the end may still be in follow-up


class Audit:
    """Touch outcomes and retry lateness of one replication, recorded as the desk settles touches."""

    def __init__(self) -> None:
        self.mqls: dict[tuple[int, int], dict[str, float]] = {}
        self.lateness: list[float] = []
        self.batches: list[desk_module.MqlBatch] = []

    def install(self) -> None:
        original_finish = desk_module.FollowUpDesk._finish
        original_receive = desk_module.FollowUpDesk.receive
        audit = self

        def finish(desk, sdr, batch, row, start, draw, now):  # type: ignore[no-untyped-def]
            key = (id(batch), row)
            record = audit.mqls.setdefault(
                key, {"arrival": batch.arrival[row], "planned": batch.planned[row], "touches": 0}
            )
            if "due" in record:
                audit.lateness.append(start - record.pop("due"))
            record["touches"] += 1
            contacted = start - batch.arrival[row] < batch.contact_before[draw]
            record["contacted"] = contacted
            if not contacted and record["touches"] < record["planned"]:
                record["due"] = now + batch.retry_gap[draw]
            original_finish(desk, sdr, batch, row, start, draw, now)

        def receive(desk, batch):  # type: ignore[no-untyped-def]
            audit.batches.append(batch)
            original_receive(desk, batch)

        desk_module.FollowUpDesk._finish = finish  # type: ignore[method-assign]
        desk_module.FollowUpDesk.receive = receive  # type: ignore[method-assign]
        self._restore = (original_finish, original_receive)

    def uninstall(self) -> None:
        desk_module.FollowUpDesk._finish, desk_module.FollowUpDesk.receive = self._restore


def audit_scenario(path: Path, reps: int, seed: int) -> dict[str, float | str]:
    scenario = orgsim.load(path)
    cutoff = (scenario.calendar.months + scenario.calendar.warm_up_months - SETTLE_MONTHS) * (
        scenario.calendar.working_days_per_month * scenario.calendar.hours_per_day
    )
    touches_per_mql, planned_per_mql, cut_short, late_share, max_late = [], [], [], [], []
    for i in range(reps):
        audit = Audit()
        audit.install()
        try:
            run_replication(scenario, Streams.for_replication(seed, i))
        finally:
            audit.uninstall()
        settled = [r for r in audit.mqls.values() if r["arrival"] < cutoff]
        arrived = sum(1 for b in audit.batches for t in b.arrival if t < cutoff)
        touches_per_mql.append(sum(r["touches"] for r in settled) / arrived)
        planned_per_mql.append(
            sum(
                p
                for b in audit.batches
                for t, p in zip(b.arrival, b.planned, strict=True)
                if t < cutoff
            )
            / arrived
        )
        stopped = sum(1 for r in settled if not r["contacted"] and r["touches"] < r["planned"])
        cut_short.append(stopped / arrived)
        late = max(audit.lateness, default=0.0)
        max_late.append(late)
        late_share.append(late > LATE_HOURS)
    return {
        "scenario": path.stem,
        "replications": reps,
        "touches_per_mql": statistics.fmean(touches_per_mql),
        "planned_attempts_per_mql": statistics.fmean(planned_per_mql),
        "share_of_mqls_cut_short": statistics.fmean(cut_short),
        "share_of_replications_with_a_retry_over_24h_late": statistics.fmean(late_share),
        "retry_lateness_hours_max": max(max_late),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    records = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        record = audit_scenario(path, args.reps, args.seed)
        records.append(record)
        print(
            f"{record['scenario']}: {record['touches_per_mql']:.3f} touches per MQL "
            f"({record['planned_attempts_per_mql']:.3f} planned), "
            f"{record['share_of_mqls_cut_short']:.1%} cut short, "
            f"{record['share_of_replications_with_a_retry_over_24h_late']:.0%} of replications "
            f"with a retry over 24 h late (max {record['retry_lateness_hours_max']:.1f} h)",
            flush=True,
        )
    if args.out:
        args.out.write_text(json.dumps(records, indent=2) + "\n")


if __name__ == "__main__":
    main()
