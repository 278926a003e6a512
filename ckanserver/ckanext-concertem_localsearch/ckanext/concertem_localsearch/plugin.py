"""The CKAN plugin: swaps CKAN's Solr package search for the PostgreSQL one.

Load it only on concertem's local CKAN server (``ckan.plugins = ... concertem_localsearch``).
"""

from __future__ import annotations

import logging

import ckan.plugins as plugins
from ckanext.concertem_localsearch.backend import search_backend_install, table_ensure

# CKAN's start-up schema check always tries Solr, which does not exist here, and
# logs an 80-line traceback per process through this logger; that logger only ever
# reports Solr connection errors. Set at import, as plugins load before the check.
logging.getLogger("ckan.lib.search.common").setLevel(logging.CRITICAL)


class ConcertemLocalSearchPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IConfigurable)

    def configure(self, config: object) -> None:
        # configure() runs in the web workers, the CLI and job workers alike, after the
        # database is set up, so every process that may index or search gets the swap.
        search_backend_install()
        table_ensure()
