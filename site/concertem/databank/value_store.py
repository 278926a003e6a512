"""The values of the data bank, kept as one block per indicator: every observation of the
indicator, sorted by key, compressed in one database row (``ValueBlock``); and per import
the values it replaced (``ReplacedBlock``), so that undoing it puts them back.

Why blocks and not one row per value: every reader takes whole indicators (the site builds
``IndicatorViews`` from all of them, the export writes all of them, an import compares a
file with one indicator's values), and nobody queries single values in SQL. One row per
value made the database the slowest step of an import: a 1M-row file took 2.0 s to check
and 4.1 s for the bare insert of its rows (unique key, foreign keys, b-tree pages); as a
block it is one compressed write (about 0.4 s). Reading it back is one row per indicator
instead of a million ORM rows.

A block's text: one line per value, ``entity<TAB>year<TAB>breakdown<TAB>value<TAB>status``,
sorted by (entity, year, breakdown), zlib-compressed. Which import wrote each value is kept
beside it as runs (``[[import_id, n], ...]`` in the rows' order): a first import is one run.
"""

from __future__ import annotations

from itertools import repeat

from django.db import models

from concertem.databank.models import Import, Indicator, ReplacedBlock, ValueBlock
from concertem.databank.value_codec import (
    FIELD,
    line_key,
    lines_decode,
    lines_encode,
    rows_decode,
    sources_count,
    sources_expand,
    sources_runs,
)
from datasets.indicators.values import ValueRow

Key = tuple[str, str, str]  # entity, year, breakdown
Stored = tuple[str, str, int | None]  # value, status, the import that wrote it


def _block(indicator_id: int) -> ValueBlock | None:
    return ValueBlock.objects.filter(indicator_id=indicator_id, count__gt=0).first()


def _row_line(row: ValueRow) -> tuple[str, str]:
    """(key, line) of a checked row: the importer's row as a block holds it."""
    key = FIELD.join(row[1:4])
    return key, f"{key}{FIELD}{row[4]}{FIELD}{row[5]}"


def _block_save(indicator_id: int, lines: list[str], sources: list[int | None]) -> None:
    ValueBlock(
        indicator_id=indicator_id,
        rows=lines_encode(lines),
        sources=sources_runs(sources),
        count=len(lines),
    ).save()


def block_stored(indicator_id: int) -> dict[Key, Stored]:
    """The indicator's values by key, with the import that wrote each."""
    block = _block(indicator_id)
    if block is None:
        return {}
    rows = rows_decode(block.rows, block.count)
    return {
        (e, y, d): (v, s, source)
        for (e, y, d, v, s), source in zip(rows, sources_expand(block.sources), strict=True)
    }


def values_exist(indicator_id: int) -> bool:
    return ValueBlock.objects.filter(indicator_id=indicator_id, count__gt=0).exists()


def rows_compare(indicator_id: int, rows: list[ValueRow]) -> tuple[int, int, int]:
    """(added, replaced, unchanged) if ``rows`` were stored in ``indicator_id`` now."""
    block = _block(indicator_id)
    if block is None:
        return len(rows), 0, 0
    held = {line_key(line): line for line in lines_decode(block.rows, block.count)}
    added = unchanged = 0
    for row in rows:
        key, line = _row_line(row)
        before = held.get(key)
        if before is None:
            added += 1
        elif before == line:
            unchanged += 1
    return added, len(rows) - added - unchanged, unchanged


