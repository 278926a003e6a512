"""E-mails to people, whatever wrote them (debates, office): the preference of each
person for each source, the queue of the daily digests, the one sender, and the signed
unsubscribe links.

What each source says is composed in `debate_emails.py` and `office_emails.py`; the
sources only announce what happened (debates.signals, concertem.office.signals) and the receivers
(receivers.py) call those.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from concertem.notifications.models import (
    FREQUENCY_DEFAULTS,
    EmailFrequency,
    EmailPreference,
    EmailSource,
    PendingEmail,
)
from debates.following import debate_follow_set
from debates.models import DebatePage
from debates.rules import DebateActionError
from debates.user_language import user_language

logger = logging.getLogger(__name__)

# The salt the links already sent by the debates were signed with: they keep working.
UNSUBSCRIBE_SALT = "debates.unsubscribe"


def absolute_url(path: str) -> str:
    """A site path as the full address an e-mail needs."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{path}"


def preferences_url() -> str:
    return absolute_url(reverse("emails:preferences"))


# ---- Preferences ----


def email_frequency(user: AbstractBaseUser, source: str) -> str:
    preference = EmailPreference.objects.filter(user=user, source=source).first()
    return preference.frequency if preference else FREQUENCY_DEFAULTS[source]


def email_frequencies(user: AbstractBaseUser) -> dict[str, str]:
    """Each source's frequency for this person (the default where they chose none)."""
    chosen = dict(EmailPreference.objects.filter(user=user).values_list("source", "frequency"))
    return {source: chosen.get(source, default) for source, default in FREQUENCY_DEFAULTS.items()}


def email_frequency_set(*, user: AbstractBaseUser, source: str, frequency: str) -> None:
    if source not in EmailSource.values or frequency not in EmailFrequency.values:
        raise ValueError(f"unknown e-mail source or frequency: {source!r}, {frequency!r}")
    EmailPreference.objects.update_or_create(
        user=user, source=source, defaults={"frequency": frequency}
    )


# ---- The digest queue ----


def pending_add(
    *, user: AbstractBaseUser, source: str, comment=None, request=None, text: str = ""
) -> None:
    """Keep something for the person's next digest of that source (a comment only once)."""
    if comment is not None:
        PendingEmail.objects.get_or_create(
            user=user, comment=comment, defaults={"source": source, "text": text}
        )
    else:
        PendingEmail.objects.create(user=user, source=source, request=request, text=text)


# ---- Sending ----


def email_send(
    *,
    user: AbstractBaseUser,
    subject: str,
    template: str,
    context: dict,
    unsubscribe_url: str = "",
) -> bool:
    """Write one e-mail in the language the person reads the site in; False when it could
    not be sent (logged: one unreachable mailbox must not stop the others)."""
    with translation.override(user_language(user)):
        context = {**context, "user": user, "preferences_url": preferences_url()}
        body = render_to_string(template, context)
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    try:
        message.send()
    except Exception:
        logger.exception("notifications: could not send %r to user %s", subject, user.pk)
        return False
    return True


# ---- Unsubscribe links (the debates' e-mails carry them) ----


@dataclass(frozen=True)
class UnsubscribeRequest:
    user: AbstractBaseUser
    debate: DebatePage | None


def unsubscribe_token_make(*, user: AbstractBaseUser, debate: DebatePage | None = None) -> str:
    """A link to stop the e-mails about one debate, or (no debate) about all of them."""
    return signing.dumps({"u": user.pk, "d": debate.pk if debate else 0}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user: AbstractBaseUser, debate: DebatePage | None = None) -> str:
    token = unsubscribe_token_make(user=user, debate=debate)
    return absolute_url(reverse("emails:unsubscribe", args=[token]))


def unsubscribe_token_days() -> int:
    """How long an unsubscribe link in an e-mail keeps working."""
    return int(getattr(settings, "DEBATES_UNSUBSCRIBE_DAYS", 60))


def unsubscribe_token_read(token: str) -> UnsubscribeRequest:
    days = unsubscribe_token_days()
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=days * 24 * 3600)
    except signing.SignatureExpired as error:
        raise DebateActionError(
            _(
                "This unsubscribe link has expired (links work for %(days)s days). Log in and "
                "choose which e-mails you receive from your account."
            )
            % {"days": days},
            code="unsubscribe-expired",
            status=400,
        ) from error
    except signing.BadSignature:
        data = None
    try:
        if data is None:
            raise signing.BadSignature("unsubscribe token")
        user = get_user_model().objects.get(pk=data["u"])
        debate = DebatePage.objects.filter(pk=data["d"]).first() if data.get("d") else None
    except (signing.BadSignature, KeyError, TypeError, ValueError, ObjectDoesNotExist) as error:
        raise DebateActionError(
            _("This unsubscribe link is not valid. Manage your e-mails from your account."),
            code="unsubscribe-invalid",
            status=400,
        ) from error
    return UnsubscribeRequest(user=user, debate=debate)


def unsubscribe_apply(target: UnsubscribeRequest) -> None:
    """Stop following the one debate, or stop every e-mail about the debates."""
    if target.debate is not None:
        debate_follow_set(user=target.user, debate=target.debate, follow=False)
    else:
        email_frequency_set(
            user=target.user, source=EmailSource.DEBATES, frequency=EmailFrequency.NEVER
        )
