"""The answer form, built from the survey's questions; it only accepts in-range values."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from concertem.surveys.models import QuestionKind, SurveyPage

SCALE_CHOICES = [(str(value), str(value)) for value in range(11)]


class SurveyAnswerForm(forms.Form):
    started = forms.CharField(widget=forms.HiddenInput)
    # The honeypot (services.HONEYPOT_FIELD): hidden from people, filled in by naive scripts.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, survey: SurveyPage, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.all())
        for question in self.questions:
            name = f"q_{question.key}"
            common = {
                "label": question.text,
                "required": question.required,
                "help_text": question.help_text,
            }
            if question.kind == QuestionKind.SCALE:
                field = forms.TypedChoiceField(
                    choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect, **common
                )
                field.low_label, field.high_label = question.low_label, question.high_label
            elif question.kind == QuestionKind.SINGLE:
                field = forms.TypedChoiceField(
                    choices=[
                        (str(i), label) for i, label in enumerate(question.choice_labels, start=1)
                    ],
                    coerce=int,
                    widget=forms.RadioSelect,
                    **common,
                )
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    choices=[
                        (str(i), label) for i, label in enumerate(question.choice_labels, start=1)
                    ],
                    coerce=int,
                    widget=forms.CheckboxSelectMultiple,
                    **common,
                )
            else:
                field = forms.CharField(
                    max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), **common
                )
            field.kind = question.kind
            self.fields[name] = field

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{question.key}"] for question in self.questions]
