"""Dates known to the day, the month or only the year, shown at exactly that precision."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_skeleton

_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
# Babel's `en` writes American dates ("November 14, 2025"); the story's English is British.
_DATE_LOCALES = {"en": "en-GB"}


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
        return self.label("en")

    def label(self, language: str) -> str:
        """The date in `language` at its precision: '14 ноября 2025 г.', 'ноябрь 2025 г.', '2025'."""
        return _label(self.year, self.month, self.day, language)

    def month_heading(self, language: str = "en") -> str:
        return _label(self.year, self.month, 0, language)


@functools.cache  # a pure function of a few thousand dates, asked a million times
def _label(year: int, month: int, day: int, language: str) -> str:
    locale = date_locale(language)
    if day:
        return format_date(datetime.date(year, month, day), "long", locale=locale)
    if month:  # the month as a name on its own: "ноябрь", not the "ноября" of a day
        return format_skeleton("yMMMM", datetime.date(year, month, 1), locale=locale)
    return str(year)


def date_locale(language: str) -> Locale:
    """The Babel locale whose calendar words `language` (a BCP 47 code) uses."""
    return Locale.parse(_DATE_LOCALES.get(language, language), sep="-")


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


def range_labels(start: PartialDate, end: PartialDate, language: str = "en") -> tuple[str, str]:
    """Labels for the two ends of a range, sharing what they share: ('July', 'August 2025')."""
    if start.year == end.year and start.precision == end.precision == "month":
        month = format_date(datetime.date(start.year, start.month, 1), "LLLL", locale=date_locale(language))
        return month, end.label(language)
    if start.year == end.year and start.month == end.month and start.precision == end.precision == "day":
        return str(start.day), end.label(language)
    return start.label(language), end.label(language)


def covers(start: PartialDate, end: PartialDate) -> bool:
    """Whether `end` can be on or after `start`, comparing only the parts both know."""
    known = min(_parts(start), _parts(end))
    return (end.year, end.month, end.day)[:known] >= (start.year, start.month, start.day)[:known]


def _parts(date: PartialDate) -> int:
    return {"year": 1, "month": 2, "day": 3}[date.precision]
