import pytest


@pytest.fixture
def portal_site(db):
    from concertem.dataportal.demo_content import portal_pages_load
    from concertem.home.demo_content import demo_site_load

    homes = demo_site_load()
    return portal_pages_load(homes)
