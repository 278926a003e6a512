from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version


def project_version() -> str:
    try:
        return version("concertem")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"


def version_print(args: argparse.Namespace) -> int:
    print(f"concertem {project_version()}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("version", help="print the installed version")
    parser.set_defaults(handler=version_print)
