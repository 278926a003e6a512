"""HTTP for the debates: thin. Each view parses the request, calls a service, and turns a
`DebateActionError` into a page that tells the person what happened (403/400/429)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_comments_xtd.models import XtdComment

from debates import commenting, following, moderation, rules
from debates.forms import (
    NULL_CHARACTER_CODE,
    NULL_CHARACTER_MESSAGE,
    BlockForm,
    CloseForm,
    DebateCommentForm,
    EditForm,
    HideForm,
    ReportForm,
    comment_has_null_character,
)
from debates.fragments import (
    FRAGMENT_HEADER,
    comment_error_fragment,
    comment_posted_fragment,
    fragment_language_activate,
)
from debates.markup import comment_plain_text
from debates.models import DebatePage
from debates.rules import DebateActionError, refusal_response
from debates.threads import comment_link


def _next_url(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def _comment_url(request: HttpRequest, comment: XtdComment, debate: DebatePage) -> str:
    """Back to the debate, on the window of threads that holds the comment."""
    return comment_link(_next_url(request, debate.url or "/"), comment.pk)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _comment_get(comment_id: int) -> XtdComment:
    """A comment on a debate, or 404: these routes act on debate comments only."""
    content_type = ContentType.objects.get_for_model(DebatePage)
    return get_object_or_404(XtdComment.norel_objects, pk=comment_id, content_type=content_type)


# ---- Posting and editing ----


@require_POST
def comment_post(request: HttpRequest, debate_id: int) -> HttpResponse:
    debate = get_object_or_404(DebatePage, pk=debate_id)
    canonical = rules.debate_canonical(debate)
    form = DebateCommentForm(canonical, data=request.POST)
    # Kept for the person if the post is refused; without NUL bytes, which the form
    # refuses and an HTML page cannot carry.
    text = request.POST.get("comment", "").replace("\x00", "")
    parent = request.POST.get("parent") or None
    fragment = bool(request.headers.get(FRAGMENT_HEADER))
    if fragment:
        fragment_language_activate(request, debate)  # refusals in the page's language
    if not form.is_valid():
        code, message = form.refusal_message()
        error = DebateActionError(message, code=code, status=400)
        if fragment:
            return comment_error_fragment(request, debate, error)
        return _debate_with_error(request, debate, canonical, error, text=text, parent=parent)
    try:
        comment = commenting.comment_post(
            user=request.user,
            debate=canonical,
            text=form.cleaned_data["comment"],
            parent_id=form.cleaned_data.get("parent"),
            followup=form.cleaned_data.get("followup", False),
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    except DebateActionError as error:
        if fragment:
            return comment_error_fragment(request, debate, error)
        return _debate_with_error(request, debate, canonical, error, text=text, parent=parent)
    if fragment:
        # The reply arrives alone, inserted in place: the thread is not rendered again.
        return comment_posted_fragment(request, debate, comment)
    messages.success(request, _("Your comment has been published."))
    return HttpResponseRedirect(_comment_url(request, comment, debate))


def _debate_with_error(
    request: HttpRequest,
    debate: DebatePage,
    canonical: DebatePage,
    error: DebateActionError,
    *,
    text: str,
    parent: str | None,
) -> HttpResponse:
    """The debate page again, with the message and the person's text kept in the form."""
    initial = {"comment": text}
    if parent and parent.isdigit():
        initial["parent"] = int(parent)
    form = DebateCommentForm(canonical, initial=initial)
    denial = rules.space_read_denial(request=request, space=rules.debate_space(debate))
    if denial is not None:
        # Someone who may not read the space learns why the post failed, not its content.
        return refusal_response(request, error)
    return debate.serve(
        request,
        comment_form=form,
        comment_error=error,
        reply_to=int(parent) if parent and parent.isdigit() else None,
        status=error.status,
    )


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment_get(comment_id)
    debate = rules.comment_debate(comment)
    try:
        rules.comment_edit_authorize(user=request.user, comment=comment)
    except DebateActionError as error:
        return refusal_response(request, error)
    error = None
    if request.method == "POST":
        form = EditForm(request.POST)
        if form.is_valid():
            try:
                commenting.comment_edit(
                    user=request.user, comment=comment, text=form.cleaned_data["comment"]
                )
            except DebateActionError as refusal:
                error = refusal
            else:
                messages.success(request, _("Your comment has been updated."))
                return HttpResponseRedirect(_comment_url(request, comment, debate))
        elif comment_has_null_character(form):
            error = DebateActionError(
                str(NULL_CHARACTER_MESSAGE), code=NULL_CHARACTER_CODE, status=400
            )
            text = request.POST.get("comment", "").replace("\x00", "")
            form = EditForm(initial={"comment": text})
    else:
        form = EditForm(initial={"comment": comment.comment})
    response = render(
        request,
        "debates/comment_edit.html",
        {
            "form": form,
            "comment": comment,
            "debate": debate,
            "error": error,
            "next": _next_url(request, debate.url or "/"),
        },
    )
    if error is not None:
        response.status_code = error.status
    return response


