"""`concertem verify`: every shipped formula recomputed from its published files alone.

Local tests verify the Data Packages the build writes; the integration test publishes them
to the real local CKAN and verifies what an anonymous reader downloads from it. A broken
twin (one amount a cent off) must fail with a non-zero exit code.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from datasets.allocation.formula import FORMULAS_DIR
from datasets.allocation.verify import allocation_verify
from datasets.catalog import allocation_spec
from datasets.packaging import catalog_build
from publishing.cli import main
from tests.ckan_fixtures import ckan_server_config

SHIPPED = sorted(FORMULAS_DIR.glob("*.toml"))
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, Path]:
    """The shipped formulas' Data Packages, built as `concertem build` builds them."""
    out = tmp_path_factory.mktemp("verify")
    built = catalog_build(
        specs=[allocation_spec(path) for path in SHIPPED],
        out_dir=out / "datapackages",
        ledger_path=out / "ledger.json",
    )
    return {package.name: package.directory for package in built}


def _twin(source: Path, target: Path, entity_code: str = "08298") -> Path:
    """A copy of the package with one amount raised by one cent."""
    shutil.copytree(source, target)
    path = next(
        p for p in (target / "data" / "allocations.csv", target / "allocations.csv") if p.exists()
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    code, amount = header.index("entity_code"), header.index("amount_eur")
    for number, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        if cells[code] == entity_code:
            cents = round(float(cells[amount]) * 100) + 1
            cells[amount] = f"{cents // 100}.{cents % 100:02d}"
            lines[number] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.mark.parametrize("formula", [path.stem for path in SHIPPED])
def test_every_shipped_formula_matches_to_the_cent(packages, formula, capsys):
    receipt = allocation_verify(packages[f"allocation-{formula}"])
    assert (receipt.matched, len(receipt.checks)) == (311, 311)
    assert receipt.ok and receipt.total("recomputed") == receipt.budget

    code = main(["verify", "--dir", str(packages[f"allocation-{formula}"]), "--all"])
    out = capsys.readouterr().out
    assert code == 0
    assert "311/311 amounts match" in out and out.rstrip().endswith("MATCH")
    # The receipt names every file it read by its sha256, and one line per entity.
    for role in ("formula", "allocations", "inputs", "entities"):
        assert any(line.startswith(role) and "sha256" in line for line in out.splitlines())
    assert sum(1 for line in out.splitlines() if line[:2] == "08" and line[5] == " ") == 311


def test_one_entity_receipt(packages, capsys):
    code = main(["verify", "--dir", str(packages["allocation-pgi-2024-2027"]), "--entity", "08298"])
    out = capsys.readouterr().out
    assert code == 0
    [line] = [line for line in out.splitlines() if line.startswith("08298")]
    assert "2,737,449.11" in line and "yes" in line and "Vic" in line


def test_a_cent_off_is_a_mismatch_with_a_non_zero_exit(packages, tmp_path, capsys):
    twin = _twin(packages["allocation-pgi-2024-2027"], tmp_path / "twin")
    receipt = allocation_verify(twin)
    assert receipt.matched == 310 and not receipt.ok
    wrong = receipt.check_get("08298")
    assert wrong.published - wrong.recomputed == Decimal("0.01")

    assert main(["verify", "--dir", str(twin), "--entity", "08298"]) == 1
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if line.startswith("08298")]
    assert line.split()[-2:] == ["NO", "Vic"] and out.rstrip().endswith("MISMATCH")


def test_a_contribution_cell_off_by_a_cent_is_a_mismatch(packages, tmp_path, capsys):
    """The contribution columns are part of the recipe too: each is pool × share rounded to
    the cent half to even; a cell a cent off is caught even when the amount is right."""
    twin = tmp_path / "cell"
    shutil.copytree(packages["allocation-pgi-2024-2027"], twin)
    path = twin / "data" / "allocations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("contribution_income_eur")
    for number, line in enumerate(lines):
        cells = line.split(",")
        if cells[header.index("entity_code")] == "08298":
            cells[column] = str(Decimal(cells[column]) + Decimal("0.01"))
            lines[number] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    receipt = allocation_verify(twin)
    assert receipt.matched == 311 and receipt.cells_checked == 933
    assert [cell.split(":")[0] for cell in receipt.cell_mismatches] == [
        "08298 contribution_income_eur"
    ]
    assert main(["verify", "--dir", str(twin), "--entity", "08298"]) == 1
    assert "932/933 contribution cells match" in capsys.readouterr().out


