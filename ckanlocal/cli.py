"""`concertem ckan-server start|stop|status|restart-ckan`: the local CKAN server.

A thin wrapper over ``ckanlocal.server``; ``publishing.cli`` registers it by module name,
so the product package never imports this development tool.
"""

from __future__ import annotations

import argparse
import json

from ckanlocal import server as ckan_server
from publishing.cli import CommandError


def ckan_server_start(args: argparse.Namespace) -> int:
    info = ckan_server.server_start()
    if args.json:
        print(json.dumps(info.to_dict(), indent=2))
    return 0


def ckan_server_stop(args: argparse.Namespace) -> int:
    ckan_server.server_stop()
    return 0


def ckan_server_restart_ckan(args: argparse.Namespace) -> int:
    info = ckan_server.server_restart_ckan_only(force=args.kill)
    if args.json:
        print(json.dumps(info.to_dict(), indent=2))
    return 0


def ckan_server_status(args: argparse.Namespace) -> int:
    status = ckan_server.server_status()
    if args.json:
        print(json.dumps(status.to_dict(), indent=2))
    else:
        parts = " ".join(
            f"{name}={'up' if up else 'down'}" for name, up in status.components.items()
        )
        print(f"{status.message} ({parts})")
        if status.info and status.running:
            print(f"url: {status.info.url}  org: {status.info.owner_org}  home: {status.info.home}")
    # Non-zero when down, so scripts can test it: `concertem ckan-server status || ...`.
    return 0 if status.running else 1


def _command_run(args: argparse.Namespace) -> int:
    try:
        return args.ckan_handler(args)
    except ckan_server.CkanServerError as error:
        # The CLI prints its own CommandError as one line and exits 2.
        raise CommandError(str(error)) from error


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ckan-server",
        help="run the local CKAN 2.12 server used by the tests and the demo",
        description=(
            "Local CKAN 2.12 with PostgreSQL 15, Redis and the DataStore, under var/ckan/ "
            "(or $CONCERTEM_CKAN_HOME). The first start installs everything (~2 min)."
        ),
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    for name, handler, help_text in (
        ("start", ckan_server_start, "set up if needed and start (idempotent)"),
        ("stop", ckan_server_stop, "stop CKAN, Redis and PostgreSQL"),
        ("status", ckan_server_status, "report; exit 1 when not running"),
        ("restart-ckan", ckan_server_restart_ckan, "restart only the CKAN web process"),
    ):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("--json", action="store_true", help="print JSON")
        if name == "restart-ckan":
            action.add_argument("--kill", action="store_true", help="SIGKILL it, like a crash")
        action.set_defaults(handler=_command_run, ckan_handler=handler)
