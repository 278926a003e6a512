"""The CKAN plugin: adds the ``concertem_datastore_load`` action (needs ``datastore``).

Clients find out whether a portal has it from ``status_show``'s ``extensions`` list.
"""

from __future__ import annotations

import ckan.plugins as plugins
from ckanext.concertem_datastore.action import concertem_datastore_load


class ConcertemDatastorePlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IActions)

    def get_actions(self) -> dict[str, object]:
        return {"concertem_datastore_load": concertem_datastore_load}
