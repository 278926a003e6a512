"""Rows added and removed per resource between two builds of the Data Packages."""

from __future__ import annotations

from concertem.dataportal.publish_changes import packages_snapshot, snapshots_compare


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_rows_added_and_removed_are_counted_per_resource(tmp_path):
    csv = tmp_path / "debate-contributions" / "data" / "contributions.csv"
    _write(csv, 'id,text\n1,hola\n2,"dues\nlínies"\n3,adéu\n')
    before = packages_snapshot(tmp_path, ["debate-contributions", "absent"])
    _write(csv, 'id,text\n1,hola\n2,"dues\nlínies"\n4,nou\n5,nou també\n')
    _write(tmp_path / "debate-contributions" / "data" / "extra.csv", "a\n1\n")
    after = packages_snapshot(tmp_path, ["debate-contributions"])
    changes = {c.resource: c for c in snapshots_compare(before, after)}
    main = changes["debate-contributions/data/contributions.csv"]
    assert (main.before, main.after, main.added, main.removed) == (3, 4, 2, 1)
    assert "2 rows added, 1 rows removed (3 -> 4)" in main.describe()
    extra = changes["debate-contributions/data/extra.csv"]
    assert extra.before is None and extra.after == 1
    assert "new resource" in extra.describe()


def test_identical_builds_change_nothing(tmp_path):
    _write(tmp_path / "d" / "x.csv", "a,b\n1,2\n1,2\n")
    snapshot = packages_snapshot(tmp_path, ["d"])
    (change,) = snapshots_compare(snapshot, packages_snapshot(tmp_path, ["d"]))
    assert (change.added, change.removed, change.after) == (0, 0, 2)
