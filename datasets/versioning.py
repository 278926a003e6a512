"""Semantic versions of the published packages, derived from their content.

The ledger (``datasets/catalog_versions.json``, committed) records, per dataset, the digests
of the last build and the history of versions. A build compares its digests with the
ledger's: the same digests give the same version (and so a byte-identical
``datapackage.json``); otherwise the version is bumped once and the ledger updated:

- a schema change (a field, a type, a constraint, a key; a resource added or removed) is
  **major**: consumers' code may break;
- a data change (any byte of a resource) is **minor**;
- a metadata-only change (titles, descriptions, keywords, sources) is a **patch**.

The release date is written once, when the version is created, so rebuilding unchanged
data never changes a byte.

A dataset whose source declares its own version — an allocation, whose formula file has
``[formula].version`` — carries that version, so that the formula, the ``formula_version``
column and the dataset tell one story. The build still derives the kind of change from the
content, and refuses to publish changed data or schema under an unchanged (or too small)
declared version, saying which version to write in the formula file. A metadata-only change
(a title, a keyword) keeps the version: it is noted under the current release.

The notes say what changed in content (rows added, removed and changed per resource, and
which entities' amounts moved and by how much): ``datasets.changelog`` writes them from the
previous release's files when the build finds them, and the ledger keeps them.

The datasets the site itself produces (SITE_DATASETS: its exports of debates, survey
answers, cooperation actions and office metrics) are versioned in the deployment, not in
the repository: their history goes to ``site_versions.json`` beside the exports, in the
site's build folder (CONCERTEM_BUILD_DIR). Their content is the deployment's own (a demo
run on another day, a production server's live data), so a committed file would change
under every `make demo` and be lost or clash on every redeployment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from datasets.catalog.exports import SITE_EXPORTS
from datasets.catalog.paths import build_dir
from datasets.errors import DatasetError
from datasets.fingerprint import sha256_json

LEDGER_PATH = Path(__file__).resolve().parent / "catalog_versions.json"
SITE_DATASETS = frozenset(export.dataset for export in SITE_EXPORTS)


def site_ledger_path() -> Path:
    """The deployment's own ledger, beside the site's exports (in the build folder)."""
    return build_dir() / "site_versions.json"


INITIAL_VERSION = "1.0.0"


class VersionLedgerError(DatasetError):
    code = "version-ledger-invalid"


class VersionNotBumpedError(DatasetError):
    """Changed content under a declared version that does not say so."""

    code = "version-not-bumped"


@dataclass(frozen=True)
class Digests:
    schema: str
    content: str
    metadata: str
    resources: Mapping[str, str] = field(default_factory=dict)  # path -> sha256
    # The schema without its titles and descriptions ("" in releases recorded before it).
    structure: str = ""


@dataclass(frozen=True)
class Release:
    version: str
    change: str  # initial | major | minor | patch
    date: str
    notes: tuple[str, ...]
    digests: Digests


@dataclass(frozen=True)
class VersionDecision:
    version: str
    change: str  # initial | major | minor | patch | unchanged
    history: tuple[Release, ...]  # newest first, including this version


def version_bump(version: str, change: str) -> str:
    major, minor, patch = (int(part) for part in version.split("."))
    if change == "major":
        return f"{major + 1}.0.0"
    if change == "minor":
        return f"{major}.{minor + 1}.0"
    if change == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def _change_kind(previous: Digests, current: Digests) -> str:
    if previous.schema != current.schema:
        # Only the schema's documentation changed (a column's title or description): a
        # patch. Releases recorded without a structure digest cannot tell: major.
        documented = previous.structure and previous.structure == current.structure
        if not documented:
            return "major"
        if previous.content != current.content:
            return "minor"
        return "patch"
    if previous.content != current.content:
        return "minor"
    if previous.metadata != current.metadata:
        return "patch"
    return "unchanged"


def _semver(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


def _notes(
    previous: Digests | None,
    current: Digests,
    change: str,
    details: Sequence[str] | None = None,
) -> tuple[str, ...]:
    if previous is None:
        return ("First release.",)
    notes = []
    before, after = previous.resources, current.resources
    notes += [f"Added `{path}`." for path in sorted(set(after) - set(before))]
    notes += [f"Removed `{path}`." for path in sorted(set(before) - set(after))]
    if details is not None:
        notes += details  # what changed inside each changed file, from datasets.changelog
    else:
        notes += [
            f"Changed data in `{path}`."
            for path in sorted(set(before) & set(after))
            if before[path] != after[path]
        ]
    if previous.schema != current.schema:
        if previous.structure and previous.structure == current.structure:
            notes.append("Table Schema documentation changed (column titles or descriptions).")
        else:
            notes.append("Table Schema changed (fields, types, constraints or keys).")
    if previous.metadata != current.metadata:
        notes.append("Metadata changed (titles, descriptions, keywords, sources or licence).")
    return tuple(notes) or (f"{change.capitalize()} change.",)


def version_decide(
    *,
    name: str,
    digests: Digests,
    ledger: VersionLedger,
    today: dt.date | None = None,
    declared: str | None = None,
    declared_where: str = "",
    details: Sequence[str] | None = None,
) -> VersionDecision:
    """The version for these digests; records a new release in ``ledger`` when they changed.

    ``declared``: the version the dataset's source states (a formula's), which the dataset
    then carries (see the module's docstring); ``declared_where`` names where it is written,
    for the refusal. ``details``: the content notes of the changed files.
    """
    history = ledger.history(name)
    date = (today or dt.date.today()).isoformat()
    if not history:
        change, version = "initial", declared or INITIAL_VERSION
    else:
        head = history[0]
        change = _change_kind(head.digests, digests)
        if change == "unchanged":
            return VersionDecision(version=head.version, change=change, history=history)
        version = version_bump(head.version, change)
        if declared is not None:
            if change == "patch" and declared == head.version:
                return _metadata_note(name, head, history, digests, ledger, date)
            if _semver(declared) < _semver(version):
                raise VersionNotBumpedError(
                    f"{name}: the published content changed ({change} change: "
                    f"{'schema' if change == 'major' else 'data'}) since {head.version}, but "
                    f"{declared_where or 'the declared version'} says {declared}; write "
                    f'version = "{version}" (or higher) there',
                    dataset=name,
                    expected=version,
                )
            version = declared
    notes = _notes(history[0].digests if history else None, digests, change, details)
    if declared is not None and history and history[0].version != declared:
        notes = (
            *notes,
            f"Version {declared} is the formula's own (`[formula].version`), as in the "
            "`formula_version` column.",
        )
    release = Release(
        version=version,
        change=change,
        date=date,
        notes=notes,
        digests=digests,
    )
    history = (release, *history)
    ledger.history_set(name, history)
    return VersionDecision(version=version, change=change, history=history)


def _metadata_note(
    name: str,
    head: Release,
    history: tuple[Release, ...],
    digests: Digests,
    ledger: VersionLedger,
    date: str,
) -> VersionDecision:
    """A metadata-only change under a declared version: noted under the current release."""
    note = f"{date}: metadata updated (titles, descriptions, keywords, sources or licence)."
    notes = head.notes if note in head.notes else (*head.notes, note)
    updated = dataclasses.replace(head, notes=notes, digests=digests)
    history = (updated, *history[1:])
    ledger.history_set(name, history)
    return VersionDecision(version=head.version, change="patch", history=history)


# ---- The ledger file ----


class VersionLedger:
    """The record of versions; ``save()`` writes only when something changed.

    With the default (committed) path, the SITE_DATASETS' histories are read from and
    written to ``site_path`` (by default ``site_ledger_path()``) instead; with any other
    path, that one file holds everything (tests, `concertem build --ledger`)."""

    def __init__(self, path: Path = LEDGER_PATH, *, site_path: Path | None = None) -> None:
        self.path = path
        self.site_path = site_path or (site_ledger_path() if path == LEDGER_PATH else None)
        self.changed = False
        self._datasets: dict[str, Any] = {
            name: history
            for name, history in _ledger_read(path).items()
            if self.site_path is None or name not in SITE_DATASETS
        }
        if self.site_path is not None:
            site = _ledger_read(self.site_path)
            self._datasets.update(
                {name: history for name, history in site.items() if name in SITE_DATASETS}
            )

    def history(self, name: str) -> tuple[Release, ...]:
        return tuple(_release_parse(item) for item in self._datasets.get(name, []))

    def history_digest(self, name: str) -> str:
        """sha256 of ``name``'s recorded history, as the file has it (build cache keys)."""
        return sha256_json(self._datasets.get(name, []))

    def history_set(self, name: str, history: tuple[Release, ...]) -> None:
        self._datasets[name] = [_release_dump(release) for release in history]
        self.changed = True

    def save(self) -> bool:
        if not self.changed:
            return False
        names = sorted(self._datasets)
        if self.site_path is None:
            _ledger_write(self.path, {name: self._datasets[name] for name in names}, COMMITTED)
        else:
            repository = {n: self._datasets[n] for n in names if n not in SITE_DATASETS}
            site = {n: self._datasets[n] for n in names if n in SITE_DATASETS}
            # Each file is rewritten only when its part changed: an unchanged committed
            # ledger keeps its bytes (and a checkout stays clean).
            if repository != _ledger_read(self.path):
                _ledger_write(self.path, repository, COMMITTED)
            if site != _ledger_read(self.site_path):
                _ledger_write(self.site_path, site, DEPLOYMENT)
        self.changed = False
        return True


COMMITTED = "Written by `concertem build`; commit it so versions survive a fresh clone."
DEPLOYMENT = (
    "Written by `concertem build`: versions of the datasets this deployment's site produces "
    "(kept with its exports, not in the repository)."
)


def _ledger_read(path: Path) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except json.JSONDecodeError as error:
        raise VersionLedgerError(f"{path}: not valid JSON ({error})", path=str(path)) from error
    return dict(raw.get("datasets", {}))


def _ledger_write(path: Path, datasets: Mapping[str, Any], comment: str) -> None:
    text = json.dumps({"comment": comment, "datasets": datasets}, ensure_ascii=False, indent=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text + "\n")
    os.chmod(temp, 0o644)  # mkstemp makes 0600; the ledger may be a committed file
    os.replace(temp, path)


def _release_parse(item: Mapping[str, Any]) -> Release:
    digests = item.get("digests", {})
    return Release(
        version=item["version"],
        change=item["change"],
        date=item["date"],
        notes=tuple(item.get("notes", ())),
        digests=Digests(
            schema=digests.get("schema", ""),
            content=digests.get("content", ""),
            metadata=digests.get("metadata", ""),
            resources=dict(digests.get("resources", {})),
            structure=digests.get("structure", ""),
        ),
    )


def _release_dump(release: Release) -> dict[str, Any]:
    return {
        "version": release.version,
        "change": release.change,
        "date": release.date,
        "notes": list(release.notes),
        "digests": {
            "schema": release.digests.schema,
            "content": release.digests.content,
            "metadata": release.digests.metadata,
            "resources": dict(sorted(release.digests.resources.items())),
            **({"structure": release.digests.structure} if release.digests.structure else {}),
        },
    }
