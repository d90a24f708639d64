"""The `explainer` command. Each subcommand is a small block here calling the module that
does the work; add a new one as another block in `_parser`."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from explainer.content.folder import content_folder


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments, extra = parser.parse_known_args(argv)
    if extra and arguments.command not in ("new", "build"):  # `new` takes `--key value` pairs, `build` MkDocs' options
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    arguments.extra = extra
    return arguments.run(arguments)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="explainer", description="Tools for a news explainer's YAML content.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check every file of a story and list the problems")
    validate.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=None,
        help="content folder (default: the one mkdocs.yml builds, or $EXPLAINER_CONTENT)",
    )
    validate.add_argument(
        "--strict", action="store_true", help="treat warnings, and missing or stale translations, as errors"
    )
    validate.set_defaults(
        run=lambda arguments: _command("validate", "validate_command")(
            arguments.folder or _content_folder(), arguments.strict
        )
    )

    synth = commands.add_parser("synth", help="write a synthetic story of N entities, for benchmarks")
    synth.add_argument("size", type=int, help="number of entities (at least 20)")
    synth.add_argument("folder", type=Path, help="empty or new folder to write the story into")
    synth.add_argument("--seed", type=int, default=0, help="the same seed and size give the same files")
    synth.add_argument(
        "--languages",
        default="",
        help="comma-separated language codes, the story's own first (en,ru,uk): each entity gets a translation",
    )
    synth.set_defaults(
        run=lambda arguments: _command("synth", "synth_command")(
            arguments.size, arguments.folder, arguments.seed, tuple(filter(None, arguments.languages.split(",")))
        )
    )

    export = commands.add_parser(
        "export-markdown", help="write the site as plain Markdown and a mkdocs.yml without hooks, for any engine"
    )
    export.add_argument("out", type=Path, help="new or empty folder to write into")
    export.add_argument(
        "-f",
        "--config-file",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the project's mkdocs.yml (default: ./mkdocs.yml)",
    )
    export.set_defaults(
        run=lambda arguments: _command("export_markdown", "export_command")(arguments.config_file, arguments.out)
    )

    new = commands.add_parser(
        "new",
        help="write a new entity file with every key to fill in",
        epilog="example: explainer new statement aliyev-munich-2026 --speaker ilham-aliyev",
    )
    new.add_argument(
        "kind", help="actor, incident, statement, term (glossary) or source; or story, for a new story folder"
    )
    new.add_argument(
        "id", help="the new file's id: lowercase letters, digits and single hyphens (for story: the new folder)"
    )
    new.add_argument("--content", type=Path, default=None, help="content folder (default: the one mkdocs.yml builds)")
    new.set_defaults(
        run=lambda arguments: _command("new", "new_command")(
            arguments.content or _content_folder(), arguments.kind, arguments.id, arguments.extra
        )
    )

    schemas = commands.add_parser(
        "schemas", help="regenerate the JSON Schema files and the editor guide's model reference"
    )
    schemas.set_defaults(run=lambda arguments: _command("schemas", "schemas_command")())

    build = commands.add_parser(
        "build",
        help="build the site (mkdocs build --strict) and replace the output folder only if the build succeeds",
        epilog="other options go to mkdocs build, e.g. explainer build --site public -f mkdocs.yml",
    )
    build.add_argument("--site", type=Path, default=Path("site"), help="the output folder (default: ./site)")
    build.set_defaults(run=lambda arguments: _command("build", "build_command")(arguments.site, arguments.extra))

    check_links = commands.add_parser(
        "check-links", help="ask every web address the built site links to whether it still answers (needs the network)"
    )
    check_links.add_argument("--site", type=Path, default=Path("site"), help="the built site (default: ./site)")
    check_links.add_argument(
        "--content",
        type=Path,
        default=None,
        help="content folder, for the sources' archive_url (default: the one mkdocs.yml builds)",
    )
    check_links.add_argument("--timeout", type=float, default=20, help="seconds to wait for each address (default: 20)")
    check_links.set_defaults(
        run=lambda arguments: _command("check_links", "check_links_command")(
            arguments.site, arguments.content or _content_folder(), arguments.timeout
        )
    )

    catalogs = commands.add_parser(
        "catalogs", help="extract the site's words into locales/explainer.pot and update each language's catalog"
    )
    catalogs.add_argument("--check", action="store_true", help="change nothing; fail if a catalog lacks a translation")
    catalogs.add_argument("--add", action="append", metavar="LANG", help="start the catalog of a language, e.g. ar")
    catalogs.set_defaults(
        run=lambda arguments: _command("catalogs", "catalogs_command")(arguments.check, arguments.add)
    )

    return parser


def _command(module: str, name: str) -> Callable[..., Any]:
    """The function `name` of explainer.commands.`module`, imported only when it runs: the
    commands load MkDocs, urllib or Babel, which `explainer validate` has no use for."""
    return getattr(importlib.import_module(f"explainer.commands.{module}"), name)


def _content_folder() -> Path:
    """The story folder the build reads (see content_folder), for commands not given one."""
    return content_folder(Path("mkdocs.yml"))
