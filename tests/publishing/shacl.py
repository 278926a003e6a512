"""SHACL validation against the official DCAT-AP 3.0.1 shapes (tests/data/, with SOURCE.txt)."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

SHAPES = Path(__file__).resolve().parents[1] / "data" / "dcat-ap-3.0.1-shacl"
SH = Namespace("http://www.w3.org/ns/shacl#")


def shacl_results(data: Graph, shapes_file: str) -> list[str]:
    """Every result (violation or warning) of the shapes on data, one line each.

    ``shapes.ttl``: the mandatory properties (sh:Violation); ``shapes_recommended.ttl``:
    the recommended ones (sh:Warning).
    """
    shapes = Graph().parse(SHAPES / shapes_file, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return sorted(
        f"{report.value(r, SH.resultSeverity).split('#')[-1]} {report.value(r, SH.focusNode)} "
        f"{report.value(r, SH.resultPath)} {report.value(r, SH.resultMessage)}"
        for r in report.subjects(RDF.type, SH.ValidationResult)
    )
