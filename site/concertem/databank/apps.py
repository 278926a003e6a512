from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DatabankConfig(AppConfig):
    name = "concertem.databank"
    label = "databank"
    verbose_name = _("Data bank")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from concertem.databank.models import Indicator
        from concertem.databank.services import version_bump

        # A catalogue edit changes what every server shows: count it like an import.
        def bump(sender, **kwargs) -> None:
            version_bump()

        post_save.connect(
            bump, sender=Indicator, weak=False, dispatch_uid="databank-indicator-saved"
        )
        post_delete.connect(
            bump, sender=Indicator, weak=False, dispatch_uid="databank-indicator-deleted"
        )
