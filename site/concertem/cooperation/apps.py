from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "concertem.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation actions")
    default_auto_field = "django.db.models.BigAutoField"
