"""Problems found in content, and the one way they are shown to editors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """Something wrong (an error) or likely wrong (a warning) at one place in one file."""

    path: Path
    line: int
    message: str
    column: int = 1
    severity: str = "error"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (str(self.path), self.line, self.column, self.message)

    def __str__(self) -> str:
        """`path:line:column: message`, or `path:line:column: warning: message`."""
        label = "warning: " if self.severity == "warning" else ""
        return f"{display_path(self.path)}:{self.line}:{self.column}: {label}{self.message}"

    def github_annotation(self) -> str:
        """A workflow command that GitHub Actions shows on the pull request's diff."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={display_path(self.path)},line={self.line},col={self.column}::{message}"


class ContentError(Exception):
    """Raised when a story has errors; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    errors = sum(problem.severity == "error" for problem in problems)
    warnings = len(problems) - errors
    lines = [str(problem) for problem in sorted(problems, key=Problem.sort_key)]
    summary = f"{_count(errors, 'error')} and {_count(warnings, 'warning')} in the content"
    return "\n".join(lines + [summary + (": fix the errors and build again." if errors else ".")])


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def display_path(path: Path) -> str:
    """The path relative to the working directory where it is inside it, as editors typed it."""
    if path.is_absolute() and path.resolve().is_relative_to(Path.cwd().resolve()):
        return Path(os.path.relpath(path)).as_posix()
    return path.as_posix()
