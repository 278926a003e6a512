"""The cooperation page's routes (called from ``CooperationIndexPage``): thin."""

from __future__ import annotations

import csv
from decimal import Decimal

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model

from concertem.common.charts import bar_chart_build
from concertem.common.private_files import private_file_response
from concertem.common.territory import entities_by_code
from concertem.cooperation import selectors
from concertem.cooperation.models import (
    ActionDocument,
    ActionKind,
    ActionStatus,
    CooperationIndexPage,
)
from datasets.execution.export import ACTION_COLUMNS, action_csv_row
from datasets.number_display import euros_format


def _euros(value: Decimal) -> str:
    # The site's one number format (as the tables beside the chart), to the cent.
    return euros_format(value, 2, get_language())


def _render(
    request: HttpRequest, page: CooperationIndexPage, template: str, **context
) -> TemplateResponse:
    base = page.get_context(request)
    base.update(
        context, status_labels=dict(ActionStatus.choices), kind_labels=dict(ActionKind.choices)
    )
    return TemplateResponse(request, template, base)


def cooperation_summary(request: HttpRequest, page: CooperationIndexPage) -> HttpResponse:
    actions = list(selectors.actions_all())
    summary = selectors.summary_of(actions)
    labels = dict(ActionStatus.choices)
    status_chart = bar_chart_build(
        _("Amount granted by status"),
        [
            (str(labels.get(item.key, item.key)), item.granted, _euros(item.granted))
            for item in summary.by_status
        ],
    )
    programme_chart = bar_chart_build(
        _("Amount granted by programme"),
        [(item.label, item.granted, _euros(item.granted)) for item in summary.by_programme],
    )
    entities = entities_by_code()
    return _render(
        request,
        page,
        "cooperation/cooperation_index_page.html",
        summary=summary,
        status_chart=status_chart,
        programme_chart=programme_chart,
        entity_rows=[(entities.get(item.key), item) for item in summary.by_entity],
        demo_count=sum(1 for action in actions if action.is_demo),
    )


def _entity_or_404(entity_code: str):
    entity = entities_by_code().get(entity_code)
    if entity is None:
        raise Http404
    return entity


def cooperation_entity(
    request: HttpRequest, page: CooperationIndexPage, entity_code: str
) -> HttpResponse:
    entity = _entity_or_404(entity_code)
    actions = list(selectors.entity_actions(entity_code))
    return _render(
        request,
        page,
        "cooperation/cooperation_entity.html",
        entity=entity,
        actions=actions,
        summary=selectors.summary_of(actions),
        demo_count=sum(1 for action in actions if action.is_demo),
        can_view_private=selectors.can_view_private(request.user, entity_code),
    )


def _private_guard(request: HttpRequest, entity_code: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_view_private(request.user, entity_code):
        raise PermissionDenied("not an official of this entity")
    return None


def cooperation_private(
    request: HttpRequest, page: CooperationIndexPage, entity_code: str
) -> HttpResponse:
    entity = _entity_or_404(entity_code)
    refused = _private_guard(request, entity_code)
    if refused:
        return refused
    actions = list(selectors.entity_actions(entity_code).prefetch_related("documents__document"))
    return _render(
        request,
        page,
        "cooperation/cooperation_private.html",
        entity=entity,
        actions=actions,
        summary=selectors.summary_of(actions),
        demo_count=sum(1 for action in actions if action.is_demo),
    )


def cooperation_document(
    request: HttpRequest, page: CooperationIndexPage, entity_code: str, document_id: int
) -> HttpResponse:
    """Serve an action's document to the entity's officials (Wagtail's own URL is restricted)."""
    _entity_or_404(entity_code)
    refused = _private_guard(request, entity_code)
    if refused:
        return refused
    link = ActionDocument.objects.filter(
        action__entity_code=entity_code, document_id=document_id
    ).first()
    if link is None:
        raise Http404
    document = get_document_model().objects.get(pk=document_id)
    # Documents live in the private root (concertem.config.storage); streamed by Django or nginx.
    return private_file_response(request, document.file.path, filename=document.filename)


def cooperation_csv(request: HttpRequest, page: CooperationIndexPage) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cooperation_actions.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(ACTION_COLUMNS)
    for record in sorted(selectors.records_for_export(), key=lambda r: r.action_id):
        writer.writerow(action_csv_row(record))
    return response
