"""Management commands that run other commands in a fixed order (``load_demo``,
``export_open_data``): all of them must be installed before the first one runs."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError


def commands_run(command: BaseCommand, names: Sequence[str], *, kind: str) -> None:
    """Run ``names`` in order, each announced on ``command``'s output and writing to it.

    A command that is not installed (its app missing from INSTALLED_APPS) fails the whole
    run before anything is written: a half-loaded demo or half-exported catalogue is worse
    than none. ``kind`` names the commands in that error ("demo", "export").
    """
    available = get_commands()
    missing = [name for name in names if name not in available]
    if missing:
        raise CommandError(f"{kind} commands not installed: {', '.join(missing)}")
    for name in names:
        command.stdout.write(f"==> {name}")
        call_command(name, stdout=command.stdout, stderr=command.stderr)
