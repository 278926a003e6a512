"""Survey results as open data: aggregates (always) and anonymised microdata (large groups).

Both apply the same threshold as the pages. Microdata leave out free text (it can name
people) and the response date; rows are ordered by a random id. Columns are keyed by the
series, year and question keys, so editions and municipalities compare directly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import datasets
from surveys.aggregation import QuestionSpec
from surveys.models import SurveyAnswer, SurveyPage, SurveyResponse
from surveys.selectors import all_entity_results, question_specs, respondent_counts
from surveys.services import minimum_respondents

AGGREGATE_COLUMNS: tuple[str, ...] = (
    "series", "year", "entity_code", "question_key", "question_kind", "value", "value_label",
    "respondents", "count", "share_pct", "mean", "suppressed", "demo_responses",
)
SCHEMA_DIR = Path(datasets.__file__).resolve().parent / "schemas"


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
                rows.append([*base, "", "", shown, "", "", "",
                             "true" if question.suppressed else "false", demo])
                continue
            for bar in question.bars:
                rows.append([*base, bar.value, bar.label, str(question.respondents),
                             str(bar.count), str(bar.share_pct),
                             "" if question.mean is None else str(question.mean),
                             "false", demo])
    return rows


def microdata_columns(specs: list[QuestionSpec]) -> list[str]:
    return ["response_id", "series", "year", "entity_code", "language", "is_demo"] + [
        spec.key for spec in specs if spec.kind != "text"
    ]


def microdata_rows(survey: SurveyPage) -> tuple[list[str], list[list[str]]]:
    specs = question_specs(survey)
    columns = microdata_columns(specs)
    minimum = minimum_respondents()
    allowed = [code for code, (total, _demo) in respondent_counts(survey).items()
               if total >= minimum]
    responses = list(SurveyResponse.objects.filter(survey_key=survey.survey_key,
                                                   entity_code__in=allowed)
                     .order_by("public_id"))
    answers: dict[int, dict[str, str]] = {}
    for answer in SurveyAnswer.objects.filter(response__in=responses).exclude(
        question_key__in=[spec.key for spec in specs if spec.kind == "text"]
    ):
        value = answer.options.replace(",", ";") if answer.options else (
            "" if answer.number is None else str(answer.number))
        answers.setdefault(answer.response_id, {})[answer.question_key] = value
    rows = []
    for response in responses:
        given = answers.get(response.id, {})
        rows.append([str(response.public_id), response.series, str(response.year),
                     response.entity_code, response.language,
                     "true" if response.is_demo else "false"]
                    + [given.get(spec.key, "") for spec in specs if spec.kind != "text"])
    return columns, rows


def csv_text(header: list[str] | tuple[str, ...], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def microdata_schema(specs: list[QuestionSpec]) -> dict:
    fields = [
        {"name": "response_id", "type": "string", "title": "Random response id",
         "constraints": {"required": True, "unique": True}},
        {"name": "series", "type": "string", "constraints": {"required": True}},
        {"name": "year", "type": "integer", "constraints": {"required": True}},
        {"name": "entity_code", "type": "string", "constraints": {"required": True,
                                                                 "pattern": "[0-9]{5}"}},
        {"name": "language", "type": "string"},
        {"name": "is_demo", "type": "boolean", "constraints": {"required": True}},
    ]
    for spec in specs:
        if spec.kind == "scale":
            fields.append({"name": spec.key, "type": "integer", "title": spec.text,
                           "constraints": {"minimum": 0, "maximum": 10}})
        elif spec.kind == "single":
            fields.append({"name": spec.key, "type": "integer", "title": spec.text,
                           "description": "1-based option: " + "; ".join(
                               f"{i}={label}" for i, label in
                               enumerate(spec.choice_labels, start=1)),
                           "constraints": {"minimum": 1,
                                           "maximum": len(spec.choice_labels)}})
        elif spec.kind == "multiple":
            fields.append({"name": spec.key, "type": "string", "title": spec.text,
                           "description": "options chosen, ';'-separated: " + "; ".join(
                               f"{i}={label}" for i, label in
                               enumerate(spec.choice_labels, start=1))})
    return {"fields": fields, "primaryKey": ["response_id"], "missingValues": [""]}


def survey_results_export(survey: SurveyPage, *, out_dir: Path) -> list[Path]:
    """Write aggregates + microdata + their Table Schemas to ``out_dir`` (for publishing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    aggregates = out_dir / "survey_results_aggregates.csv"
    aggregates.write_text(csv_text(AGGREGATE_COLUMNS, aggregates_rows(survey)), encoding="utf-8")
    columns, rows = microdata_rows(survey)
    microdata = out_dir / "survey_results_microdata.csv"
    microdata.write_text(csv_text(columns, rows), encoding="utf-8")
    aggregates_schema = out_dir / "survey_results_aggregates.schema.json"
    aggregates_schema.write_text(
        (SCHEMA_DIR / "survey_results_aggregates.json").read_text(encoding="utf-8"),
        encoding="utf-8")
    microdata_schema_path = out_dir / "survey_results_microdata.schema.json"
    microdata_schema_path.write_text(
        json.dumps(microdata_schema(question_specs(survey)), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8")
    return [aggregates, aggregates_schema, microdata, microdata_schema_path]
