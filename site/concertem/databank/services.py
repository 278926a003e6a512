"""Writing the data bank: the reference load, file imports and their undo, the version counter.

``datasets.indicators`` parses and checks a file (pure Python); this module stores what it
returns (``value_store``: one block of values per indicator). An import is one transaction:
the indicator's block with the values it adds or replaces, a block of the values it replaced,
and a bump of ``DataVersion``. Undo is the same in reverse,
and is refused when a later import changed one of the same keys (undo that one first), so
an undo always restores exactly the values that were there before.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from concertem.databank.catalog_io import catalog_toml_read, indicator_fields
from concertem.databank.models import DataVersion, Import, Indicator
from concertem.databank.reports import report_dict
from concertem.databank.value_store import (
    import_unstore,
    indicator_lock,
    rows_store,
    values_rows,
)
from concertem.databank.value_store import (
    rows_compare as block_compare,
)
from concertem.pagecache import page_cache_invalidate
from datasets.indicators.errors import IndicatorImportError
from datasets.indicators.importer import PROVINCE_CODE, ImportReport, indicator_file_check
from datasets.indicators.mapping import ImportMapping
from datasets.indicators.values import VALUES_PATH, MergeCounts, ValueRow, values_rows_read

CATALOG_FILE = Path(VALUES_PATH).parent / "indicators.toml"


class UndoRefusedError(Exception):
    def __init__(self, message: str, *, later: Import | None = None) -> None:
        super().__init__(message)
        self.later = later


def version_bump() -> int:
    """Count one change of the data bank (call inside the change's transaction)."""
    # Pages showing the data stop being served from the page cache once this commits.
    page_cache_invalidate()
    stamp = uuid.uuid4().hex
    updated = DataVersion.objects.filter(pk=1).update(version=models.F("version") + 1, stamp=stamp)
    if not updated:
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1, "stamp": stamp})
    return DataVersion.objects.get(pk=1).version


def version_current() -> tuple[int, str]:
    """(counter, stamp) of the last committed change: the key of every cache of the data."""
    row = DataVersion.objects.filter(pk=1).values_list("version", "stamp").first()
    return (row[0], row[1]) if row else (0, "")


# ---- The reference load (idempotent) ----


@dataclass(frozen=True)
class LoadCounts:
    indicators_created: int
    values_added: int


def reference_load(
    *, catalog_path: Path = CATALOG_FILE, values_path: Path = VALUES_PATH
) -> LoadCounts:
    """Load the committed reference files: what is missing is created, nothing is changed.

    Run twice, the second run adds nothing; an indicator edited in the admin or a value
    imported since is kept as it is.
    """
    preamble, raws = catalog_toml_read(catalog_path.read_text(encoding="utf-8"))
    with transaction.atomic():
        version, _ = DataVersion.objects.get_or_create(pk=1)
        if not version.catalog_preamble:
            version.catalog_preamble = preamble
            version.save(update_fields=["catalog_preamble"])
        existing = set(Indicator.objects.values_list("code", flat=True))
        created = [
            Indicator(position=position, **indicator_fields(raw))
            for position, raw in enumerate(raws)
            if raw["code"] not in existing
        ]
        Indicator.objects.bulk_create(created)
        ids = dict(Indicator.objects.values_list("code", "pk"))
        by_indicator: dict[str, list[ValueRow]] = {}
        for row in values_rows_read(path=values_path):
            if row[0] in ids:
                by_indicator.setdefault(row[0], []).append(row)
        load = None
        added = 0
        for code, rows in by_indicator.items():
            rows.sort()
            if load is None:
                content = values_path.read_bytes()
                load = Import.objects.create(
                    indicator_id=ids[code],
                    file_name=values_path.name,
                    sha256=hashlib.sha256(content).hexdigest(),
                    size=len(content),
                    state=Import.State.APPLIED,
                    via="reference",
                    applied_at=timezone.now(),
                )
            indicator_lock(ids[code])
            added += rows_store(ids[code], load.pk, rows, replace=False)[0]
        if load is not None:
            if added:
                load.added = added
                load.save(update_fields=["added"])
            else:  # everything was there: the load changed nothing, so it is no import
                load.delete()
        if created or added:
            version_bump()
    return LoadCounts(indicators_created=len(created), values_added=added)


# ---- Export ----


def values_rows_all() -> list[ValueRow]:
    """Every value as a row of the values table, sorted by its key as the file is."""
    return values_rows()


# ---- Imports ----


def file_check(
    *,
    content: bytes,
    file_name: str,
    indicator_code: str,
    mapping: ImportMapping | None = None,
    province_code: str | None = PROVINCE_CODE,
) -> tuple[ImportReport, list[ValueRow]]:
    """Check a file with the pure importer against the data bank's catalogue.

    Returns the report and the rows it would store, sorted by key as the values table is;
    raises ``IndicatorImportError`` (with the report) when any row fails. The report reads
    as the importer's into an empty values table: every row added.
    """
    from concertem.databank.selectors import databank_catalog

    with tempfile.TemporaryDirectory(prefix="databank-") as folder:
        path = Path(folder) / (Path(file_name).name or "upload.csv")
        path.write_bytes(content)
        # The checked rows as they are: no values table written and read back (a CSV round
        # trip that cost as much as the check itself on a 1M-row file).
        report, rows = indicator_file_check(
            path=path,
            indicator_code=indicator_code,
            mapping=mapping or ImportMapping(),
            catalog=databank_catalog(),
            province_code=province_code,
        )
    rows.sort()
    report.merge = MergeCounts(added=len(rows), replaced=0, unchanged=0)
    report.written = True
    report.file = file_name
    report.values_path = ""
    return report, rows


