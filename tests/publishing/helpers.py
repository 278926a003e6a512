"""Small catalogue specs over tests/data/publishing/, an in-memory CKAN and a scripted HTTP
transport for the unit tests."""

from __future__ import annotations

import copy
import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from datasets.catalog import CC_BY_4_0, Check, DatasetSpec, ResourceSpec, text
from publishing.config import CkanConfig
from publishing.errors import CkanNotAuthorizedError, CkanNotFoundError
from publishing.transport import CallStats

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "publishing"
SCHEMAS = REPO / "datasets" / "schemas"

ALLOCATION_SCHEMA = {
    "fields": [
        {"name": "entity_code", "type": "string", "constraints": {"required": True}},
        {"name": "name", "type": "string", "constraints": {"required": True}},
        {"name": "amount_eur", "type": "number", "constraints": {"required": True}},
    ],
    "primaryKey": ["entity_code"],
    "missingValues": [""],
}


def _resource(name: str, file: Path, schema: Any) -> ResourceSpec:
    return ResourceSpec(
        name=name,
        path=f"data/{name}.csv",
        title=text(f"{name} ca", f"{name} es", f"{name} en"),
        description=text("Extracte.", "Extracto.", "Extract."),
        file=file,
        schema=schema,
    )


def spec_make(name: str, resources: tuple[ResourceSpec, ...], checks=()) -> DatasetSpec:
    return DatasetSpec(
        name=name,
        title=text(f"{name} (ca)", f"{name} (es)", f"{name} (en)"),
        description=text("Prova.", "Prueba.", "Test."),
        keywords={"ca": ("prova",), "es": ("prueba",), "en": ("test",)},
        licence=CC_BY_4_0,
        sources=(),
        resources=resources,
        temporal=("2021-01-01", "2022-12-31"),
        frequency="ANNUAL",
        themes=("REGI",),
        checks=tuple(checks),
    )


def territory_spec(
    *,
    name: str = "mini-territory",
    entities: str | Path = "entities.csv",
    variables: str | Path = "variables.csv",
) -> DatasetSpec:
    entities_path = entities if isinstance(entities, Path) else DATA / entities
    variables_path = variables if isinstance(variables, Path) else DATA / variables
    return spec_make(
        name,
        (
            _resource("entities", entities_path, SCHEMAS / "entities.json"),
            _resource("variables", variables_path, SCHEMAS / "variables.json"),
        ),
        checks=(Check("entity-code-exists", resource="variables", field="entity_code"),),
    )


def allocation_spec(*, name: str = "mini-allocation", file: str = "allocations.csv") -> DatasetSpec:
    return spec_make(
        name,
        (_resource("allocations", DATA / file, ALLOCATION_SCHEMA),),
        checks=(
            Check("entity-code-exists", resource="allocations", field="entity_code"),
            Check(
                "amounts-sum-to-budget",
                resource="allocations",
                field="amount_eur",
                params={"budget_eur": "1000.00"},
            ),
        ),
    )


def sdg_spec(*, name: str = "mini-sdg", file: str = "sdg_goals.csv") -> DatasetSpec:
    return spec_make(
        name,
        (_resource("sdg_goals", DATA / file, SCHEMAS / "sdg_goals.json"),),
        checks=(Check("sdg-goal-range", resource="sdg_goals", field="goal"),),
    )


@pytest.fixture
def ckan_config() -> CkanConfig:
    return CkanConfig(
        url="http://ckan.test", api_key="key", retries=2, backoff_base=0.0, backoff_max=0.0
    )


# ---- An in-memory CKAN ----


