"""The office's service catalogue as open data: services and areas, in ca/es/en.

The site keeps the catalogue in its database (``office.Service``) and exports it with
``manage.py export_office_services`` (part of ``export_open_data``) to the build folder
(``exports.OFFICE_SERVICES``); this module declares the two tables (their Table Schemas
are here, the export writes exactly these columns) and the catalogue entry that reads the
export back, so ``datasets`` stays free of Django. A missing export is refused (never
published as an empty table).
"""

from __future__ import annotations

from typing import Any

from datasets.catalog.blocks import LANGUAGES, text
from datasets.catalog.exports import OFFICE_SERVICES, schema_header
from datasets.catalog.facts import CC_BY_4_0, SOURCE_CONCERTEM
from datasets.catalog.types import DatasetSpec, ResourceSpec, Table
from datasets.schema_texts import schema_translate

SERVICES_CSV, AREAS_CSV = OFFICE_SERVICES.csv_files


def _texts(name: str, title: str, *, required: bool = False) -> list[dict[str, Any]]:
    names = {"ca": "Catalan", "es": "Spanish", "en": "English"}
    fields = []
    for language in LANGUAGES:
        field: dict[str, Any] = {
            "name": f"{name}_{language}",
            "type": "string",
            "title": f"{title} ({names[language]})",
        }
        if language != "ca":
            field["description"] = "Empty when not translated: read the Catalan text."
        elif required:
            field["constraints"] = {"required": True}
        fields.append(field)
    return fields


SERVICES_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "code",
            "type": "string",
            "title": "Service code",
            "description": "Stable identifier; support requests and cooperation actions refer "
            "to it.",
            "constraints": {"required": True, "unique": True},
        },
        {
            "name": "area",
            "type": "string",
            "title": "Area",
            "description": "Code of the area (office_areas.csv).",
            "constraints": {"required": True},
        },
        {
            "name": "kind",
            "type": "string",
            "title": "Kind of support",
            "constraints": {"required": True, "enum": ["technical", "economic"]},
        },
        *_texts("title", "Title", required=True),
        *_texts("description", "Description", required=True),
        *_texts("eligible", "Who may ask", required=True),
        *_texts("conditions", "Conditions"),
        {
            "name": "lead_time_days",
            "type": "integer",
            "title": "Typical lead time (days)",
            "constraints": {"required": True, "minimum": 1},
        },
        {
            "name": "active",
            "type": "boolean",
            "title": "Active",
            "description": "false: withdrawn, no new request can be filed against it.",
            "constraints": {"required": True},
        },
        {
            "name": "demo",
            "type": "boolean",
            "title": "Demo data",
            "description": "true for the demonstration catalogue, not a real service.",
            "constraints": {"required": True},
        },
        {
            "name": "channel",
            "type": "string",
            "title": "How to ask",
            "description": "online: an official of the local entity files a request on the "
            "service's page (url_*), after logging in; a territorial agent follows it.",
            "constraints": {"required": True, "enum": ["online"]},
        },
        *(
            {
                "name": f"url_{language}",
                "type": "string",
                "format": "uri",
                "title": f"Service page ({language})",
                "description": "Where to read about the service and file a request.",
            }
            for language in LANGUAGES
        ),
    ],
    "primaryKey": ["code"],
    "foreignKeys": [
        {"fields": ["area"], "reference": {"resource": "office_areas", "fields": ["area"]}}
    ],
    "missingValues": [""],
}

AREAS_SCHEMA: dict[str, Any] = {
    "fields": [
        {
            "name": "area",
            "type": "string",
            "title": "Area code",
            "constraints": {"required": True, "unique": True},
        },
        *_texts("label", "Area", required=True),
        {
            "name": "services_active",
            "type": "integer",
            "title": "Active services",
            "constraints": {"required": True, "minimum": 0},
        },
        {
            "name": "services_withdrawn",
            "type": "integer",
            "title": "Withdrawn services",
            "constraints": {"required": True, "minimum": 0},
        },
    ],
    "primaryKey": ["area"],
    "missingValues": [""],
}

# Language names and the note of an untranslated text, for the fields _texts() makes.
_LANGUAGE_NAMES = {
    "ca": {"ca": "català", "es": "castellà", "en": "anglès"},
    "es": {"ca": "catalán", "es": "castellano", "en": "inglés"},
}
_UNTRANSLATED = (
    "Buit quan no està traduït: llegiu el text en català.",
    "Vacío cuando no está traducido: lea el texto en catalán.",
)


def _texts_translations(name: str, title_ca: str, title_es: str) -> dict[str, tuple[str, ...]]:
    """Catalan and Spanish texts of the fields ``_texts(name, ...)`` makes."""
    result: dict[str, tuple[str, ...]] = {}
    for language in LANGUAGES:
        titles = (
            f"{title_ca} ({_LANGUAGE_NAMES['ca'][language]})",
            f"{title_es} ({_LANGUAGE_NAMES['es'][language]})",
        )
        result[f"{name}_{language}"] = titles if language == "ca" else titles + _UNTRANSLATED
    return result


