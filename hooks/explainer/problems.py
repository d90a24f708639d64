"""Problems found in content, and the one way they are shown to editors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with one place in one content file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when a story has problems; carries every one of them, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    lines = [str(problem) for problem in sorted(problems)]
    return "\n".join(lines + [f"{count} {noun} in the content: fix them and build again."])


def display_path(path: Path) -> str:
    """The path relative to the working directory where it is inside it, as editors typed it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() and _is_below_cwd(path) else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def _is_below_cwd(path: Path) -> bool:
    return path.resolve().is_relative_to(Path.cwd().resolve())
