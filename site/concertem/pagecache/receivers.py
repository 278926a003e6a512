"""What invalidates cached pages: every committed write the pages could show.

Rather than a list of what pages show (which the next feature would forget to extend),
every model save, delete and many-to-many change invalidates, except the few models
that are never on a public page (sessions, logs, task rows, drafts' revisions, image
renditions made while a page renders) and the comment models, which invalidate only
the pages of their debate and the pages showing comments (cache.py, "Scopes").
Writes that bypass signals (``QuerySet.update``, files written by an import or a
publish) call ``page_cache_invalidate`` themselves.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from concertem.pagecache.cache import (
    SCOPE_COMMENTS,
    SCOPE_SITE,
    debate_scope,
    page_cache_invalidate,
)

# Never shown to anonymous readers, or written while a page is being read. App labels, not
# module names: django-tasks-db's label is "django_tasks_database" (its task rows, written
# by every enqueue and by the worker claiming and finishing each task).
IGNORED_APPS = {
    "sessions",
    "admin",
    "axes",
    "django_tasks_database",
    "notifications",
    "wagtailsearch",
}
IGNORED_MODELS = {
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.pagesubscription",
    "wagtailcore.taskstate",
    "wagtailcore.workflowstate",
    "wagtailcore.comment",  # editors' comments in the page editor
    "wagtailcore.commentreply",
    "wagtailadmin.editingsession",
    "wagtailusers.userprofile",
    "wagtailimages.rendition",
    "debates.commentsversion",  # the threads cache's own version, created on first read
    "dataportal.publishrun",  # a run's log and heartbeat; its end invalidates (publish_services)
    # An upload checked in the data bank's admin (a dry run); applying or undoing it bumps
    # the data version, which invalidates (concertem.databank.services.version_bump).
    "databank.import",
}
COMMENT_APPS = {"django_comments", "django_comments_xtd"}


def scopes_of(instance, update_fields=None) -> list[str]:
    meta = instance._meta
    label = meta.label_lower
    if meta.app_label in IGNORED_APPS or label in IGNORED_MODELS:
        return []
    if label == "auth.user" and update_fields and set(update_fields) <= {"last_login"}:
        return []  # a login
    if meta.app_label in COMMENT_APPS:
        comment = instance if hasattr(instance, "object_pk") else getattr(instance, "comment", None)
        debate_id = getattr(comment, "object_pk", None)
        return [SCOPE_COMMENTS, *debate_scopes(debate_id)]
    if meta.app_label == "debates" and getattr(instance, "debate_id", None):
        return [SCOPE_COMMENTS, *debate_scopes(instance.debate_id)]
    return [SCOPE_SITE]


def debate_scopes(debate_id) -> list[str]:
    """The debate's scope, shared by its translations (keyed on its translation key)."""
    from debates.models import DebatePage

    if debate_id is None or not str(debate_id).isdigit():
        return []
    key = DebatePage.objects.filter(pk=int(debate_id)).values_list("translation_key", flat=True)
    return [debate_scope(found) for found in key[:1]]


def on_write(sender, instance=None, update_fields=None, raw=False, **kwargs) -> None:
    if raw or instance is None:
        return  # fixtures loading
    for scope in scopes_of(instance, update_fields):
        page_cache_invalidate(scope)


def on_page_change(sender, **kwargs) -> None:
    page_cache_invalidate(SCOPE_SITE)


post_save.connect(on_write, dispatch_uid="pagecache.post_save")
post_delete.connect(on_write, dispatch_uid="pagecache.post_delete")
m2m_changed.connect(on_write, dispatch_uid="pagecache.m2m_changed")
page_published.connect(on_page_change, dispatch_uid="pagecache.page_published")
page_unpublished.connect(on_page_change, dispatch_uid="pagecache.page_unpublished")
post_page_move.connect(on_page_change, dispatch_uid="pagecache.post_page_move")
