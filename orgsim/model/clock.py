"""The simulation clock: working hours, grouped into working days and months.

Targets, diversion and reporting are monthly, so the clock is a calendar of
``working_days_per_month`` days of ``hours_per_day`` hours; nights and weekends
do not exist on it (a lead's age is counted in working hours). Each month also
has its calendar month, for seasonality and the working days lost to holidays
and vacation, which shrink people's hours but not the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from orgsim.scenario.schema import Calendar

CALENDAR_DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True, slots=True)
class Clock:
    hours_per_day: float
    days_per_month: int
    months: int
    warm_up_months: int
    start_month: int = 1
    lost_days: tuple[float, ...] = (0.0,) * 12

    @classmethod
    def from_calendar(cls, calendar: Calendar) -> Clock:
        return cls(
            calendar.hours_per_day,
            calendar.working_days_per_month,
            calendar.months,
            calendar.warm_up_months,
            calendar.start_month,
            calendar.lost_days,
        )

    def months_from_january(self, month: int) -> int:
        """Months from January of the first reported month's year to simulated ``month``.

        Negative in warm-up months before that January; the fiscal year is the calendar year.
        """
        return self.start_month - 1 + month - self.warm_up_months

    def calendar_month(self, month: int) -> int:
        """Calendar month (0 January .. 11 December) of simulated ``month`` (negative: before the run)."""
        return self.months_from_january(month) % 12

    def working_share(self, month: int) -> float:
        """Share of the month's working days people work: the rest are holidays and vacation."""
        return 1.0 - self.lost_days[self.calendar_month(month)] / self.days_per_month

    @property
    def hours_per_month(self) -> float:
        return self.hours_per_day * self.days_per_month

    @property
    def total_months(self) -> int:
        return self.warm_up_months + self.months

    @property
    def weeks_per_month(self) -> float:
        return self.days_per_month / 5

    @property
    def end(self) -> float:
        return self.total_months * self.hours_per_month

    def month_start(self, month: int) -> float:
        return month * self.hours_per_month

    def month_of(self, time: float) -> int:
        return min(int(time // self.hours_per_month), self.total_months - 1)

    def calendar_days_to_hours(self, days: float) -> float:
        """Working hours that pass in ``days`` calendar days."""
        return days * self.hours_per_month / CALENDAR_DAYS_PER_MONTH
