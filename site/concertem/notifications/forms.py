"""The e-mail preferences form: one choice per source, worded for that source."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concertem.notifications.models import EmailFrequency, EmailSource


class EmailPreferencesForm(forms.Form):
    # Field names are the sources (EmailSource values).
    debates = forms.ChoiceField(
        label=_("E-mail notifications"),
        choices=[
            (EmailFrequency.IMMEDIATE, _("One e-mail per new comment")),
            (EmailFrequency.DAILY, _("A daily digest")),
            (EmailFrequency.NEVER, _("No e-mails")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    office = forms.ChoiceField(
        label=_("E-mails about support requests"),
        choices=[
            (EmailFrequency.IMMEDIATE, _("One e-mail for each change")),
            (EmailFrequency.DAILY, _("A daily digest")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )

    def chosen(self) -> dict[str, str]:
        """The frequencies sent, by source (a source left out keeps its choice)."""
        return {
            source: self.cleaned_data[source]
            for source in EmailSource.values
            if self.cleaned_data.get(source)
        }
