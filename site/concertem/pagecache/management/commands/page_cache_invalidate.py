"""Stop serving cached pages after a change made outside the site (a CLI publish or
import that wrote files): ``manage.py page_cache_invalidate [scope]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from concertem.pagecache.cache import SCOPE_SITE, page_cache_invalidate


class Command(BaseCommand):
    help = "Invalidate the cached pages of a scope (default: site, i.e. every page)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("scope", nargs="?", default=SCOPE_SITE)

    def handle(self, *args, scope: str, **options) -> None:
        page_cache_invalidate(scope)
        self.stdout.write(f"page cache: {scope} invalidated")
