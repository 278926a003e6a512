"""Tell the page cache what a Wagtail page depends on, before it is rendered."""

from __future__ import annotations

from django.utils import timezone
from wagtail import hooks

from concertem.pagecache.middleware import page_cache_expire_by, page_depends_on_debate
from debates.models import DebatePage


@hooks.register("before_serve_page")
def page_cache_dependencies_note(page, request, serve_args, serve_kwargs) -> None:
    if isinstance(page, DebatePage):
        page_depends_on_debate(request, page.translation_key)
        # A debate opens and closes with the clock, not with a write: its page is not
        # kept past the next of those moments.
        now = timezone.now()
        moments = [m for m in (page.opens_at, page.closes_at) if m is not None and m > now]
        if moments:
            page_cache_expire_by(request, min(moments))
