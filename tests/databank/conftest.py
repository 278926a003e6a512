from __future__ import annotations

from pathlib import Path

import pytest

from concertem.databank.models import Indicator

VISOR = Path(__file__).resolve().parent.parent / "data" / "indicators" / "visor2030"
EXTRACT = VISOR / "2.1.1_HISTORIC_extract.csv"
BROKEN = VISOR / "2.1.1_HISTORIC_broken.csv"


@pytest.fixture
def organic_farmland(db) -> Indicator:
    """The viewer's indicator 2.1.1, in the catalogue and without any value yet.

    The reference catalogue may already hold it (with the viewer's values, loaded by the
    migration): its values are then removed, so every test starts where an editor does
    with a new indicator.
    """
    from concertem.databank.services import version_bump
    from concertem.databank.value_store import values_clear

    existing = Indicator.objects.filter(code="organic_farmland_share").first()
    if existing is not None:
        values_clear(existing)
        version_bump()
        return existing
    return Indicator.objects.create(
        code="organic_farmland_share",
        publisher_code="2.1.1",
        name="Superfície agrícola ecològica",
        name_es="Superficie agrícola ecológica",
        name_en="Organic farmland",
        definition="Percentatge de la superfície agrícola conreada en ecològic.",
        definition_es="Porcentaje de la superficie agrícola cultivada en ecológico.",
        definition_en="Share of the farmed land under organic farming.",
        method="Superfície en ecològic / superfície agrícola utilitzada x 100.",
        method_es="Superficie en ecológico / superficie agrícola utilizada x 100.",
        method_en="Organic area / utilised agricultural area x 100.",
        unit="percent",
        decimals=2,
        direction="higher_is_better",
        value_min=0,
        value_max=100,
        sdg_targets=["2.4"],
        source="Diputació de Barcelona, Visor 2030",
        source_url="https://github.com/DiputacioBarcelona/Visor2030-API",
        licence="AGPL-3.0-only",
        position=100,
    )
