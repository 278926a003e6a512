from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "concertem.surveys"
    label = "surveys"
    verbose_name = _("Citizen-satisfaction surveys")
    default_auto_field = "django.db.models.BigAutoField"
