"""Demo debate space: the 2027 revision of the allocation formula, in ca/es/en.

Idempotent: pages are found by slug and refreshed, officials by user name, and the
comment threads are created only for a debate that has none. Comments are written
directly (not through `commenting.comment_post`) because they carry past dates, the closed
debate's comments predate its closing, and the rate limit would stop a bulk load.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_comments.models import CommentFlag
from django_comments_xtd.models import LIKEDIT_FLAG, XtdComment

from debates.commenting import comment_create, comment_row_build
from debates.markup import comment_html_render
from debates.models import CommentDetail, DebateIndexPage, DebatePage, Official
from debates.territory import entity_name

OFFICIAL_PASSWORD = "concertem-official"  # noqa: S105 - demo accounts, printed on purpose
SPACE_SLUG = "revisio-formula-2027"
INVITED = ["08279", "08298", "08113", "08055", "08096", "08121", "08048", "08307"]
SHOWN_ENTITIES = "08279, 08298, 08113, 08055"

OFFICIALS = [
    # username, first, last, entity, role, position, verified
    ("alcaldessa.vic", "Montserrat", "Arderiu Sala", "08298", "mayor", "Alcaldessa de Vic", True),
    (
        "regidor.terrassa",
        "Jordi",
        "Vilaseca Font",
        "08279",
        "councillor",
        "Regidor d'Hisenda",
        True,
    ),
    (
        "tecnica.manresa",
        "Laia",
        "Comas Prat",
        "08113",
        "technician",
        "Tècnica de Planificació",
        True,
    ),
    ("alcalde.castellcir", "Pere", "Soler Casals", "08055", "mayor", "Alcalde de Castellcir", True),
    (
        "regidora.granollers",
        "Marta",
        "Ribas Oller",
        "08096",
        "councillor",
        "Regidora de Territori",
        False,
    ),
]

SPACE = {
    "ca": {
        "title": "Revisió de la fórmula de repartiment 2027",
        "slug": SPACE_SLUG,
        "intro": (
            "Espai de reflexió amb els governs locals per revisar, abans d'aprovar-la, la "
            "fórmula amb què la Diputació repartirà el Pla d'Inversions 2028-2031: quin pes "
            "han de tenir la població, la renda i l'atur, i quin mínim ha de rebre cada municipi."
        ),
        "participants": (
            "<p>Alcaldes, regidors i personal tècnic dels municipis convidats, verificats per "
            "la Diputació. Qualsevol persona pot llegir els debats.</p>"
        ),
        "calendar": [
            ("2026-11-03", "Obertura de l'espai", "Presentació de l'esborrany de fórmula."),
            ("2027-02-28", "Resposta de la Diputació", "Fórmula definitiva al Ple."),
        ],
    },
    "es": {
        "title": "Revisión de la fórmula de reparto 2027",
        "slug": SPACE_SLUG,
        "intro": (
            "Espacio de reflexión con los gobiernos locales para revisar, antes de aprobarla, "
            "la fórmula con la que la Diputació repartirá el Plan de Inversiones 2028-2031: "
            "qué peso deben tener la población, la renta y el paro, y qué mínimo debe recibir "
            "cada municipio."
        ),
        "participants": (
            "<p>Alcaldes, concejales y personal técnico de los municipios invitados, verificados "
            "por la Diputació. Cualquier persona puede leer los debates.</p>"
        ),
        "calendar": [
            ("2026-11-03", "Apertura del espacio", "Presentación del borrador de fórmula."),
            ("2027-02-28", "Respuesta de la Diputació", "Fórmula definitiva en el Pleno."),
        ],
    },
    "en": {
        "title": "Review of the 2027 allocation formula",
        "slug": "formula-review-2027",
        "intro": (
            "A space of reflection with the local governments to review, before it is adopted, "
            "the formula the Provincial Council will use to share out the 2028-2031 Investment "
            "Plan: how much weight population, income and unemployment should carry, and what "
            "minimum every municipality should receive."
        ),
        "participants": (
            "<p>Mayors, councillors and technical staff of the invited municipalities, verified "
            "by the Provincial Council. Anyone may read the debates.</p>"
        ),
        "calendar": [
            ("2026-11-03", "The space opens", "The draft formula is presented."),
            ("2027-02-28", "The Provincial Council answers", "Final formula to the Plenary."),
        ],
    },
}

DEBATES = [
    {
        "key": "open",
        "slug": {
            "ca": "pes-de-la-poblacio",
            "es": "peso-de-la-poblacion",
            "en": "weight-of-population",
        },
        "title": {
            "ca": "Quin pes ha de tenir la població?",
            "es": "¿Qué peso debe tener la población?",
            "en": "How much should population weigh?",
        },
        "question": {
            "ca": "Cal mantenir en el 52% el pes de la població en el repartiment, o donar més "
            "pes a la renda i l'atur?",
            "es": "¿Hay que mantener en el 52% el peso de la población en el reparto, o dar más "
            "peso a la renta y el paro?",
            "en": "Should population keep its 52% weight in the allocation, or should income and "
            "unemployment weigh more?",
        },
        "summary": {
            "ca": "L'esborrany manté el 52% per població i el 48% per criteris socioeconòmics. "
            "Aquí teniu les dades dels municipis que hi participen.",
            "es": "El borrador mantiene el 52% por población y el 48% por criterios "
            "socioeconómicos. Aquí tenéis los datos de los municipios que participan.",
            "en": "The draft keeps 52% by population and 48% by socio-economic criteria. Here are "
            "the data of the municipalities taking part.",
        },
        "opens": -12,
        "closes": 21,
        "closed": False,
    },
    {
        "key": "closed",
        "slug": {
            "ca": "minim-per-municipi",
            "es": "minimo-por-municipio",
            "en": "minimum-per-municipality",
        },
        "title": {
            "ca": "Un mínim fix per a cada municipi",
            "es": "Un mínimo fijo para cada municipio",
            "en": "A fixed minimum for every municipality",
        },
        "question": {
            "ca": "Els 100.000 € de mínim per municipi són suficients per als pobles petits?",
            "es": "¿Son suficientes los 100.000 € de mínimo por municipio para los pueblos "
            "pequeños?",
            "en": "Is the €100,000 minimum per municipality enough for small villages?",
        },
        "summary": {
            "ca": "Debat tancat. Llegiu-ne les conclusions i la resposta de la Diputació.",
            "es": "Debate cerrado. Leed sus conclusiones y la respuesta de la Diputació.",
            "en": "Closed debate. Read its conclusions and the Provincial Council's answer.",
        },
        "opens": -40,
        "closes": -14,
        "closed": True,
        "conclusions": {
            "ca": "<p>Els municipis de menys de 2.000 habitants demanen que el mínim cobreixi "
            "almenys una inversió de manteniment anual. Els municipis grans hi estan d'acord "
            "sempre que el mínim no superi el 15% del pressupost total.</p>",
            "es": "<p>Los municipios de menos de 2.000 habitantes piden que el mínimo cubra al "
            "menos una inversión de mantenimiento anual. Los grandes están de acuerdo siempre "
            "que el mínimo no supere el 15% del presupuesto total.</p>",
            "en": "<p>Municipalities under 2,000 inhabitants ask for a minimum that covers at "
            "least one yearly maintenance investment. The large ones agree as long as the "
            "minimum stays under 15% of the total budget.</p>",
        },
        "answer": {
            "ca": "<p>La Diputació eleva el mínim a 120.000 € per al Pla 2028-2031 i el "
            "revisarà cada dos anys amb l'IPC. El cost total del mínim (37,2 M€) queda per "
            "sota del 15% del pressupost.</p>",
            "es": "<p>La Diputació eleva el mínimo a 120.000 € para el Plan 2028-2031 y lo "
            "revisará cada dos años con el IPC. El coste total del mínimo (37,2 M€) queda por "
            "debajo del 15% del presupuesto.</p>",
            "en": "<p>The Provincial Council raises the minimum to €120,000 for the 2028-2031 "
            "Plan and will index it to inflation every two years. The minimum's total cost "
            "(€37.2M) stays under 15% of the budget.</p>",
        },
    },
    {
        "key": "upcoming",
        "slug": {
            "ca": "indicadors-de-necessitat",
            "es": "indicadores-de-necesidad",
            "en": "need-indicators",
        },
        "title": {
            "ca": "Quins indicadors de necessitat social?",
            "es": "¿Qué indicadores de necesidad social?",
            "en": "Which indicators of social need?",
        },
        "question": {
            "ca": "Quins indicadors han de mesurar la necessitat social a la fórmula: atur, "
            "renda, envelliment?",
            "es": "¿Qué indicadores deben medir la necesidad social en la fórmula: paro, renta, "
            "envejecimiento?",
            "en": "Which indicators should measure social need in the formula: unemployment, "
            "income, ageing?",
        },
        "summary": {
            "ca": "S'obrirà quan acabi el debat sobre el pes de la població.",
            "es": "Se abrirá cuando acabe el debate sobre el peso de la población.",
            "en": "Opens when the debate on the weight of population ends.",
        },
        "opens": 22,
        "closes": 50,
        "closed": False,
    },
]

CONTEXT_TEXT = {
    "ca": "<p>La fórmula actual reparteix un mínim per municipi i després el 52% per població. "
    "Les taules següents es calculen amb les dades obertes publicades al portal: podeu comprovar "
    "quant rep cada municipi i per quin criteri.</p>",
    "es": "<p>La fórmula actual reparte un mínimo por municipio y luego el 52% por población. "
    "Las tablas siguientes se calculan con los datos abiertos del portal: podéis comprobar "
    "cuánto recibe cada municipio y por qué criterio.</p>",
    "en": "<p>The current formula gives each municipality a minimum, then 52% by population. "
    "The tables below are computed from the open data published on the portal: check how much each "
    "municipality receives and through which criterion.</p>",
}
TABLE_TITLES = {
    "ca": ("Indicadors dels municipis participants", "Repartiment amb la fórmula vigent (model)"),
    "es": (
        "Indicadores de los municipios participantes",
        "Reparto con la fórmula vigente (modelo)",
    ),
    "en": (
        "Indicators of the municipalities taking part",
        "Allocation with the current formula (model)",
    ),
}

# Threads: (author username, text, days ago, replies...). Three levels deep.
OPEN_THREADS = [
    (
        "alcalde.castellcir",
        "Per a un poble de 700 habitants, el **52% per població** vol dir que gairebé tot el que "
        "rebem és el mínim. Demanem que la renda i l'envelliment hi pesin més.",
        9,
        [
            (
                "regidor.terrassa",
                "Entenc el problema, però Terrassa té 220.000 habitants i barris amb rendes "
                "molt baixes. Si baixem el pes de la població, els barris vulnerables de les "
                "ciutats també hi perden.",
                8,
                [
                    (
                        "tecnica.manresa",
                        "Una proposta tècnica: calcular la renda **per barri** (secció censal) "
                        "i no per municipi. L'INE ja publica l'Atles de renda per seccions.",
                        7,
                        [
                            (
                                "alcalde.castellcir",
                                "A Castellcir no tenim seccions: som una sola. Però si el "
                                "mínim puja, ho podem acceptar.",
                                6,
                                [],
                            )
                        ],
                    ),
                    (
                        "alcaldessa.vic",
                        "A Vic passa el mateix que diu Terrassa: la mitjana amaga les diferències.",
                        7,
                        [],
                    ),
                ],
            ),
            (
                "alcaldessa.vic",
                "D'acord que l'envelliment hi hauria de ser: és despesa real.",
                8,
                [],
            ),
        ],
    ),
    (
        "alcaldessa.vic",
        "Proposem un criteri nou de **població estacional** (segones residències, turisme): "
        "els serveis els paguem igual. Vegeu https://www.idescat.cat per a les dades.",
        5,
        [
            (
                "tecnica.manresa",
                "L'Idescat publica la població estacional equivalent (ETCA) per municipi, "
                "anualment.",
                4,
                [],
            )
        ],
    ),
    (
        "regidor.terrassa",
        "Demanem que la Diputació publiqui també les dades d'entrada de cada criteri, perquè "
        "puguem refer el càlcul.",
        2,
        [],
    ),
]
CLOSED_THREADS = [
    (
        "alcalde.castellcir",
        "Amb 100.000 € no arribem ni a arreglar un camí. Caldria almenys 150.000 €.",
        35,
        [
            (
                "regidor.terrassa",
                "Un mínim de 150.000 € són 46 M€: és molt pes fix. Podríem acceptar-ne 120.000.",
                33,
                [("alcalde.castellcir", "120.000 € i actualitzat amb l'IPC, d'acord.", 32, [])],
            )
        ],
    ),
    ("tecnica.manresa", "El mínim hauria d'indexar-se a l'IPC cada dos anys.", 30, []),
]


def _user_ensure(username: str, first: str, last: str) -> object:
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.first_name = first
    user.last_name = last
    user.email = f"{username}@example.org"
    user.set_password(OFFICIAL_PASSWORD)
    user.save()
    return user


def officials_ensure(editor=None) -> dict[str, Official]:
    officials = {}
    now = timezone.now()
    for username, first, last, code, role, position, verified in OFFICIALS:
        user = _user_ensure(username, first, last)
        official, _created = Official.objects.update_or_create(
            user=user,
            defaults={
                "entity_code": code,
                "role": role,
                "position": position,
                "verified": verified,
                "verified_at": now if verified else None,
                "verified_by": editor if verified else None,
                "invited_by": editor,
            },
        )
        officials[username] = official
    return officials


def _calendar(entries):
    return [
        {"type": "event", "value": {"date": date, "title": title, "description": text}}
        for date, title, text in entries
    ]


def space_ensure(homes) -> dict[str, DebateIndexPage]:
    catalan = DebateIndexPage.objects.child_of(homes["ca"]).filter(slug=SPACE_SLUG).first()
    if catalan is None:
        catalan = DebateIndexPage(
            title=SPACE["ca"]["title"], slug=SPACE_SLUG, intro=SPACE["ca"]["intro"]
        )
        homes["ca"].add_child(instance=catalan)
    pages = {"ca": catalan}
    for code in ("es", "en"):
        translation = catalan.get_translation_or_none(homes[code].locale)
        if translation is None:
            translation = catalan.copy_for_translation(homes[code].locale)
        pages[code] = translation.specific
    for code, page in pages.items():
        content = SPACE[code]
        page = DebateIndexPage.objects.get(pk=page.pk)
        page.title = content["title"]
        page.slug = content["slug"]
        page.intro = content["intro"]
        page.search_description = content["intro"][:250]
        page.participants = content["participants"]
        page.calendar = _calendar(content["calendar"])
        page.visibility = DebateIndexPage.Visibility.PUBLIC
        page.invited_entities = ", ".join(INVITED)
        page.show_in_menus = True
        page.save_revision().publish()
        pages[code] = page
    return pages


def _context(code: str) -> list[dict]:
    indicators, allocation = TABLE_TITLES[code]
    return [
        {"type": "paragraph", "value": CONTEXT_TEXT[code]},
        {
            "type": "indicator_table",
            "value": {
                "title": indicators,
                "variables": ["population", "net_income_per_person", "unemployment_rate"],
                "year": None,
                "entity_codes": SHOWN_ENTITIES,
                "note": "",
            },
        },
        {
            "type": "allocation_table",
            "value": {
                "title": allocation,
                "formula": "pgi-2024-2027",
                "entity_codes": SHOWN_ENTITIES,
                "show_criteria": True,
            },
        },
    ]


def debates_ensure(spaces: dict[str, DebateIndexPage]) -> dict[str, DebatePage]:
    now = timezone.now()
    result = {}
    for spec in DEBATES:
        space = DebateIndexPage.objects.get(pk=spaces["ca"].pk)
        catalan = DebatePage.objects.child_of(space).filter(slug=spec["slug"]["ca"]).first()
        if catalan is None:
            catalan = DebatePage(
                title=spec["title"]["ca"], slug=spec["slug"]["ca"], question=spec["question"]["ca"]
            )
            space.add_child(instance=catalan)
        pages = {"ca": catalan}
        for code in ("es", "en"):
            translation = catalan.get_translation_or_none(spaces[code].locale)
            if translation is None:
                translation = catalan.copy_for_translation(spaces[code].locale)
            pages[code] = translation
        for code, page in pages.items():
            page = DebatePage.objects.get(pk=page.pk)
            page.title = spec["title"][code]
            page.slug = spec["slug"][code]
            page.question = spec["question"][code]
            page.summary = spec["summary"][code]
            page.search_description = spec["question"][code][:250]
            page.context = (
                _context(code)
                if spec["key"] == "open"
                else [{"type": "paragraph", "value": CONTEXT_TEXT[code]}]
            )
            page.opens_at = now + timedelta(days=spec["opens"])
            page.closes_at = now + timedelta(days=spec["closes"])
            page.closed_manually = spec["closed"]
            page.closed_at = page.closes_at if spec["closed"] else None
            page.conclusions = spec.get("conclusions", {}).get(code, "")
            page.answer = spec.get("answer", {}).get(code, "")
            page.save_revision().publish()
            if code == "ca":
                result[spec["key"]] = page
    return result


def threads_ensure(debate: DebatePage, threads, officials) -> int:
    content_type = ContentType.objects.get_for_model(DebatePage)
    if XtdComment.objects.filter(content_type=content_type, object_pk=str(debate.pk)).exists():
        return 0
    now = timezone.now()
    created = []

    def add(items, parent=None):
        for offset, (username, text, days, replies) in enumerate(items):
            when = now - timedelta(days=days, hours=offset * 3)
            comment = comment_create(
                debate=debate,
                official=officials[username],
                text=text,
                parent=parent,
                submitted_at=when,
                followup=True,
            )
            created.append(comment)
            add(replies, parent=comment)

    add(threads)
    # A little agreement, so the reactions show.
    voters = [o.user for o in officials.values() if o.verified]
    for index, comment in enumerate(created):
        for voter in voters[: (index % 3) + 1]:
            if voter.pk != comment.user_id:
                CommentFlag.objects.get_or_create(comment=comment, user=voter, flag=LIKEDIT_FLAG)
    return len(created)


def demo_logins_write(path: Path | None = None) -> Path:
    path = path or Path(settings.VAR_DIR) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for username, _first, _last, code, role, _position, verified in OFFICIALS:
        state = "" if verified else ", not yet verified"
        lines.append(
            f"Official ({entity_name(code)}, {role}{state}): {username} / {OFFICIAL_PASSWORD}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@transaction.atomic
def demo_debates_load(homes=None) -> dict[str, DebatePage]:
    # The home pages come from the site (DEBATES_DEMO_SITE_LOADER), which the debates may
    # not import (site -> debates).
    homes = homes or import_string(settings.DEBATES_DEMO_SITE_LOADER)()
    editor = get_user_model().objects.filter(username=settings.DEBATES_DEMO_EDITOR).first()
    officials = officials_ensure(editor)
    spaces = space_ensure(homes)
    debates = debates_ensure(spaces)
    threads_ensure(debates["open"], OPEN_THREADS, officials)
    threads_ensure(debates["closed"], CLOSED_THREADS, officials)
    return debates


def comments_bulk_create(*, debate: DebatePage, officials: list, count: int) -> int:
    """`count` comments in deep threads (each root: 4 replies, 2 each, 1 each: 21 a thread),
    written without xtd's per-comment thread queries. For load tests and the benchmark."""
    now = timezone.now()
    made = 0
    shape = (4, 2, 1)  # children per comment at levels 0, 1, 2

    def build(level: int, parents: list[XtdComment]) -> list[XtdComment]:
        nonlocal made
        rows = []
        for parent in parents or [None] * max(1, -(-count // 21)):
            for _child in range(shape[level - 1] if parent else 1):
                if made >= count:
                    break
                official = officials[made % len(officials)]
                row = comment_row_build(
                    debate=debate,
                    user=official.user,
                    text=f"Comment {made}: **bold** and a [link](https://example.org).",
                    submitted_at=now - timedelta(minutes=count - made),
                    parent_id=parent.pk if parent else 0,
                )
                row.thread_id = parent.thread_id if parent else 0
                row.level = level
                rows.append(row)
                made += 1
        for row in rows:
            # Model.save, not XtdComment.save: the thread fields are set here already,
            # and xtd's own computation costs several queries per comment.
            models.Model.save(row)
            if level == 0:
                row.parent_id = row.thread_id = row.pk
        if level == 0:
            XtdComment.objects.bulk_update(rows, ["parent_id", "thread_id"])
        return rows

    levels = [build(0, [])]
    for level in (1, 2, 3):
        if made >= count:
            break
        levels.append(build(level, levels[-1]))
    everything = [row for rows in levels for row in rows]
    children: dict[int, list[XtdComment]] = {}
    for row in everything:
        if row.parent_id != row.pk:
            children.setdefault(row.parent_id, []).append(row)
    # xtd's `order`: depth-first position inside the thread, which is how threads are read.
    for root in levels[0]:
        position = 0
        stack = [root]
        while stack:
            row = stack.pop()
            position += 1
            row.order = position
            stack.extend(reversed(children.get(row.pk, [])))
    XtdComment.objects.bulk_update(everything, ["order"])
    CommentDetail.objects.bulk_create(
        [
            CommentDetail(
                comment=row,
                debate=debate,
                entity_code=officials[index % len(officials)].entity_code,
                role=officials[index % len(officials)].role,
                html=comment_html_render(row.comment),
            )
            for index, row in enumerate(everything)
        ]
    )
    return made
