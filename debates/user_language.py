"""The language a person reads the site in, kept for what reaches them later (e-mails).

The locale middleware (site/concertem/config/language.py) remembers the language of the pages a
logged-in person reads; e-mails to them are written in it. It is kept in Wagtail's user
profile (``preferred_language``), which already exists for every user: for officials and
agents it has no other use; an editor's is their admin language and is left as they chose.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from wagtail.users.models import UserProfile


def user_language(user: AbstractBaseUser) -> str:
    """The user's language for e-mails: the one they last read the site in, else Catalan."""
    code = (
        UserProfile.objects.filter(user_id=user.pk)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def user_language_remember(user: AbstractBaseUser, language: str) -> None:
    """Remember ``language`` for a person who does not use the admin (see the docstring)."""
    if language not in dict(settings.LANGUAGES) or user.has_perm("wagtailadmin.access_admin"):
        return
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language})
