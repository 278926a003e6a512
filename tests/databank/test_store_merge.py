"""The store's merge: the counts a dry run gives are the ones the import then makes, the
values kept for undo are the ones replaced, and a comparison changes nothing (two of them in
one transaction)."""

from __future__ import annotations

import pytest
from django.db import transaction

from concertem.databank.models import Import, ReplacedBlock
from concertem.databank.services import file_check, file_import, import_undo, rows_compare
from concertem.databank.value_codec import rows_decode, sources_expand
from concertem.databank.value_store import block_stored
from tests.databank.conftest import EXTRACT

pytestmark = pytest.mark.django_db


def _corrected() -> bytes:
    """The extract with one value changed and one key added (19 keys left as they are)."""
    text = EXTRACT.read_text(encoding="utf-8").replace('08001,2019,"13,13"', "08001,2019,14")
    return (text.rstrip("\n") + '\n08030,2019,"1,5"\n').encode()


def test_the_dry_run_counts_what_the_import_then_does(organic_farmland):
    first, _ = file_import(
        content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=organic_farmland
    )
    assert first.content is None  # applied at once: the sha256 identifies the file
    dry, _ = file_import(
        content=_corrected(), file_name="c.csv", indicator=organic_farmland, dry_run=True
    )
    assert (dry.state, dry.added, dry.replaced, dry.unchanged) == ("checked", 1, 1, 19)
    assert bytes(dry.content) == _corrected()  # kept to be confirmed from the admin
    applied, _ = file_import(content=_corrected(), file_name="c.csv", indicator=organic_farmland)
    assert (applied.added, applied.replaced, applied.unchanged) == (1, 1, 19)
    assert (applied.content, applied.size) == (None, len(_corrected()))
    kept = ReplacedBlock.objects.get(source_import=applied)
    assert rows_decode(kept.rows, kept.count) == [["08001", "2019", "_T", "13.13", "final"]]
    assert sources_expand(kept.sources) == [first.pk]
    sources = [source for _v, _s, source in block_stored(organic_farmland.pk).values()]
    assert (sources.count(applied.pk), sources.count(first.pk)) == (2, 19)
    # The same file again changes nothing: every key unchanged, nothing kept for undo.
    again, _ = file_import(content=_corrected(), file_name="c.csv", indicator=organic_farmland)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 21)
    assert not ReplacedBlock.objects.filter(source_import=again).exists()
    import_undo(again)
    import_undo(applied)
    stored = block_stored(organic_farmland.pk)
    assert stored[("08001", "2019", "_T")][0] == "13.13"
    assert ("08030", "2019", "_T") not in stored


def test_a_comparison_changes_nothing(organic_farmland):
    file_import(content=EXTRACT.read_bytes(), file_name=EXTRACT.name, indicator=organic_farmland)
    _report, rows = file_check(
        content=_corrected(), file_name="c.csv", indicator_code=organic_farmland.code
    )
    with transaction.atomic():
        assert rows_compare(organic_farmland, rows) == (1, 1, 19)
        known = [row for row in rows if row[1] != "08030"]  # without the added key
        assert rows_compare(organic_farmland, known) == (0, 1, 19)
    assert Import.objects.filter(indicator=organic_farmland, state="applied").count() == 1
