"""Concertem's own local CKAN 2.12 server, for the integration tests and the demo.

A development tool, not part of the product: ``publishing`` publishes to any CKAN and never
imports this package. ``ckanlocal.server.server_start()`` brings up a real CKAN with
everything it needs, all on 127.0.0.1 and all under one directory (``var/ckan/`` in the
repo, or ``$CONCERTEM_CKAN_HOME``):

- ``venv/``      CKAN's own virtualenv (CKAN pins its requirements exactly, so it
                 never shares the project's .venv), plus gunicorn, ckanext-dcat,
                 ckanext-scheming and the plugins in ``ckanserver/``;
- ``postgres/``  a PostgreSQL 15 cluster run by the ``postgres`` user (CKAN's
                 database and the DataStore's);
- ``redis/``     a Redis server;
- ``storage/``   uploaded resource files (``ckan.storage_path``);
- ``ckan.ini``, ``licenses.json`` (see portal.py), ``wsgi.py``, ``logs/``,
  ``state.json`` (passwords, setup markers),
  ``server.json`` (url, api key, organisation, ports, pids: what tests read).

Solr is not available here, so CKAN runs with ``concertem_localsearch``, which
answers package search from PostgreSQL; production CKAN uses Solr.

One module per concern: ``base`` (paths, errors, processes, ports), ``install`` (Debian
packages from ``scripts/system-packages.txt``, CKAN's virtualenv and extensions),
``postgres`` (clusters; ``scripts/with_postgres.sh`` runs its throwaway one), ``redis``,
``config`` (ckan.ini), ``portal`` (the portal's texts and licences), ``process`` (the
gunicorn process and the action API), ``ckandb`` (database, sysadmin, organisation),
``server`` (start, stop, status) and ``cli`` (``concertem ckan-server``).

Every step is idempotent: a second ``server_start()`` only reports, a stopped server
restarts in seconds, and a cold set-up (pip install included) takes about two minutes.
This ``__init__`` imports nothing, so ``python3 -m ckanlocal.postgres`` runs from any
interpreter.
"""
