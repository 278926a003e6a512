"""Thin signal receivers; the rules they apply live in services."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django_comments.signals import comment_will_be_posted

from debates.models import DebatePage


@receiver(comment_will_be_posted, dispatch_uid="debates.comment_will_be_posted")
def debate_comment_via_generic_endpoint_refuse(sender, comment, request, **kwargs) -> bool:
    """Refuse comments on debates sent to django-comments' generic endpoint.

    That endpoint can only answer a refusal with a bare 400, and it would skip the
    debate's rules (who may take part, rate limit, entity snapshot). Debate pages post
    to `debates:comment-post`, which applies `services.comment_authorize` and tells the
    person why when it refuses.
    """
    content_type = getattr(comment, "content_type", None)
    return content_type != ContentType.objects.get_for_model(DebatePage)
