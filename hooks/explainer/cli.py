"""The `explainer` command: check a story without building it."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .problems import ContentError
from .story import load_story


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="explainer", description="Tools for a news explainer's YAML content.")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every file of a story and list the problems")
    validate.add_argument("folder", nargs="?", type=Path, default=None, help="content folder (default: $EXPLAINER_CONTENT or ./content)")
    arguments = parser.parse_args(argv)
    return _validate(arguments.folder or Path(os.environ.get("EXPLAINER_CONTENT") or "content"))


def _validate(folder: Path) -> int:
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
