"""HTTP for the office: thin. Each view parses the request, calls a selector or a service,
and turns an ``OfficeActionError`` into a page that says what happened (403/400), or
sends an anonymous visitor to the login page when a page needs a login."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concertem.common.private_files import private_file_response
from concertem.office import rules, selectors, services
from concertem.office.export import metrics_csv_text
from concertem.office.forms import MessageForm, RequestForm, ResolveForm
from concertem.office.models import (
    Area,
    OfficePage,
    Outcome,
    RequestAttachment,
    RequestState,
    Service,
    SupportKind,
    SupportRequest,
    TerritorialAgent,
)
from concertem.office.rules import STATE_HELP, OfficeActionError
from datasets.catalog import OFFICE_METRICS_SCHEMA
from debates import territory


def refusal(
    request: HttpRequest, error: OfficeActionError, *, page: OfficePage | None = None
) -> HttpResponse:
    if error.code == "login-required" and request.method == "GET":
        return redirect_to_login(request.get_full_path())
    response = render(
        request, "office/refused.html", {"error": error, "page": page, "office": page}
    )
    response.status_code = error.status
    return response


def _render(
    request: HttpRequest, page: OfficePage, template: str, *, status: int = 200, **context
) -> TemplateResponse:
    base = page.get_context(request)
    actor = selectors.actor_of(request.user)
    base.update(
        actor=actor,
        office=page,
        area_labels=dict(Area.choices),
        state_labels=dict(RequestState.choices),
        **context,
    )
    return TemplateResponse(request, template, base, status=status)


def _url(page: OfficePage, route: str, *args) -> str:
    return page.url + page.reverse_subpage(route, args=list(args))


def _files(request: HttpRequest) -> list:
    return [item for item in request.FILES.getlist("attachments") if item]


# ---- The catalogue ----


def catalogue(request: HttpRequest, page: OfficePage) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    area = request.GET.get("area", "")
    area = area if area in Area.values else ""
    services_found = list(selectors.services_search(query=query, area=area))
    counts: dict[str, int] = {}
    for service in selectors.services_search():
        counts[service.area] = counts.get(service.area, 0) + 1
    areas = [(code, label, counts.get(code, 0)) for code, label in Area.choices if counts.get(code)]
    actor = selectors.actor_of(request.user)
    return _render(
        request,
        page,
        "office/office_page.html",
        services=services_found,
        query=query,
        area=area,
        areas=areas,
        can_file=actor.entity_code is not None,
        kind_labels=dict(SupportKind.choices),
    )


def service_detail(request: HttpRequest, page: OfficePage, code: str) -> HttpResponse:
    service = Service.objects.filter(code=code).first()
    if service is None:
        raise Http404
    actor = selectors.actor_of(request.user)
    return _render(
        request,
        page,
        "office/service_detail.html",
        service=service,
        can_file=actor.entity_code is not None and service.active,
    )


# ---- Requests ----


def request_list(request: HttpRequest, page: OfficePage) -> HttpResponse:
    actor = selectors.actor_of(request.user)
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (actor.is_manager or actor.agent or actor.official):
        return refusal(
            request,
            OfficeActionError(
                _(
                    "Support requests are for officials of local entities and for the Diputació's "
                    "territorial agents. Your account is neither."
                ),
                code="no-role",
            ),
            page=page,
        )
    if actor.official is not None and not actor.official.verified and not actor.is_staff_side:
        return refusal(
            request,
            OfficeActionError(
                _("Your account as an official is waiting to be verified by the Diputació."),
                code="official-unverified",
            ),
            page=page,
        )
    state = request.GET.get("state", "")
    requests = selectors.requests_visible(actor)
    if state == "open":
        requests = requests.exclude(state__in=[RequestState.RESOLVED, RequestState.DECLINED])
    elif state in RequestState.values:
        requests = requests.filter(state=state)
    else:
        state = ""
    return _render(
        request,
        page,
        "office/request_list.html",
        requests=list(requests[:500]),
        state=state,
        state_choices=RequestState.choices,
    )


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, page: OfficePage) -> HttpResponse:
    actor = selectors.actor_of(request.user)
    code = request.POST.get("service") or request.GET.get("service") or ""
    service = Service.objects.filter(code=code).first() if code else None
    try:
        entity_code = rules.request_file_check(
            actor=actor, service=service, entity_code=request.POST.get("entity_code") or None
        )
    except OfficeActionError as error:
        if error.status == 400 and request.method == "GET":
            service = None  # a withdrawn service in the link: offer the free form, say why
            messages.error(request, error.message)
            entity_code = actor.entity_code
        else:
            return refusal(request, error, page=page)
    error = None
    if code and service is None:
        error = OfficeActionError(
            _("There is no service with the code «%(code)s».") % {"code": code},
            code="service-unknown",
            status=400,
        )
    if request.method == "POST" and error is None:
        form = RequestForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created = services.request_file(
                    user=request.user,
                    service=service,
                    subject=form.cleaned_data["subject"],
                    description=form.cleaned_data["description"],
                    area=form.cleaned_data["area"],
                    entity_code=request.POST.get("entity_code") or None,
                    files=_files(request),
                )
            except OfficeActionError as refused:
                if refused.status == 403:
                    return refusal(request, refused, page=page)
                error = refused
            else:
                messages.success(
                    request,
                    _("Your request %(reference)s has been filed.")
                    % {"reference": created.reference},
                )
                return HttpResponseRedirect(_url(page, "request_route", created.reference))
        else:
            error = OfficeActionError(
                _("Check the fields marked below."), code="form-invalid", status=400
            )
    else:
        form = RequestForm(initial={"service": service.code if service else ""})
        if request.method == "POST":
            form = RequestForm(request.POST)

    return _render(
        request,
        page,
        "office/request_new.html",
        form=form,
        service=service,
        entity_code=entity_code,
        entity_name=territory.entity_name(entity_code),
        error=error,
        status=error.status if error else 200,
    )


def _request_for(request: HttpRequest, reference: str) -> SupportRequest:
    found = selectors.request_by_reference(reference)
    if found is None:
        raise Http404
    rules.request_view_check(actor=selectors.actor_of(request.user), request=found)
    return found


def request_detail(
    request: HttpRequest,
    page: OfficePage,
    reference: str,
    *,
    error: OfficeActionError | None = None,
    message_form=None,
    resolve_form=None,
) -> HttpResponse:
    try:
        support = _request_for(request, reference)
    except OfficeActionError as refused:
        return refusal(request, refused, page=page)
    actor = selectors.actor_of(request.user)
    allowed = rules.transitions_allowed(actor=actor, request=support)
    agents = (
        TerritorialAgent.objects.filter(active=True).select_related("user")
        if actor.is_manager and RequestState.ASSIGNED in allowed
        else []
    )
    return _render(
        request,
        page,
        "office/request_detail.html",
        status=error.status if error else 200,
        support=support,
        thread=selectors.request_thread(support),
        initial_attachments=[a for a in support.attachments.all() if a.message_id is None],
        allowed=allowed,
        allowed_choices=[(state, RequestState(state).label) for state in allowed],
        can_handle=rules.request_can_handle(actor=actor, request=support),
        agents=agents,
        error=error,
        message_form=message_form or MessageForm(),
        resolve_form=resolve_form or ResolveForm(initial={"outcome": Outcome.NONE}),
        state_help=STATE_HELP.get(support.state, ""),
        steps=_steps(support),
    )


def _steps(support: SupportRequest) -> list[dict]:
    """The progress bar: received, assigned, in progress, closed (resolved or declined)."""
    order = [RequestState.RECEIVED, RequestState.ASSIGNED, RequestState.IN_PROGRESS]
    reached = {t.to_state for t in support.transitions.all()}
    last = support.state if support.is_final else RequestState.RESOLVED
    steps = []
    for state in [*order, last]:
        steps.append(
            {
                "label": RequestState(state).label,
                "done": state in reached,
                "current": state == support.state
                or (support.state == RequestState.WAITING and state == RequestState.IN_PROGRESS),
            }
        )
    return steps


def request_message(request: HttpRequest, page: OfficePage, reference: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(_url(page, "request_route", reference))
    try:
        support = _request_for(request, reference)
        form = MessageForm(request.POST, request.FILES)
        text = request.POST.get("text", "")
        services.message_post(user=request.user, request=support, text=text, files=_files(request))
    except OfficeActionError as error:
        if error.status in (403, 404):
            return refusal(request, error, page=page)
        return request_detail(request, page, reference, error=error, message_form=form)
    messages.success(request, _("Your message has been sent."))
    return HttpResponseRedirect(_url(page, "request_route", reference) + "#thread-end")


def request_state(request: HttpRequest, page: OfficePage, reference: str) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseRedirect(_url(page, "request_route", reference))
    target = request.POST.get("to_state", "")
    resolve_form = None
    try:
        support = _request_for(request, reference)
        if target == RequestState.RESOLVED:
            resolve_form = ResolveForm(request.POST)
            services.request_resolve(
                user=request.user,
                request=support,
                resolution=request.POST.get("resolution", ""),
                outcome=request.POST.get("outcome", Outcome.NONE),
                amount=request.POST.get("amount", ""),
                public_title=request.POST.get("public_title", ""),
            )
        elif target == RequestState.DECLINED:
            services.request_decline(
                user=request.user, request=support, reason=request.POST.get("note", "")
            )
        else:
            agent_id = request.POST.get("agent", "")
            agent = (
                TerritorialAgent.objects.filter(pk=agent_id, active=True).first()
                if agent_id.isdigit()
                else None
            )
            services.request_transition(
                user=request.user,
                request=support,
                to_state=target,
                note=request.POST.get("note", ""),
                agent=agent,
            )
    except OfficeActionError as error:
        if error.status in (403, 404):
            return refusal(request, error, page=page)
        return request_detail(request, page, reference, error=error, resolve_form=resolve_form)
    messages.success(
        request, _("The request is now «%(state)s».") % {"state": RequestState(support.state).label}
    )
    return HttpResponseRedirect(_url(page, "request_route", reference))


# ---- Metrics ----


def metrics(request: HttpRequest, page: OfficePage) -> HttpResponse:
    rows = selectors.metrics_rows(language=translation.get_language())
    return _render(
        request,
        page,
        "office/metrics.html",
        total=rows[0],
        by_area=[row for row in rows if row.dimension == "area" and row.requests],
        by_comarca=[row for row in rows if row.dimension == "comarca"],
    )


# ---- Outside the page tree (office/urls.py) ----


def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """An attachment, to the people who may see its request; nobody else learns it exists."""
    attachment = get_object_or_404(
        RequestAttachment.objects.select_related("request"), pk=attachment_id
    )
    actor = selectors.actor_of(request.user)
    try:
        rules.request_view_check(actor=actor, request=attachment.request)
    except OfficeActionError as error:
        if error.code == "login-required":
            return redirect_to_login(request.get_full_path())
        return refusal(request, error)
    # Streamed by Django, or by nginx with X-Accel-Redirect (concertem.common.private_files).
    response = private_file_response(
        request,
        attachment.file.path,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def metrics_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        metrics_csv_text(selectors.metrics_rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="office_metrics.csv"'
    return response


def metrics_schema(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        json.dumps(OFFICE_METRICS_SCHEMA, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )


def requests_redirect(request: HttpRequest) -> HttpResponse:
    page = selectors.office_page_local()
    if page is None or not page.url:
        raise Http404
    return HttpResponseRedirect(_url(page, "requests_route"))
