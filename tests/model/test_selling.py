"""The sales floor gives each deal to the first of the least-loaded AEs, however it finds them."""

from __future__ import annotations

import simpy
from hypothesis import given, settings
from hypothesis import strategies as st
from model_helpers import build

from orgsim.model.selling import Opportunity, SalesFloor


class WatchedFloor(SalesFloor):
    """A floor that checks each new deal against a scan of every AE's open deals."""

    def open_opportunity(self, opportunity: Opportunity) -> None:
        before = list(self.open)
        first_least_loaded = before.index(min(before))
        super().open_opportunity(opportunity)
        if before[first_least_loaded] < self.slots[first_least_loaded]:
            expected = before.copy()
            expected[first_least_loaded] += 1
            assert self.open == expected
        else:
            assert self.open == before and self.waiting[-1] is opportunity


deals = st.lists(
    st.tuples(
        st.floats(0.0, 50.0),  # arrival, hours
        st.sampled_from([0.5, 1.0, 2.0, 7.5, 30.0]),  # cycle: few values, so closes tie
    ),
    max_size=120,
)


@settings(max_examples=200, deadline=None)
@given(aes=st.integers(1, 7), max_open=st.integers(1, 4), deals=deals)
def test_each_deal_goes_to_the_first_of_the_aes_with_the_fewest_open_deals(
    aes: int, max_open: int, deals: list[tuple[float, float]]
) -> None:
    env = simpy.Environment()
    closed: list[float] = []
    floor = WatchedFloor(
        env,
        build({}).selling,
        ae_skills=[1.0] * aes,
        max_open=max_open,
        fit_reference=0.3,
        hours_per_month=168.0,
        on_close=lambda now, _won, _opportunity: closed.append(now),
    )
    for arrival, cycle in deals:
        opportunity = Opportunity(arrival, 0.3, 0.5, cycle, 1.0, 0.0, "inbound")
        env.timeout(arrival, opportunity).callbacks.append(
            lambda event: floor.open_opportunity(event.value)
        )
    env.run()
    assert len(closed) == len(deals) and floor.open == [0] * aes and not floor.waiting


class LoggedFloor(SalesFloor):
    """A floor that logs which AE starts each deal, and when."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.starts: list[tuple[float, int, float]] = []

    def _start(self, ae: int, opportunity: Opportunity) -> None:
        self.starts.append((self.env.now, ae, opportunity.created))
        super()._start(ae, opportunity)


@settings(max_examples=100, deadline=None)
@given(
    aes=st.integers(1, 6),
    max_open=st.integers(1, 3),
    deals=deals,
    changes=st.lists(
        st.tuples(st.floats(0.0, 50.0), st.integers(0, 5), st.sampled_from([0.0, 1.0, 2.0, 4.0])),
        max_size=12,
    ),
)
def test_one_seats_slots_change_as_setting_every_seats_slots_would(
    aes: int,
    max_open: int,
    deals: list[tuple[float, float]],
    changes: list[tuple[float, int, float]],
) -> None:
    """``set_seat_slots`` (an AE leaves or is hired) starts the same deals on the same AEs."""

    def run(one_seat: bool) -> LoggedFloor:
        env = simpy.Environment()
        floor = LoggedFloor(
            env,
            build({}).selling,
            ae_skills=[1.0 + 0.1 * ae for ae in range(aes)],
            max_open=max_open,
            fit_reference=0.3,
            hours_per_month=168.0,
            on_close=lambda _now, _won, _opportunity: None,
        )
        for arrival, cycle in deals:
            opportunity = Opportunity(arrival, 0.3, 0.5, cycle, 1.0, 0.0, "inbound")
            env.timeout(arrival, opportunity).callbacks.append(
                lambda event: floor.open_opportunity(event.value)
            )

        def change(event: simpy.Event) -> None:
            seat, slots = event.value
            if one_seat:
                floor.set_seat_slots(seat, slots)
            else:
                floor.set_slots(
                    [slots if ae == seat else cap for ae, cap in enumerate(floor.slots)]
                )

        for time, seat, slots in changes:
            env.timeout(time, (seat % aes, slots)).callbacks.append(change)
        env.run()
        return floor

    one, every = run(True), run(False)
    assert one.starts == every.starts
    assert (one.in_use, one.area_slots, one.open) == (every.in_use, every.area_slots, every.open)
