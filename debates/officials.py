"""Officials: registering a user as the official of a local entity, and verifying them."""

from __future__ import annotations

import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from debates.models import (
    ModerationAction,
    Official,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def official_register(
    *,
    user: AbstractBaseUser,
    entity_code: str,
    role: str,
    invited_by: AbstractBaseUser | None = None,
    position: str = "",
    verified: bool = False,
) -> Official:
    official, _created = Official.objects.get_or_create(
        user=user,
        defaults={
            "entity_code": entity_code,
            "role": role,
            "invited_by": invited_by,
            "position": position,
        },
    )
    official.entity_code = entity_code
    official.role = role
    official.position = position
    official.full_clean()
    official.save()
    if verified and not official.verified:
        official_verify(official=official, verifier=invited_by)
    return official


@transaction.atomic
def official_verify(*, official: Official, verifier: AbstractBaseUser | None) -> Official:
    official.verified = True
    official.verified_at = timezone.now()
    official.verified_by = verifier
    official.save(update_fields=["verified", "verified_at", "verified_by", "updated_at"])
    ModerationAction.objects.create(
        action=ModerationAction.Action.VERIFY,
        actor=verifier,
        target_user=official.user,
        reason=f"{official.get_role_display()}, {official.entity_name}",
    )
    return official
