#!/usr/bin/env python
"""Django's command-line utility for the Concertem site.

`site/` is not a Python package (the standard library owns the name `site`), so
this file puts the repository root and this folder on sys.path itself.
"""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent
for path in (SITE_DIR, SITE_DIR.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concertem.config.settings.dev")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings module
    except ImproperlyConfigured as error:
        # A missing or invalid setting is an operator's mistake, not a bug: say
        # what to set, without a traceback.
        sys.stderr.write(f"Configuration error: {error}\n")
        sys.exit(1)
    execute_from_command_line(sys.argv)
