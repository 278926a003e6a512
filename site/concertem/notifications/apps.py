from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The officials' and agents' own corner: in-app notifications (the bell) and the
    "my municipality" / "my territory" pages that gather what concerns them."""

    name = "concertem.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from concertem.notifications import receivers  # noqa: F401  (connects the signal receivers)