def test_the_receipt_as_json(packages, capsys):
    import json

    folder = str(packages["allocation-pgi-2024-2027"])
    assert main(["verify", "--dir", folder, "--entity", "08019", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and (data["matched"], data["count"]) == (311, 311)
    assert data["entities"] == [
        {
            "entity_code": "08019",
            "name": "Barcelona",
            "published": "0.00",
            "recomputed": "0.00",
            "match": True,
        }
    ]
    assert [f["role"] for f in data["files"]] == ["formula", "allocations", "inputs", "entities"]


def test_the_declared_imputation_population_is_what_is_computed(packages, tmp_path):
    """Read as "the median of every municipality in scope" (Barcelona included), the
    recipe does NOT give the published amounts: the file must say `receiving`."""
    twin = tmp_path / "scope"
    shutil.copytree(packages["allocation-pgi-2024-2027"], twin)
    formula = twin / "formula" / "pgi-2024-2027.toml"
    text = formula.read_text(encoding="utf-8")
    assert 'population = "receiving"' in text
    formula.write_text(text.replace('population = "receiving"', 'population = "scope"'))
    receipt = allocation_verify(twin)
    assert receipt.matched == 182 and not receipt.ok


def test_flat_folder_of_downloads(packages, tmp_path):
    source = packages["allocation-pgi-2024-2027-alt"]
    for path in [*source.glob("data/*.csv"), *source.glob("formula/*.toml")]:
        shutil.copy(path, tmp_path / path.name)
    assert allocation_verify(tmp_path).ok


def test_refusals_are_one_line_and_exit_2(packages, tmp_path, capsys):
    assert main(["verify", "--dir", str(tmp_path / "nowhere"), "--all"]) == 2
    assert main(["verify", "--dir", str(tmp_path), "--all"]) == 2
    assert "missing formula, allocations, inputs, entities" in capsys.readouterr().err
    folder = str(packages["allocation-pgi-2024-2027"])
    assert main(["verify", "--dir", folder, "--entity", "99999"]) == 2
    assert "not in this allocation: 99999" in capsys.readouterr().err


def test_the_verifier_imports_nothing_of_the_engine():
    code = (
        "import sys, datasets.allocation.verify; "
        "print(sorted(m for m in sys.modules if m.startswith('datasets.allocation.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    # The receipt it prints is its own small module; nothing of the engine comes with it.
    assert out.strip() == "['datasets.allocation.verify', 'datasets.allocation.verify_receipt']"


@pytest.mark.integration
def test_verify_from_ckan_every_shipped_formula(ckan_server, ckan_client, tmp_path, capsys):
    from publishing.pipeline import catalog_publish

    prefix = f"vf{uuid.uuid4().hex[:8]}-"
    config = ckan_server_config(ckan_server, prefix)
    try:
        report = catalog_publish(
            config=config,
            specs=[allocation_spec(path) for path in SHIPPED],
            build_dir=tmp_path / "build",
            ledger_path=tmp_path / "ledger.json",
        )
        assert report.ok, [result.error for result in report.datasets]
        capsys.readouterr()
        for path in SHIPPED:
            url = f"{ckan_server.url}/dataset/{prefix}allocation-{path.stem}"
            downloads = tmp_path / "downloads" / path.stem
            code = main(["verify", "--ckan", url, "--all", "--download-dir", str(downloads)])
            out, err = capsys.readouterr()
            assert code == 0, out + err
            assert "311/311 amounts match" in out
            assert out.count("(sha256 as CKAN declares)") == 4
            # The same files, one amount a cent off: a mismatch, exit 1.
            twin = _twin(downloads, tmp_path / "twins" / path.stem)
            assert main(["verify", "--dir", str(twin), "--all"]) == 1
            assert "310/311 amounts match" in capsys.readouterr().out
    finally:
        found = ckan_client.action.package_search(q=f"name:{prefix}*", rows=100)
        for package in found["results"]:
            if package["name"].startswith(prefix):
                ckan_client.action.dataset_purge(id=package["id"])


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "data/inputs.csv",
            "entity_code,variable,year,value",
            "code,variable,year,value",
            "no column entity_code",
        ),
        (
            "formula/pgi-2024-2027.toml",
            'variable = "unemployment_rate"',
            'variable = "nothing"',
            "has no nothing",
        ),
        (
            "formula/pgi-2024-2027.toml",
            "[budget]",
            "[budget_typo]",
            "cannot follow the recipe (KeyError",
        ),
        ("formula/pgi-2024-2027.toml", "format =", "format = = ", "not a formula file"),
    ],
)
def test_broken_files_are_refused_in_one_line(packages, tmp_path, capsys, file, old, new, message):
    twin = tmp_path / "broken"
    shutil.copytree(packages["allocation-pgi-2024-2027"], twin)
    path = twin / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["verify", "--dir", str(twin), "--all"]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
