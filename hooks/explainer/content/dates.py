"""Dates known to the day, the month or only the year, shown at exactly that precision."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date whose month and day may be unknown; unknown parts sort first."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """The date as the editor wrote it: `2025`, `2025-07` or `2025-07-18`."""
        parts = [f"{self.year:04d}"] + [f"{part:02d}" for part in (self.month, self.day) if part]
        return "-".join(parts)

    def __str__(self) -> str:
        """For readers: '14 November 2025', 'July 2025' or '2025', never an invented day."""
        if self.day:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def month_heading(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"


def parse_date(text: str) -> PartialDate:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; ValueError says what is wrong for an editor."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"date '{text}' has no month {month}: months run from 01 to 12")
    if match.group(3):
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValueError(f"date '{text}' is not a day of the calendar") from None
    if year == 0:
        raise ValueError(f"date '{text}' has no year 0000")
    return PartialDate(year, month, day)


def range_labels(start: PartialDate, end: PartialDate) -> tuple[str, str]:
    """Labels for the two ends of a range, sharing what they share: ('July', 'August 2025')."""
    if start.year == end.year and start.precision == end.precision == "month":
        return calendar.month_name[start.month], str(end)
    if start.year == end.year and start.month == end.month and start.precision == end.precision == "day":
        return str(start.day), str(end)
    return str(start), str(end)


def covers(start: PartialDate, end: PartialDate) -> bool:
    """Whether `end` can be on or after `start`, comparing only the parts both know."""
    known = min(_parts(start), _parts(end))
    return (end.year, end.month, end.day)[:known] >= (start.year, start.month, start.day)[:known]


def _parts(date: PartialDate) -> int:
    return {"year": 1, "month": 2, "day": 3}[date.precision]
