"""The office's URLs outside the page tree: attachments, open data.

(The e-mail preferences are the notifications app's; /office/notifications/ redirects there.)

No language prefix: e-mails link here, and the files are the same in every language.
"""

from django.urls import path

from concertem.office import views

app_name = "office"

urlpatterns = [
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("data/office_metrics.csv", views.metrics_csv, name="metrics-csv"),
    path("data/office_metrics.schema.json", views.metrics_schema, name="metrics-schema"),
    path("requests/", views.requests_redirect, name="requests"),
]
