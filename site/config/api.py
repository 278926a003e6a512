"""Wagtail API v2: read-only JSON for pages, images and documents."""

from __future__ import annotations

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from debates.services import pages_readable


class ReadablePagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's pages endpoint without the restricted debate spaces the caller may not read.

    Wagtail leaves out private pages (view restrictions) but knows nothing of a space's
    invited entities, which DebateIndexPage.serve enforces: the listing, the detail, the
    `find` view, `child_of`/`descendant_of` and `search` all start from this queryset.
    """

    def get_base_queryset(self):
        return pages_readable(super().get_base_queryset(), user=self.request.user)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ReadablePagesAPIViewSet)
# Documents in private collections are left out by Wagtail itself.
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
