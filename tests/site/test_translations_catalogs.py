"""Every interface string exists in Catalan and Spanish (English is the msgid).

Two checks: the committed catalogues have no empty or fuzzy translation and their .mo
files are compiled from them; and makemessages, run over a copy of the code, finds no
msgid that the catalogues lack (a string marked in code or a template but never
translated).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.site.test_translations_pages import REPO, catalogue_paths, po_entries

LANGUAGES = ("ca", "es")


def untranslated(path: Path) -> list[str]:
    return [msgid for msgid, msgstr in po_entries(path).items() if not msgstr.strip()]


def fuzzy_count(path: Path) -> int:
    """Fuzzy entries (gettext ignores them); the header's flag does not count."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    return sum(1 for block in blocks if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block)


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogues_are_complete(language):
    paths = catalogue_paths(language)
    assert len(paths) >= 6, paths  # site, debates, office, cooperation, facilities, surveys
    missing = {str(path.relative_to(REPO)): untranslated(path) for path in paths}
    missing = {path: ids for path, ids in missing.items() if ids}
    assert not missing, missing
    assert not [path for path in paths if fuzzy_count(path)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_mo_files_are_compiled_from_the_po_files(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.fail("msgfmt (gettext) is not installed")
    for path in catalogue_paths(language):
        compiled = tmp_path / "django.mo"
        subprocess.run([msgfmt, "-o", str(compiled), str(path)], check=True)
        assert compiled.read_bytes() == path.with_suffix(".mo").read_bytes(), (
            f"{path.relative_to(REPO)}: run msgfmt -o django.mo django.po"
        )


def test_no_msgid_in_the_code_is_missing_from_the_catalogues(tmp_path):
    """makemessages over a copy: every msgid it finds must have a translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (gettext) is not installed")
    copy = tmp_path / "repo"
    ignore = shutil.ignore_patterns("static", "node_modules", "__pycache__", "*.mo")
    for folder in ("site", "debates"):
        shutil.copytree(REPO / folder, copy / folder, ignore=ignore)
    for folder in ("site", "debates"):
        subprocess.run(
            [
                sys.executable,
                str(copy / "site" / "manage.py"),
                "makemessages",
                "-l",
                "ca",
                "-l",
                "es",
            ],
            cwd=copy / folder,
            check=True,
            capture_output=True,
            env={
                "PATH": "/usr/bin:/bin",
                "DJANGO_SETTINGS_MODULE": "concertem.config.settings.test",
            },
        )
    report = {}
    for language in LANGUAGES:
        for path in sorted(copy.glob(f"**/locale/{language}/LC_MESSAGES/django.po")):
            missing = untranslated(path)
            if missing:
                report[str(path.relative_to(copy))] = missing
    total = sum(len(ids) for ids in report.values())
    assert not report, f"{total} untranslated msgid(s): {report}"
