# Every SQL string here is assembled from fixed fragments; all values are bind
# parameters (see solrquery.SqlParams), so S608 does not apply.
# ruff: noqa: S608
"""PostgreSQL-backed replacements for CKAN's Solr package index and query.

Documents live in ``concertem_localsearch_doc`` in CKAN's own database. Writes go
through their own short transaction on ``model.meta.engine``, not through
``model.Session``: CKAN indexes before it commits the dataset, and Solr is likewise
updated at once, whatever the request's transaction does next.
"""

from __future__ import annotations

import collections
import hashlib
import json
import logging
import re
import string
import threading
from typing import Any

import ckan.lib.navl.dictization_functions as dictization_functions
import ckan.lib.plugins as lib_plugins
import ckan.logic as logic
import ckan.model as model
import sqlalchemy as sa
from ckan.common import config
from ckan.lib.search.common import SearchError, SearchQueryError
from ckan.lib.search.index import PackageSearchIndex
from ckan.lib.search.query import VALID_SOLR_PARAMETERS, PackageSearchQuery
from ckan.plugins import IPackageController, PluginImplementations
from ckanext.concertem_localsearch import solrquery
from dateutil.parser import ParserError, parse

log = logging.getLogger(__name__)

TABLE = "concertem_localsearch_doc"
KEY_CHARS = string.digits + string.ascii_letters + "_-"
# Same list as ckan.lib.search.index.RESERVED_FIELDS: extras never shadow these.
RESERVED_FIELDS = [
    "entity_type",
    "res_url",
    "text",
    "urls",
    "indexed_ts",
    "site_id",
    "tags",
    "groups",
    "res_name",
    "res_description",
    "res_format",
    "res_type",
]
# What Solr's catch-all "text" field copies in CKAN's schema.xml, roughly.
TEXT_FIELDS = [
    "name",
    "title",
    "notes",
    "tags",
    "groups",
    "organization",
    "res_name",
    "res_description",
    "res_format",
    "author",
    "maintainer",
    "url",
    "license_id",
    "text",
    "urls",
]
# The JSON keys of the index dicts Solr returns verbatim (fl may ask for them).
STORED_JSON = ("data_dict", "validated_data_dict")
DDL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    index_id text PRIMARY KEY,
    id text NOT NULL,
    name text,
    site_id text NOT NULL,
    doc jsonb NOT NULL,
    data_dict text,
    validated_data_dict text,
    search_text tsvector NOT NULL,
    indexed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS {TABLE}_site_idx ON {TABLE} (site_id);
