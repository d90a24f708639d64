"""When each file of a story was first committed and when it last changed, read from git history.

The dates are the commits', never the file's modification time, so that two builds of one
commit show the same dates wherever they run. One `git log` reads the history of the whole
folder: asking once per file would start a process for each of thousands of files.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explainer.content.dates import PartialDate, parse_date

# Each commit starts with a NUL (`%x00`) and its date, so no file name can pass for a commit line.
_COMMIT = "\0"


@dataclass(frozen=True)
class FileDates:
    """The day a file was first committed (first published) and the day it last changed."""

    first_published: PartialDate
    last_changed: PartialDate

    @property
    def updated(self) -> bool:
        """Whether the file changed after it was first published."""
        return self.last_changed > self.first_published


History = Mapping[str, FileDates]  # by path relative to the story's folder, `incidents/x.yml`


def file_history(folder: Path) -> dict[str, FileDates]:
    """The dates of each file under `folder`, by its path relative to `folder`. Empty where
    there is no git or no repository; a file never committed is left out."""
    try:
        result = subprocess.run(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "-C",
                str(folder),
                "log",
                "--format=%x00%cs",
                "--name-only",
                "--relative",
                "--no-renames",
                "--",
                ".",
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
    except OSError:
        return {}
    return parse_log(result.stdout) if result.returncode == 0 else {}


def parse_log(log: str) -> dict[str, FileDates]:
    """The dates of each file named in `git log --name-only` output, newest commit first: its
    first commit is the last one that names it."""
    last: dict[str, PartialDate] = {}
    first: dict[str, PartialDate] = {}
    date = None
    for line in log.splitlines():
        if line.startswith(_COMMIT):
            date = parse_date(line[len(_COMMIT) :])
        elif line and date is not None:
            last.setdefault(line, date)
            first[line] = date
    return {path: FileDates(first[path], changed) for path, changed in last.items()}


def dates_of(history: History, folder: Path, path: Path | None) -> FileDates | None:
    """The dates of the file at `path` in the story in `folder`; None for a file outside it or never committed."""
    if path is None or not path.is_relative_to(folder):
        return None
    return history.get(path.relative_to(folder).as_posix())


def story_updated(about: Mapping[str, Any], history: History) -> PartialDate | None:
    """When the story was last updated: story.yml's `updated` (its fields, `about`), else the
    day of the newest commit to any of its files."""
    return about.get("updated") or max((dates.last_changed for dates in history.values()), default=None)
