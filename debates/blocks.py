"""Blocks for debate pages: the shared content blocks plus blocks that embed the data
being debated (indicators of chosen entities, an allocation table).

The data blocks render through `selectors`, which never raise for missing data: a
value the data module does not have shows as "not available", and a data module that
cannot be read at all shows a notice instead of breaking the page.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from wagtail import blocks


def _content_stream_block() -> type[blocks.StreamBlock]:
    """The site's shared content blocks (headings, paragraphs, figures...), named by the
    setting DEBATES_CONTENT_STREAM_BLOCK: the debates sit below the site's apps and may not
    import them. Without the setting a debate's body has only the data blocks below."""
    path = getattr(settings, "DEBATES_CONTENT_STREAM_BLOCK", "wagtail.blocks.StreamBlock")
    return import_string(path)


def _variable_choices() -> list[tuple[str, str]]:
    from debates import territory

    return [(name, info.title) for name, info in sorted(territory.variables_catalog().items())]


def _formula_choices() -> list[tuple[str, str]]:
    from debates import data_tables  # imports debates.models, which imports this module

    return [(name, name) for name in data_tables.formula_names()]


class IndicatorTableBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    variables = blocks.MultipleChoiceBlock(label=_("Variables"), choices=_variable_choices)
    year = blocks.IntegerBlock(
        label=_("Year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("Leave empty for the latest year available of each variable."),
    )
    entity_codes = blocks.CharBlock(
        label=_("Entities"),
        help_text=_("INE codes separated by commas, e.g. 08279, 08298, 08113."),
    )
    note = blocks.CharBlock(label=_("Note"), required=False, max_length=300)

    class Meta:
        icon = "table"
        label = _("Indicator table")
        template = "debates/blocks/indicator_table_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        from debates import data_tables  # imports debates.models, which imports this module

        context["table"] = data_tables.indicator_table(
            variables=list(value.get("variables") or []),
            entity_codes=value.get("entity_codes") or "",
            year=value.get("year"),
        )
        return context


class AllocationTableBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    formula = blocks.ChoiceBlock(label=_("Formula"), choices=_formula_choices)
    entity_codes = blocks.CharBlock(
        label=_("Entities"),
        help_text=_("INE codes separated by commas, e.g. 08279, 08298, 08113."),
    )
    show_criteria = blocks.BooleanBlock(
        label=_("Show what each criterion contributed"), required=False, default=True
    )

    class Meta:
        icon = "table"
        label = _("Allocation table")
        template = "debates/blocks/allocation_table_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        from debates import data_tables  # imports debates.models, which imports this module

        context["table"] = data_tables.allocation_table(
            formula=value.get("formula") or "", entity_codes=value.get("entity_codes") or ""
        )
        return context


class CalendarEventBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    title = blocks.CharBlock(label=_("What"), max_length=200)
    description = blocks.TextBlock(label=_("Details"), required=False)

    class Meta:
        icon = "date"
        label = _("Calendar entry")


class CalendarBlock(blocks.StreamBlock):
    event = CalendarEventBlock()


class DebateStreamBlock(_content_stream_block()):
    indicator_table = IndicatorTableBlock()
    allocation_table = AllocationTableBlock()
