"""The comment form: django-comments' anti-forgery fields plus the text and a parent."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_comments.forms import CommentSecurityForm

# Django's CharField refuses a NUL byte (databases cannot store it); the views drop it
# from the text they give back to the person.
NULL_CHARACTER_CODE = "null-character"
NULL_CHARACTER_MESSAGE = _(
    "Your text contained a character that cannot be stored (a NUL byte). It has been "
    "removed from your text below: check it and send it again."
)


def comment_has_null_character(form: forms.Form) -> bool:
    return form.has_error("comment", "null_characters_not_allowed")


class DebateCommentForm(CommentSecurityForm):
    """Security fields (content type, object, timestamp, HMAC) come from CommentSecurityForm.

    The HMAC covers the posted content type and object id, so we also check that they
    name the debate of the URL: a valid hash for another debate is still a forgery here.
    The text's length and emptiness are checked by the service, which words the message.
    """

    SECURITY_FIELDS = ("content_type", "object_pk", "timestamp", "security_hash")

    comment = forms.CharField(label=_("Your comment"), widget=forms.Textarea, required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    followup = forms.BooleanField(
        label=_("Follow this debate (e-mail notifications)"), required=False, initial=True
    )
    # A field people never see: bots fill it in.
    honeypot = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_honeypot(self) -> str:
        value = self.cleaned_data.get("honeypot", "")
        if value:
            raise forms.ValidationError(_("This field must be left empty."))
        return value

    def clean(self):
        cleaned = super().clean()
        expected = (str(self.target_object._meta), str(self.target_object.pk))
        posted = (self.data.get("content_type", ""), self.data.get("object_pk", ""))
        if posted != expected:
            raise forms.ValidationError(
                _("This form does not belong to this debate."), code="target-mismatch"
            )
        return cleaned

    def refusal_message(self) -> tuple[str, str]:
        """(code, message) for a form that failed its security checks."""
        if "timestamp" in self.errors and "security_hash" not in self.errors:
            return (
                "form-expired",
                str(
                    _(
                        "The form had been open too long and expired. Your text is kept "
                        "below: send it again."
                    )
                ),
            )
        if "honeypot" in self.errors:
            return "honeypot", str(_("The comment could not be accepted."))
        if set(self.errors) == {"comment"} and comment_has_null_character(self):
            # The form itself is fine: say what is wrong with the text.
            return NULL_CHARACTER_CODE, str(NULL_CHARACTER_MESSAGE)
        return (
            "form-tampered",
            str(_("The form was altered or is not valid any more. Reload the page and try again.")),
        )


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason shown to readers"), max_length=300)


class BlockForm(forms.Form):
    reason = forms.CharField(label=_("Reason (kept in the moderation log)"), max_length=1000)


class CloseForm(forms.Form):
    conclusions = forms.CharField(
        label=_("Conclusions"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Markdown, as in comments: **bold**, *italics*, lists and links."),
    )
    answer = forms.CharField(
        label=_("The Diputació's answer"),
        widget=forms.Textarea,
        required=False,
        help_text=_("Markdown, as in comments: **bold**, *italics*, lists and links."),
    )


class EditForm(forms.Form):
    comment = forms.CharField(label=_("Your comment"), widget=forms.Textarea, required=False)


class ReportForm(forms.Form):
    """Why a comment is reported; the service checks it (and words the refusals)."""

    reason = forms.ChoiceField(
        label=_("Why are you reporting this comment?"),
        choices=[],
        widget=forms.RadioSelect,
        required=False,
    )
    details = forms.CharField(
        label=_("Anything the moderators should know (optional; required for another reason)"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
        required=False,
        max_length=1000,
    )

    def __init__(self, *args, **kwargs) -> None:
        from debates.models import CommentReport

        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = CommentReport.Reason.choices
