"""HTTP for the e-mails: the preferences page, and the unsubscribe links e-mails carry
(the addresses of links already sent, under /debates/, keep working: email_urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from concertem.notifications import emails
from concertem.notifications.forms import EmailPreferencesForm
from debates.rules import DebateActionError, refusal_response


@login_required
@require_http_methods(["GET", "POST"])
def email_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EmailPreferencesForm(request.POST)
        if form.is_valid():
            for source, frequency in form.chosen().items():
                emails.email_frequency_set(user=request.user, source=source, frequency=frequency)
            messages.success(request, _("Your e-mail preferences are saved."))
            return HttpResponseRedirect(request.path)
    else:
        form = EmailPreferencesForm(initial=emails.email_frequencies(request.user))
    follows = request.user.debate_follows.select_related("debate")
    return render(
        request, "notifications/email_preferences.html", {"form": form, "follows": follows}
    )


def email_preferences_redirect(request: HttpRequest) -> HttpResponse:
    """The older preference pages (/debates/notifications/, /office/notifications/), with
    their query (``?language=``, ``?next=``)."""
    query = request.META.get("QUERY_STRING", "")
    target = reverse("emails:preferences")
    return HttpResponseRedirect(f"{target}?{query}" if query else target)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        target = emails.unsubscribe_token_read(token)
    except DebateActionError as error:
        return refusal_response(request, error)
    done = False
    if request.method == "POST":
        emails.unsubscribe_apply(target)
        done = True
    return render(request, "notifications/unsubscribe.html", {"target": target, "done": done})
