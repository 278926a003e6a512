"""``concertem verify``: recompute an allocation from its published files and print a receipt.

The files come from CKAN (``--ckan DATASET``: a dataset name, or its page's URL) or from a
folder (``--dir``: a downloaded Data Package, or the four files side by side). CKAN is
asked anonymously, as any reader would; each download is checked against the sha256 CKAN
declares for it. The recomputation is ``datasets.allocation.verify``: the formula file,
``entities.csv`` and ``inputs.csv`` only, in exact fractions, independent of the engine.
Exit code 0 when every amount matches, 1 on any mismatch, 2 when the files cannot be had.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from publishing.cli import CommandError

# CKAN resource name -> the file name the verifier looks for (the formula keeps its own).
RESOURCES = {"allocations": "allocations.csv", "inputs": "inputs.csv", "entities": "entities.csv"}
FORMULA_RESOURCE = "formula"


@dataclass(frozen=True)
class Download:
    name: str
    url: str
    path: Path
    declared_sha256: str  # what CKAN says the file's sha256 is ("" when it says nothing)
    sha256: str

    @property
    def intact(self) -> bool:
        return not self.declared_sha256 or self.declared_sha256 == self.sha256


def ckan_target(value: str, default_site: str) -> tuple[str, str]:
    """(site, dataset) from a dataset name or a ``<site>/dataset/<name>`` URL."""
    if "://" not in value:
        return default_site.rstrip("/"), value
    parsed = urlparse(value)
    path = parsed.path.rstrip("/")
    marker = "/dataset/"
    if marker not in path:
        raise CommandError(f"{value}: not a CKAN dataset URL (…/dataset/<name>)")
    prefix, name = path.rsplit(marker, 1)
    return f"{parsed.scheme}://{parsed.netloc}{prefix}", unquote(name.split("/")[0])


def ckan_files_fetch(
    *, site: str, dataset: str, out_dir: Path, timeout: float = 60.0
) -> list[Download]:
    """Download the formula and the three tables of ``dataset`` into ``out_dir``."""
    import requests

    session = requests.Session()
    try:
        answer = session.get(
            f"{site}/api/3/action/package_show", params={"id": dataset}, timeout=timeout
        )
    except requests.RequestException as error:
        raise CommandError(f"{site}: CKAN does not answer ({error})") from error
    if answer.status_code == 404:
        raise CommandError(f"{site}: no dataset {dataset!r}")
    if answer.status_code != 200:
        raise CommandError(f"{site}: package_show {dataset!r} answered {answer.status_code}")
    try:
        resources = {item["name"]: item for item in answer.json()["result"]["resources"]}
    except (ValueError, KeyError, TypeError) as error:  # a proxy's page, not CKAN's API
        raise CommandError(f"{site}: not a CKAN API answer for {dataset!r}") from error
    wanted = [*RESOURCES, FORMULA_RESOURCE]
    missing = [name for name in wanted if name not in resources]
    if missing:
        raise CommandError(
            f"{site}/dataset/{dataset}: no resource {', '.join(missing)}; is it an allocation?"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    downloads = []
    for name in wanted:
        resource = resources[name]
        url = resource["url"]
        file_name = RESOURCES.get(name) or Path(unquote(urlparse(url).path)).name
        if name == FORMULA_RESOURCE and not file_name.endswith(".toml"):
            file_name = f"{dataset}.toml"
        try:
            body = session.get(url, timeout=timeout)
        except requests.RequestException as error:
            raise CommandError(f"{url}: download failed ({error})") from error
        if body.status_code != 200:
            raise CommandError(f"{url}: download answered {body.status_code}")
        path = out_dir / file_name
        path.write_bytes(body.content)
        downloads.append(
            Download(
                name=name,
                url=url,
                path=path,
                declared_sha256=str(resource.get("hash") or "").removeprefix("sha256:"),
                sha256=hashlib.sha256(body.content).hexdigest(),
            )
        )
    return downloads


def verify_run(args: argparse.Namespace) -> int:
    from datasets.allocation.verify import allocation_verify

    entity_codes = None if args.all else args.entity
    downloads: list[Download] = []
    with tempfile.TemporaryDirectory(prefix="concertem-verify-") as scratch:
        if args.dir is not None:
            folder = args.dir
            if not folder.is_dir():
                raise CommandError(f"{folder}: no such folder")
        else:
            site = args.ckan_url or ""
            if "://" not in args.ckan and not site:
                from publishing.config import CkanConfig

                site = CkanConfig.from_env().site
            site, dataset = ckan_target(args.ckan, site)
            folder = args.download_dir or Path(scratch)
            downloads = ckan_files_fetch(site=site, dataset=dataset, out_dir=folder)
        receipt = allocation_verify(folder, entity_codes=entity_codes)
    intact = all(download.intact for download in downloads)
    if args.json:
        data = receipt.as_dict()
        data["downloads"] = [
            {
                "name": d.name,
                "url": d.url,
                "sha256": d.sha256,
                "declared_sha256": d.declared_sha256,
                "intact": d.intact,
            }
            for d in downloads
        ]
        data["ok"] = receipt.ok and intact
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for download in downloads:
            state = "sha256 as CKAN declares" if download.intact else "sha256 DIFFERS from CKAN's"
            print(f"downloaded  {download.url}  ({state})")
        print("\n".join(receipt.lines()))
    return 0 if receipt.ok and intact else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify",
        help="recompute an allocation from its published files (CKAN or a folder)",
        description=(
            "Recompute the amounts of an allocation from its published formula, inputs "
            "and entities alone, compare them with the published allocations.csv and print "
            "a receipt (sha256 of every file, amount per entity, match or not). Exit code 1 "
            "on any mismatch."
        ),
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--ckan",
        metavar="DATASET",
        help="a CKAN dataset name (e.g. allocation-pgi-2024-2027) or its page's URL",
    )
    source.add_argument("--dir", type=Path, help="a folder of downloaded files")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--entity", action="append", metavar="CODE", help="INE code to list (repeatable)"
    )
    which.add_argument("--all", action="store_true", help="list every entity")
    parser.add_argument(
        "--ckan-url",
        help="CKAN site for a dataset name (default: CKAN_URL, or the local server)",
    )
    parser.add_argument(
        "--download-dir", type=Path, help="keep the files fetched from CKAN in this folder"
    )
    parser.add_argument("--json", action="store_true", help="the receipt as JSON")
    parser.set_defaults(handler=verify_run)
