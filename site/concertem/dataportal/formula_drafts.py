"""Formula drafts: parse, compute and compare a draft against the formula it changes,
and put it to debate (three languages, through review)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import GroupApprovalTask, Locale, Workflow, WorkflowPage

from concertem.dataportal import portal_data
from concertem.dataportal.templatetags.portal_tags import euros
from datasets.allocation import AllocationResult, Formula, allocation_compute, formula_parse
from datasets.allocation.compare import AllocationComparison, allocation_compare
from datasets.allocation.formula import formula_path_resolve
from datasets.allocation.inputs import allocation_inputs_load
from datasets.allocation.summary import AllocationSummary, allocation_summarise
from datasets.errors import DatasetError
from debates.models import DebateIndexPage, DebatePage

if TYPE_CHECKING:
    from concertem.dataportal.models import FormulaDraft


def draft_formula_parse(draft: FormulaDraft) -> Formula:
    """The draft as a formula; raises the formula engine's DatasetError (with line numbers)."""
    formula = formula_parse(draft.text, path=f"draft #{draft.pk or 'new'}")
    # Computing is the only complete check: missing inputs, budget below the minimums.
    entities, variables = allocation_inputs_load(formula)
    allocation_compute(formula, entities=entities, variables=variables)
    return formula


@dataclass(frozen=True)
class DraftPreview:
    formula: Formula
    result: AllocationResult
    summary: AllocationSummary
    base_summary: AllocationSummary
    comparison: AllocationComparison


def draft_preview(draft: FormulaDraft) -> DraftPreview:
    formula = formula_parse(draft.text, path=f"draft #{draft.pk}")
    entities, variables = allocation_inputs_load(formula)
    result = allocation_compute(formula, entities=entities, variables=variables)
    base = portal_data.allocation(draft.base_formula)
    return DraftPreview(
        formula=formula,
        result=result,
        summary=allocation_summarise(result),
        base_summary=base.summary,
        comparison=allocation_compare(base.result, result),
    )


def base_formula_text(formula_id: str) -> str:
    """The TOML of a shipped formula, as a new draft starts from it."""
    try:
        return formula_path_resolve(formula_id).read_text(encoding="utf-8")
    except (OSError, ValueError, DatasetError):
        return ""


class FormulaDraftForm(WagtailAdminModelForm):
    """The draft's admin form: a new draft starts from the current formula's text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.initial.get("text"):
            base = self.initial.get("base_formula") or self.instance.base_formula
            self.initial["text"] = base_formula_text(base)


DEBATE_DAYS = 30
LANGUAGES = ("ca", "es", "en")


def _debate_content(
    *, draft: FormulaDraft, preview: DraftPreview, proposal_url: str, language: str
) -> dict:
    """The debate's fields in one language; numbers formatted as that language writes them."""
    comparison = preview.comparison
    changes = comparison.winners[:5] + comparison.losers[:5]
    with translation.override(language):
        intro = _(
            "Proposal for a new version of the formula «%(base)s»: %(winners)s municipalities "
            "gain and %(losers)s lose; %(moved)s change hands."
        ) % {
            "base": escape(draft.base_formula),
            "winners": len(comparison.winners),
            "losers": len(comparison.losers),
            "moved": euros(comparison.moved_eur),
        }
        link = _("See the full comparison, municipality by municipality")
        return {
            "title": (_("Proposal: %(title)s") % {"title": draft.title})[:255],
            "question": _("What do you think of this proposed allocation formula?"),
            "context": [
                ("paragraph", f'<p>{intro} <a href="{escape(proposal_url)}">{link}</a>.</p>'),
                (
                    "table",
                    {
                        "caption": _("The largest changes"),
                        "columns": [
                            {"type": "text", "heading": _("Municipality")},
                            {"type": "number", "heading": _("Current formula (€)")},
                            {"type": "number", "heading": _("Proposal (€)")},
                            {"type": "number", "heading": _("Difference (€)")},
                        ],
                        "rows": [
                            {
                                "values": [
                                    row.name,
                                    str(row.base_eur),
                                    str(row.other_eur),
                                    str(row.difference_eur),
                                ]
                            }
                            for row in changes
                        ],
                    },
                ),
            ],
        }


def debate_review_workflow(page):
    """The workflow a drafted debate goes through: the one its space is under, or
    a "Debate review" by the Moderators group when no workflow covers it."""
    workflow = page.get_workflow()
    if workflow is not None:
        return workflow
    workflow, created = Workflow.objects.get_or_create(name="Debate review")
    if created:
        task = GroupApprovalTask.objects.create(name="Moderators approval")
        task.groups.set(Group.objects.filter(name="Moderators"))
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.get_or_create(page=page.get_parent(), defaults={"workflow": workflow})
    return workflow


def draft_debate_open(*, draft: FormulaDraft, user) -> object:
    """Draft a debate on the draft in the first debate space, in Catalan, Spanish and
    English, and send each language for review.

    Nothing goes public here: each page is a draft in Wagtail's moderation workflow and
    goes live when an editor approves it; the proposal's public comparison follows the
    debate (it is public once the debate is live). Returns the Catalan page.
    """
    from concertem.dataportal.models import AllocationExplorerPage

    if draft.debate_id:
        return draft.debate.specific
    catalan = Locale.objects.get(language_code="ca")
    space = DebateIndexPage.objects.live().filter(locale=catalan).first()
    explorer = AllocationExplorerPage.objects.live().filter(locale=catalan).first()
    if space is None or explorer is None:
        raise ValueError("There is no debate space or allocation explorer page to link to.")
    preview = draft_preview(draft)
    opens_at = timezone.now()
    dates = {"opens_at": opens_at, "closes_at": opens_at + timedelta(days=DEBATE_DAYS)}
    with transaction.atomic():
        content = _debate_content(
            draft=draft,
            preview=preview,
            proposal_url=f"{explorer.url}proposal/{draft.pk}/",
            language="ca",
        )
        debate = DebatePage(live=False, summary=draft.notes, **dates, **content)
        space.add_child(instance=debate)
        pages = [debate]
        for language in LANGUAGES[1:]:
            locale = Locale.objects.filter(language_code=language).first()
            if locale is None or space.get_translation_or_none(locale) is None:
                continue  # a site without that language's tree gets the others
            local_explorer = explorer.get_translation_or_none(locale) or explorer
            translation = debate.copy_for_translation(locale)
            for field, value in _debate_content(
                draft=draft,
                preview=preview,
                proposal_url=f"{local_explorer.url}proposal/{draft.pk}/",
                language=language,
            ).items():
                setattr(translation, field, value)
            translation.live = False
            translation.save()
            pages.append(translation)
        workflow = debate_review_workflow(debate)
        for page in pages:
            page.save_revision(user=user)
            workflow.start(page, user)
        draft.debate = debate
        draft.save(update_fields=["debate"])
    return debate
