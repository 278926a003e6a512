"""Demo survey: two editions (last year closed, this year open) with GENERATED answers.

Every generated response has ``is_demo=True``; results pages and exports say so. One
municipality gets fewer answers than the threshold, to show suppression at work.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from concertem.common.demo import demo_data_load
from concertem.surveys.models import SurveyAnswer, SurveyPage, SurveyQuestion, SurveyResponse

_DATA = demo_data_load(__file__, "surveys")
SERIES = _DATA["series"]
DEMO_ANSWERS = _DATA["demo_answers"]
PAGE = _DATA["page"]
QUESTIONS = _DATA["questions"]


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
                # From the seed too: a second demo load publishes the same microdata, so
                # re-publishing it uploads nothing (a fresh uuid4 made a new release each run).
                public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
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
