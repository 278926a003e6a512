"""Pure planning: local dataset + the remote package dict -> what to do.

The remote dict is ``package_show``'s answer, or the same dict out of the run's one
``package_search``. Comparison is by digests only, so an unchanged dataset needs no other read:

- the dataset: ``concertem_metadata_sha256`` extra vs the local package dict's digest;
- a resource: ``hash`` (sha256 of the file) and ``concertem_digest`` (its fields), and for
  tables ``datastore_sha256``, which is written only after the DataStore load finished, so
  a load cut short is redone on the next run.

Remote resources are matched by name. Several remote resources with one name (a create
whose answer was lost, then retried by an older version of this code or by hand) keep the
one whose hash matches and the others are deleted; remote resources with a name the
package no longer has are deleted. So any interrupted run converges on the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from publishing.mapping import (
    DATASTORE_MARK_KEY,
    METADATA_DIGEST_KEY,
    RESOURCE_DIGEST_KEY,
    LocalDataset,
    LocalResource,
)

# Resource actions
CREATE = "create"
UPLOAD = "upload"  # the file changed: replace it in place (same resource id)
PATCH = "patch"  # only its fields changed
DATASTORE = "datastore"  # file in place, DataStore table missing or stale
DELETE = "delete"
UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ResourceStep:
    action: str
    name: str
    resource_id: str | None = None
    local: LocalResource | None = None
    datastore: bool = False  # (re)load the DataStore table too
    datastore_active: bool = False  # the remote table exists (drop it before reloading)
    reason: str = ""


@dataclass(frozen=True)
class DatasetPlan:
    name: str
    action: str  # create | update | unchanged | reactivate
    metadata: bool  # the dataset's own fields must be written
    steps: tuple[ResourceStep, ...]
    remote_id: str | None = None
    remote_order: tuple[str, ...] = ()  # resource ids as CKAN has them now

    @property
    def changed(self) -> bool:
        return self.action != UNCHANGED

    def steps_of(self, *actions: str) -> list[ResourceStep]:
        return [step for step in self.steps if step.action in actions]

    def upload_bytes(self) -> int:
        return sum(
            step.local.bytes
            for step in self.steps
            if step.local is not None and step.action in (CREATE, UPLOAD)
        )


def _remote_extra(resource: dict[str, Any], key: str) -> str:
    # CKAN returns resource extras as top-level keys of the resource dict.
    value = resource.get(key)
    return "" if value is None else str(value)


def _package_extra(package: dict[str, Any], key: str) -> str:
    for item in package.get("extras") or []:
        if item.get("key") == key:
            return str(item.get("value", ""))
    return ""


def _resource_step(local: LocalResource, remote: dict[str, Any]) -> ResourceStep:
    rid = remote.get("id")
    active = bool(remote.get("datastore_active"))
    if _remote_extra(remote, "hash") != local.sha256:
        return ResourceStep(
            UPLOAD,
            local.name,
            rid,
            local,
            datastore=local.tabular,
            datastore_active=active,
            reason="file changed",
        )
    if _remote_extra(remote, RESOURCE_DIGEST_KEY) != local.digest:
        stale = local.tabular and not _datastore_current(local, remote)
        return ResourceStep(
            PATCH,
            local.name,
            rid,
            local,
            datastore=stale,
            datastore_active=active,
            reason="fields changed",
        )
    if local.tabular and not _datastore_current(local, remote):
        return ResourceStep(
            DATASTORE,
            local.name,
            rid,
            local,
            datastore=True,
            datastore_active=active,
            reason="DataStore table missing or stale",
        )
    return ResourceStep(UNCHANGED, local.name, rid, local)


def _datastore_current(local: LocalResource, remote: dict[str, Any]) -> bool:
    return bool(remote.get("datastore_active")) and (
        _remote_extra(remote, DATASTORE_MARK_KEY) == local.sha256
    )


def dataset_plan(*, local: LocalDataset, remote: dict[str, Any] | None) -> DatasetPlan:
    if remote is None:
        return DatasetPlan(
            name=local.name,
            action="create",
            metadata=True,
            steps=tuple(
                ResourceStep(CREATE, r.name, None, r, datastore=r.tabular, reason="new")
                for r in local.resources
            ),
        )
    remote_resources = [
        r for r in remote.get("resources") or [] if r.get("state", "active") == "active"
    ]
    by_name: dict[str, list[dict[str, Any]]] = {}
    for resource in remote_resources:
        by_name.setdefault(str(resource.get("name") or ""), []).append(resource)
    steps: list[ResourceStep] = []
    for local_resource in local.resources:
        candidates = by_name.pop(local_resource.name, [])
        if not candidates:
            steps.append(
                ResourceStep(
                    CREATE,
                    local_resource.name,
                    None,
                    local_resource,
                    datastore=local_resource.tabular,
                    reason="new",
                )
            )
            continue
        # Keep the copy that already has this content; the others are duplicates.
        candidates.sort(key=lambda r: _remote_extra(r, "hash") != local_resource.sha256)
        keep, *duplicates = candidates
        steps.append(_resource_step(local_resource, keep))
        steps += [
            ResourceStep(DELETE, local_resource.name, d.get("id"), reason="duplicate")
            for d in duplicates
        ]
    for name, leftovers in sorted(by_name.items()):
        steps += [
            ResourceStep(DELETE, name, r.get("id"), reason="no longer in the package")
            for r in leftovers
        ]
    reactivate = remote.get("state", "active") != "active"
    metadata = reactivate or _package_extra(remote, METADATA_DIGEST_KEY) != local.digest
    anything = metadata or any(step.action != UNCHANGED for step in steps)
    order = tuple(str(r.get("id")) for r in remote_resources)
    if not anything and order != tuple(str(s.resource_id) for s in steps):
        anything = True  # same resources, other order: only a reorder is needed
    action = "reactivate" if reactivate else ("update" if anything else UNCHANGED)
    return DatasetPlan(
        name=local.name,
        action=action,
        metadata=metadata,
        steps=tuple(steps),
        remote_id=remote.get("id"),
        remote_order=order,
    )
