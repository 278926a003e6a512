"""Formula drafts: parse, compute and compare a draft against the formula it changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dataportal import portal_data
from datasets.allocation import AllocationResult, Formula, allocation_compute, formula_parse
from datasets.allocation.compare import AllocationComparison, allocation_compare
from datasets.allocation.inputs import allocation_inputs_load
from datasets.allocation.summary import AllocationSummary, allocation_summarise

if TYPE_CHECKING:
    from dataportal.models import FormulaDraft


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


def draft_debate_open(*, draft: FormulaDraft, user) -> object:
    """Open a debate on the draft in the first debate space; its comparison goes public.

    The debate (open for 30 days) carries the proposal's reasons, a link to the public
    comparison and the largest changes. It is published at once when the user may
    publish pages, otherwise left as a draft; the comparison is public once it is live.
    """
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from dataportal.models import AllocationExplorerPage
    from debates.models import DebateIndexPage, DebatePage

    if draft.debate_id:
        return draft.debate.specific
    catalan = Locale.objects.get(language_code="ca")
    space = DebateIndexPage.objects.live().filter(locale=catalan).first()
    explorer = AllocationExplorerPage.objects.live().filter(locale=catalan).first()
    if space is None or explorer is None:
        raise ValueError("There is no debate space or allocation explorer page to link to.")
    preview = draft_preview(draft)
    comparison = preview.comparison
    proposal_url = f"{explorer.url}proposal/{draft.pk}/"
    changes = comparison.winners[:5] + comparison.losers[:5]
    rows = [
        [
            {"type": "text", "value": row.name},
            {"type": "number", "value": str(row.base_eur)},
            {"type": "number", "value": str(row.other_eur)},
            {"type": "number", "value": str(row.difference_eur)},
        ]
        for row in changes
    ]
    table = {
        "caption": "Els canvis més grans",
        "columns": [
            {"type": "text", "heading": "Municipi"},
            {"type": "number", "heading": "Fórmula vigent (€)"},
            {"type": "number", "heading": "Proposta (€)"},
            {"type": "number", "heading": "Diferència (€)"},
        ],
        "rows": [{"values": [cell["value"] for cell in row]} for row in rows],
    }
    intro = (
        f"<p>Proposta de nova versió de la fórmula «{draft.base_formula}»: "
        f"{len(comparison.winners)} municipis hi guanyen i {len(comparison.losers)} hi perden; "
        f"es mouen {comparison.moved_eur:,.0f} €. "
        f'<a href="{proposal_url}">Vegeu la comparació completa, municipi a municipi</a>.</p>'
    ).replace(",", ".")
    with transaction.atomic():
        debate = DebatePage(
            live=False,
            title=f"Proposta: {draft.title}"[:255],
            question="Què en penseu d'aquesta proposta de fórmula de repartiment?",
            summary=draft.notes,
            context=[("paragraph", intro), ("table", table)],
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=30),
        )
        space.add_child(instance=debate)
        revision = debate.save_revision(user=user)
        # Editors without the right to publish leave it as a draft for a moderator.
        if debate.permissions_for_user(user).can_publish():
            revision.publish(user=user)
        draft.debate = debate
        draft.save(update_fields=["debate"])
    return debate
