"""Editors build surveys and manage actions in the Wagtail admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.test.utils import WagtailPageTestCase

from concertem.cooperation.models import CooperationIndexPage
from concertem.facilities.models import FacilityMapPage
from concertem.surveys.models import SurveyPage

pytestmark = pytest.mark.django_db


class PageTreeRulesTest(WagtailPageTestCase):
    def test_pages_are_leaves_under_the_home_page(self):
        for page_type in (SurveyPage, FacilityMapPage, CooperationIndexPage):
            assert page_type.parent_page_types == ["home.HomePage"]
            self.assertAllowedSubpageTypes(page_type, set())


@pytest.fixture
def editor_client(client, demo_site):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def test_editor_edits_a_demo_survey_and_an_action(editor_client, demo_site):
    from concertem.cooperation.demo import demo_cooperation_load
    from concertem.cooperation.models import CooperationAction
    from concertem.surveys.demo import demo_surveys_load

    survey = demo_surveys_load(demo_site)["ca"]
    response = editor_client.get(f"/admin/pages/{survey.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "questions-FORMS" in html and "entity_codes" in html
    demo_cooperation_load(demo_site)
    action = CooperationAction.objects.first()
    response = editor_client.get(f"/admin/snippets/cooperation/cooperationaction/edit/{action.pk}/")
    assert response.status_code == 200
    assert "milestones-FORMS" in response.content.decode()
