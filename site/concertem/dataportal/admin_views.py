"""Admin screens for publishing: start a run, follow its log, see how it ended."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concertem.dataportal import allocation_selectors, catalog_data
from concertem.dataportal.formula_drafts import draft_debate_open
from concertem.dataportal.models import FormulaDraft, PublishRun
from concertem.dataportal.publish_services import PERMISSION, publish_run_request, publish_runs_reap
from datasets.errors import DatasetError


def _forbidden(request: HttpRequest) -> HttpResponse | None:
    # A plain 403 rather than PermissionDenied: Wagtail's admin turns that into a
    # redirect to the dashboard, and a refused action must say it was refused.
    if request.user.has_perm(PERMISSION):
        return None
    return HttpResponseForbidden(_("You may not publish the open data."))


@require_http_methods(["GET", "POST"])
def publish_index(request: HttpRequest) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    names = [spec.name for spec in catalog_data.specs()]
    if request.method == "POST":
        only = [name for name in request.POST.getlist("only") if name in names]
        run = publish_run_request(
            user=request.user, dry_run=request.POST.get("dry_run") == "1", only=only
        )
        messages.success(request, _("Publication #%(id)s queued.") % {"id": run.pk})
        return redirect("dataportal_admin:publish-run", run_id=run.pk)
    publish_runs_reap()
    return TemplateResponse(
        request,
        "dataportal/admin/publish_index.html",
        {"runs": PublishRun.objects.select_related("requested_by")[:30], "datasets": names},
    )


def publish_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    if (refused := _forbidden(request)) is not None:
        return refused
    publish_runs_reap()
    run = get_object_or_404(PublishRun, pk=run_id)
    return TemplateResponse(request, "dataportal/admin/publish_run.html", {"run": run})


# ---- Formula drafts ----

DRAFT_PERMISSION = "dataportal.change_formuladraft"


def _drafts_forbidden(request: HttpRequest) -> HttpResponse | None:
    if request.user.has_perm(DRAFT_PERMISSION):
        return None
    return HttpResponseForbidden(_("You may not work on formula drafts."))


def drafts_index(request: HttpRequest) -> HttpResponse:
    if (refused := _drafts_forbidden(request)) is not None:
        return refused
    return TemplateResponse(
        request,
        "dataportal/admin/drafts_index.html",
        {"drafts": FormulaDraft.objects.select_related("created_by", "debate")},
    )


def draft_preview_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    if (refused := _drafts_forbidden(request)) is not None:
        return refused
    draft = get_object_or_404(FormulaDraft, pk=draft_id)
    try:
        context = allocation_selectors.draft_compare_context(draft=draft)
    except DatasetError as error:
        context = {"draft": draft, "error": str(error)}
    return TemplateResponse(request, "dataportal/admin/draft_preview.html", context)


@require_http_methods(["POST"])
def draft_debate_open_view(request: HttpRequest, draft_id: int) -> HttpResponse:
    if (refused := _drafts_forbidden(request)) is not None:
        return refused
    draft = get_object_or_404(FormulaDraft, pk=draft_id)
    try:
        debate = draft_debate_open(draft=draft, user=request.user)
    except (DatasetError, ValueError) as error:
        messages.error(request, str(error))
        return redirect("dataportal_drafts:preview", draft_id=draft.pk)
    messages.success(
        request,
        _(
            "Debate drafted in Catalan, Spanish and English and sent for review: "
            "it goes live when an editor approves it. %(title)s"
        )
        % {"title": debate.title},
    )
    return redirect("wagtailadmin_pages:edit", debate.pk)
