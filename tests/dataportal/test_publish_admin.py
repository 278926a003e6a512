"""Publishing from the Wagtail admin: permissions, the background run, its outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from concertem.dataportal.models import PublishRun
from concertem.dataportal.publish_services import publish_runs_reap

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/publish/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_admin_user_without_the_permission_gets_403(client, outsider):
    client.force_login(outsider)
    assert client.get("/admin/publish/").status_code == 403
    assert client.post("/admin/publish/", {"dry_run": "1"}).status_code == 403
    assert PublishRun.objects.count() == 0


def test_editor_sees_the_publish_screen(client, editor):
    client.force_login(editor)
    html = client.get("/admin/publish/").content.decode()
    assert 'value="territory"' in html


def test_unreachable_ckan_ends_the_run_as_failed_with_a_reason(
    client, editor, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("CKAN_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CKAN_API_KEY", "x")
    monkeypatch.setenv("CKAN_OWNER_ORG", "diputacio-barcelona")
    monkeypatch.setenv("CKAN_RETRIES", "0")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/publish/", {"only": ["territory"], "dry_run": "1"})
    run = PublishRun.objects.get()
    assert response["Location"].endswith(f"/admin/publish/{run.pk}/")
    assert run.status == PublishRun.Status.FAILED
    assert "ckan-unavailable" in run.error
    assert run.log  # the pipeline said what it did before CKAN failed
    # The same pipeline as `make demo`: the database-held datasets are exported first.
    assert "[export] ==> export_debate_contributions" in run.log
    assert run.log.index("[export]") < run.log.index("[build]")
    page = client.get(f"/admin/publish/{run.pk}/").content.decode()
    assert 'data-status="failed"' in page


def test_a_run_whose_worker_died_is_marked_failed():
    stale = PublishRun.objects.create(
        status=PublishRun.Status.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    alive = PublishRun.objects.create(status=PublishRun.Status.RUNNING, heartbeat_at=timezone.now())
    assert publish_runs_reap() == 1
    stale.refresh_from_db()
    alive.refresh_from_db()
    assert stale.status == PublishRun.Status.FAILED and "worker stopped" in stale.error
    assert alive.status == PublishRun.Status.RUNNING


@pytest.mark.integration
def test_editor_publishes_a_dataset_to_the_real_ckan(
    client, editor, ckan_server, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("CKAN_URL", ckan_server.url)
    monkeypatch.setenv("CKAN_API_KEY", ckan_server.api_key)
    monkeypatch.setenv("CKAN_OWNER_ORG", ckan_server.owner_org)
    monkeypatch.setenv("CKAN_DATASET_PREFIX", "admin-test-")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/publish/", {"only": ["sdg-framework"]})
    run = PublishRun.objects.get()
    assert run.status == PublishRun.Status.SUCCEEDED, run.error + run.log
    (result,) = run.summary["datasets"]
    assert result["name"] == "sdg-framework"
    assert result["status"] in ("created", "updated", "unchanged")
    # A second run with nothing changed uploads nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/publish/", {"only": ["sdg-framework"]})
    second = PublishRun.objects.order_by("-pk").first()
    assert second.status == PublishRun.Status.SUCCEEDED
    assert second.summary["bytes_uploaded"] == 0
    assert second.summary["datasets"][0]["status"] == "unchanged"
