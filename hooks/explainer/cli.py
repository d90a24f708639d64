"""The `explainer` command. Each subcommand is a small block here calling the module that
does the work; add a new one as another block in `_parser`."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .lint import lint
from .problems import ContentError, format_problems
from .story import load_story


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return arguments.run(arguments)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description="Tools for a news explainer's YAML content.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every file of a story and list the problems")
    validate.add_argument("folder", nargs="?", type=Path, default=None, help="content folder (default: $EXPLAINER_CONTENT or ./content)")
    validate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    validate.set_defaults(run=lambda arguments: validate_command(arguments.folder or default_content_folder(), arguments.strict))

    from .synth import synth_command
    synth = commands.add_parser("synth", help="write a synthetic story of N entities, for benchmarks")
    synth.add_argument("size", type=int, help="number of entities (at least 20)")
    synth.add_argument("folder", type=Path, help="empty or new folder to write the story into")
    synth.add_argument("--seed", type=int, default=0, help="the same seed and size give the same files")
    synth.set_defaults(run=lambda arguments: synth_command(arguments.size, arguments.folder, arguments.seed))

    return parser


def default_content_folder() -> Path:
    return Path(os.environ.get("EXPLAINER_CONTENT") or "content")


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
    print(f"{folder}: valid ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
