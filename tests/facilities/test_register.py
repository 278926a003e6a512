"""The facility register: the real sources, their dedupe, and the committed table."""

from __future__ import annotations

from collections import Counter

from datasets.facilities.build import facilities_build
from datasets.facilities.register import (
    REGISTER_PATH,
    facilities_count_by_entity,
    facilities_load,
    facilities_write,
)
from datasets.facilities.sources import bcn_read, pools_read


def test_pools_keep_the_province_of_barcelona_and_one_facility_per_id():
    facilities, stats = pools_read()
    assert stats.records_in_scope == 462  # features of the province of Barcelona
    assert stats.facilities == len(facilities) == 434
    assert stats.dropped["repeated idequipament (kept the latest modified)"] == 28
    assert all(facility.entity_code.startswith("08") for facility in facilities)
    assert len({facility.facility_id for facility in facilities}) == len(facilities)


def test_pools_dedupe_keeps_the_latest_modified_record():
    facilities = {facility.source_id: facility for facility in pools_read()[0]}
    # 24594811 is in Bages.geojson (2025-06-15) and Moianès.geojson (2024-07-19).
    assert facilities["24594811"].source_modified == "2025-06-15"
    # Its WGS84 point is (0, 0) in the source: the UTM pair is used instead.
    assert 41 < facilities["24593889"].lat < 42 and 1 < facilities["24593889"].lon < 3


def test_barcelona_lists_merge_repeated_register_ids_and_drop_private_venues():
    facilities, stats = bcn_read()
    assert stats.records_read == 3053 + 663
    assert stats.dropped["repeated register_id (merged into one facility)"] == 646
    assert stats.dropped["private hospitality venue, not a public facility"] == 352
    assert len(facilities) == stats.facilities == 2614
    assert all(facility.entity_code == "08019" for facility in facilities)
    by_id = {facility.source_id: facility for facility in facilities}
    # A civic centre that is also a WiFi point: the public service wins over "WiFi BCN".
    assert by_id["92086005093"].category == "social"
    assert by_id["92086005093"].subcategory == "Centres cívics"
    assert not any(facility.source_id.startswith("\ufeff") for facility in facilities)


def test_build_is_reproducible_and_matches_the_committed_register(tmp_path):
    build = facilities_build()
    assert build.rejected == []
    fresh = tmp_path / "facilities.csv"
    facilities_write(build.facilities, path=fresh)
    assert fresh.read_bytes() == REGISTER_PATH.read_bytes()
    assert Counter(f.source for f in build.facilities) == {
        "gencat-equipaments-piscines": 434,
        "opendatabcn-equipaments": 2614,
    }


def test_counts_per_1000_inhabitants():
    facilities = [f for f in facilities_load() if f.entity_code == "08187"]
    (row,) = facilities_count_by_entity(facilities, populations={"08187": 216759})
    assert row.count == len(facilities)
    assert str(row.per_1000) == f"{len(facilities) * 1000 / 216759:.2f}"
