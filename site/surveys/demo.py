"""Demo survey: two editions (last year closed, this year open) with GENERATED answers.

Every generated response has ``is_demo=True``; results pages and exports say so. One
municipality gets fewer answers than the threshold, to show suppression at work.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from surveys.models import SurveyAnswer, SurveyPage, SurveyQuestion, SurveyResponse

SERIES = "municipal-services"
# Municipality -> (answers this year, answers last year, mean satisfaction tendency 0–10).
DEMO_ANSWERS = {
    "08187": (42, 30, 7.2),  # Sabadell
    "08279": (35, 26, 6.4),  # Terrassa
    "08121": (24, 18, 7.8),  # Mataró
    "08113": (15, 0, 5.9),  # Manresa
    "08016": (6, 0, 6.5),  # Bagà: below the threshold, suppressed
}

PAGE = {
    "ca": {
        "title": "Enquesta de satisfacció amb els serveis municipals {year}",
        "slug": "enquesta-serveis-{year}",
        "intro": "Com valores els serveis del teu ajuntament? Respondre costa tres minuts. "
        "Aquesta és una enquesta de demostració: les respostes mostrades són "
        "generades.",
        "thanks": "Gràcies! La teva resposta s'ha desat de manera anònima.",
    },
    "es": {
        "title": "Encuesta de satisfacción con los servicios municipales {year}",
        "slug": "encuesta-servicios-{year}",
        "intro": "¿Cómo valoras los servicios de tu ayuntamiento? Responder cuesta tres "
        "minutos. Esta es una encuesta de demostración: las respuestas mostradas "
        "son generadas.",
        "thanks": "¡Gracias! Tu respuesta se ha guardado de forma anónima.",
    },
    "en": {
        "title": "Satisfaction survey on municipal services {year}",
        "slug": "municipal-services-survey-{year}",
        "intro": "How do you rate your town council's services? It takes three minutes. "
        "This is a demonstration survey: the answers shown are generated.",
        "thanks": "Thank you! Your answer has been recorded anonymously.",
    },
}

# key, kind, {lang: (text, choices, low, high)}
QUESTIONS = [
    (
        "overall",
        "scale",
        {
            "ca": (
                "En general, com valores els serveis del teu ajuntament?",
                "",
                "Gens satisfet",
                "Molt satisfet",
            ),
            "es": (
                "En general, ¿cómo valoras los servicios de tu ayuntamiento?",
                "",
                "Nada satisfecho",
                "Muy satisfecho",
            ),
            "en": (
                "Overall, how do you rate your town council's services?",
                "",
                "Not at all satisfied",
                "Very satisfied",
            ),
        },
    ),
    (
        "cleanliness",
        "scale",
        {
            "ca": ("Neteja de carrers i espais públics", "", "Molt malament", "Molt bé"),
            "es": ("Limpieza de calles y espacios públicos", "", "Muy mal", "Muy bien"),
            "en": ("Cleanliness of streets and public spaces", "", "Very poor", "Very good"),
        },
    ),
    (
        "facilities",
        "scale",
        {
            "ca": (
                "Equipaments municipals (esportius, culturals, biblioteques)",
                "",
                "Molt malament",
                "Molt bé",
            ),
            "es": (
                "Equipamientos municipales (deportivos, culturales, bibliotecas)",
                "",
                "Muy mal",
                "Muy bien",
            ),
            "en": (
                "Municipal facilities (sport, culture, libraries)",
                "",
                "Very poor",
                "Very good",
            ),
        },
    ),
    (
        "priority",
        "single",
        {
            "ca": (
                "Quin servei caldria millorar primer?",
                "Neteja\nMobilitat i transport\nHabitatge\nSeguretat\nEquipaments",
                "",
                "",
            ),
            "es": (
                "¿Qué servicio habría que mejorar primero?",
                "Limpieza\nMovilidad y transporte\nVivienda\nSeguridad\nEquipamientos",
                "",
                "",
            ),
            "en": (
                "Which service should be improved first?",
                "Cleanliness\nMobility and transport\nHousing\nSafety\nFacilities",
                "",
                "",
            ),
        },
    ),
    (
        "channels",
        "multiple",
        {
            "ca": (
                "Com et relaciones amb l'ajuntament?",
                "Presencialment\nPer telèfon\nPer internet\nAmb l'aplicació mòbil",
                "",
                "",
            ),
            "es": (
                "¿Cómo te relacionas con el ayuntamiento?",
                "En persona\nPor teléfono\nPor internet\nCon la aplicación móvil",
                "",
                "",
            ),
            "en": (
                "How do you deal with the town council?",
                "In person\nBy phone\nOnline\nWith the mobile app",
                "",
                "",
            ),
        },
    ),
    (
        "comments",
        "text",
        {
            "ca": ("Vols afegir-hi alguna cosa?", "", "", ""),
            "es": ("¿Quieres añadir algo?", "", "", ""),
            "en": ("Anything else you would like to add?", "", "", ""),
        },
    ),
]


def _questions_set(page: SurveyPage, language: str) -> None:
    existing = {question.key: question for question in page.questions.all()}
    for order, (key, kind, texts) in enumerate(QUESTIONS):
        text, choices, low, high = texts[language]
        question = existing.get(key) or SurveyQuestion(page=page, key=key)
        question.kind, question.text, question.choices = kind, text, choices
        question.low_label, question.high_label = low, high
        question.required = kind != "text"
        question.sort_order = order
        if question.pk is None:
            page.questions.add(question)
        else:
            question.save()


def survey_edition_ensure(
    homes: dict[str, Page], *, year: int, opens_at, closes_at, in_menu: bool = False
) -> dict[str, SurveyPage]:
    pages: dict[str, SurveyPage] = {}
    slug_ca = PAGE["ca"]["slug"].format(year=year)
    catalan = SurveyPage.objects.child_of(homes["ca"]).filter(slug=slug_ca).first()
    if catalan is None:
        catalan = SurveyPage(
            title=PAGE["ca"]["title"].format(year=year),
            slug=slug_ca,
            year=year,
            opens_at=opens_at,
            closes_at=closes_at,
            entity_codes=" ".join(DEMO_ANSWERS),
            series=SERIES,
        )
        _questions_set(catalan, "ca")
        homes["ca"].add_child(instance=catalan)
    pages["ca"] = catalan
    for code in ("es", "en"):
        translation = catalan.get_translation_or_none(homes[code].locale)
        if translation is None:
            translation = catalan.copy_for_translation(homes[code].locale)
        pages[code] = translation.specific
    for code, page in pages.items():
        page.title = PAGE[code]["title"].format(year=year)
        page.slug = PAGE[code]["slug"].format(year=year)
        page.intro = PAGE[code]["intro"]
        page.thanks_text = PAGE[code]["thanks"]
        page.year, page.series = year, SERIES
        page.opens_at, page.closes_at = opens_at, closes_at
        page.entity_codes = " ".join(DEMO_ANSWERS)
        page.show_in_menus = in_menu
        _questions_set(page, code)
        page.save_revision().publish()
    # Re-read: publishing saves another instance, so these still carry the old url_path.
    return {code: SurveyPage.objects.get(pk=page.pk) for code, page in pages.items()}


def demo_answers_generate(survey: SurveyPage, *, column: int, seed: int) -> int:
    """Replace the survey's demo answers with freshly generated ones; return how many."""
    SurveyResponse.objects.filter(survey_key=survey.survey_key, is_demo=True).delete()
    rng = random.Random(seed)
    created = 0
    for entity_code, figures in DEMO_ANSWERS.items():
        count, tendency = figures[column], figures[2] - (0.4 if column == 1 else 0)
        for _ in range(count):
            response = SurveyResponse.objects.create(
                survey_key=survey.survey_key,
                series=survey.series,
                year=survey.year,
                entity_code=entity_code,
                language=rng.choice(["ca", "ca", "ca", "es", "en"]),
                submitted_on=survey.opens_at.date() + timedelta(days=rng.randint(0, 20)),
                is_demo=True,
            )
            answers = []
            for key, kind, _texts in QUESTIONS:
                if kind == "scale":
                    value = round(min(10, max(0, rng.gauss(tendency, 1.8))))
                    answers.append(SurveyAnswer(response=response, question_key=key, number=value))
                elif kind == "single":
                    answers.append(
                        SurveyAnswer(
                            response=response,
                            question_key=key,
                            number=rng.choice([1, 1, 2, 2, 3, 4, 5]),
                        )
                    )
                elif kind == "multiple":
                    chosen = sorted(rng.sample([1, 2, 3, 4], rng.randint(1, 3)))
                    answers.append(
                        SurveyAnswer(
                            response=response, question_key=key, options=",".join(map(str, chosen))
                        )
                    )
                elif rng.random() < 0.2:
                    answers.append(
                        SurveyAnswer(
                            response=response,
                            question_key=key,
                            text="(demo) Resposta generada automàticament.",
                        )
                    )
            SurveyAnswer.objects.bulk_create(answers)
            created += 1
    return created


@transaction.atomic
def demo_surveys_load(homes: dict[str, Page]) -> dict[str, SurveyPage]:
    now = timezone.now()
    year = now.year
    last = survey_edition_ensure(
        homes,
        year=year - 1,
        opens_at=now - timedelta(days=400),
        closes_at=now - timedelta(days=300),
    )
    current = survey_edition_ensure(
        homes,
        year=year,
        opens_at=now - timedelta(days=15),
        closes_at=now + timedelta(days=120),
        in_menu=True,
    )
    demo_answers_generate(last["ca"], column=1, seed=year - 1)
    demo_answers_generate(current["ca"], column=0, seed=year)
    return current
