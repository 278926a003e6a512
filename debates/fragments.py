"""HTML fragments of a debate's threads, for the page's script (debates.js).

- GET /debates/<id>/comments/?after=<root> : the next window of threads;
  ?thread=<root>&from=<order> : the next replies of one thread. Each link that asks for
  one is a real <a href> to the full page (?after=, ?thread=&upto=), which works without
  JavaScript; the fragment is the same HTML, without the page around it.
- A reply posted with the FRAGMENT_HEADER comes back as the new comment alone (201), or
  as the refusal, in the page's language, for the script to show next to the form.

Access is the page's: the same Wagtail serve hooks (privacy, the page cache's notes) and
the same space rule (restricted spaces) run before anything is read.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_GET
from django_comments_xtd.models import XtdComment
from wagtail import hooks

from debates import rules
from debates.forms import DebateCommentForm
from debates.models import DebatePage
from debates.rules import DebateActionError
from debates.threads import (
    WindowSpec,
    comment_node_read,
    debate_permissions,
    id_param,
    replies_window_read,
    thread_window_read,
)

FRAGMENT_HEADER = "X-Debate-Fragment"


def fragment_language_activate(request: HttpRequest, debate: DebatePage) -> None:
    """These routes live outside the language prefix: answer in the page's language."""
    language = debate.locale.language_code
    translation.activate(language)
    request.LANGUAGE_CODE = language


def _fragment_response(html: str, *, status: int = 200) -> HttpResponse:
    response = HttpResponse(html, status=status, content_type="text/html; charset=utf-8")
    response[FRAGMENT_HEADER] = "1"
    response["Cache-Control"] = "private, no-cache"
    return response


def _common_context(request: HttpRequest, debate: DebatePage, canonical: DebatePage) -> dict:
    form = DebateCommentForm(canonical)
    return {
        "page": debate,
        # The page's path, not this route's: links and forms of the comments go back to it.
        "here": debate.get_url(request) or "/",
        "request": request,
        "comment_security": {name: form[name].value() for name in form.SECURITY_FIELDS},
        "max_length": rules.comment_max_length(),
    }


@require_GET
def comments_fragment(request: HttpRequest, debate_id: int) -> HttpResponse:
    debate = get_object_or_404(DebatePage, pk=debate_id)
    if not debate.live:
        raise Http404("No such debate.")
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(debate, request, (), {})
        if isinstance(result, HttpResponse):
            return result  # Wagtail's page privacy: as the page would answer
    denial = rules.space_read_denial(request=request, space=rules.debate_space(debate))
    if denial is not None:
        return denial
    fragment_language_activate(request, debate)
    canonical = rules.debate_canonical(debate)
    permissions = debate_permissions(user=request.user, debate=canonical)
    context = _common_context(request, debate, canonical)
    context["permissions"] = permissions
    thread = id_param(request.GET, "thread")
    if thread is not None:
        raw_from = request.GET.get("from", "")
        if not (raw_from.isascii() and raw_from.isdigit() and len(raw_from) < 10):
            raise BadRequest("from: not a position")
        context["replies"] = replies_window_read(
            debate=canonical,
            user=request.user,
            thread_id=thread,
            after_order=int(raw_from),
            permissions=permissions,
        )
    else:
        context["threads"] = thread_window_read(
            debate=canonical,
            user=request.user,
            spec=WindowSpec(after=id_param(request.GET, "after")),
            permissions=permissions,
        )
    html = render_to_string("debates/includes/comments_fragment.html", context, request=request)
    return _fragment_response(html)


def comment_posted_fragment(
    request: HttpRequest, debate: DebatePage, comment: XtdComment
) -> HttpResponse:
    """The comment just posted, as the thread shows it, for the script to insert."""
    fragment_language_activate(request, debate)
    canonical = rules.debate_canonical(debate)
    permissions = debate_permissions(user=request.user, debate=canonical)
    context = _common_context(request, debate, canonical)
    context["permissions"] = permissions
    context["node"] = comment_node_read(comment=comment, user=request.user, permissions=permissions)
    html = render_to_string("debates/includes/comment.html", context, request=request)
    return _fragment_response(html, status=201)


def comment_error_fragment(
    request: HttpRequest, debate: DebatePage, error: DebateActionError
) -> HttpResponse:
    """Why the comment was not published, in the page's language; the script shows it
    next to the form and leaves the text where it is."""
    fragment_language_activate(request, debate)
    html = render_to_string(
        "debates/includes/comment_error.html",
        {"error": error, "next": debate.url or "/"},
        request=request,
    )
    return _fragment_response(html, status=error.status)
