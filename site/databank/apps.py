from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabankConfig(AppConfig):
    name = "databank"
    label = "databank"
    verbose_name = _("Data bank")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from databank.models import Indicator
        from databank.services import version_bump

        # A catalogue edit changes what every server shows: count it like an import.
        def bump(sender, **kwargs) -> None:
            version_bump()

        post_save.connect(
            bump, sender=Indicator, weak=False, dispatch_uid="databank-indicator-saved"
        )
        post_delete.connect(
            bump, sender=Indicator, weak=False, dispatch_uid="databank-indicator-deleted"
        )
