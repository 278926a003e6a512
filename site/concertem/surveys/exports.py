"""Survey results as open data: aggregates (always) and anonymised microdata (large groups).

Both apply the same threshold as the pages, and read only released responses (published in
batches by concertem.surveys.releases, so two downloads never differ by one person's answers).
Microdata leave out free text (it can name people) and the response date; rows are ordered
by a random id, one row per answer. Rows are keyed by series, year and question key, so
editions and municipalities compare directly and every edition fits the same Table Schema.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from concertem.surveys.models import SurveyAnswer, SurveyPage
from concertem.surveys.releases import released_responses
from concertem.surveys.selectors import all_entity_results, question_specs, respondent_counts
from concertem.surveys.services import minimum_respondents
from datasets.catalog.paths import SCHEMAS_DIR

AGGREGATE_COLUMNS: tuple[str, ...] = (
    "series",
    "year",
    "entity_code",
    "question_key",
    "question_kind",
    "value",
    "value_label",
    "respondents",
    "count",
    "share_pct",
    "mean",
    "suppressed",
    "demo_responses",
)
SCHEMA_DIR = SCHEMAS_DIR


def aggregates_rows(survey: SurveyPage) -> list[list[str]]:
    rows: list[list[str]] = []
    for result in all_entity_results(survey):
        for question in result.questions:
            spec = question.spec
            base = [survey.series, str(survey.year), result.entity_code, spec.key, spec.kind]
            demo = str(result.demo_respondents)
            if question.suppressed or spec.kind == "text":
                # Text: only the count is public; suppressed: not even that (below the
                # threshold a count alone says who answered in a tiny village).
                shown = "" if question.suppressed else str(question.respondents)
                rows.append(
                    [
                        *base,
                        "",
                        "",
                        shown,
                        "",
                        "",
                        "",
                        "true" if question.suppressed else "false",
                        demo,
                    ]
                )
                continue
            for bar in question.bars:
                rows.append(
                    [
                        *base,
                        bar.value,
                        bar.label,
                        str(question.respondents),
                        str(bar.count),
                        str(bar.share_pct),
                        "" if question.mean is None else str(question.mean),
                        "false",
                        demo,
                    ]
                )
    return rows


MICRODATA_COLUMNS: tuple[str, ...] = (
    "response_id",
    "series",
    "year",
    "entity_code",
    "language",
    "is_demo",
    "question_key",
    "question_kind",
    "value",
)


def microdata_rows(survey: SurveyPage) -> list[list[str]]:
    """One row per answer (long format: the same columns for every edition and question)."""
    specs = [spec for spec in question_specs(survey) if spec.kind != "text"]
    kinds = {spec.key: spec.kind for spec in specs}
    minimum = minimum_respondents()
    allowed = [
        code for code, (total, _demo) in respondent_counts(survey).items() if total >= minimum
    ]
    responses = list(
        released_responses(survey.survey_key).filter(entity_code__in=allowed).order_by("public_id")
    )
    answers: dict[int, dict[str, str]] = {}
    for answer in SurveyAnswer.objects.filter(response__in=responses, question_key__in=list(kinds)):
        value = (
            answer.options.replace(",", ";")
            if answer.options
            else ("" if answer.number is None else str(answer.number))
        )
        answers.setdefault(answer.response_id, {})[answer.question_key] = value
    rows = []
    for response in responses:
        given = answers.get(response.id, {})
        for spec in specs:
            if spec.key not in given:
                continue
            rows.append(
                [
                    str(response.public_id),
                    response.series,
                    str(response.year),
                    response.entity_code,
                    response.language,
                    "true" if response.is_demo else "false",
                    spec.key,
                    spec.kind,
                    given[spec.key],
                ]
            )
    return rows


def csv_text(header: list[str] | tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def survey_results_export(surveys: list[SurveyPage], *, out_dir: Path) -> list[Path]:
    """Every edition's aggregates and microdata in two files (+ schemas), for publishing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    aggregates: list[list[str]] = []
    microdata: list[list[str]] = []
    for survey in sorted(surveys, key=lambda page: (page.series, page.year)):
        aggregates += aggregates_rows(survey)
        microdata += microdata_rows(survey)
    written = []
    for name, header, rows in (
        ("survey_results_aggregates", AGGREGATE_COLUMNS, aggregates),
        ("survey_results_microdata", MICRODATA_COLUMNS, microdata),
    ):
        data = out_dir / f"{name}.csv"
        data.write_text(csv_text(header, rows), encoding="utf-8")
        schema = out_dir / f"{name}.schema.json"
        schema.write_text(
            (SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"), encoding="utf-8"
        )
        written += [data, schema]
    return written
