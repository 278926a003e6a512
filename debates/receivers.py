"""Thin signal receivers; the rules they apply live in rules.py and the write modules."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_comments.models import CommentFlag
from django_comments.signals import comment_will_be_posted
from django_comments_xtd.models import DISLIKEDIT_FLAG, LIKEDIT_FLAG, XtdComment

from debates.models import CommentDetail, DebatePage
from debates.threads_cache import comments_version_bump


@receiver(comment_will_be_posted, dispatch_uid="debates.comment_will_be_posted")
def debate_comment_via_generic_endpoint_refuse(sender, comment, request, **kwargs) -> bool:
    """Refuse comments on debates sent to django-comments' generic endpoint.

    That endpoint can only answer a refusal with a bare 400, and it would skip the
    debate's rules (who may take part, rate limit, entity snapshot). Debate pages post
    to `debates:comment-post`, which applies `rules.comment_authorize` and tells the
    person why when it refuses.
    """
    content_type = getattr(comment, "content_type", None)
    return content_type != ContentType.objects.get_for_model(DebatePage)


# ---- What anonymous readers see changed: a new comments version ----


def _debate_comment_id(comment) -> int | None:
    """The debate a comment belongs to, or None for a comment on anything else."""
    if comment.content_type_id != ContentType.objects.get_for_model(DebatePage).pk:
        return None
    return int(comment.object_pk) if str(comment.object_pk).isdigit() else None


@receiver(post_save, sender=XtdComment, dispatch_uid="debates.comment_saved")
@receiver(post_delete, sender=XtdComment, dispatch_uid="debates.comment_deleted")
def comments_version_on_comment(sender, instance, **kwargs) -> None:
    debate_id = _debate_comment_id(instance)
    if debate_id is not None:
        comments_version_bump(debate_id)


@receiver(post_save, sender=CommentDetail, dispatch_uid="debates.detail_saved")
@receiver(post_delete, sender=CommentDetail, dispatch_uid="debates.detail_deleted")
def comments_version_on_detail(sender, instance, **kwargs) -> None:
    comments_version_bump(instance.debate_id)


@receiver(post_save, sender=CommentFlag, dispatch_uid="debates.flag_saved")
@receiver(post_delete, sender=CommentFlag, dispatch_uid="debates.flag_deleted")
def comments_version_on_reaction(sender, instance, **kwargs) -> None:
    # Reports (flags) are shown to moderators only, who never get cached threads.
    if instance.flag not in (LIKEDIT_FLAG, DISLIKEDIT_FLAG):
        return
    comment = XtdComment.norel_objects.filter(pk=instance.comment_id).first()
    debate_id = _debate_comment_id(comment) if comment else None
    if debate_id is not None:
        comments_version_bump(debate_id)
