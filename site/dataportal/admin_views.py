"""Admin screens for publishing: start a run, follow its log, see how it ended."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dataportal import catalog_data
from dataportal.models import PublishRun
from dataportal.publish_services import PERMISSION, publish_run_request, publish_runs_reap


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
