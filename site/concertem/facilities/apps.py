from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "concertem.facilities"
    label = "facilities"
    verbose_name = _("Facilities map")
    default_auto_field = "django.db.models.BigAutoField"
