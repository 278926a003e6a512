"""The survey's routes (called from ``SurveyPage``): thin, the logic is in services/selectors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from concertem.common.charts import bar_chart_build
from concertem.common.territory import entities_by_code
from concertem.surveys import exports, selectors, services
from concertem.surveys.forms import SurveyAnswerForm
from concertem.surveys.models import ENTITY_CODE_RE, SurveyPage


def _render(
    request: HttpRequest, survey: SurveyPage, template: str, status: int = 200, **context
) -> TemplateResponse:
    base = survey.get_context(request)
    base.update(context, minimum=services.minimum_respondents())
    return TemplateResponse(request, template, base, status=status)


def _refusal(
    request: HttpRequest, survey: SurveyPage, refusal: services.SurveyRefusal, entity_code: str = ""
) -> TemplateResponse:
    entity = entities_by_code().get(entity_code)
    return _render(
        request,
        survey,
        "surveys/survey_refusal.html",
        status=refusal.status,
        refusal=refusal,
        entity=entity,
    )


def survey_index(request: HttpRequest, survey: SurveyPage) -> HttpResponse:
    chosen = request.GET.get("entity", "")
    entities = entities_by_code()
    if chosen:
        if chosen in survey.open_entity_codes:
            return redirect(survey.url + survey.reverse_subpage("answer_route", args=[chosen]))
        return _refusal(
            request,
            survey,
            services.SurveyRefusal(
                "entity-not-open", 403, _("This survey is not open in that municipality.")
            ),
        )
    options = sorted(
        (entities[code] for code in survey.open_entity_codes if code in entities),
        key=lambda entity: entity.name,
    )
    return _render(
        request,
        survey,
        "surveys/survey_page.html",
        entity_options=options,
        is_open=survey.is_open(),
    )


def survey_answer(request: HttpRequest, survey: SurveyPage, entity_code: str) -> HttpResponse:
    entity = entities_by_code().get(entity_code)
    try:
        services.answering_check(request, survey, entity_code)
        if request.method == "POST":
            services.submission_check(request, survey, entity_code)
    except services.SurveyRefusal as refusal:
        return _refusal(request, survey, refusal, entity_code)
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, survey=survey)
        if form.is_valid():
            try:
                services.response_record(
                    request=request,
                    survey=survey,
                    entity_code=entity_code,
                    cleaned=form.cleaned_data,
                )
            except services.SurveyRefusal as refusal:
                return _refusal(request, survey, refusal, entity_code)
            response = redirect(survey.url + survey.reverse_subpage("thanks_route"))
            services.answered_mark(request, response, survey)
            return response
        # Keep the original start time: re-sending a corrected form is not "too fast".
        status = 400
    else:
        form = SurveyAnswerForm(
            initial={"started": services.form_token_make(survey, entity_code)}, survey=survey
        )
        status = 200
    return _render(
        request, survey, "surveys/survey_answer.html", status=status, form=form, entity=entity
    )


def survey_thanks(request: HttpRequest, survey: SurveyPage) -> HttpResponse:
    return _render(request, survey, "surveys/survey_thanks.html")


def survey_results(request: HttpRequest, survey: SurveyPage) -> HttpResponse:
    chosen = request.GET.get("entity", "")
    if chosen:
        if not ENTITY_CODE_RE.match(chosen):
            raise Http404("not a municipality code")
        return redirect(survey.url + survey.reverse_subpage("entity_results_route", args=[chosen]))
    overview = selectors.results_overview(survey)
    comparison = [
        {
            "spec": spec,
            "items": items,
            "chart": bar_chart_build(
                spec.text, [(name, mean, f"{mean}") for name, mean, _n in items], maximum=10
            ),
        }
        for spec, items in selectors.scale_comparison(survey, overview)
    ]
    return _render(
        request,
        survey,
        "surveys/survey_results.html",
        overview=overview,
        comparison=comparison,
        demo_total=sum(row.demo_respondents for row in overview),
        respondents_total=sum(row.respondents for row in overview),
    )


def survey_entity_results(
    request: HttpRequest, survey: SurveyPage, entity_code: str
) -> HttpResponse:
    entity = entities_by_code().get(entity_code)
    if entity is None:
        raise Http404
    result = selectors.entity_results(survey, entity_code)
    if entity_code not in survey.open_entity_codes and result.respondents == 0:
        raise Http404
    questions = []
    for index, question in enumerate(result.questions):
        chart = None
        if not question.suppressed and question.bars:
            chart = bar_chart_build(
                question.spec.text,
                [
                    (bar.label, bar.count, f"{bar.count} ({bar.share_pct}%)")
                    for bar in question.bars
                ],
            )
        questions.append({"index": index, "result": question, "chart": chart})
    years, by_year = selectors.scale_means_by_year(survey, entity_code)
    return _render(
        request,
        survey,
        "surveys/survey_entity_results.html",
        entity=entity,
        result=result,
        questions=questions,
        years=years if len(years) > 1 else [],
        by_year=by_year,
    )


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def survey_aggregates_csv(request: HttpRequest, survey: SurveyPage) -> HttpResponse:
    text = exports.csv_text(exports.AGGREGATE_COLUMNS, exports.aggregates_rows(survey))
    return _csv_response(text, f"{survey.series}-{survey.year}-aggregates.csv")


def survey_microdata_csv(request: HttpRequest, survey: SurveyPage) -> HttpResponse:
    rows = exports.microdata_rows(survey)
    return _csv_response(
        exports.csv_text(exports.MICRODATA_COLUMNS, rows),
        f"{survey.series}-{survey.year}-microdata.csv",
    )
