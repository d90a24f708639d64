"""When each file of a story last changed, read from git history.

The date is the commit's, never the file's modification time, so that two builds of one
commit show the same dates wherever they run. One `git log` reads the history of the whole
folder: asking once per file would start a process for each of thousands of files.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from explainer.content.dates import PartialDate, parse_date

# Each commit starts with a NUL (`%x00`) and its date, so no file name can pass for a commit line.
_COMMIT = "\0"


def last_changed(folder: Path) -> dict[str, PartialDate]:
    """The day of the last commit that changed each file under `folder`, by its path
    relative to `folder` (`incidents/x.yml`). Empty where there is no git or no
    repository; a file never committed is left out."""
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


def parse_log(log: str) -> dict[str, PartialDate]:
    """The newest date of each file named in `git log --name-only` output, newest commit first."""
    changed: dict[str, PartialDate] = {}
    date = None
    for line in log.splitlines():
        if line.startswith(_COMMIT):
            date = parse_date(line[len(_COMMIT) :])
        elif line and date is not None:
            changed.setdefault(line, date)
    return changed
