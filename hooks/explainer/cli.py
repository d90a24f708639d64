"""The `explainer` command. Each subcommand is a small block here calling the module that
does the work; add a new one as another block in `_parser`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import ContentError
from .story import load_story


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return arguments.run(arguments)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description="Tools for a news explainer's YAML content.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every file of a story and list the problems")
    validate.add_argument("folder", nargs="?", type=Path, default=None, help="content folder (default: $EXPLAINER_CONTENT or ./content)")
    validate.set_defaults(run=lambda arguments: validate_command(arguments.folder or default_content_folder()))

    return parser


def default_content_folder() -> Path:
    return Path(os.environ.get("EXPLAINER_CONTENT") or "content")


def validate_command(folder: Path) -> int:
    try:
        story = load_story(folder)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    counts = ", ".join(f"{len(entities)} {kind}" for kind, entities in story.entities.items())
    print(f"{folder}: no problems ({counts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
