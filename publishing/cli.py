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

# Modules that contribute sub-commands, in the order `--help` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "publishing.commands.facilities",
    "publishing.commands.version",
    "publishing.commands.ckan_server",
    "publishing.commands.allocate",
    "publishing.commands.indicators",
    "publishing.commands.build",
    "publishing.commands.validate",
    "publishing.commands.publish",
)


class CommandError(Exception):
    """A failure the user can act on; printed as one line, exit code 2."""


def parser_build() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="concertem",
        description=(
            "Concertem: the data pipeline of the Diputació de Barcelona's cooperation "
            "programme — territory, allocation formula, indicators, Data Packages and CKAN."
        ),
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = parser_build()
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
    sys.exit(main())
