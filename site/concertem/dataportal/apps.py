from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataPortalConfig(AppConfig):
    name = "concertem.dataportal"
    label = "dataportal"
    verbose_name = _("Open data portal")
    default_auto_field = "django.db.models.BigAutoField"
