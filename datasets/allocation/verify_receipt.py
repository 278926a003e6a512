"""What ``concertem verify`` says: the ``Receipt`` of one recomputation, file by file and
entity by entity, as text and as JSON (``datasets.allocation.verify`` makes it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class FileDigest:
    role: str  # formula | inputs | entities | allocations
    name: str
    sha256: str
    bytes: int


@dataclass(frozen=True)
class EntityCheck:
    entity_code: str
    name: str
    published: Decimal | None  # None: the entity is missing from allocations.csv
    recomputed: Decimal | None  # None: allocations.csv lists an entity out of scope

    @property
    def match(self) -> bool:
        return self.published is not None and self.published == self.recomputed


@dataclass(frozen=True)
class Receipt:
    formula_id: str
    formula_version: str
    formula_sha256: str
    budget: Decimal
    files: tuple[FileDigest, ...]
    checks: tuple[EntityCheck, ...]  # every entity (in scope or published), by code
    shown: tuple[str, ...]  # the codes asked about (all of them with --all)
    # The contribution columns of allocations.csv, each rounded to the cent as the
    # formula's [rounding].components says: how many cells were checked, which differ.
    cells_checked: int = 0
    cell_mismatches: tuple[str, ...] = ()

    @property
    def matched(self) -> int:
        return sum(1 for check in self.checks if check.match)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and self.matched == len(self.checks) and not self.cell_mismatches

    def check_get(self, entity_code: str) -> EntityCheck:
        for check in self.checks:
            if check.entity_code == entity_code:
                return check
        raise KeyError(entity_code)

    def total(self, which: str) -> Decimal:
        values = (getattr(check, which) for check in self.checks)
        return sum((value for value in values if value is not None), Decimal(0))

    def lines(self) -> list[str]:
        """The receipt as text, one fact per line."""
        out = [
            f"Receipt: allocation {self.formula_id}, formula version {self.formula_version}",
            f"formula sha256 {self.formula_sha256}",
        ]
        out += [f"{f.role:<11} {f.name}  sha256 {f.sha256}  {f.bytes} bytes" for f in self.files]
        out.append("recomputed from these files alone (exact fractions, independent of the engine)")
        out.append(f"{'entity':<6} {'published':>17} {'recomputed':>17}  match  name")
        for code in self.shown:
            check = self.check_get(code)
            out.append(
                f"{code:<6} {_euros(check.published):>17} {_euros(check.recomputed):>17}  "
                f"{'yes' if check.match else 'NO':<5}  {check.name}"
            )
        out.append(
            f"{self.matched}/{len(self.checks)} amounts match; total published "
            f"{_euros(self.total('published'))}, recomputed {_euros(self.total('recomputed'))}"
            f", budget {_euros(self.budget)}"
        )
        out.append(
            f"{self.cells_checked - len(self.cell_mismatches)}/{self.cells_checked} "
            "contribution cells match (each contribution rounded to the cent on its own)"
        )
        out += [f"  differs: {cell}" for cell in self.cell_mismatches[:20]]
        out.append("MATCH" if self.ok else "MISMATCH")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "formula_id": self.formula_id,
            "formula_version": self.formula_version,
            "formula_sha256": self.formula_sha256,
            "files": [vars(f) for f in self.files],
            "entities": [
                {
                    "entity_code": c.entity_code,
                    "name": c.name,
                    "published": None if c.published is None else str(c.published),
                    "recomputed": None if c.recomputed is None else str(c.recomputed),
                    "match": c.match,
                }
                for c in self.checks
                if c.entity_code in self.shown
            ],
            "matched": self.matched,
            "count": len(self.checks),
            "cells_checked": self.cells_checked,
            "cell_mismatches": list(self.cell_mismatches),
            "ok": self.ok,
        }


def _euros(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:,.2f}"
