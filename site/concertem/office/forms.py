"""Forms of the office's public pages. They parse and label; the rules are in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concertem.office.attachments import ALLOWED
from concertem.office.models import Area, Outcome, Service

ACCEPT = ",".join(f".{extension}" for extension in ALLOWED)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files in one input; each is checked by ``rules.attachments_check``."""

    widget = MultipleFileInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"multiple": True, "accept": ACCEPT})

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(AttachmentsField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def attachments_help() -> str:
    return _("Up to 5 files of 10 MB each: PDF, ODT, DOCX, XLSX, ODS, CSV, PNG or JPG.")


class RequestForm(forms.Form):
    # A code, not a ModelChoiceField: a POST naming a withdrawn service must be refused by
    # the service layer with a message that says so, not by the form as "invalid choice".
    service = forms.CharField(
        label=_("Service of the catalogue"), required=False, widget=forms.Select
    )
    area = forms.ChoiceField(
        label=_("Area (for a need outside the catalogue)"),
        choices=[("", "—"), *Area.choices],
        required=False,
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        required=False,
        help_text=_("A short title. Empty: the service's title."),
    )
    description = forms.CharField(
        label=_("What do you need?"),
        widget=forms.Textarea(attrs={"rows": 7}),
        max_length=5000,
        help_text=_("Describe the need, the deadline you face and who the contact person is."),
    )
    attachments = AttachmentsField(label=_("Attachments"), help_text=attachments_help)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("None: a need that is not in the catalogue"))]
        choices += [
            (service.code, f"{service.title_local} ({service.code})")
            for service in Service.objects.filter(active=True).order_by("area", "code")
        ]
        self.fields["service"].widget.choices = choices


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    attachments = AttachmentsField(label=_("Attachments"), help_text=attachments_help)


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done or decided; the entity reads it."),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, initial=Outcome.NONE, widget=forms.RadioSelect
    )
    amount = forms.CharField(
        label=_("Amount (EUR)"),
        required=False,
        help_text=_("Required for a grant; for a service, its value."),
    )
    public_title = forms.CharField(
        label=_("Public title of the action"),
        required=False,
        max_length=300,
        help_text=_(
            "For a grant or a service: the title published in the cooperation actions (open "
            "data). The request's subject stays private; empty = the service's name."
        ),
    )
