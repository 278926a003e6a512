"""``python -m ckanlocal start|stop|status|restart-ckan``: ``concertem ckan-server`` from the
repository, whatever the project's virtualenv has installed (the Makefile uses it)."""

import sys

from publishing.cli import main

sys.exit(main(["ckan-server", *sys.argv[1:]]))