# ---- Reactions ----


def _reaction(request: HttpRequest, comment_id: int, action) -> HttpResponse:
    comment = _comment_get(comment_id)
    try:
        debate = rules.comment_debate(comment)
        result = action(user=request.user, comment=comment)
    except DebatePage.DoesNotExist:
        return refusal_response(
            request, DebateActionError(_("This comment is not part of a debate."), code="no-debate")
        )
    except DebateActionError as error:
        if _wants_json(request):
            return JsonResponse(
                {"error": error.code, "message": error.message}, status=error.status
            )
        return refusal_response(request, error)
    if _wants_json(request):
        return JsonResponse({"ok": True, "on": result})
    return HttpResponseRedirect(_comment_url(request, comment, debate))


@require_POST
def comment_like(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _reaction(request, comment_id, commenting.comment_like)


@require_POST
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    return comment_report_ask(request, comment_id)


# ---- Moderation ----


def _moderation(request: HttpRequest, comment_id: int, form_class, action) -> HttpResponse:
    comment = _comment_get(comment_id)
    try:
        rules.moderator_check(request.user)
        form = form_class(request.POST) if form_class else None
        if form is not None and not form.is_valid():
            raise DebateActionError(
                _("Give the reason readers will see in place of the comment."),
                code="reason-required",
                status=400,
            )
        action(comment=comment, data=form.cleaned_data if form else {})
    except DebateActionError as error:
        return refusal_response(request, error)
    debate = rules.comment_debate(comment)
    return HttpResponseRedirect(_comment_url(request, comment, debate))


@require_POST
def comment_hide(request: HttpRequest, comment_id: int) -> HttpResponse:
    def action(*, comment, data):
        moderation.comment_hide(moderator=request.user, comment=comment, reason=data["reason"])
        messages.success(request, _("The comment is hidden; its replies stay visible."))

    return _moderation(request, comment_id, HideForm, action)


@require_POST
def comment_unhide(request: HttpRequest, comment_id: int) -> HttpResponse:
    def action(*, comment, data):
        moderation.comment_unhide(moderator=request.user, comment=comment)
        messages.success(request, _("The comment is visible again."))

    return _moderation(request, comment_id, None, action)


@require_POST
def comment_flags_dismiss(request: HttpRequest, comment_id: int) -> HttpResponse:
    def action(*, comment, data):
        moderation.comment_flags_dismiss(moderator=request.user, comment=comment)
        messages.success(request, _("The flags were dismissed."))

    return _moderation(request, comment_id, None, action)


@require_POST
def user_block(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(get_user_model(), pk=user_id)
    form = BlockForm(request.POST)
    try:
        rules.moderator_check(request.user)
        moderation.user_block(
            moderator=request.user,
            user=target,
            reason=form.data.get("reason", "") if form.is_valid() else "",
        )
    except DebateActionError as error:
        return refusal_response(request, error)
    messages.success(request, _("The user is blocked from taking part."))
    return HttpResponseRedirect(_next_url(request, "/"))


@require_POST
def user_unblock(request: HttpRequest, user_id: int) -> HttpResponse:
    target = get_object_or_404(get_user_model(), pk=user_id)
    try:
        moderation.user_unblock(moderator=request.user, user=target)
    except DebateActionError as error:
        return refusal_response(request, error)
    messages.success(request, _("The user may take part again."))
    return HttpResponseRedirect(_next_url(request, "/"))


@require_POST
def debate_close(request: HttpRequest, debate_id: int) -> HttpResponse:
    debate = get_object_or_404(DebatePage, pk=debate_id)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        debate = moderation.debate_close(
            debate=debate,
            user=request.user,
            conclusions=form.cleaned_data.get("conclusions", ""),
            answer=form.cleaned_data.get("answer", ""),
        )
    except DebateActionError as error:
        return refusal_response(request, error)
    messages.success(request, _("The debate is closed and its conclusions are published."))
    return HttpResponseRedirect(_next_url(request, debate.url or "/"))


# ---- Following and e-mails ----


@require_POST
def debate_follow(request: HttpRequest, debate_id: int) -> HttpResponse:
    debate = get_object_or_404(DebatePage, pk=debate_id)
    follow = request.POST.get("follow") == "1"
    try:
        following.debate_follow_set(user=request.user, debate=debate, follow=follow)
    except DebateActionError as error:
        return refusal_response(request, error)
    messages.success(
        request,
        _("You follow this debate.") if follow else _("You no longer follow this debate."),
    )
    return HttpResponseRedirect(_next_url(request, debate.url or "/"))


# ---- Deleting one's own comment, reporting with a reason (confirmation pages) ----


def _language_from_next(request: HttpRequest) -> None:
    """These pages live outside the language prefix (as every debate action does): show
    them in the language of the debate page the person came from (its `next` path)."""
    candidate = _next_url(request, "")
    prefix = candidate.split("/")[1] if candidate.startswith("/") else ""
    if prefix in {code for code, _name in settings.LANGUAGES}:
        translation.activate(prefix)
        request.LANGUAGE_CODE = prefix


def _comment_excerpt(comment: XtdComment) -> str:
    return comment_plain_text(comment.comment)[:400]


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: ask to confirm; POST: delete. The rules are commenting.comment_delete_authorize."""
    _language_from_next(request)
    comment = _comment_get(comment_id)
    try:
        commenting.comment_delete_authorize(user=request.user, comment=comment)
    except DebateActionError as error:
        if error.code == "login-required" and request.method == "GET":
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return refusal_response(request, error)
    debate = rules.comment_debate(comment)
    if request.method == "POST":
        try:
            commenting.comment_delete(user=request.user, comment=comment)
        except DebateActionError as error:
            return refusal_response(request, error)
        messages.success(request, _("Your comment has been deleted. Its replies stay visible."))
        return HttpResponseRedirect(_comment_url(request, comment, debate))
    return render(
        request,
        "debates/comment_delete.html",
        {
            "comment": comment,
            "excerpt": _comment_excerpt(comment),
            "debate": debate,
            "replies": XtdComment.norel_objects.filter(parent_id=comment.pk)
            .exclude(pk=comment.pk)
            .count(),
            "next": _next_url(request, debate.url or "/"),
        },
    )


@require_http_methods(["GET", "POST"])
def comment_report(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET: the reasons to choose from; POST: the report (commenting.comment_report)."""
    _language_from_next(request)
    comment = _comment_get(comment_id)
    try:
        debate = rules.report_authorize(user=request.user, comment=comment)
    except DebatePage.DoesNotExist:
        raise Http404 from None
    except DebateActionError as error:
        if error.code == "login-required" and request.method == "GET":
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return refusal_response(request, error)
    error = None
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        try:
            commenting.comment_report(
                user=request.user,
                comment=comment,
                reason=request.POST.get("reason", ""),
                details=request.POST.get("details", ""),
            )
        except DebateActionError as refusal:
            if refusal.status == 403:
                return refusal_response(request, refusal)
            error = refusal
        else:
            messages.success(request, _("Thank you: the moderators will review this comment."))
            return HttpResponseRedirect(_comment_url(request, comment, debate))
    response = render(
        request,
        "debates/comment_report.html",
        {
            "form": form,
            "comment": comment,
            "excerpt": _comment_excerpt(comment),
            "debate": debate,
            "error": error,
            "next": _next_url(request, debate.url or "/"),
        },
    )
    if error is not None:
        response.status_code = error.status
    return response


def comment_report_ask(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A report posted to the old flag URL. With a reason, it is a report; without one (a
    button from a page rendered before reports had reasons), once the person may report,
    they are sent to the form that asks why."""
    if request.POST.get("reason"):
        return comment_report(request, comment_id)  # one place records reasons
    comment = _comment_get(comment_id)
    try:
        rules.report_authorize(user=request.user, comment=comment)
    except DebatePage.DoesNotExist:
        raise Http404 from None
    except DebateActionError as error:
        if _wants_json(request):
            return JsonResponse(
                {"error": error.code, "message": error.message}, status=error.status
            )
        return refusal_response(request, error)
    query = urlencode({"next": _next_url(request, "")}) if _next_url(request, "") else ""
    url = reverse("debates:comment-report", args=[comment.pk])
    return HttpResponseRedirect(f"{url}?{query}" if query else url)
