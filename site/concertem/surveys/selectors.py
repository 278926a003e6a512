"""Reads of survey results: per municipality and question, suppressed below the threshold.

Only released responses are read (concertem.surveys.releases): results change in batches, never
with each answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from concertem.common.territory import entities_by_code
from concertem.surveys.aggregation import AnswerValue, EntityResult, QuestionSpec, entity_aggregate
from concertem.surveys.models import SurveyAnswer, SurveyPage
from concertem.surveys.releases import released_responses
from concertem.surveys.services import minimum_respondents


def question_specs(survey: SurveyPage) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            key=question.key,
            kind=question.kind,
            text=question.text,
            choice_labels=tuple(question.choice_labels),
            low_label=question.low_label,
            high_label=question.high_label,
        )
        for question in survey.questions.all()
    ]


def respondent_counts(survey: SurveyPage) -> dict[str, tuple[int, int]]:
    """entity_code -> (respondents, of which demo)."""
    counts: dict[str, tuple[int, int]] = {}
    rows = (
        released_responses(survey.survey_key)
        .values("entity_code", "is_demo")
        .annotate(n=Count("id"))
    )
    for row in rows:
        total, demo = counts.get(row["entity_code"], (0, 0))
        counts[row["entity_code"]] = (total + row["n"], demo + (row["n"] if row["is_demo"] else 0))
    return counts


def _responses_for(
    survey_key, entity_codes: list[str] | None = None
) -> dict[str, list[tuple[bool, dict[str, AnswerValue]]]]:
    responses = released_responses(survey_key)
    if entity_codes is not None:
        responses = responses.filter(entity_code__in=entity_codes)
    by_id = {
        row["id"]: (row["entity_code"], row["is_demo"])
        for row in responses.values("id", "entity_code", "is_demo")
    }
    answers: dict[int, dict[str, AnswerValue]] = defaultdict(dict)
    for row in SurveyAnswer.objects.filter(response_id__in=by_id).values(
        "response_id", "question_key", "number", "options", "text"
    ):
        answers[row["response_id"]][row["question_key"]] = AnswerValue(
            number=row["number"],
            options=tuple(int(item) for item in row["options"].split(",") if item),
            text=row["text"],
        )
    grouped: dict[str, list[tuple[bool, dict[str, AnswerValue]]]] = defaultdict(list)
    for response_id, (entity_code, is_demo) in by_id.items():
        grouped[entity_code].append((is_demo, answers.get(response_id, {})))
    return grouped


def entity_results(survey: SurveyPage, entity_code: str) -> EntityResult:
    grouped = _responses_for(survey.survey_key, [entity_code])
    return entity_aggregate(
        entity_code,
        question_specs(survey),
        grouped.get(entity_code, []),
        minimum=minimum_respondents(),
    )


def all_entity_results(survey: SurveyPage) -> list[EntityResult]:
    specs = question_specs(survey)
    minimum = minimum_respondents()
    grouped = _responses_for(survey.survey_key)
    return [
        entity_aggregate(code, specs, rows, minimum=minimum)
        for code, rows in sorted(grouped.items())
    ]


@dataclass(frozen=True)
class EntityOverview:
    entity_code: str
    name: str
    comarca: str
    respondents: int
    demo_respondents: int
    suppressed: bool
    is_open: bool


def results_overview(survey: SurveyPage) -> list[EntityOverview]:
    """Every municipality where the survey is open or that has answers, by name."""
    counts = respondent_counts(survey)
    entities = entities_by_code()
    minimum = minimum_respondents()
    codes = set(survey.open_entity_codes) | set(counts)
    rows = []
    for code in codes:
        entity = entities.get(code)
        total, demo = counts.get(code, (0, 0))
        rows.append(
            EntityOverview(
                entity_code=code,
                name=entity.name if entity else code,
                comarca=entity.comarca if entity else "",
                respondents=total,
                demo_respondents=demo,
                suppressed=total < minimum,
                is_open=code in survey.open_entity_codes,
            )
        )
    rows.sort(key=lambda row: row.name)
    return rows


def series_editions(survey: SurveyPage) -> list[SurveyPage]:
    """Live editions of the same series in the same language, oldest first."""
    return list(
        SurveyPage.objects.live()
        .filter(series=survey.series, locale=survey.locale)
        .order_by("year", "id")
    )


def scale_means_by_year(
    survey: SurveyPage, entity_code: str
) -> tuple[list[int], list[tuple[str, list[object]]]]:
    """For each scale question of ``survey``: its mean per edition of the series (or None)."""
    editions = series_editions(survey)
    specs = [spec for spec in question_specs(survey) if spec.kind == "scale"]
    per_edition = []
    for edition in editions:
        result = entity_results(edition, entity_code)
        means = {q.spec.key: (None if q.suppressed else q.mean) for q in result.questions}
        per_edition.append(means)
    rows = [(spec.text, [means.get(spec.key) for means in per_edition]) for spec in specs]
    return [edition.year for edition in editions], rows


def scale_comparison(
    survey: SurveyPage, overview: list[EntityOverview]
) -> list[tuple[QuestionSpec, list[tuple[str, object, int]]]]:
    """Per scale question: (municipality name, mean, respondents) where not suppressed."""
    results = {result.entity_code: result for result in all_entity_results(survey)}
    comparison = []
    for spec in question_specs(survey):
        if spec.kind != "scale":
            continue
        items = []
        for row in overview:
            result = results.get(row.entity_code)
            if result is None or result.suppressed:
                continue
            question = next(q for q in result.questions if q.spec.key == spec.key)
            if not question.suppressed:
                items.append((row.name, question.mean, question.respondents))
        comparison.append((spec, items))
    return comparison
