"""The apps whose blocks the StreamFields use must be installed (issue 15)."""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command

from concertem.home.checks import block_apps_check


def test_the_project_passes_django_check():
    call_command("check", fail_level="ERROR")


def test_check_fails_when_the_table_block_app_is_not_installed():
    installed = {config.name for config in apps.get_app_configs()}
    errors = block_apps_check(installed=installed - {"wagtail.contrib.typed_table_block"})
    assert errors, "the check did not notice the missing app"
    assert {error.id for error in errors} == {"home.E001"}
    messages = " ".join(error.msg for error in errors)
    assert "wagtail.contrib.typed_table_block" in messages
    assert "home.StandardPage.body" in messages
    assert "debates.DebatePage.context" in messages


def test_check_is_silent_with_the_real_settings():
    assert block_apps_check() == []
