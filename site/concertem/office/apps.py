from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "concertem.office"
    label = "office"
    verbose_name = _("Office for attention to municipalities")
    default_auto_field = "django.db.models.BigAutoField"
