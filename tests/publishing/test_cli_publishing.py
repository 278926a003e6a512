import json

from publishing.cli import main


def test_build_then_validate_one_dataset(tmp_path, capsys):
    args = [
        "--only",
        "sdg-framework",
        "--build-dir",
        str(tmp_path),
        "--ledger",
        str(tmp_path / "ledger.json"),
    ]
    assert main(["build", *args]) == 0
    assert (tmp_path / "datapackages" / "sdg-framework" / "datapackage.json").exists()
    assert (tmp_path / "dcat" / "catalog.jsonld").exists()
    assert main(["validate", *args]) == 0
    report = json.loads((tmp_path / "reports" / "validation.json").read_text())
    assert report["valid"] is True and report["packages"][0]["package"] == "sdg-framework"
    assert "concertem validate" in capsys.readouterr().out


def test_unknown_dataset_is_a_user_error(tmp_path, capsys):
    assert main(["build", "--only", "nope", "--build-dir", str(tmp_path)]) == 2
    assert "unknown dataset nope" in capsys.readouterr().err


def test_publish_without_a_ckan_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CKAN_URL", raising=False)
    monkeypatch.setenv("CONCERTEM_CKAN_HOME", str(tmp_path / "none"))
    assert main(["publish", "--dry-run", "--build-dir", str(tmp_path)]) == 2
    assert "CKAN_URL" in capsys.readouterr().err
