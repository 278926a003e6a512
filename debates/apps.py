from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DebatesConfig(AppConfig):
    name = "debates"
    label = "debates"
    verbose_name = _("Debates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers are wired here, not at import of models, so that importing
        # the models (e.g. from a migration) never connects handlers twice.
        from debates import receivers  # noqa: F401
