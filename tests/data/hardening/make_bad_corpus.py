"""Writes tests/data/hardening/bad/: broken twins of each importer's good input.

Run from the repository root: `.venv/bin/python tests/data/hardening/make_bad_corpus.py`.
Files are named FAMILY__PROBLEM.EXT; FAMILY is the importer (indicators, facilities,
actions, formula) or `any` for the CSV importers alike. The huge file is not here: the
tests generate it in a temporary folder.
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
OUT = HERE / "bad"

INDICATORS = (REPO / "tests/data/indicators/atur_2021.csv").read_bytes().decode("latin-1")
FACILITIES = (
    "facility_id,name,category,entity_code,lon,lat,opening_year,accessibility,owner\n"
    "hx-1,Biblioteca Vapor Badia,culture,08187,2.1040,41.5447,2003,accessible,municipal\n"
    "hx-2,Piscina Can Llong,sport,08187,2.0901,41.5589,,partial,municipal\n"
    "hx-3,Centre Cívic l'Àgora,culture,08187,2.1100,41.5500,1999,accessible,municipal\n"
)
ACTIONS = (
    "action_id,entity_code,programme_code,programme_name,kind,title,status,amount_granted,"
    "amount_justified,amount_paid,progress_pct,requested_on,granted_on,milestones\n"
    "A-1,08187,PGI-2024,Programa d'inversions,investment,Piscina,in_execution,100000.00,"
    "40000.00,30000.00,45,2024-03-01,2024-05-01,2024-03-01 Sol·licitud|2024-05-01 Resolució\n"
    "A-2,08279,CS-2025,Catàleg de serveis,service,Auditoria energètica,granted,12000.50,0,0,5,"
    "2025-01-10,2025-02-01,\n"
)
FORMULA = (REPO / "tests/data/formulas/small.toml").read_text(encoding="utf-8")


def header_and_rows(text: str) -> tuple[list[str], str, list[str]]:
    """(lines before the header, header, data rows)."""
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.count(";") + line.count(",") >= 3)
    return lines[:index], lines[index], lines[index + 1 :]


def csv_family(name: str, good: str, delimiter: str, *, duplicate, wrong, unknown) -> None:
    preamble, header, rows = header_and_rows(good)
    body = "\n".join([*preamble, header, *rows]) + "\n"
    write(f"{name}__utf16_no_bom.csv", body.encode("utf-16-le"))
    write(f"{name}__latin1_accents.csv", body.encode("latin-1"))
    broken = body.replace(rows[1], rows[1].replace("a", "a\udcff", 1), 1)
    write(f"{name}__invalid_utf8.csv", broken.encode("utf-8", "surrogateescape"))
    write(f"{name}__tab_delimited.csv", body.replace(delimiter, "\t").encode())
    write(f"{name}__pipe_delimited.csv", body.replace(delimiter, "|").encode())
    write(f"{name}__missing_header.csv", ("\n".join([*preamble, *rows]) + "\n").encode())
    write(f"{name}__header_only.csv", ("\n".join([*preamble, header]) + "\n").encode())
    nul = rows[0].replace(delimiter, "\0" + delimiter, 2)
    write(f"{name}__nul_bytes.csv", body.replace(rows[0], nul, 1).encode())
    for problem, change in (
        ("duplicate_key", duplicate),
        ("wrong_types", wrong),
        ("unknown_codes", unknown),
    ):
        write(f"{name}__{problem}.csv", change(body).encode())


def write(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.iterdir():
        old.unlink()
    # ---- indicators (Idescat/INE style: a title, semicolons, decimal commas) ----
    csv_family(
        "indicators",
        INDICATORS,
        ";",
        duplicate=lambda t: t.replace("8015;Badalona", "8101;Badalona"),
        wrong=lambda t: t.replace("15,45", "quinze").replace(";2021;7,35", ";l'any passat;7,35"),
        unknown=lambda t: t.replace("8279;Terrassa", "8999;Enlloc").replace("8113;", "XX113;"),
    )
    # ---- facilities (the register's columns) ----
    csv_family(
        "facilities",
        FACILITIES,
        ",",
        duplicate=lambda t: t.replace("hx-2,", "hx-1,"),
        wrong=lambda t: t.replace("2.1040,41.5447,2003", "east,north,the nineties"),
        unknown=lambda t: t.replace("sport,08187", "casino,08999"),
    )
    # ---- cooperation actions ----
    csv_family(
        "actions",
        ACTIONS,
        ",",
        duplicate=lambda t: t.replace("A-2,", "A-1,"),
        wrong=lambda t: t.replace("100000.00", "cent mil").replace("2024-03-01,", "01/03/2024,"),
        unknown=lambda t: t.replace("08279", "08999").replace("investment", "gift"),
    )
    # ---- any CSV importer ----
    write("any__empty.csv", b"")
    write("any__whitespace_only.csv", b" \n\t\n\r\n   \n")
    write("any__binary_garbage.csv", random.Random(2027).randbytes(4096))
    write("any__nul_only.csv", b"\0" * 4096)
    write("any__png_renamed.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    # ---- allocation formulas (TOML) ----
    write("formula__empty.toml", b"")
    write("formula__syntax_error.toml", FORMULA.replace('id = "small"', 'id = "small').encode())
    write("formula__utf16.toml", FORMULA.encode("utf-16"))
    write("formula__binary.toml", random.Random(2028).randbytes(2048))
    write("formula__wrong_types.toml", FORMULA.replace("weight = 0.5", 'weight = "half"').encode())
    write(
        "formula__duplicate_keys.toml",
        FORMULA.replace('version = "1"', 'version = "1"\nversion = "2"').encode(),
    )
    write("formula__nan_weight.toml", FORMULA.replace("weight = 0.5", "weight = nan").encode())
    write(
        "formula__infinite_budget.toml",
        FORMULA.replace("total_eur = 10_000_000", "total_eur = inf").encode(),
    )
    write("formula__missing_criteria.toml", FORMULA.split("[[criteria]]")[0].encode())
    write("formula__not_a_formula.toml", b'[tool.poetry]\nname = "x"\n')


if __name__ == "__main__":
    main()
