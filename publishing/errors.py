"""Errors of the publishing pipeline. Each has a stable ``code``; tests check codes only.

They subclass ``DatasetError`` so that the ``concertem`` command prints them as one line
(no traceback) and exits 2, like every other error a user can act on.
"""

from __future__ import annotations

from datasets.errors import DatasetError


class PublishError(DatasetError):
    code = "publish-error"


class CkanConfigError(PublishError):
    """No CKAN to publish to: neither CKAN_URL nor a local server's server.json."""

    code = "ckan-config-missing"


class CkanUnavailableError(PublishError):
    """CKAN did not answer (down, timing out, 5xx) after every retry."""

    code = "ckan-unavailable"


class CkanNotAuthorizedError(PublishError):
    """Wrong API key, or its user may not edit the organisation."""

    code = "ckan-not-authorized"


class CkanOrganizationError(PublishError):
    """The owner organisation does not exist and the user may not create it."""

    code = "ckan-organization-missing"


class CkanRequestError(PublishError):
    """CKAN answered, but refused the request (a validation error, an unexpected reply)."""

    code = "ckan-request-failed"


class CkanNotFoundError(PublishError):
    code = "ckan-not-found"
