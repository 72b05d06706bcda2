"""Working days on the official State Council schedule with 调休 (domain.md §4).

One small interface over ``chinese-calendar``, which covers the years the State Council has
published and *raises* beyond them, so an uncovered year is reported, never guessed. Local
overrides (a province's extra holiday) are a mapping of dates passed in, not code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class CalendarNotCovered(Exception):
    """The official schedule for this year is not (yet) published in the calendar data."""

    def __init__(self, year: int) -> None:
        super().__init__(f"{year}年的国务院放假安排尚未收录")
        self.year = year


class WorkCalendar:
    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        #: date -> True (working day) / False (day off), applied before the official data.
        self.overrides = dict(overrides or {})
        #: The official answers already asked (a site's audit asks about the same days for
        #: thousands of documents; the library validates every date it is asked about).
        self._official: dict[dt.date, bool] = {}

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        known = self._official.get(day)
        if known is not None:
            return known
        try:
            known = self._official[day] = chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise CalendarNotCovered(day.year) from None
        return known

    def covers(self, day: dt.date) -> bool:
        try:
            self.is_workday(day)
        except CalendarNotCovered:
            return False
        return True

    def describe_day(self, day: dt.date) -> str | None:
        """Why ``day`` is a day off ("春节假期", "星期六"), or ``None`` if it is a working day."""
        if self.is_workday(day):
            return None
        try:
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
        except NotImplementedError:
            on_holiday, name = False, None
        if on_holiday and name:
            return f"{_HOLIDAY_NAMES.get(name, name)}假期"
        return "星期" + "一二三四五六日"[day.weekday()]

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: day 1 is the first working day after ``start``."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def nth_workday_after(self, start: dt.date, n: int) -> dt.date:
        day, count = start, 0
        while count < n:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return day