schema_translate(
    SERVICES_SCHEMA,
    {
        "code": (
            "Codi del servei",
            "Código del servicio",
            "Identificador estable; s'hi refereixen les sol·licituds de suport i les "
            "actuacions de cooperació.",
            "Identificador estable; se refieren a él las solicitudes de apoyo y las "
            "actuaciones de cooperación.",
        ),
        "area": (
            "Àrea",
            "Área",
            "Codi de l'àrea (office_areas.csv).",
            "Código del área (office_areas.csv).",
        ),
        "kind": ("Tipus de suport", "Tipo de apoyo"),
        **_texts_translations("title", "Títol", "Título"),
        **_texts_translations("description", "Descripció", "Descripción"),
        **_texts_translations("eligible", "Qui ho pot demanar", "Quién puede pedirlo"),
        **_texts_translations("conditions", "Condicions", "Condiciones"),
        "lead_time_days": ("Termini habitual (dies)", "Plazo habitual (días)"),
        "active": (
            "Actiu",
            "Activo",
            "false: retirat, no s'hi pot presentar cap sol·licitud nova.",
            "false: retirado, no se puede presentar ninguna solicitud nueva.",
        ),
        "demo": (
            "Dades de demostració",
            "Datos de demostración",
            "true per al catàleg de demostració, no un servei real.",
            "true para el catálogo de demostración, no un servicio real.",
        ),
        "channel": (
            "Com demanar-ho",
            "Cómo pedirlo",
            "online: un càrrec de l'ens local presenta una sol·licitud a la pàgina del "
            "servei (url_*), després d'iniciar la sessió; un agent territorial en fa el "
            "seguiment.",
            "online: un cargo del ente local presenta una solicitud en la página del servicio "
            "(url_*), después de iniciar la sesión; un agente territorial hace el seguimiento.",
        ),
        **{
            f"url_{language}": (
                f"Pàgina del servei ({language})",
                f"Página del servicio ({language})",
                "On llegir sobre el servei i presentar-hi una sol·licitud.",
                "Dónde leer sobre el servicio y presentar una solicitud.",
            )
            for language in LANGUAGES
        },
    },
)
schema_translate(
    AREAS_SCHEMA,
    {
        "area": ("Codi de l'àrea", "Código del área"),
        **_texts_translations("label", "Àrea", "Área"),
        "services_active": ("Serveis actius", "Servicios activos"),
        "services_withdrawn": ("Serveis retirats", "Servicios retirados"),
    },
)


def _read(file_name: str, schema: dict[str, Any]) -> Table:
    return OFFICE_SERVICES.table_read(file_name, schema_header(schema))


def office_services_spec() -> DatasetSpec:
    return DatasetSpec(
        name="office-services",
        title=text(
            "Oficina d'atenció als municipis: catàleg de serveis",
            "Oficina de atención a los municipios: catálogo de servicios",
            "Office for attention to municipalities: service catalogue",
        ),
        description=text(
            "Els serveis de suport tècnic i econòmic que la Diputació ofereix als ens locals "
            "a través de l'Oficina d'atenció als municipis, per àmbit: què és cada servei, qui "
            "el pot demanar, amb quines condicions, el termini habitual i on demanar-lo, en "
            "català, castellà i anglès. El mateix catàleg que el web.",
            "Los servicios de apoyo técnico y económico que la Diputación ofrece a los entes "
            "locales a través de la Oficina de atención a los municipios, por ámbito: qué es "
            "cada servicio, quién puede pedirlo, con qué condiciones, el plazo habitual y dónde "
            "pedirlo, en catalán, castellano e inglés. El mismo catálogo que la web.",
            "The technical and economic support services the Diputació offers local entities "
            "through the Office for attention to municipalities, per area: what each service "
            "is, who may ask for it, on what conditions, the usual lead time and where to ask, "
            "in Catalan, Spanish and English. The same catalogue as the website.",
        ),
        keywords={
            "ca": ("oficina d'atenció als municipis", "catàleg de serveis", "suport tècnic"),
            "es": (
                "oficina de atención a los municipios",
                "catálogo de servicios",
                "apoyo técnico",
            ),
            "en": ("office for municipalities", "service catalogue", "technical support"),
        },
        licence=CC_BY_4_0,
        sources=(SOURCE_CONCERTEM,),
        temporal=("2025-01-01", "2030-12-31"),
        frequency="IRREG",
        themes=("GOVE", "REGI"),
        resources=(
            ResourceSpec(
                name="office_services",
                path=f"data/{SERVICES_CSV}",
                title=text("Serveis", "Servicios", "Services"),
                description=text(
                    "Un registre per servei, amb els textos en ca/es/en.",
                    "Un registro por servicio, con los textos en ca/es/en.",
                    "One row per service, texts in ca/es/en.",
                ),
                table=lambda: _read(SERVICES_CSV, SERVICES_SCHEMA),
                inputs=(OFFICE_SERVICES.path(SERVICES_CSV),),
                schema=SERVICES_SCHEMA,
            ),
            ResourceSpec(
                name="office_areas",
                path=f"data/{AREAS_CSV}",
                title=text("Àmbits", "Ámbitos", "Areas"),
                description=text(
                    "Els àmbits del catàleg, amb el nom en ca/es/en i quants serveis tenen.",
                    "Los ámbitos del catálogo, con el nombre en ca/es/en y cuántos servicios "
                    "tienen.",
                    "The catalogue's areas, named in ca/es/en, and how many services each has.",
                ),
                table=lambda: _read(AREAS_CSV, AREAS_SCHEMA),
                inputs=(OFFICE_SERVICES.path(AREAS_CSV),),
                schema=AREAS_SCHEMA,
            ),
        ),
    )
