"""Survey bar charts wrap long labels instead of cutting them (a cut name reads as another)."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string

from concertem.common.charts import LABEL_CHARS, bar_chart_build, label_lines

LONG = "Programa de suport a la gestió de l'enllumenat públic i l'eficiència energètica"


def test_a_long_label_is_wrapped_whole_at_word_boundaries():
    lines = label_lines(LONG)
    assert len(lines) > 1
    assert " ".join(lines) == LONG
    assert all(len(line) <= LABEL_CHARS for line in lines)


def test_rows_with_wrapped_labels_are_taller_and_the_chart_grows():
    short = bar_chart_build("t", [("Curt", 3, "3"), ("Curt", 2, "2")])
    wrapped = bar_chart_build("t", [(LONG, 3, "3"), ("Curt", 2, "2")])
    assert wrapped.rows[1].y > short.rows[1].y
    assert wrapped.height > short.height
    assert wrapped.rows[0].width == short.rows[0].width  # bars scale the same


def test_the_svg_holds_every_word_of_the_label_and_its_tooltip():
    chart = bar_chart_build("Satisfacció", [(LONG, Decimal("7.5"), "7,5")])
    svg = render_to_string("surveys/includes/bar_chart.html", {"chart": chart, "chart_id": "c"})
    assert f"<title>{LONG}</title>".replace("'", "&#x27;") in svg
    for line in label_lines(LONG):
        assert f">{line}</tspan>".replace("'", "&#x27;") in svg
    assert "…" not in svg
