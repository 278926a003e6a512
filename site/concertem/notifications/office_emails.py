"""The office's e-mails: one per change to a support request (or the daily digest), and
the reminders of idle requests. Called by the receivers of `concertem.office.signals`; who hears
about what is the office's rule (concertem.office.notifications)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from concertem.notifications.emails import email_frequency, email_send, pending_add
from concertem.notifications.models import EmailFrequency, EmailSource, PendingEmail
from concertem.office.models import RequestState, SupportRequest
from concertem.office.notifications import request_url
from debates.user_language import user_language


def request_emails_send(
    *, request: SupportRequest, recipients: list[AbstractBaseUser], actor_id: int | None, text: str
) -> int:
    """Tell everyone concerned about one change; returns how many e-mails went out now."""
    sent = 0
    for user in recipients:
        if user.pk == actor_id:
            continue
        frequency = email_frequency(user, EmailSource.OFFICE)
        if frequency == EmailFrequency.NEVER:
            continue
        if frequency == EmailFrequency.DAILY:
            pending_add(user=user, source=EmailSource.OFFICE, request=request, text=text)
            continue
        email_send(
            user=user,
            subject=_subject_of(request, user_language(user)),
            template="office/email/change.txt",
            context={"request": request, "items": [text], "url": request_url(request)},
        )
        sent += 1
    return sent


def _subject_of(request: SupportRequest, language: str) -> str:
    with translation.override(language):
        return _("[%(reference)s] %(state)s · %(subject)s") % {
            "reference": request.reference,
            "state": RequestState(request.state).label,
            "subject": request.subject[:80],
        }


def office_digests_send() -> int:
    """One e-mail per person with every change waiting for them; returns e-mails sent."""
    sent = 0
    queue = PendingEmail.objects.filter(source=EmailSource.OFFICE)
    for user_id in list(queue.values_list("user_id", flat=True).distinct()):
        with transaction.atomic():
            pending = list(
                queue.filter(user_id=user_id)
                .select_related("user", "request")
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            user = pending[0].user
            groups: dict[int, dict] = {}
            for item in pending:
                if item.request is None:
                    continue
                group = groups.setdefault(
                    item.request_id,
                    {"request": item.request, "items": [], "url": request_url(item.request)},
                )
                group["items"].append(item.text)
            if groups and user.is_active and user.email:
                with translation.override(user_language(user)):
                    subject = _("Concertem: %(count)s support request(s) changed") % {
                        "count": len(groups)
                    }
                email_send(
                    user=user,
                    subject=subject,
                    template="office/email/digest.txt",
                    context={"groups": list(groups.values())},
                )
                sent += 1
            PendingEmail.objects.filter(pk__in=[item.pk for item in pending]).delete()
    return sent


def reminder_send(*, request: SupportRequest, user: AbstractBaseUser, idle_days: int) -> bool:
    """A reminder always goes at once, whatever the person chose for the changes."""
    with translation.override(user_language(user)):
        subject = _("Reminder: %(reference)s has had no activity for %(days)s days") % {
            "reference": request.reference,
            "days": idle_days,
        }
    return email_send(
        user=user,
        subject=subject,
        template="office/email/reminder.txt",
        context={"request": request, "days": idle_days, "url": request_url(request)},
    )
