"""Fixtures of the publishing tests; the helpers themselves live in helpers.py.

The local CKAN fixtures come from tests/ckan_fixtures.py (its session-end banner says when
integration tests were skipped because the server was not running).
"""

from tests.ckan_fixtures import ckan_client, ckan_server  # noqa: F401
from tests.publishing.catalogue_published import published_catalogue  # noqa: F401
from tests.publishing.helpers import ckan_config, fake_ckan  # noqa: F401
