"""The `concertem` command: one entry point for the data pipeline.

Each sub-command lives in its own module that exposes ``register(subparsers)``;
the module sets ``handler=<function(args) -> int>`` with ``set_defaults``.
Handlers return the process exit code. Errors the user can fix are raised as
``CommandError`` (or a DatasetError) and printed without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from datasets.errors import DatasetError

# Each sub-command and the module that registers it, in the order `--help` lists them.
COMMANDS: dict[str, str] = {
    "facilities": "publishing.commands.facilities",
    "version": "publishing.commands.version",
    "ckan-server": "ckanlocal.cli",  # the local CKAN, a development tool
    "allocate": "publishing.commands.allocate",
    "indicators": "publishing.commands.indicators",
    "build": "publishing.commands.build",
    "validate": "publishing.commands.validate",
    "publish": "publishing.commands.publish",
    "verify": "publishing.commands.verify",
}
COMMAND_MODULES: tuple[str, ...] = tuple(dict.fromkeys(COMMANDS.values()))


class CommandError(Exception):
    """A failure the user can act on; printed as one line, exit code 2."""


def parser_build(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with a known ``command``, only that command's module is imported.

    Importing every module pulls in the allocation engine, the indicator importer and the
    CKAN server tooling: more start-up time than an unchanged re-publish needs in all.
    """
    parser = argparse.ArgumentParser(
        prog="concertem",
        description=(
            "Concertem: the data pipeline of the Diputació de Barcelona's cooperation "
            "programme — territory, allocation formula, indicators, Data Packages and CKAN."
        ),
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    modules = (COMMANDS[command],) if command in COMMANDS else COMMAND_MODULES
    for module_name in modules:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = parser_build(argv[0] if argv else None)
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return int(handler(args) or 0)
    except (CommandError, DatasetError) as error:
        print(f"concertem: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("concertem: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    # Run as `python -m publishing.cli`, this file is `__main__`: use the module the
    # commands import, so the CommandError they raise is the one main() catches.
    from publishing.cli import main as package_main

    sys.exit(package_main())