CREATE INDEX IF NOT EXISTS {TABLE}_text_idx ON {TABLE} USING gin (search_text);
"""

_table_ready = False
_table_lock = threading.Lock()


def table_ensure() -> None:
    """Create the index table once per process; an advisory lock serialises the
    CREATEs of workers starting together (CREATE TABLE IF NOT EXISTS can race)."""
    global _table_ready
    if _table_ready:
        return
    with _table_lock:
        if _table_ready:
            return
        with model.meta.engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(727274001)"))
            for statement in DDL.strip().split(";"):
                if statement.strip():
                    conn.execute(sa.text(statement))
        _table_ready = True


def _site_id() -> str:
    return config.get("ckan.site_id")


# ---- Index ----


def doc_build(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """Flatten a package dict the way ckan.lib.search.index.PackageSearchIndex does."""
    pkg_dict = dict(pkg_dict)
    validated = pkg_dict.pop("with_custom_schema")
    pkg_dict["data_dict"] = json.dumps(pkg_dict)
    pkg_dict["validated_data_dict"] = json.dumps(
        validated, cls=dictization_functions.MissingNullEncoder
    )
    if pkg_dict.get("title"):
        pkg_dict["title_string"] = pkg_dict["title"]

    index_fields = RESERVED_FIELDS + list(pkg_dict.keys())
    for extra in pkg_dict.pop("extras", None) or []:
        key, value = extra["key"], extra["value"]
        if isinstance(value, (tuple, list)):
            value = " ".join(map(str, value))
        key = "".join(c for c in key if c in KEY_CHARS)
        pkg_dict["extras_" + key] = value
        if key not in index_fields:
            pkg_dict[key] = value

    tag_names = []
    for tag in pkg_dict.pop("tags", None) or []:
        if tag.get("vocabulary_id"):
            vocab = logic.get_action("vocabulary_show")({}, {"id": tag["vocabulary_id"]})
            pkg_dict.setdefault("vocab_" + vocab["name"], []).append(tag["name"])
        else:
            tag_names.append(tag["name"])
    pkg_dict["tags"] = tag_names
    pkg_dict["groups"] = [group["name"] for group in pkg_dict.pop("groups", None) or []]
    pkg_dict["capacity"] = "private" if pkg_dict.get("private") else "public"
    organization = pkg_dict.get("organization")
    pkg_dict["organization"] = organization["name"] if organization else None

    resource_fields = [
        ("name", "res_name"),
        ("description", "res_description"),
        ("format", "res_format"),
        ("url", "res_url"),
        ("resource_type", "res_type"),
        *[(extra, "res_extras_" + extra) for extra in model.Resource.get_extra_columns()],
    ]
    for resource in pkg_dict.pop("resources", None) or []:
        for old_key, new_key in resource_fields:
            pkg_dict[new_key] = [*pkg_dict.get(new_key, []), resource.get(old_key, "")]

    relationships: dict[str, list[str]] = collections.defaultdict(list)
    for rel in pkg_dict.pop("relationships_as_object", None) or []:
        rel_type = model.PackageRelationship.forward_to_reverse_type(rel["type"])
        other = model.Package.get(rel["subject_package_id"])
        if other:
            relationships[rel_type].append(other.name)
    for rel in pkg_dict.pop("relationships_as_subject", None) or []:
        other = model.Package.get(rel["object_package_id"])
        if other:
            relationships[rel["type"]].append(other.name)
    for key, value in relationships.items():
        pkg_dict.setdefault(key, value)

    pkg_dict["entity_type"] = "package"
    pkg_dict["dataset_type"] = pkg_dict.get("type")

    doc: dict[str, Any] = {}
    for key, value in pkg_dict.items():
        if key.endswith("_date"):
            if not value:
                continue
            try:
                date = parse(value)
            except (ParserError, TypeError, ValueError):
                log.warning("%r: %r value %r is not a valid date", pkg_dict["id"], key, value)
                continue
            value = date.isoformat() + ("" if date.tzinfo else "Z")
        doc[key] = value
    for key in ("metadata_created", "metadata_modified"):
        if doc.get(key):
            doc[key] += "Z"
    if doc.get("title"):
        doc["title"] = doc["title"].lstrip()
    doc["site_id"] = _site_id()
    doc["index_id"] = hashlib.md5(  # noqa: S324 - an id, as CKAN computes it, not security
        f"{doc['id']}{_site_id()}".encode()
    ).hexdigest()
    for plugin in PluginImplementations(IPackageController):
        doc = plugin.before_dataset_index(doc)
    dataset = model.Package.get(doc["id"])
    doc["permission_labels"] = (
        lib_plugins.get_permission_labels().get_dataset_labels(dataset) if dataset else []
    )
    return doc


def _text_of(doc: dict[str, Any]) -> str:
    parts: list[str] = []
    keys = [*TEXT_FIELDS, *(k for k in doc if k.startswith(("extras_", "vocab_")))]
    for key in keys:
        value = doc.get(key)
        values = value if isinstance(value, list) else [value]
        parts.extend(str(v) for v in values if v not in (None, ""))
    return " ".join(parts)


class LocalPackageSearchIndex(PackageSearchIndex):
    def index_package(self, pkg_dict: dict[str, Any] | None, defer_commit: bool = False) -> None:
        if pkg_dict is None:
            return
        if config.get("ckan.search.remove_deleted_packages") and pkg_dict.get("state") in (
            None,
            "deleted",
        ):
            self.delete_package(pkg_dict)
            return
        doc = doc_build(pkg_dict)
        if not doc:
            return
        stored = {key: doc.pop(key, None) for key in STORED_JSON}
        table_ensure()
        with model.meta.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"""
                    INSERT INTO {TABLE} (index_id, id, name, site_id, doc, data_dict,
                                         validated_data_dict, search_text, indexed_at)
                    VALUES (:index_id, :id, :name, :site_id, CAST(:doc AS jsonb), :data_dict,
                            :validated_data_dict, to_tsvector('simple', :text), now())
                    ON CONFLICT (index_id) DO UPDATE SET
                        id = EXCLUDED.id, name = EXCLUDED.name, doc = EXCLUDED.doc,
                        data_dict = EXCLUDED.data_dict,
                        validated_data_dict = EXCLUDED.validated_data_dict,
                        search_text = EXCLUDED.search_text, indexed_at = now()
                    """
                ),
                {
                    "index_id": doc["index_id"],
                    "id": doc["id"],
                    "name": doc.get("name"),
                    "site_id": doc["site_id"],
                    "doc": json.dumps(doc, default=str),
                    "text": _text_of(doc),
                    **stored,
                },
            )

    def delete_package(self, pkg_dict: dict[str, Any]) -> None:
        table_ensure()
        with model.meta.engine.begin() as conn:
            conn.execute(
                sa.text(
                    f"DELETE FROM {TABLE} WHERE site_id = :site AND (id = :ref OR name = :ref)"
                ),
                {"site": _site_id(), "ref": pkg_dict.get("id")},
            )

    def clear(self) -> None:
        table_ensure()
        with model.meta.engine.begin() as conn:
            conn.execute(
                sa.text(f"DELETE FROM {TABLE} WHERE site_id = :site"), {"site": _site_id()}
            )

    def commit(self) -> None:
        """Every write above is already committed."""


# ---- Query ----


def _check_no_local_params(query: dict[str, Any]) -> None:
    # CKAN forbids Solr local params and magic fields; keep refusing them here so
    # code that passes locally cannot rely on them.
    for key, value in query.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and (
                "{!" in item or re.search(r"(?<![\w\\])_(query|val)_\s*:", item)
            ):
                raise SearchError(f"Query parsers are not supported in param '{key}'.")


def _facet_fields(query: dict[str, Any]) -> list[str]:
    if str(query.get("facet", "true")).lower() not in ("true", "on", "1"):
        return []
    fields = query.get("facet.field") or []
    if isinstance(fields, str):
        try:
            fields = json.loads(fields)
        except ValueError:
            fields = [fields]
    return [solrquery._field_checked(name) for name in fields]


class LocalPackageSearchQuery(PackageSearchQuery):
    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        table_ensure()
        with model.meta.engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    f"SELECT id FROM {TABLE} WHERE site_id = :site AND doc->>'state' = 'active' "
                    "ORDER BY id LIMIT :limit"
                ),
                {"site": _site_id(), "limit": max_results},
            )
            return [row[0] for row in rows]

    def get_index(self, reference: str) -> dict[str, Any]:
        # package_show uses this as its cache, exactly as with Solr (it checks
        # metadata_modified against the database before trusting it).
        table_ensure()
        with model.meta.engine.connect() as conn:
            row = conn.execute(
                sa.text(
                    f"SELECT doc, data_dict, validated_data_dict FROM {TABLE} "
                    "WHERE site_id = :site AND (name = :ref OR id = :ref) LIMIT 1"
                ),
                {"site": _site_id(), "ref": reference},
            ).first()
        if row is None:
            raise SearchError(f"Dataset not found in the search index: {reference}")
        return dict(row[0], data_dict=row[1], validated_data_dict=row[2])

    def run(
        self,
        query: dict[str, Any],
        permission_labels: list[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        if not set(query.keys()) <= VALID_SOLR_PARAMETERS:
            invalid = sorted(set(query.keys()) - VALID_SOLR_PARAMETERS)
            raise SearchQueryError(f"Invalid search parameters: {invalid}")
        _check_no_local_params(query)

        q = query.get("q")
        if not q or q in ('""', "''"):
            q = "*:*"
        rows = int(query.get("rows", 10))
        start = int(query.get("start", 0) or 0)
        fq = [query["fq"]] if query.get("fq") else []
        fq.extend(query.get("fq_list") or [])
        fq.append(f'+site_id:"{_site_id()}"')
        if not any("+state:" in item for item in fq):
            fq.append("+state:active")
        if permission_labels is not None:
            labels = " OR ".join('"' + label.replace('"', "") + '"' for label in permission_labels)
            fq.append(f"+permission_labels:({labels})" if labels else "-*:*")

        params = solrquery.SqlParams()
        try:
            q_tree = solrquery.query_parse(q)
            where = [solrquery.query_compile(q_tree, params)]
            for item in fq:
                where.append(solrquery.query_compile(solrquery.query_parse(item), params))
            words = solrquery.query_free_text_words(q_tree)
            rank_sql = ""
            if words:
                rank_query = params.add(" | ".join(f"{word}:*" for word in words))
                rank_sql = f"ts_rank(d.search_text, to_tsquery('simple', {rank_query}))"
            order_by = solrquery.sort_compile(
                query.get("sort") or "score desc, metadata_modified desc", rank_sql, params
            )
            facet_fields = _facet_fields(query)
        except solrquery.QuerySyntaxError as error:
            raise SearchQueryError(f"Invalid search query: {error}") from error

        where_sql = " AND ".join(where)
        table_ensure()
        with model.meta.engine.connect() as conn:
            self.count = conn.execute(
                sa.text(f"SELECT count(*) FROM {TABLE} AS d WHERE {where_sql}"), params.values
            ).scalar_one()
            found = conn.execute(
                sa.text(
                    f"SELECT d.doc, d.data_dict, d.validated_data_dict FROM {TABLE} AS d "
                    f"WHERE {where_sql} ORDER BY {order_by} "
                    f"LIMIT {max(rows, 0)} OFFSET {max(start, 0)}"
                ),
                params.values,
            ).all()
            self.facets = {
                name: self._facet_counts(conn, name, query, where_sql, params)
                for name in facet_fields
            }

        fl = query.get("fl") or "name"
        self.results = [self._result(row, fl) for row in found]
        if fl in ("id", "name"):
            self.results = [result.get(fl) for result in self.results]
        return {"results": self.results, "count": self.count}

    @staticmethod
    def _result(row: Any, fl: str) -> dict[str, Any]:
        doc, data_dict, validated = row
        full = dict(doc, data_dict=data_dict, validated_data_dict=validated)
        wanted = [name for name in re.split(r"[\s,]+", fl) if name]
        result = dict(full) if "*" in wanted else {k: full[k] for k in wanted if k in full}
        extras = {
            key[len("extras_") :]: result.pop(key)
            for key in list(result)
            if key.startswith("extras_")
        }
        if extras:
            result["extras"] = extras
        return result

    @staticmethod
    def _facet_counts(
        conn: Any, name: str, query: dict[str, Any], where_sql: str, params: solrquery.SqlParams
    ) -> dict[str, int]:
        limit = int(query.get("facet.limit", config.get("search.facets.limit")) or 50)
        mincount = int(query.get("facet.mincount", 1) or 0)
        values = dict(params.values, facet_field=name, facet_min=mincount)
        limit_sql = f"LIMIT {limit}" if limit >= 0 else ""
        rows = conn.execute(
            sa.text(
                f"""
                SELECT e.v, count(*) AS n
                FROM {TABLE} AS d,
                     jsonb_array_elements_text(CASE jsonb_typeof(d.doc->:facet_field)
                        WHEN 'array' THEN d.doc->:facet_field
                        ELSE jsonb_build_array(d.doc->:facet_field) END) AS e(v)
                WHERE {where_sql} AND e.v IS NOT NULL
                GROUP BY e.v HAVING count(*) >= :facet_min
                ORDER BY n DESC, e.v {limit_sql}
                """
            ),
            values,
        )
        return {value: count for value, count in rows}


def search_backend_install() -> None:
    """Point CKAN's package search at PostgreSQL.

    CKAN has no setting for this. index_for()/query_for() read the private tables
    _INDICES and _QUERIES, but ckan.lib.dictization.model_dictize also builds
    ``search.PackageSearchQuery()`` by name (organization_show's dataset counts,
    tag_show), so that package attribute is replaced too.
    """
    from ckan.lib import search

    search._INDICES["package"] = LocalPackageSearchIndex
    search._QUERIES["package"] = LocalPackageSearchQuery
    search.PackageSearchQuery = LocalPackageSearchQuery  # type: ignore[misc]
    log.info("concertem_localsearch: package search served from PostgreSQL, not Solr")
