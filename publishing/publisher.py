"""One dataset through the gate and into CKAN: build, validate, read, plan, apply.

``Publisher`` holds what the datasets of one run share (the caches, the organisation check,
the run's one ``package_search``). ``package_ready`` builds and validates; ``built_publish``
refuses an invalid package without a single CKAN call, otherwise compares with what CKAN
has and sends only the differences. The runs over one dataset or the catalogue are in
``publishing.pipeline``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from datasets.catalog import DatasetSpec
from datasets.catalog import build_dir as catalog_build_dir
from datasets.fingerprint import FileDigests
from datasets.packaging import BuildCache, BuiltPackage, file_write_if_changed, package_build
from datasets.validation import (
    PackageReport,
    References,
    ValidationCache,
    package_report_write,
    package_validate,
)
from datasets.versioning import LEDGER_PATH, VersionLedger
from publishing.ckan import Gateway, packages_find
from publishing.config import CkanConfig
from publishing.datastore import COPY, DatastoreLoader
from publishing.errors import (
    CkanNotAuthorizedError,
    CkanNotFoundError,
    CkanOrganizationError,
    CkanRequestError,
)
from publishing.mapping import (
    DATASTORE_MARK_KEY,
    DESCRIPTOR_RESOURCE,
    LocalDataset,
    LocalResource,
    dataset_local,
    descriptor_for_ckan,
    descriptor_resource,
)
from publishing.plan import (
    CREATE,
    DATASTORE,
    DELETE,
    PATCH,
    UNCHANGED,
    UPLOAD,
    DatasetPlan,
    ResourceStep,
    dataset_plan,
)
from publishing.results import DatasetResult, Progress, PublishEvent

TABLE_VIEW = "datatables_view"  # ships with CKAN


def caches_open(build_dir: Path) -> tuple[BuildCache, ValidationCache]:
    """The build and validation caches under ``build_dir``, sharing one memo of file digests."""
    files = FileDigests(build_dir / "cache" / "files.json")
    return (
        BuildCache(build_dir / "cache", files=files),
        ValidationCache(build_dir / "reports" / "cache", files=files),
    )


class Publisher:
    """Publishing state shared by the datasets of one run (the organisation check, caches)."""

    def __init__(
        self,
        *,
        config: CkanConfig,
        gateway: Gateway,
        build_dir: Path | None = None,
        ledger: VersionLedger | None = None,
        references: References | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        cache: bool = True,
        catalogue: Iterable[str] = (),
    ) -> None:
        self.config = config
        # CKAN names of the datasets this run publishes: with two or more, the first read
        # fetches them all with one search (``_remote``); ``None`` until then.
        self.catalogue = frozenset(catalogue)
        self.remote_found: dict[str, dict[str, Any]] | None = None
        self.gateway = gateway
        self.datastore = DatastoreLoader(gateway, batch=config.datastore_batch)
        self.build_dir = build_dir = build_dir or catalog_build_dir()
        self.ledger = ledger or VersionLedger(LEDGER_PATH)
        self.references = references or References()
        self.dry_run = dry_run
        self.progress = progress
        self.organization_ready = False
        self.build_cache, self.validation_cache = caches_open(build_dir) if cache else (None, None)

    def caches_save(self) -> None:
        if self.build_cache is not None:
            self.build_cache.save()

    def _emit(self, stage: str, dataset: str, message: str, resource: str | None = None) -> None:
        if self.progress is not None:
            self.progress(PublishEvent(stage, dataset, message, resource))

    # ---- build and gate ----

    def package_ready(self, spec: DatasetSpec) -> tuple[BuiltPackage, PackageReport, Path]:
        self._emit("build", spec.name, "building")
        built = package_build(
            spec=spec,
            out_dir=self.build_dir / "datapackages",
            ledger=self.ledger,
            cache=self.build_cache,
        )
        self._emit("validate", spec.name, "validating")
        report = package_validate(
            built=built, references=self.references, cache=self.validation_cache
        )
        if report.cached:
            self._emit("validate", spec.name, "valid (same bytes and rules as a passing run)")
        reports_dir = self.build_dir / "reports"
        # Only this package's report: the catalogue's validation.json is written once, at the
        # end of the run, rather than rewritten with one package at a time.
        return built, report, package_report_write(report=report, reports_dir=reports_dir)

    def dataset_publish(self, spec: DatasetSpec) -> DatasetResult:
        built, report, report_path = self.package_ready(spec)
        return self.built_publish(built=built, report=report, report_path=report_path)

    def built_publish(
        self, *, built: BuiltPackage, report: PackageReport, report_path: Path
    ) -> DatasetResult:
        """Publish a package already built and validated (``report`` is its validation)."""
        spec = built.spec
        name = f"{self.config.dataset_prefix}{spec.name}"
        result = DatasetResult(name=spec.name, ckan_name=name)
        result.version, result.change, result.validation = built.version, built.change, report
        if not report.valid:
            # The gate: an invalid package never reaches CKAN, not even a read.
            result.status = "refused"
            result.error_code = "package-invalid"
            result.error = f"{spec.name}: {len(report.issues)} validation issue(s); nothing sent"
            self._emit("done", spec.name, "refused: invalid")
            return result
        before = self.gateway.stats.snapshot()
        try:
            self._emit("plan", spec.name, "comparing with CKAN")
            remote = self._remote(name, what=spec.name)
            local = dataset_local(
                built=built,
                config=self.config,
                report_path=report_path,
                descriptor_path=self._descriptor_write(built, _remote_urls(remote)),
            )
            plan = dataset_plan(local=local, remote=remote)
            result.plan = plan
            if self.dry_run:
                result.status = "planned"
            elif not plan.changed:
                result.status = UNCHANGED
            else:
                self._apply(plan, local, remote, result, built)
                result.status = "created" if plan.action == "create" else "updated"
            self._urls_note(result, remote)
            self._emit("done", spec.name, result.status)
        finally:
            result.stats = self.gateway.stats.since(before)
        return result

    def _descriptor_write(self, built: BuiltPackage, urls: dict[str, str]) -> Path:
        """The descriptor as CKAN serves it (paths are CKAN URLs), under build/ckan/."""
        path = self.build_dir / "ckan" / built.spec.name / "datapackage.json"
        file_write_if_changed(path, descriptor_for_ckan(built.descriptor_path, urls))
        return path

    def _descriptor_step(
        self, step: ResourceStep, built: BuiltPackage, urls: dict[str, str]
    ) -> ResourceStep:
        """The datapackage.json step again, now that every file has its CKAN URL."""
        assert step.local is not None
        path = self._descriptor_write(built, urls)
        fresh = descriptor_resource(built=built, descriptor_path=path)
        if fresh.sha256 == step.local.sha256:
            return step
        action = CREATE if step.action == CREATE else UPLOAD
        return replace(step, action=action, local=fresh, reason="resource URLs changed")

    # ---- CKAN calls ----

    def _remote(self, name: str, *, what: str) -> dict[str, Any] | None:
        """What CKAN has under ``name``, for the plan: from the run's one search if it has it."""
        if len(self.catalogue) > 1 and name in self.catalogue:
            if self.remote_found is None:
                self.remote_found = self._catalogue_read(what)
            # Taken out once used: after this dataset's writes the copy is stale.
            found = self.remote_found.pop(name, None)
            if found is not None:
                return found
        return self._show(name, what=what)

    def _catalogue_read(self, what: str) -> dict[str, dict[str, Any]]:
        try:
            return packages_find(
                self.gateway,
                organization=self.config.owner_org,
                names=self.catalogue,
                what=what,
            )
        except CkanRequestError as error:
            # A portal whose search refuses the query still answers package_show.
            self._emit("plan", what, f"search refused ({error}); reading datasets one by one")
            return {}

    def _show(self, name: str, *, what: str) -> dict[str, Any] | None:
        try:
            return self.gateway.call("package_show", {"id": name}, what=what)
        except CkanNotFoundError:
            return None

    def _organization_ensure(self, what: str) -> None:
        if self.organization_ready:
            return
        org = self.config.owner_org
        try:
            self.gateway.call("organization_show", {"id": org}, what=what)
        except CkanNotFoundError:
            try:
                self.gateway.call(
                    "organization_create",
                    {"name": org, "title": self.config.owner_org_title},
                    what=what,
                )
            except CkanNotAuthorizedError:
                raise CkanOrganizationError(
                    f"organisation {org!r} does not exist on {self.config.site} and this API "
                    "key may not create it: ask a CKAN sysadmin to create it, or set "
                    "CKAN_OWNER_ORG to an organisation you edit",
                    organization=org,
                ) from None
            self._emit("publish", what, f"created organisation {org}")
        self.organization_ready = True

    def _resource_find(self, name: str, resource: str, sha256: str) -> dict[str, Any] | None:
        """After a lost answer: did the create go through? (Then do not create it twice.)"""
        remote = self._show(name, what=f"{name}/{resource}")
        for item in (remote or {}).get("resources", []):
            if item.get("name") == resource and item.get("hash") == sha256:
                return item
        return None

    def _apply(
        self,
        plan: DatasetPlan,
        local: LocalDataset,
        remote: dict[str, Any] | None,
        result: DatasetResult,
        built: BuiltPackage,
    ) -> None:
        what = local.name
        call = self.gateway.call
        if plan.action == "create":
            self._organization_ensure(what)
            self._emit("publish", what, "creating dataset")
            created = call(
                "package_create",
                local.package,
                what=what,
                recover=lambda: self._show(local.name, what=what),
            )
            package_id = created["id"]
            remote = created
        else:
            package_id = str(plan.remote_id)
            if plan.metadata:
                self._emit("publish", what, "updating metadata")
                call(
                    "package_patch",
                    {**local.package, "id": package_id, "state": "active"},
                    what=what,
                )
        # Deletions first: duplicates must be gone before anything is matched again.
        deleted = set()
        for step in plan.steps_of(DELETE):
            self._emit("publish", what, f"deleting ({step.reason})", step.name)
            # Already gone is fine: a previous run got that far.
            with contextlib.suppress(CkanNotFoundError):
                call("resource_delete", {"id": step.resource_id}, what=f"{what}/{step.name}")
            deleted.add(step.resource_id)
        created_ids: list[str] = []
        final_ids: list[str] = []
        for step in plan.steps:
            if step.action == DELETE:
                continue
            if step.name == DESCRIPTOR_RESOURCE and step.local is not None:
                # Files created in this run have only now got their URLs.
                step = self._descriptor_step(step, built, result.resource_urls)
            rid = self._resource_apply(step, package_id, what)
            if step.action == CREATE:
                created_ids.append(rid)
            final_ids.append(rid)
            result.resource_urls[step.name] = self._download_url(package_id, rid, step.local)
        current = [rid for rid in plan.remote_order if rid not in deleted] + created_ids
        if current != final_ids:
            call("package_resource_reorder", {"id": package_id, "order": final_ids}, what=what)
        result.dataset_url = f"{self.config.site}/dataset/{local.name}"
        del remote  # remote state is now stale; nothing below may use it

    def _resource_apply(self, step: ResourceStep, package_id: str, dataset: str) -> str:
        local = step.local
        assert local is not None
        what = f"{dataset}/{step.name}"
        call = self.gateway.call
        if step.action == UNCHANGED:
            return str(step.resource_id)
        self._emit("publish", dataset, f"{step.action} ({step.reason})", step.name)
        if step.action == CREATE:
            created = call(
                "resource_create",
                {"package_id": package_id, **local.data},
                what=what,
                upload=local.file,
                recover=lambda: self._resource_find(dataset, step.name, local.sha256),
            )
            rid = str(created["id"])
            if local.tabular:
                self.datastore.load(rid, local, exists=False, what=what)
                call("resource_patch", {"id": rid, DATASTORE_MARK_KEY: local.sha256}, what=what)
                self._view_ensure(rid, what=what)
            return rid
        rid = str(step.resource_id)
        fields: dict[str, str] = {"id": rid}
        if step.action in (UPLOAD, PATCH):
            fields.update(local.data)
        if (
            step.datastore
            and step.action == UPLOAD
            and self.datastore.method(local, what=what) == COPY
        ):
            # The COPY loader reads the file CKAN holds: the new file first, then the
            # table, then the mark. A run stopped in between leaves the old mark, and the
            # next run reloads the table.
            call("resource_patch", fields, what=what, upload=local.file)
            self.datastore.load(rid, local, exists=step.datastore_active, what=what)
            call("resource_patch", {"id": rid, DATASTORE_MARK_KEY: local.sha256}, what=what)
        else:
            if step.datastore:
                # Table first, then the file and the mark in one call: if the run stops in
                # between, the old hash stays and the next run redoes both.
                self.datastore.load(rid, local, exists=step.datastore_active, what=what)
                fields[DATASTORE_MARK_KEY] = local.sha256
            if step.action == UPLOAD:
                call("resource_patch", fields, what=what, upload=local.file)
            elif step.action in (PATCH, DATASTORE):
                call("resource_patch", fields, what=what)
        if local.tabular and step.datastore:
            # Only after a (re)load: a table whose DataStore was already in place has its
            # view, and a metadata update should not cost a view listing per table.
            self._view_ensure(rid, what=what)
        return rid

    def _view_ensure(self, rid: str, *, what: str) -> None:
        """CKAN's DataTables view on a table, once its DataStore is loaded.

        CKAN makes default views when a resource is created, before the DataStore has
        the table, so the view is made here. A CKAN without the view plugin says so with
        a validation error: the data is published all the same.
        """
        call = self.gateway.call
        views = call("resource_view_list", {"id": rid}, what=what)
        if any(view.get("view_type") == TABLE_VIEW for view in views or []):
            return
        with contextlib.suppress(CkanRequestError):
            call(
                "resource_view_create",
                {"resource_id": rid, "view_type": TABLE_VIEW, "title": "Taula"},
                what=what,
            )

    def _download_url(self, package_id: str, rid: str, local: LocalResource | None) -> str:
        filename = local.file.name if local is not None else ""
        return f"{self.config.site}/dataset/{package_id}/resource/{rid}/download/{filename}"

    def _urls_note(self, result: DatasetResult, remote: dict[str, Any] | None) -> None:
        result.dataset_url = result.dataset_url or f"{self.config.site}/dataset/{result.ckan_name}"
        for item in (remote or {}).get("resources", []):
            result.resource_urls.setdefault(str(item.get("name")), str(item.get("url", "")))


def _remote_urls(remote: dict[str, Any] | None) -> dict[str, str]:
    """Each resource's CKAN URL by name, as CKAN has them (none for a new dataset)."""
    return {
        str(item.get("name")): str(item.get("url", ""))
        for item in (remote or {}).get("resources", [])
        if item.get("url")
    }
