"""ckan.ini, licenses.json and wsgi.py: how the local CKAN is configured.

``ini_digest`` fingerprints what the running CKAN was started with (the options we own, the
licence list and the source of our extensions); a different digest means a restart. The
extension trees are hashed once per start (``extensions_digest``) and the digest is passed
along, since a tree walk of every extension file is the costly part.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ckanlocal.base import (
    Echo,
    ServerPaths,
    clean_env,
    echo_default,
    json_write,
    run,
)
from ckanlocal.portal import SITE_DESCRIPTION, SITE_TITLE, catalog_properties, licences_register
from ckanlocal.postgres import DB_CKAN, DB_DATASTORE, ROLE_CKAN, ROLE_DS_READ, ROLE_DS_WRITE

SITE_ID = "concertem-local"
CKAN_PLUGINS = (
    "activity datastore datatables_view scheming_datasets dcat concertem_dcat "
    "concertem_localsearch concertem_datastore"
)
DCAT_PROFILES = "euro_dcat_ap_3 concertem_dcat_ap_3"
EXTENSION_SUFFIXES = (".py", ".yaml", ".html", ".toml")


def ini_settings(
    paths: ServerPaths, state: dict[str, Any], ports: dict[str, int]
) -> dict[str, str]:
    """The ckan.ini options we own; everything else keeps `ckan generate config`'s default."""
    pw = state["passwords"]
    pg = f"127.0.0.1:{ports['postgres']}"
    return {
        "sqlalchemy.url": f"postgresql://{ROLE_CKAN}:{pw[ROLE_CKAN]}@{pg}/{DB_CKAN}",
        "ckan.datastore.write_url": (
            f"postgresql://{ROLE_DS_WRITE}:{pw[ROLE_DS_WRITE]}@{pg}/{DB_DATASTORE}"
        ),
        "ckan.datastore.read_url": (
            f"postgresql://{ROLE_DS_READ}:{pw[ROLE_DS_READ]}@{pg}/{DB_DATASTORE}"
        ),
        "ckan.site_url": f"http://127.0.0.1:{ports['ckan']}",
        "ckan.site_id": SITE_ID,
        "ckan.site_title": SITE_TITLE,
        "ckan.site_description": SITE_DESCRIPTION,
        "ckan.locale_default": "ca",
        "ckan.locales_offered": "ca es en",
        "licenses_group_url": f"file://{paths.licences}",
        # Required by CKAN but unused: concertem_localsearch replaces Solr. Port 9
        # (discard) refuses at once, so the start-up schema check fails fast.
        "solr_url": "http://127.0.0.1:9/solr/unused-see-concertem_localsearch",
        "ckan.redis.url": f"redis://127.0.0.1:{ports['redis']}/0",
        "ckan.plugins": CKAN_PLUGINS,
        # Tables get CKAN's DataTables view (the pipeline also makes it once the
        # DataStore is loaded: a default view is only made when the resource is created).
        "ckan.views.default_views": "datatables_view",
        "scheming.dataset_schemas": "ckanext.concertem_dcat:schemas/dataset.yaml",
        "scheming.presets": ("ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml"),
        "ckanext.dcat.rdf.profiles": DCAT_PROFILES,
        "ckanext.concertem_dcat.catalog": json.dumps(
            catalog_properties(), ensure_ascii=False, sort_keys=True
        ),
        # Every distribution states its licence (DCAT-AP recommends it).
        "ckanext.dcat.resource.inherit.license": "true",
        "ckanext.dcat.enable_content_negotiation": "false",
        "ckan.storage_path": str(paths.storage),
        "ckan.max_resource_size": "100",
        "ckan.auth.create_user_via_api": "false",
        "ckan.datastore.sqlsearch.enabled": "false",
    }


def extensions_digest(paths: ServerPaths) -> str:
    """The source of our extensions: installed editable, a changed schema, profile or
    template takes a restart, not a reinstall."""
    digest = hashlib.sha256()
    for root in paths.extensions:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in EXTENSION_SUFFIXES:
                name = f"{root.name}/{path.relative_to(root)}"
                digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ini_digest(
    paths: ServerPaths, state: dict[str, Any], ports: dict[str, int], *, extensions: str
) -> str:
    """What the running CKAN was configured with: ckan.ini's options, the licence list and
    ``extensions`` (``extensions_digest``, computed once by the caller)."""
    material = {
        "ini": ini_settings(paths, state, ports),
        "licences": licences_register(),
        "extensions": extensions,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def ini_current(paths: ServerPaths, state: dict[str, Any], *, extensions: str) -> bool:
    try:
        digest = ini_digest(paths, state, state["ports"], extensions=extensions)
    except KeyError:  # set-up never got as far as ports and passwords
        return False
    return state.get("ini_digest") == digest


def ini_ensure(
    paths: ServerPaths,
    state: dict[str, Any],
    ports: dict[str, int],
    *,
    extensions: str,
    echo: Echo = echo_default,
) -> None:
    settings = ini_settings(paths, state, ports)
    digest = ini_digest(paths, state, ports, extensions=extensions)
    if paths.ini.exists() and paths.licences.exists() and state.get("ini_digest") == digest:
        return
    env = clean_env(paths)
    log = paths.logs / "ckan-setup.log"
    json_write(paths.licences, licences_register(), private=False)
    ckan = str(paths.bin("ckan"))
    if not paths.ini.exists():
        echo(f"ckan generate config {paths.ini}")
        run("ckan generate config", [ckan, "generate", "config", str(paths.ini)], log=log, env=env)
    echo("ckan config-tool (ports, databases, plugins)")
    options = [f"{key}={value}" for key, value in settings.items()]
    run("ckan config-tool", [ckan, "config-tool", str(paths.ini), *options], log=log, env=env)
    paths.ini.chmod(0o600)
    paths.wsgi.write_text(
        "# Generated by ckanlocal/config.py: gunicorn's entry point for CKAN.\n"
        "from logging.config import fileConfig\n\n"
        "from ckan.cli import CKANConfigLoader\n"
        "from ckan.config.middleware import make_app\n\n"
        f"CONFIG_PATH = {str(paths.ini)!r}\n"
        "fileConfig(CONFIG_PATH)\n"
        "application = make_app(CKANConfigLoader(CONFIG_PATH).get_config())\n"
    )
    state["ini_digest"] = digest
