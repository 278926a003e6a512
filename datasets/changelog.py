"""What changed in a package's content between two releases, in words a reader can check.

The build compares each resource it writes with the file the previous release wrote (when
that file is still on disk and is byte for byte the previous release: its sha256 is in the
version ledger). Tables are compared row by row on their primary key: rows added, removed
and changed, columns added and removed; a table of amounts per entity (``entity_code`` and
``amount_eur``) also says which entities' amounts changed and by how much. Other files say
how many lines changed. The notes go to ``CHANGELOG.md`` and the ledger.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

# How many entities a changelog names one by one; the rest are counted.
AMOUNTS_LISTED = 10


def _table(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _keyed(
    rows: list[dict[str, str]], key: Sequence[str], columns: Sequence[str]
) -> dict[tuple[str, ...], dict[str, str]]:
    fields = key or columns
    return {tuple(row.get(name, "") for name in fields): row for row in rows}


def _euros(value: Decimal) -> str:
    return f"{value:+,.2f} €"


def _amounts(
    before: Mapping[tuple[str, ...], dict[str, str]],
    after: Mapping[tuple[str, ...], dict[str, str]],
) -> list[str]:
    """Which entities' ``amount_eur`` changed, largest change first."""
    changes = []
    for key in sorted(set(before) & set(after)):
        old, new = before[key], after[key]
        try:
            difference = Decimal(new["amount_eur"]) - Decimal(old["amount_eur"])
        except (InvalidOperation, KeyError):
            continue
        if difference:
            changes.append((difference, new.get("entity_code", ""), new.get("name", ""), old, new))
    if not changes:
        return ["  - Amounts: no entity's `amount_eur` changed."]
    changes.sort(key=lambda item: (-abs(item[0]), item[1]))
    gained = sum((c[0] for c in changes if c[0] > 0), Decimal(0))
    notes = [
        f"  - Amounts: {len(changes)} entities' `amount_eur` changed "
        f"({sum(1 for c in changes if c[0] > 0)} up, {sum(1 for c in changes if c[0] < 0)} "
        f"down; {gained:,.2f} € moved). Largest changes:"
    ]
    for difference, code, name, old, new in changes[:AMOUNTS_LISTED]:
        notes.append(
            f"    - {name} ({code}): {_euros(difference)} "
            f"({Decimal(old['amount_eur']):,.2f} → {Decimal(new['amount_eur']):,.2f})"
        )
    if len(changes) > AMOUNTS_LISTED:
        notes.append(f"    - … and {len(changes) - AMOUNTS_LISTED} more (see `allocations.csv`).")
    return notes


def table_changes(
    path: str, old: bytes, new: bytes, schema: Mapping[str, Any] | None = None
) -> list[str]:
    """Notes on how the CSV at ``path`` changed from ``old`` to ``new``."""
    old_columns, old_rows = _table(old)
    new_columns, new_rows = _table(new)
    key = list((schema or {}).get("primaryKey") or [])
    if isinstance(key, str):
        key = [key]
    if not key or any(name not in old_columns or name not in new_columns for name in key):
        key = []
    common = [name for name in new_columns if name in old_columns]
    before = _keyed(old_rows, key, common)
    after = _keyed(new_rows, key, common)
    added = [k for k in after if k not in before]
    removed = [k for k in before if k not in after]
    changed = [
        k for k in after if k in before and any(before[k].get(c) != after[k].get(c) for c in common)
    ]
    note = (
        f"`{path}`: {len(old_rows)} → {len(new_rows)} rows; {len(added)} added, "
        f"{len(removed)} removed, {len(changed)} changed"
        + (f" (by {', '.join(f'`{k}`' for k in key)})" if key else " (whole rows)")
    )
    columns_added = [c for c in new_columns if c not in old_columns]
    columns_removed = [c for c in old_columns if c not in new_columns]
    if columns_added:
        note += "; columns added: " + ", ".join(f"`{c}`" for c in columns_added)
    if columns_removed:
        note += "; columns removed: " + ", ".join(f"`{c}`" for c in columns_removed)
    notes = [note + "."]
    if changed:
        moved = {c for k in changed for c in common if before[k].get(c) != after[k].get(c)}
        notes.append(
            "  - Columns whose values changed: " + ", ".join(f"`{c}`" for c in sorted(moved))
        )
    if key and {"entity_code", "amount_eur"} <= set(common):
        notes += _amounts(before, after)
    return notes


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(item, dict) for item in value):
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 40 else text[:37] + "…"


def toml_changes(path: str, old: bytes, new: bytes) -> list[str] | None:
    """The keys of a TOML file (a formula) added, removed and changed; None if unreadable."""
    import tomllib

    try:
        before = _flatten(tomllib.loads(old.decode("utf-8")))
        after = _flatten(tomllib.loads(new.decode("utf-8")))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    changed = [k for k in after if k in before and before[k] != after[k]]
    notes = [
        f"`{path}`: {len(changed)} values changed, {len(set(after) - set(before))} added, "
        f"{len(set(before) - set(after))} removed."
    ]
    for key in changed:
        old_text, new_text = _short(before[key]), _short(after[key])
        if old_text == new_text or "…" in old_text + new_text:
            notes.append(f"  - `{key}`: text changed")
        else:
            notes.append(f"  - `{key}`: {old_text} → {new_text}")
    notes += [f"  - added `{key}` = {_short(after[key])}" for key in after if key not in before]
    notes += [f"  - removed `{key}`" for key in before if key not in after]
    return notes


def file_changes(path: str, old: bytes, new: bytes) -> list[str]:
    """Notes on a non-tabular file: its keys for TOML, else lines added and removed."""
    if path.endswith(".toml"):
        notes = toml_changes(path, old, new)
        if notes is not None:
            return notes
    try:
        old_lines = old.decode("utf-8").splitlines()
        new_lines = new.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return [f"`{path}`: {len(old)} → {len(new)} bytes."]
    added = removed = 0
    for line in difflib.unified_diff(old_lines, new_lines, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return [f"`{path}`: {added} lines added, {removed} removed."]


def content_notes(
    changes: Sequence[tuple[str, bytes | None, bytes, Mapping[str, Any] | None]],
) -> list[str]:
    """Notes for every changed resource: ``(path, previous bytes or None, bytes, schema)``.

    ``None`` means the previous release's file was not at hand (a fresh checkout): the note
    says so rather than guessing.
    """
    notes: list[str] = []
    for path, old, new, schema in changes:
        if old is None:
            notes.append(
                f"`{path}`: changed (the previous release's file was not at hand to compare)."
            )
        elif schema is not None:
            notes += table_changes(path, old, new, schema)
        else:
            notes += file_changes(path, old, new)
    return notes
