"""Wagtail API v2: read-only JSON for pages, images and documents.

Each endpoint checks its query string before Wagtail reads it: integers (offset, limit,
ids, child_of...) must fit a database integer, and a search is at most a few words. Out of
bounds is a 400 with a message, never a 500 from the database or a RecursionError from
the search parser.
"""

from __future__ import annotations

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from concertem.common.params import (
    INT_MAX_DIGITS,
    SEARCH_MAX_CHARS,
    SEARCH_MAX_WORDS,
    int_or_none,
    search_text,
)
from debates.rules import pages_readable

NUMERIC_PARAMETERS = ("offset", "limit")


def api_parameters_check(query) -> None:
    """Raise BadRequestError (a 400 from Wagtail's API) for out-of-bounds parameters."""
    for name in NUMERIC_PARAMETERS:
        raw = query.get(name)
        if raw not in (None, "") and (int_or_none(raw) is None or int_or_none(raw) < 0):
            raise BadRequestError(f"{name} must be a positive integer of at most 18 digits")
    for name, values in query.lists():
        for value in values:
            digits = value.strip().lstrip("-")
            if digits.isascii() and digits.isdigit() and len(digits) > INT_MAX_DIGITS:
                raise BadRequestError(f"{name} is too large a number")
    search = query.get("search")
    if search is not None and (
        len(search) > SEARCH_MAX_CHARS or len(search.split()) > SEARCH_MAX_WORDS
    ):
        raise BadRequestError(
            f"search must be at most {SEARCH_MAX_WORDS} words and {SEARCH_MAX_CHARS} characters"
        )


class CheckedParametersMixin:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        api_parameters_check(request.GET)
        search = request.GET.get("search")
        if search is not None and search_text(search) != search.strip():
            # Quotes would break the SQLite backend's FTS5 expression: search without them.
            query = request._request.GET.copy()
            query["search"] = search_text(search)
            request._request.GET = query


class ReadablePagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint without the restricted debate spaces the caller may not read.

    Wagtail leaves out private pages (view restrictions) but knows nothing of a space's
    invited entities, which DebateIndexPage.serve enforces: the listing, the detail, the
    `find` view, `child_of`/`descendant_of` and `search` all start from this queryset.
    """

    def get_base_queryset(self):
        return pages_readable(super().get_base_queryset(), user=self.request.user)


class CheckedImagesAPIViewSet(CheckedParametersMixin, ImagesAPIViewSet):
    pass


class CheckedDocumentsAPIViewSet(CheckedParametersMixin, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", ReadablePagesAPIViewSet)
# Documents in private collections are left out by Wagtail itself.
api_router.register_endpoint("images", CheckedImagesAPIViewSet)
api_router.register_endpoint("documents", CheckedDocumentsAPIViewSet)
