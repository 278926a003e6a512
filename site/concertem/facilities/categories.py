"""Translated labels of the register's codes (the data domain keeps codes only)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CATEGORY_LABELS = {
    "sport": _("Sport"),
    "culture": _("Culture"),
    "education": _("Education"),
    "health": _("Health"),
    "social": _("Social services and community"),
    "administration": _("Administration and public services"),
    "information": _("Information and citizen services"),
    "parks": _("Parks and playgrounds"),
    "other": _("Other"),
}
OWNER_LABELS = {
    "": _("Not stated"),
    "municipal": _("Municipal"),
    "provincial": _("Provincial council"),
    "regional": _("Generalitat"),
    "state": _("State"),
    "private": _("Private"),
    "other": _("Other"),
}
ACCESSIBILITY_LABELS = {
    "": _("Unknown"),
    "accessible": _("Accessible"),
    "partial": _("Partly accessible"),
    "not_accessible": _("Not accessible"),
}
SOURCE_LABELS = {
    "gencat-equipaments-piscines": _(
        "Generalitat de Catalunya, Equipaments de Catalunya (swimming-pool sites)"
    ),
    "opendatabcn-equipaments": _("Ajuntament de Barcelona, Open Data BCN (facility lists)"),
}
