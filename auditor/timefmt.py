"""Times as inspectors read them: 北京时间 (Asia/Shanghai, UTC+8, no daylight saving), with the
offset written out. The store keeps UTC (``2025-06-30T17:05:00+00:00``); people see
``2025-07-01 01:05:00+08:00`` and the day ``2025-07-01``, the day it was in China."""

from __future__ import annotations

import datetime as dt

#: China Standard Time: one offset all year (no daylight saving since 1991).
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def _parse(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if moment.tzinfo is None:  # stored times without an offset are UTC
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA)


def local_time(value: str | dt.datetime | None) -> str:
    """``2025-06-30T17:05:00+00:00`` -> ``2025-07-01 01:05:00+08:00`` (text that is not a time
    is returned as it is; nothing -> "")."""
    moment = _parse(value)
    if moment is None:
        return "" if value is None else str(value)
    return moment.replace(microsecond=0).isoformat(sep=" ")


def local_day(value: str | dt.datetime | None) -> str:
    """The day in China of a stored time: ``2025-06-30T17:05:00+00:00`` -> ``2025-07-01``."""
    moment = _parse(value)
    if moment is None:
        return "" if value is None else str(value)[:10]
    return moment.date().isoformat()


def day_of_timestamp(value: object) -> str | None:
    """The day in China of a Unix timestamp as list APIs give it (seconds, or milliseconds
    when it is that large): ``1741582560`` -> ``2025-03-10``. Anything that is not a time a
    site could mean (text, a negative or absurd number) is ``None``, never an exception:
    these numbers come from the site."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not 0 < number < 1e14:  # NaN and infinities fail this too
        return None
    seconds = number / 1000 if number > 1e11 else number
    try:
        return dt.datetime.fromtimestamp(seconds, CHINA).date().isoformat()
    except (OverflowError, OSError, ValueError):
        return None


def today() -> dt.date:
    """Today in China: the audit date, 生成日期 and 整改通知 dates are China's day, whatever
    the clock of the machine running the audit."""
    return dt.datetime.now(CHINA).date()


def now() -> str:
    """The current time in China, with the offset."""
    return dt.datetime.now(CHINA).replace(microsecond=0).isoformat(sep=" ")
