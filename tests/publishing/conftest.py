"""Fixtures of the publishing tests; the helpers themselves live in helpers.py."""

from tests.publishing.helpers import ckan_config, fake_ckan  # noqa: F401
