"""Demo content of the office: the page in ca/es/en, a service catalogue, territorial
agents, officials, and requests in every state for real municipalities.

Everything is marked as demo (``is_demo``, "(demo)" in names). Idempotent: services and
agents are upserted by code and username, requests are created once (keyed by entity and
subject). Requests are filed and handled through ``office.services`` with back-dated
times, so the audit trail, the metrics and the cooperation actions are the real thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from common.pages import page_translations_ensure
from office import services
from office.models import Area, OfficePage, Service, SupportKind, SupportRequest, TerritorialAgent

# Published demo logins (written to var/demo-logins.txt), not secrets.
AGENT_PASSWORD = "concertem-agent"  # noqa: S105
OFFICIAL_PASSWORD = "concertem-official"  # noqa: S105

PAGE = {
    "ca": {
        "title": "Oficina d'atenció als municipis",
        "slug": "oficina-municipis",
        "intro": "Una finestreta única perquè els governs locals demanin el suport tècnic i "
        "econòmic de la Diputació, i en segueixin cada pas amb el seu agent territorial.",
        "how_it_works": "Cerca al catàleg el servei que necessites o descriu una necessitat "
        "que no hi sigui.\n\nCada sol·licitud rep un número de referència i va a "
        "l'agent territorial de la teva comarca, que et respon aquí mateix.\n\n"
        "Si acaba en una subvenció o un servei, apareix a l'estat d'execució de "
        "les actuacions del teu ens.",
    },
    "es": {
        "title": "Oficina de atención a los municipios",
        "slug": "oficina-municipios",
        "intro": "Una ventanilla única para que los gobiernos locales pidan el apoyo técnico y "
        "económico de la Diputación, y sigan cada paso con su agente territorial.",
        "how_it_works": "Busca en el catálogo el servicio que necesitas o describe una necesidad "
        "que no esté.\n\nCada solicitud recibe un número de referencia y va al "
        "agente territorial de tu comarca, que te responde aquí mismo.\n\nSi "
        "acaba en una subvención o un servicio, aparece en el estado de ejecución "
        "de las actuaciones de tu ente.",
    },
    "en": {
        "title": "Office for municipalities",
        "slug": "office-for-municipalities",
        "intro": "A single front desk where local governments ask for the Provincial Council's "
        "technical and economic support, and follow every step with their "
        "territorial agent.",
        "how_it_works": "Search the catalogue for the service you need, or describe a need "
        "that is not in it.\n\nEach request gets a reference number and goes to "
        "the territorial agent of your comarca, who answers you right here.\n\n"
        "If it becomes a grant or a service, it shows among your entity's "
        "cooperation actions.",
    },
}


def _t(ca: str, es: str, en: str) -> dict[str, str]:
    return {"ca": ca, "es": es, "en": en}


ANY_MUNICIPALITY = _t(
    "Ajuntaments de la província de Barcelona.",
    "Ayuntamientos de la provincia de Barcelona.",
    "Town councils of the province of Barcelona.",
)
SMALL_MUNICIPALITY = _t(
    "Ajuntaments de menys de 20.000 habitants i entitats municipals descentralitzades.",
    "Ayuntamientos de menos de 20.000 habitantes y entidades municipales descentralizadas.",
    "Town councils under 20,000 inhabitants and decentralised municipal entities.",
)


@dataclass(frozen=True)
class DemoService:
    code: str
    area: str
    kind: str
    lead_time_days: int
    title: dict[str, str]
    description: dict[str, str]
    eligible: dict[str, str]
    conditions: dict[str, str] | None = None
    active: bool = True


T, E = SupportKind.TECHNICAL, SupportKind.ECONOMIC
SERVICES: tuple[DemoService, ...] = (
    DemoService(
        "URB-01",
        Area.URBANISM,
        T,
        60,
        _t(
            "Redacció del pla local d'habitatge",
            "Redacción del plan local de vivienda",
            "Drafting the local housing plan",
        ),
        _t(
            "Diagnosi del parc d'habitatges, necessitats i propostes d'actuació per als propers "
            "sis anys, amb participació ciutadana.",
            "Diagnóstico del parque de viviendas, necesidades y propuestas de actuación para los "
            "próximos seis años, con participación ciudadana.",
            "Assessment of the housing stock, needs and proposed actions for the next six years, "
            "with public participation.",
        ),
        ANY_MUNICIPALITY,
        _t(
            "Cal un acord de ple que sol·liciti el servei.",
            "Se requiere un acuerdo de pleno que solicite el servicio.",
            "A council resolution requesting the service is required.",
        ),
    ),
    DemoService(
        "URB-02",
        Area.URBANISM,
        T,
        30,
        _t(
            "Informe tècnic sobre edificis en mal estat",
            "Informe técnico sobre edificios en mal estado",
            "Technical report on buildings in poor condition",
        ),
        _t(
            "Inspecció i informe d'un arquitecte sobre la seguretat d'un edifici i les mesures "
            "urgents que cal prendre.",
            "Inspección e informe de un arquitecto sobre la seguridad de un edificio y las "
            "medidas urgentes a tomar.",
            "An architect inspects a building and reports on its safety and the urgent measures "
            "to take.",
        ),
        SMALL_MUNICIPALITY,
    ),
    DemoService(
        "ENE-01",
        Area.ENVIRONMENT,
        T,
        45,
        _t(
            "Auditoria energètica d'equipaments municipals",
            "Auditoría energética de equipamientos municipales",
            "Energy audit of municipal facilities",
        ),
        _t(
            "Mesura dels consums d'un equipament, propostes d'estalvi i estimació de la inversió "
            "i del retorn.",
            "Medición de los consumos de un equipamiento, propuestas de ahorro y estimación de la "
            "inversión y el retorno.",
            "Measuring a facility's consumption, proposing savings and estimating the investment "
            "and its payback.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "ENE-02",
        Area.ENVIRONMENT,
        E,
        90,
        _t(
            "Subvenció per a instal·lacions fotovoltaiques",
            "Subvención para instalaciones fotovoltaicas",
            "Grant for solar panel installations",
        ),
        _t(
            "Ajut per instal·lar plaques fotovoltaiques en cobertes d'equipaments municipals.",
            "Ayuda para instalar placas fotovoltaicas en cubiertas de equipamientos municipales.",
            "Support to install solar panels on the roofs of municipal facilities.",
        ),
        ANY_MUNICIPALITY,
        _t(
            "Fins al 60% de la inversió; cal el projecte tècnic.",
            "Hasta el 60% de la inversión; se requiere el proyecto técnico.",
            "Up to 60% of the investment; the technical project is required.",
        ),
    ),
    DemoService(
        "JUR-01",
        Area.LEGAL,
        T,
        15,
        _t(
            "Assistència en contractació pública",
            "Asistencia en contratación pública",
            "Public procurement assistance",
        ),
        _t(
            "Revisió de plecs, suport a la mesa de contractació i resolució de dubtes sobre la "
            "Llei de contractes del sector públic.",
            "Revisión de pliegos, apoyo a la mesa de contratación y resolución de dudas sobre la "
            "Ley de contratos del sector público.",
            "Reviewing tender documents, supporting the award committee and answering questions "
            "on the Public Sector Contracts Act.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "JUR-02",
        Area.LEGAL,
        T,
        20,
        _t("Informe jurídic", "Informe jurídico", "Legal opinion"),
        _t(
            "Informe sobre una qüestió jurídica concreta de l'ens local (personal, patrimoni, "
            "responsabilitat, procediment).",
            "Informe sobre una cuestión jurídica concreta del ente local (personal, patrimonio, "
            "responsabilidad, procedimiento).",
            "An opinion on a specific legal question of the local entity (staff, property, "
            "liability, procedure).",
        ),
        SMALL_MUNICIPALITY,
    ),
    DemoService(
        "DIG-01",
        Area.DIGITAL,
        T,
        30,
        _t(
            "Implantació de l'administració electrònica",
            "Implantación de la administración electrónica",
            "Setting up e-government",
        ),
        _t(
            "Seu electrònica, registre, gestor d'expedients i signatura electrònica, amb "
            "formació del personal.",
            "Sede electrónica, registro, gestor de expedientes y firma electrónica, con formación "
            "del personal.",
            "Online office, registry, case management and e-signature, with staff training.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "DIG-02",
        Area.DIGITAL,
        T,
        10,
        _t(
            "Ciberseguretat: revisió i pla de resposta",
            "Ciberseguridad: revisión y plan de respuesta",
            "Cybersecurity review and response plan",
        ),
        _t(
            "Revisió de la seguretat dels sistemes municipals i pla de resposta a incidents.",
            "Revisión de la seguridad de los sistemas municipales y plan de respuesta a "
            "incidentes.",
            "A review of the municipal systems' security and an incident response plan.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "DIG-03",
        Area.DIGITAL,
        E,
        30,
        _t(
            "Cessió d'ordinadors portàtils",
            "Cesión de ordenadores portátiles",
            "Loan of laptop computers",
        ),
        _t(
            "Programa de cessió d'equips informàtics, substituït pel programa de digitalització.",
            "Programa de cesión de equipos informáticos, sustituido por el programa de "
            "digitalización.",
            "A computer loan programme, replaced by the digitalisation programme.",
        ),
        SMALL_MUNICIPALITY,
        active=False,
    ),
    DemoService(
        "FIN-01",
        Area.FINANCE,
        T,
        20,
        _t(
            "Suport en la gestió tributària",
            "Apoyo en la gestión tributaria",
            "Local tax management support",
        ),
        _t(
            "Revisió d'ordenances fiscals, padrons i estudis de costos de taxes.",
            "Revisión de ordenanzas fiscales, padrones y estudios de costes de tasas.",
            "Reviewing tax by-laws, registers and cost studies for local fees.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "SOC-01",
        Area.SOCIAL,
        T,
        30,
        _t("Pla local d'igualtat", "Plan local de igualdad", "Local equality plan"),
        _t(
            "Diagnosi i pla d'igualtat de gènere del municipi i de l'organització municipal.",
            "Diagnóstico y plan de igualdad de género del municipio y de la organización "
            "municipal.",
            "A gender equality assessment and plan for the town and the town hall.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "CUL-01",
        Area.CULTURE,
        E,
        60,
        _t(
            "Programació cultural estable",
            "Programación cultural estable",
            "Stable cultural programme",
        ),
        _t(
            "Ajut econòmic a la programació estable d'arts escèniques i música.",
            "Ayuda económica a la programación estable de artes escénicas y música.",
            "Funding for a stable programme of performing arts and music.",
        ),
        ANY_MUNICIPALITY,
        _t(
            "Cal un equipament escènic municipal.",
            "Se requiere un equipamiento escénico municipal.",
            "A municipal performance venue is required.",
        ),
    ),
    DemoService(
        "ESP-01",
        Area.SPORTS,
        T,
        45,
        _t(
            "Pla director d'equipaments esportius",
            "Plan director de equipamientos deportivos",
            "Sports facilities master plan",
        ),
        _t(
            "Inventari, diagnosi i prioritats d'inversió dels equipaments esportius.",
            "Inventario, diagnóstico y prioridades de inversión de los equipamientos deportivos.",
            "Inventory, assessment and investment priorities for sports facilities.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "ECO-01",
        Area.ECONOMY,
        E,
        60,
        _t(
            "Dinamització del comerç local",
            "Dinamización del comercio local",
            "Promoting local shops",
        ),
        _t(
            "Ajut a campanyes i plans de dinamització comercial.",
            "Ayuda a campañas y planes de dinamización comercial.",
            "Support for campaigns and plans to promote local commerce.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "MOB-01",
        Area.MOBILITY,
        T,
        60,
        _t(
            "Pla de mobilitat urbana sostenible",
            "Plan de movilidad urbana sostenible",
            "Sustainable urban mobility plan",
        ),
        _t(
            "Estudi de la mobilitat i propostes per a vianants, bicicleta, transport públic i "
            "aparcament.",
            "Estudio de la movilidad y propuestas para peatones, bicicleta, transporte público y "
            "aparcamiento.",
            "A mobility study with proposals for walking, cycling, public transport and parking.",
        ),
        ANY_MUNICIPALITY,
    ),
    DemoService(
        "SEG-01",
        Area.SAFETY,
        T,
        30,
        _t(
            "Pla d'actuació municipal per incendis forestals",
            "Plan de actuación municipal por incendios forestales",
            "Municipal wildfire action plan",
        ),
        _t(
            "Redacció o revisió del pla de protecció civil per a incendis forestals.",
            "Redacción o revisión del plan de protección civil para incendios forestales.",
            "Drafting or revising the civil protection plan for wildfires.",
        ),
        SMALL_MUNICIPALITY,
    ),
)

AGENTS = (
    # username, first name, last name, comarques, entity codes
    ("agent.centre", "Marta", "Soler (demo)", "Osona, Moianès, Bages, Berguedà", ""),
    ("agent.valles", "Pere", "Casals (demo)", "Vallès Occidental, Vallès Oriental", ""),
    (
        "agent.costa",
        "Laia",
        "Ferrer (demo)",
        "Maresme, Barcelonès, Baix Llobregat, Garraf, Alt Penedès",
        "",
    ),
)
OFFICIALS = (
    # username, first name, last name, entity, role, position
    ("alcaldessa.vic", "Anna", "Serra (demo)", "08298", "mayor", "Alcaldessa"),
    ("regidor.terrassa", "Jordi", "Puig (demo)", "08279", "councillor", "Regidor d'Hisenda"),
    ("tecnica.manresa", "Carme", "Roca (demo)", "08113", "technician", "Tècnica d'urbanisme"),
    ("tecnic.mataro", "Xavier", "Mas (demo)", "08121", "technician", "Tècnic d'organització"),
    ("regidora.vilanova", "Montse", "Vidal (demo)", "08307", "councillor", "Regidora de Cultura"),
    ("tecnica.igualada", "Núria", "Font (demo)", "08102", "technician", "Secretària"),
)


@dataclass(frozen=True)
class DemoRequest:
    official: str
    service: str | None
    area: str
    subject: str
    description: str
    days_ago: int
    # (days after filing, step, text): step is "message", "entity", or a state.
    steps: tuple[tuple[float, str, str], ...] = ()
    outcome: str = "none"
    amount: str = ""


REQUESTS: tuple[DemoRequest, ...] = (
    DemoRequest(
        "alcaldessa.vic",
        "ENE-01",
        Area.ENVIRONMENT,
        "Auditoria energètica del pavelló municipal",
        "El pavelló consumeix el doble que fa cinc anys. Necessitem saber on és la pèrdua i "
        "quina inversió prioritzar abans del pressupost de l'any vinent.",
        44,
        (
            (
                1.5,
                "message",
                "Hola, Anna. Ens podeu enviar les factures elèctriques dels darrers dos anys?",
            ),
            (2.0, "in_progress", ""),
            (3.0, "entity", "Adjuntem les factures de 2023 i 2024."),
            (
                28.0,
                "resolved",
                "Auditoria lliurada: la coberta i la climatització concentren el "
                "70% de la pèrdua. L'equip de la Diputació farà el servei.",
            ),
        ),
        outcome="service",
        amount="6500",
    ),
    DemoRequest(
        "regidora.vilanova",
        "CUL-01",
        Area.CULTURE,
        "Programació estable del Teatre Principal 2026",
        "Volem mantenir la programació estable de teatre i música del Teatre Principal.",
        62,
        (
            (4.0, "in_progress", "Revisem la documentació."),
            (32.0, "resolved", "S'atorga l'ajut per a la programació estable de 2026."),
        ),
        outcome="grant",
        amount="15000",
    ),
    DemoRequest(
        "regidor.terrassa",
        "JUR-01",
        Area.LEGAL,
        "Revisió dels plecs del contracte de neteja viària",
        "Necessitem una revisió dels plecs abans de publicar la licitació el mes que ve.",
        12,
        ((0.8, "message", "Rebut. Hi treballem aquesta setmana."), (1.0, "in_progress", "")),
    ),
    DemoRequest(
        "tecnica.manresa",
        None,
        Area.URBANISM,
        "Edifici del carrer del Born amb esquerdes",
        "Un edifici de propietat privada presenta esquerdes a la façana. Volem saber si cal "
        "ordenar-ne el desallotjament.",
        21,
        (
            (2.5, "in_progress", ""),
            (3.0, "waiting", "Cal que ens envieu les fotografies i la nota simple del registre."),
        ),
    ),
    DemoRequest(
        "tecnic.mataro",
        "DIG-01",
        Area.DIGITAL,
        "Gestor d'expedients per a l'àrea de serveis socials",
        "Volem estendre el gestor d'expedients electrònic a serveis socials.",
        2,
    ),
    DemoRequest(
        "alcaldessa.vic",
        None,
        Area.SPORTS,
        "Gespa artificial del camp de futbol",
        "Demanem suport per substituir la gespa artificial del camp municipal.",
        31,
        (
            (
                6.0,
                "declined",
                "Aquesta inversió no entra al catàleg de serveis: es pot presentar "
                "al Programa general d'inversions de l'any vinent.",
            ),
        ),
    ),
    DemoRequest(
        "regidor.terrassa",
        "MOB-01",
        Area.MOBILITY,
        "Dubtes sobre la zona de baixes emissions",
        "Volem saber quins estudis previs calen per a la zona de baixes emissions.",
        26,
        (
            (3.0, "message", "Us enviem la guia i els requisits mínims de l'estudi."),
            (10.0, "resolved", "Resolt amb l'assessorament i la guia metodològica."),
        ),
    ),
    DemoRequest(
        "tecnica.igualada",
        "JUR-02",
        Area.LEGAL,
        "Informe sobre la cessió d'un local municipal",
        "Una entitat veïnal ens demana la cessió d'un local. Quin procediment cal seguir?",
        4,
    ),
)


def demo_users_ensure() -> dict[str, object]:
    from debates.officials import official_register

    user_model = get_user_model()
    users = {}
    for username, first, last, code, role, position in OFFICIALS:
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = user.email or f"{username}@example.org"
        user.set_password(OFFICIAL_PASSWORD)
        user.save()
        official_register(user=user, entity_code=code, role=role, position=position, verified=True)
        users[username] = user
    for username, first, last, comarques, codes in AGENTS:
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@example.org"
        user.set_password(AGENT_PASSWORD)
        user.save()
        TerritorialAgent.objects.update_or_create(
            user=user,
            defaults={
                "comarques": comarques,
                "entity_codes": codes,
                "active": True,
                "is_demo": True,
            },
        )
        users[username] = user
    return users


def services_ensure() -> dict[str, Service]:
    result = {}
    for spec in SERVICES:
        fields = {
            "area": spec.area,
            "kind": spec.kind,
            "lead_time_days": spec.lead_time_days,
            "active": spec.active,
            "is_demo": True,
        }
        for name in ("title", "description", "eligible", "conditions"):
            texts = getattr(spec, name) or {"ca": "", "es": "", "en": ""}
            fields[name] = texts["ca"]
            fields[f"{name}_es"] = texts["es"]
            fields[f"{name}_en"] = texts["en"]
        result[spec.code], _created = Service.objects.update_or_create(
            code=spec.code, defaults=fields
        )
    return result


def office_pages_ensure(homes: dict[str, Page]) -> dict[str, Page]:
    return page_translations_ensure(parents=homes, model=OfficePage, content=PAGE)


def _demo_pdf(title: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n% DEMO document, not a real one\n1 0 obj << /Type /Catalog >> endobj\n"
        + title.encode("ascii", "replace")
        + b"\n%%EOF\n"
    )
    return SimpleUploadedFile("documentacio-demo.pdf", body, content_type="application/pdf")


def requests_ensure(users: dict[str, object]) -> int:
    """File and handle the demo requests (once each); returns how many were created."""
    created = 0
    now = timezone.now()
    for spec in REQUESTS:
        official = users[spec.official]
        entity = official.official.entity_code
        if SupportRequest.objects.filter(
            is_demo=True, entity_code=entity, subject=spec.subject
        ).exists():
            continue
        filed_at = now - timedelta(days=spec.days_ago)
        service = Service.objects.filter(code=spec.service).first() if spec.service else None
        request = services.request_file(
            user=official,
            service=service,
            area=spec.area,
            subject=spec.subject,
            description=spec.description,
            files=[_demo_pdf(spec.subject)],
            now=filed_at,
            is_demo=True,
        )
        agent_user = request.agent.user if request.agent else None
        for offset, step, text in spec.steps:
            at = filed_at + timedelta(days=offset)
            if step == "message":
                services.message_post(user=agent_user, request=request, text=text, now=at)
            elif step == "entity":
                services.message_post(user=official, request=request, text=text, now=at)
            elif step == "resolved":
                services.request_resolve(
                    user=agent_user,
                    request=request,
                    resolution=text,
                    outcome=spec.outcome,
                    amount=spec.amount,
                    now=at,
                )
            elif step == "declined":
                services.request_decline(user=agent_user, request=request, reason=text, now=at)
            else:
                services.request_transition(
                    user=agent_user, request=request, to_state=step, note=text, now=at
                )
            request.refresh_from_db()
        created += 1
    return created


def demo_logins_append(path: Path | None = None) -> Path:
    """Add the office's logins to var/demo-logins.txt, each line once."""
    from debates import territory

    path = path or Path(settings.VAR_DIR) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    lines = [
        f"Office territorial agent ({comarques}): {username} / {AGENT_PASSWORD}"
        for username, _first, _last, comarques, _codes in AGENTS
    ]
    lines += [
        f"Official ({territory.entity_name(code)}, {role}): {username} / {OFFICIAL_PASSWORD}"
        for username, _first, _last, code, role, _position in OFFICIALS
    ]
    missing = [line for line in lines if line not in existing]
    if missing:
        with path.open("a", encoding="utf-8") as handle:
            if existing and not path.read_text(encoding="utf-8").endswith("\n"):
                handle.write("\n")
            handle.write("\n".join(missing) + "\n")
    return path


def demo_office_load(homes: dict[str, Page]) -> dict[str, Page]:
    with transaction.atomic(), services.notifications_muted():
        pages = office_pages_ensure(homes)
        services_ensure()
        users = demo_users_ensure()
        requests_ensure(users)
    from office.export import metrics_export

    metrics_export()
    return pages
