"""`explainer validate`: check every file of a story and list the problems."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

from explainer.content.lint import lint
from explainer.content.localized import LanguageReport, translation_report
from explainer.content.problems import ContentError, display_path, format_problems
from explainer.content.story import load_story


def validate_command(folder: Path, strict: bool = False) -> int:
    """Print every problem (errors, then warnings, by file and line); 1 if any must be fixed."""
    try:
        story = load_story(folder)
    except ContentError as error:
        problems = error.problems
    else:
        problems = lint(story)
    if strict:
        problems = [replace(problem, severity="error") for problem in problems]
    if problems:
        print(format_problems(problems), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.github_annotation())
    if any(problem.severity == "error" for problem in problems):
        return 1
    counts = ", ".join(f"{len(entities)} {kind}" for kind, entities in story.entities.items())
    print(f"{display_path(folder)}: valid ({counts})")
    reports = translation_report(story)
    for report in reports:
        print(_report_text(report, folder))
    if strict and any(report.missing or report.stale for report in reports):
        print("--strict: every translation must be complete and up to date", file=sys.stderr)
        return 1
    return 0


def _report_text(report: LanguageReport, folder: Path) -> str:
    """What one language has: `ru: 30 translated, 2 missing, 1 stale`, then the files of each."""
    lines = [
        f"{report.language}: {len(report.translated)} translated, {len(report.missing)} missing, "
        f"{len(report.stale)} stale"
    ]
    lines += [f"  missing: {display_path(folder / missing)}" for missing in report.missing]
    for path, now in report.stale:
        why = "says nothing of what it was made from" if path in report.unmarked else "its original changed"
        lines.append(f"  stale: {display_path(path)}: {why}; check it, then set translated_from: {now}")
    return "\n".join(lines)
