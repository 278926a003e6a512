"""`concertem ckan-server`: a thin wrapper over ckanlocal.server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from publishing.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_status_of_a_home_never_set_up_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CONCERTEM_CKAN_HOME", str(tmp_path / "none"))
    assert main(["ckan-server", "status"]) == 1
    assert "never set up" in capsys.readouterr().out


def test_python_m_ckanlocal_is_the_same_command(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ckanlocal", "status", "--json"],
        cwd=REPO,
        env={"CONCERTEM_CKAN_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert '"running": false' in done.stdout
