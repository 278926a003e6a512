"""Generate the DEMO actions file: ``python -m datasets.execution.demo``.

Real municipalities, invented actions: every row has ``is_demo=true`` and the site shows a
banner wherever demo actions appear. Deterministic (fixed seed, fixed "as of" date) so the
committed file only changes when this code does. Amounts follow the rules the importer
enforces, and the stricter paid ≤ justified ≤ granted.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from datasets.execution.actions import FIELDS, Milestone, milestones_format
from datasets.table_io import table_write
from datasets.territory import entities_load

DEMO_PATH = Path(__file__).resolve().parents[1] / "reference" / "execution_actions_demo.csv"
AS_OF = date(2025, 6, 30)
SEED = 20250630
ENTITY_COUNT = 30

PROGRAMMES = {
    "PGI-2024-2027": "Programa general d'inversions 2024-2027 (demo)",
    "CS-2025": "Catàleg de serveis 2025 (demo)",
    "PSE-2025": "Pla de suport a la transició energètica 2025 (demo)",
}
INVESTMENTS = (
    "Rehabilitació de la piscina municipal",
    "Reurbanització del carrer Major",
    "Adequació de l'escola bressol municipal",
    "Nova coberta del pavelló poliesportiu",
    "Millora de l'accessibilitat de l'ajuntament",
    "Ampliació de la biblioteca municipal",
)
SERVICES = (
    ("CS25-URB01", "Redacció del pla local d'habitatge"),
    ("CS25-ENE02", "Auditoria energètica dels edificis municipals"),
    ("CS25-JUR03", "Assistència tècnica en contractació pública"),
    ("CS25-MOB04", "Estudi de mobilitat urbana sostenible"),
    ("CS25-TIC05", "Implantació de l'administració electrònica"),
)
GRANTS = (
    "Programació cultural estable",
    "Dinamització del comerç local",
    "Suport a l'escola municipal de música",
    "Activitats esportives per a gent gran",
)
ENERGY = (
    "Instal·lació fotovoltaica a l'equipament esportiu",
    "Substitució de l'enllumenat públic per LED",
)
STATUS_WEIGHTS = (
    ("requested", 2),
    ("granted", 3),
    ("in_execution", 5),
    ("justified", 3),
    ("closed", 3),
    ("revoked", 1),
)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def _share(rng: random.Random, amount: Decimal, low: float, high: float) -> Decimal:
    return (amount * Decimal(str(round(rng.uniform(low, high), 2)))).quantize(Decimal("0.01"))


def actions_demo_rows(*, seed: int = SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    candidates = [
        entity for entity in entities_load(province_code="08") if entity.entity_code != "08019"
    ]  # Barcelona city is handled apart
    chosen = sorted(rng.sample(candidates, ENTITY_COUNT), key=lambda entity: entity.entity_code)
    statuses = [status for status, weight in STATUS_WEIGHTS for _ in range(weight)]
    rows = []
    for entity in chosen:
        for number in range(1, rng.randint(1, 4) + 1):
            programme = rng.choice(tuple(PROGRAMMES))
            service_code = ""
            if programme == "PGI-2024-2027":
                kind, title, amount = (
                    "investment",
                    rng.choice(INVESTMENTS),
                    _money(rng, 60_000, 420_000),
                )
            elif programme == "PSE-2025":
                kind, title, amount = "investment", rng.choice(ENERGY), _money(rng, 20_000, 150_000)
            elif rng.random() < 0.5:
                kind, (service_code, title) = "service", rng.choice(SERVICES)
                amount = _money(rng, 3_000, 25_000)
            else:
                kind, title, amount = "grant", rng.choice(GRANTS), _money(rng, 4_000, 60_000)
            status = rng.choice(statuses)
            requested_on = AS_OF - timedelta(days=rng.randint(60, 540))
            granted_on = (
                None
                if status == "requested"
                else requested_on + timedelta(days=rng.randint(30, 90))
            )
            granted = Decimal("0.00") if status == "requested" else amount
            justified = paid = Decimal("0.00")
            progress = 0
            milestones = [(requested_on, "Sol·licitud presentada")]
            if granted_on:
                milestones.append((granted_on, "Resolució d'atorgament"))
            if status == "in_execution":
                justified = _share(rng, granted, 0.0, 0.6)
                paid = _share(rng, justified, 0.5, 1.0)
                progress = rng.randint(20, 85)
                milestones.append((granted_on + timedelta(days=30), "Inici de l'execució"))
            elif status in ("justified", "closed"):
                justified = _share(rng, granted, 0.9, 1.0)
                paid = justified if status == "closed" else _share(rng, justified, 0.5, 1.0)
                progress = 100
                milestones.append((granted_on + timedelta(days=30), "Inici de l'execució"))
                milestones.append((granted_on + timedelta(days=200), "Justificació presentada"))
                if status == "closed":
                    milestones.append((granted_on + timedelta(days=260), "Pagament i tancament"))
            elif status == "revoked":
                progress = rng.randint(0, 30)
                milestones.append((granted_on + timedelta(days=240), "Revocació per no execució"))
            elif status == "granted":
                progress = rng.randint(0, 10)
            deadline = granted_on + timedelta(days=365 * 2) if granted_on else None
            rows.append(
                {
                    "action_id": f"DEMO-{programme}-{entity.entity_code}-{number:02d}",
                    "entity_code": entity.entity_code,
                    "programme_code": programme,
                    "programme_name": PROGRAMMES[programme],
                    "kind": kind,
                    "title": title,
                    "status": status,
                    "amount_granted": f"{granted:.2f}",
                    "amount_justified": f"{justified:.2f}",
                    "amount_paid": f"{paid:.2f}",
                    "progress_pct": str(progress),
                    "requested_on": requested_on.isoformat(),
                    "service_code": service_code,
                    "granted_on": granted_on.isoformat() if granted_on else "",
                    "deadline": deadline.isoformat() if deadline else "",
                    "milestones": milestones_format(
                        [Milestone(on=on, label=label) for on, label in sorted(milestones)]
                    ),
                    "is_demo": "true",
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    rows = actions_demo_rows()
    count = table_write(
        path=DEMO_PATH, header=FIELDS, rows=([row[name] for name in FIELDS] for row in rows)
    )
    print(
        f"wrote {DEMO_PATH} ({count} demo actions, "
        f"{len({row['entity_code'] for row in rows})} municipalities)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