def rows_compare(indicator: Indicator, rows: list[ValueRow]) -> tuple[int, int, int]:
    """(added, replaced, unchanged) if ``rows`` were stored now: compared in the database."""
    return block_compare(indicator.pk, rows)


def import_record(
    *,
    indicator: Indicator,
    content: bytes,
    file_name: str,
    user: Any = None,
    via: str = "admin",
    mapping_toml: str = "",
    report: ImportReport,
    rows: list[ValueRow] | None,
    applying: bool = False,
) -> Import:
    """Keep a checked (or refused) upload, with its report and the counts it would give.

    ``applying``: the caller applies it at once (``file_import``), in the same transaction:
    no counts computed (the apply sets them) and no copy of the file kept (its sha256 is).
    """
    counts = rows_compare(indicator, rows) if rows is not None and not applying else (0, 0, 0)
    return Import.objects.create(
        indicator=indicator,
        file_name=file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        content=content if rows is not None and not applying else None,
        mapping={"toml": mapping_toml} if mapping_toml else {},
        state=Import.State.CHECKED if rows is not None else Import.State.REFUSED,
        via=via,
        user=user if getattr(user, "is_authenticated", False) else None,
        report=report_dict(report),
        added=counts[0],
        replaced=counts[1],
        unchanged=counts[2],
    )


def import_apply(record: Import, rows: list[ValueRow]) -> Import:
    """Store ``rows`` (checked for ``record.indicator``) and keep what each key held before."""
    with transaction.atomic():
        record = Import.objects.select_for_update().get(pk=record.pk)
        if record.state != Import.State.CHECKED:
            raise ValueError(f"import #{record.pk} is {record.state}, not checked")
        indicator_lock(record.indicator_id)
        added, replaced, unchanged = rows_store(record.indicator_id, record.pk, rows)
        record.state = Import.State.APPLIED
        record.applied_at = timezone.now()
        record.added, record.replaced, record.unchanged = added, replaced, unchanged
        record.content = None  # the values are in; the sha256 identifies the file
        record.save()
        version_bump()
    return record


def import_undo(record: Import, *, user: Any = None) -> Import:
    """Put back exactly what ``record`` found: replaced values restored, added ones removed."""
    with transaction.atomic():
        record = Import.objects.select_for_update().get(pk=record.pk)
        if record.state != Import.State.APPLIED or record.via == "reference":
            raise UndoRefusedError(f"import #{record.pk} is {record.state}: nothing to undo")
        indicator_lock(record.indicator_id)
        expected = record.added + record.replaced
        if not import_unstore(record.indicator_id, record.pk, expected):
            # A later import replaced some of these values: undoing this one first would
            # bring back values that import never saw.
            later = (
                Import.objects.filter(
                    indicator=record.indicator,
                    state=Import.State.APPLIED,
                    applied_at__gt=record.applied_at,
                )
                .order_by("-applied_at")
                .first()
            )
            raise UndoRefusedError(
                f"a later import (#{later.pk if later else '?'}) changed values of "
                f"#{record.pk}: undo it first",
                later=later,
            )
        record.state = Import.State.UNDONE
        record.undone_at = timezone.now()
        record.undone_by = user if getattr(user, "is_authenticated", False) else None
        record.save(update_fields=["state", "undone_at", "undone_by"])
        version_bump()
    return record


def file_import(
    *,
    content: bytes,
    file_name: str,
    indicator: Indicator,
    mapping: ImportMapping | None = None,
    mapping_toml: str = "",
    user: Any = None,
    via: str = "cli",
    dry_run: bool = False,
    province_code: str | None = PROVINCE_CODE,
) -> tuple[Import, ImportReport]:
    """Check and (unless ``dry_run``) store a file in one call, for the command line.

    A refused file raises ``IndicatorImportError``; its ``Import`` row is kept as refused.
    """
    try:
        report, rows = file_check(
            content=content,
            file_name=file_name,
            indicator_code=indicator.code,
            mapping=mapping,
            province_code=province_code,
        )
    except IndicatorImportError as error:
        assert isinstance(error.report, ImportReport)
        error.record = import_record(  # type: ignore[attr-defined]
            indicator=indicator,
            content=content,
            file_name=file_name,
            user=user,
            via=via,
            mapping_toml=mapping_toml,
            report=error.report,
            rows=None,
        )
        raise
    with transaction.atomic():  # recorded and applied at once, or neither
        record = import_record(
            indicator=indicator,
            content=content,
            file_name=file_name,
            user=user,
            via=via,
            mapping_toml=mapping_toml,
            report=report,
            rows=rows,
            applying=not dry_run,
        )
        if not dry_run:
            record = import_apply(record, rows)
    return record, report