class FakeCkan:
    """Just enough of CKAN's action API for the pipeline, recording every call."""

    def __init__(self, *, authorized: bool = True) -> None:
        self.stats = CallStats()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.packages: dict[str, dict[str, Any]] = {}
        self.organizations = {"diputacio-barcelona"}
        self.datastore: dict[str, list[dict[str, Any]]] = {}
        self.views: dict[str, list[dict[str, Any]]] = {}
        self.authorized = authorized
        self.site = "http://ckan.test"
        self.rows_max = 1000

    def actions(self) -> list[str]:
        return [action for action, _ in self.calls]

    def reset(self) -> None:
        self.calls.clear()
        self.stats = CallStats()

    def call(self, action, data=None, *, what, upload=None, recover=None):
        data = copy.deepcopy(data or {})
        self.calls.append((action, data))
        self.stats.record(action, 0)
        if upload is not None:
            self.stats.bytes_uploaded += upload.stat().st_size
            data["url"] = upload.name
        if not self.authorized and not action.endswith(("_show", "_search")):
            raise CkanNotAuthorizedError(f"{what}: not authorized")
        return getattr(self, action)(data)

    def _package(self, key: str) -> dict[str, Any]:
        for package in self.packages.values():
            if key in (package["id"], package["name"]):
                return package
        raise CkanNotFoundError(f"package {key} not found")

    def _resource(self, rid: str) -> tuple[dict[str, Any], dict[str, Any]]:
        for package in self.packages.values():
            for resource in package["resources"]:
                if resource["id"] == rid:
                    return package, resource
        raise CkanNotFoundError(f"resource {rid} not found")

    def package_show(self, data):
        return copy.deepcopy(self._package(data["id"]))

    def package_search(self, data):
        """Only the query ``packages_find`` sends: ``+organization:"o" +name:("a" OR "b")``,
        paged by ``rows`` and ``start`` (``rows_max`` plays CKAN's cap)."""
        match = re.fullmatch(r'\+organization:"([^"]+)" \+name:\(([^)]*)\)', data["fq"])
        assert match, data["fq"]
        organization, names = match[1], set(re.findall(r'"([^"]+)"', match[2]))
        hits = sorted(
            (
                p
                for p in self.packages.values()
                if p.get("owner_org") == organization
                and p["name"] in names
                and p.get("state", "active") in ("active", "draft")
            ),
            key=lambda p: p["name"],
        )
        rows = min(int(data["rows"]), self.rows_max)
        start = int(data.get("start", 0))
        return {"count": len(hits), "results": copy.deepcopy(hits[start : start + rows])}

    def organization_show(self, data):
        if data["id"] not in self.organizations:
            raise CkanNotFoundError("no organisation")
        return {"name": data["id"]}

    def organization_create(self, data):
        self.organizations.add(data["name"])
        return {"name": data["name"]}

    def package_create(self, data):
        package = {**data, "id": str(uuid.uuid4()), "state": "active", "resources": []}
        self.packages[package["name"]] = package
        return copy.deepcopy(package)

    def package_patch(self, data):
        package = self._package(data["id"])
        package.update({k: v for k, v in data.items() if k != "id"})
        return copy.deepcopy(package)

    def package_resource_reorder(self, data):
        package = self._package(data["id"])
        order = {rid: index for index, rid in enumerate(data["order"])}
        package["resources"].sort(key=lambda r: order.get(r["id"], len(order)))
        return {}

    def resource_create(self, data):
        package = self._package(data["package_id"])
        resource = {**data, "id": str(uuid.uuid4()), "state": "active", "datastore_active": False}
        self._download_url(package, resource)
        package["resources"].append(resource)
        return copy.deepcopy(resource)

    def resource_patch(self, data):
        package, resource = self._resource(data["id"])
        resource.update(data)
        self._download_url(package, resource)
        return copy.deepcopy(resource)

    def _download_url(self, package, resource):
        # An uploaded file's url is its download URL, as CKAN shows it.
        url = resource.get("url", "")
        if url and "/" not in url:
            resource["url"] = (
                f"{self.site}/dataset/{package['id']}/resource/{resource['id']}/download/{url}"
            )

    def resource_view_list(self, data):
        self._resource(data["id"])
        return copy.deepcopy(self.views.get(data["id"], []))

    def resource_view_create(self, data):
        self._resource(data["resource_id"])
        view = {**data, "id": str(uuid.uuid4())}
        self.views.setdefault(data["resource_id"], []).append(view)
        return copy.deepcopy(view)

    def resource_delete(self, data):
        package, resource = self._resource(data["id"])
        package["resources"].remove(resource)
        self.datastore.pop(data["id"], None)
        return None

    def datastore_create(self, data):
        _, resource = self._resource(data["resource_id"])
        resource["datastore_active"] = True
        self.datastore[data["resource_id"]] = list(data.get("records", []))
        return {}

    def datastore_upsert(self, data):
        self.datastore[data["resource_id"]].extend(data["records"])
        return {}

    def datastore_delete(self, data):
        _, resource = self._resource(data["resource_id"])
        resource["datastore_active"] = False
        self.datastore.pop(data["resource_id"], None)
        return {}

    def status_show(self, data):
        # A stock CKAN: no concertem_datastore plugin, so tables go as JSON batches.
        return {"ckan_version": "2.12.0", "extensions": ["datastore"]}


@pytest.fixture
def fake_ckan() -> FakeCkan:
    return FakeCkan()


# ---- A scripted HTTP transport, for the real gateway ----


class Scripted(requests.adapters.BaseAdapter):
    """Answers each request with the next of ``answers`` (an exception is raised; a
    ``(status, body)`` pair is the response) and keeps ``(record(request), timeout)``."""

    def __init__(self, answers, *, record: Callable[[Any], Any] = lambda request: request.url):
        super().__init__()
        self.answers = list(answers)
        self.record = record
        self.seen = []

    def send(self, request, **kwargs):
        self.seen.append((self.record(request), kwargs.get("timeout")))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, body = answer
        response = requests.Response()
        response.status_code, response.url, response.request = status, request.url, request
        response._content = (body if isinstance(body, str) else json.dumps(body)).encode()
        return response

    def close(self):
        pass
