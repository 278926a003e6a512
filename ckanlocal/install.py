"""What the local CKAN runs on: the Debian packages (the one list in
``scripts/system-packages.txt``) and CKAN's own virtualenv with its extensions."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ckanlocal.base import (
    CkanServerError,
    Echo,
    ServerPaths,
    clean_env,
    echo_default,
    json_read,
    json_write,
    repo_root,
    run,
)

CKAN_VERSION = "2.12.0"
GUNICORN_VERSION = "23.0.0"
# ckanext-dcat serves the catalogue as DCAT-AP 3 (/catalog.ttl, /dataset/<id>.rdf);
# ckanext-scheming gives it the structured fields that profile maps; concertem_dcat
# (ckanserver/) holds that schema, the texts in three languages (what ckanext-fluent
# does; its only PyPI release, 1.0.0, still imports Pylons) and the catalogue-level
# properties ckanext-dcat leaves out. datatables_view ships with CKAN.
CKAN_EXTENSION_PINS = ("ckanext-dcat==2.4.4", "ckanext-scheming==3.1.0")
SYSTEM_PACKAGES_FILE = "scripts/system-packages.txt"
VENV_MARKER = ".concertem-installed.json"


# ---- Debian packages ----


@dataclass(frozen=True)
class SystemPackage:
    name: str
    probe: str  # cmd:NAME | path:FILE | lib:NAME
    groups: tuple[str, ...]

    def present(self) -> bool:
        kind, _, target = self.probe.partition(":")
        if kind == "cmd":
            return shutil.which(target) is not None
        if kind == "path":
            return os.access(target, os.X_OK)
        if kind == "lib":
            return ctypes.util.find_library(target) is not None
        raise CkanServerError("system packages", f"unknown probe {self.probe!r}")


def system_packages(path: Path | None = None) -> list[SystemPackage]:
    """The list ``scripts/system_deps.sh`` installs from, read the same way."""
    path = path or repo_root() / SYSTEM_PACKAGES_FILE
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        found.append(SystemPackage(words[0], words[1], tuple(words[2:])))
    return found


def system_packages_ensure(*, echo: Echo = echo_default, group: str = "ckan") -> None:
    """apt-get install what is missing: a fresh machine (CI) has none of it by hand."""
    wanted = [p.name for p in system_packages() if group in p.groups and not p.present()]
    if not wanted:
        return
    if os.geteuid() != 0:
        raise CkanServerError(
            "system packages", f"missing {' '.join(wanted)}; install them (apt-get) as root"
        )
    echo(f"apt-get install {' '.join(wanted)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = Path("/tmp/concertem-ckan-apt.log")  # noqa: S108 - the home may not exist yet
    lock_wait = ["-o", "DPkg::Lock::Timeout=600"]  # another apt-get (make system-deps) may run
    install = ["apt-get", *lock_wait, "install", "-y", "--no-install-recommends", *wanted]
    if run("apt-get install", install, log=log, env=env, check=False).returncode != 0:
        # A fresh machine has empty package lists; update once and try again.
        run("apt-get update", ["apt-get", *lock_wait, "update"], log=log, env=env)
        run("apt-get install", install, log=log, env=env)


# ---- CKAN virtualenv ----


def venv_fingerprint(paths: ServerPaths) -> dict[str, str]:
    return {
        "ckan": CKAN_VERSION,
        "gunicorn": GUNICORN_VERSION,
        "own_extensions": " ".join(str(path) for path in paths.extensions),
        "extensions": " ".join(CKAN_EXTENSION_PINS),
        "python": f"{sys.version_info.major}.{sys.version_info.minor}",
    }


def venv_current(paths: ServerPaths) -> bool:
    marker = paths.venv / VENV_MARKER
    return json_read(marker) == venv_fingerprint(paths) and paths.bin("ckan").exists()


def venv_ensure(paths: ServerPaths, *, echo: Echo = echo_default) -> bool:
    """Install CKAN, its extensions and ours into CKAN's venv; True if anything was done.

    A venv made for the same CKAN but fewer of our extensions only gets the new ones.
    """
    if venv_current(paths):
        return False
    marker = paths.venv / VENV_MARKER
    wanted = venv_fingerprint(paths)
    had = json_read(marker)
    log = paths.logs / "pip.log"
    started = time.monotonic()
    if not paths.bin("python").exists():
        echo(f"creating CKAN virtualenv in {paths.venv}")
        run("venv", [sys.executable, "-m", "venv", str(paths.venv)], log=log)
    env = clean_env(paths)
    pip = [str(paths.bin("python")), "-m", "pip", "--disable-pip-version-check"]
    same_base = paths.bin("ckan").exists() and all(
        had.get(key) == wanted[key] for key in ("ckan", "gunicorn", "extensions", "python")
    )
    if not same_base:
        echo(f"pip install ckan[requirements]=={CKAN_VERSION} (about a minute; log {log})")
        ckan = [f"ckan[requirements]=={CKAN_VERSION}", f"gunicorn=={GUNICORN_VERSION}", "wheel"]
        run("pip install ckan", [*pip, "install", *ckan], log=log, env=env)
        echo(f"pip install {' '.join(CKAN_EXTENSION_PINS)}")
        # Constrained by CKAN's own pins, so an extension's requirement never moves them.
        constraints = paths.venv / "ckan-constraints.txt"
        frozen = run("pip freeze", [*pip, "freeze", "--exclude-editable"], log=log, env=env)
        constraints.write_text(frozen.stdout)
        run(
            "pip install ckanext-dcat",
            [*pip, "install", "-c", str(constraints), *CKAN_EXTENSION_PINS],
            log=log,
            env=env,
        )
    installed = set(had.get("own_extensions", "").split()) if same_base else set()
    for extension in paths.extensions:
        if str(extension) in installed:
            continue
        echo(f"pip install -e {extension.name}")
        # --no-build-isolation: the venv's own setuptools builds it, no extra download.
        run(
            "pip install extension",
            [*pip, "install", "--no-deps", "--no-build-isolation", "-e", str(extension)],
            log=log,
            env=env,
        )
    json_write(marker, wanted)
    echo(f"CKAN virtualenv ready in {time.monotonic() - started:.0f} s")
    return True