def rows_store(
    indicator_id: int, import_id: int, rows: list[ValueRow], *, replace: bool = True
) -> tuple[int, int, int]:
    """Store the checked ``rows`` (sorted by key) as import ``import_id``; the values they
    replace are kept in the import's ``ReplacedBlock``. ``replace=False`` (the reference
    load) adds the missing keys only. Returns (added, replaced, unchanged).

    The caller holds the indicator's row lock (``indicator_lock``) in its transaction.
    """
    block = _block(indicator_id)
    if block is None:  # the common first import: the file is the block
        ValueBlock(
            indicator_id=indicator_id,
            rows=lines_encode([FIELD.join(row[1:]) for row in rows]),
            sources=[[import_id, len(rows)]] if rows else [],
            count=len(rows),
        ).save()
        return len(rows), 0, 0
    lines = lines_decode(block.rows, block.count)
    sources = sources_expand(block.sources)
    # Lines are compared and replaced as text: no value is split into fields.
    index = {line_key(line): number for number, line in enumerate(lines)}
    added: list[str] = []
    replaced: list[tuple[str, int | None]] = []
    unchanged = 0
    for row in rows:
        key, line = _row_line(row)
        number = index.get(key)
        if number is None:
            added.append(line)
        elif lines[number] == line or not replace:
            unchanged += 1
        else:
            replaced.append((lines[number], sources[number]))
            lines[number], sources[number] = line, import_id
    if added:
        # Both sorted: the sort merges two runs. Lines sort as their keys do (the tab sorts
        # before every character a key holds), and no two have the same key.
        pairs = sorted([*zip(lines, sources, strict=True), *zip(added, repeat(import_id))])
        lines = [line for line, _source in pairs]
        sources = [source for _line, source in pairs]
    if added or replaced:
        _block_save(indicator_id, lines, sources)
    if replaced:
        ReplacedBlock(
            source_import_id=import_id,
            rows=lines_encode([line for line, _source in replaced]),
            sources=sources_runs(source for _line, source in replaced),
            count=len(replaced),
        ).save()
    return len(added), len(replaced), unchanged


def import_unstore(indicator_id: int, import_id: int, expected: int) -> bool:
    """Remove the values import ``import_id`` wrote and put back those it replaced.

    ``expected``: how many values it wrote. When fewer carry its mark, a later import
    replaced some of them: nothing is changed and False is returned.
    """
    block = _block(indicator_id)
    if sources_count(block.sources if block else [], import_id) != expected:
        return False
    previous = ReplacedBlock.objects.filter(source_import_id=import_id).first()
    if block is None or (previous is None and expected == block.count):
        if block is not None:  # every value is the import's: nothing else to keep
            block.delete()
        return True
    # Each value the import replaced comes back at its key's place (the block is sorted by
    # key and the key is unchanged); each value it added goes. No sort.
    back: dict[str, tuple[str, int | None]] = {}
    if previous is not None:
        back = {
            line_key(line): (line, source)
            for line, source in zip(
                lines_decode(previous.rows, previous.count),
                sources_expand(previous.sources),
                strict=True,
            )
        }
        previous.delete()
    lines: list[str] = []
    sources: list[int | None] = []
    for line, source in zip(
        lines_decode(block.rows, block.count), sources_expand(block.sources), strict=True
    ):
        if source == import_id:
            held = back.get(line_key(line))
            if held is None:
                continue
            line, source = held  # the value put back in its place
        lines.append(line)
        sources.append(source)
    _block_save(indicator_id, lines, sources)
    return True


def indicator_lock(indicator_id: int) -> None:
    """Serialise the imports and undos of one indicator: each reads its block, then writes
    it whole, so two at once would lose one's values (SQLite's IMMEDIATE transactions
    already serialise writers; PostgreSQL needs the row lock)."""
    Indicator.objects.select_for_update().filter(pk=indicator_id).values_list("pk").first()


def values_rows(blocks: models.QuerySet[ValueBlock] | None = None) -> list[ValueRow]:
    """Every value of ``blocks`` (all of them by default) as rows of the values table
    (code, entity, year, breakdown, value, status), sorted by key."""
    blocks = ValueBlock.objects.all() if blocks is None else blocks
    rows: list[ValueRow] = []
    for code, blob, count in blocks.order_by("indicator__code").values_list(
        "indicator__code", "rows", "count"
    ):
        rows.extend((code, *line.split(FIELD)) for line in lines_decode(blob, count))
    return rows


def values_sources(indicator_id: int) -> dict[Key, int | None]:
    """Which import wrote each value of the indicator (its provenance)."""
    return {key: held[2] for key, held in block_stored(indicator_id).items()}


def values_clear(indicator: Indicator) -> None:
    """Remove every value of ``indicator`` (the imports' records stay)."""
    ValueBlock.objects.filter(indicator=indicator).delete()
    ReplacedBlock.objects.filter(
        source_import__in=Import.objects.filter(indicator=indicator)
    ).delete()
