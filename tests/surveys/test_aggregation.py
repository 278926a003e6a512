"""Survey aggregation and small-count suppression, as pure functions."""

from __future__ import annotations

from decimal import Decimal

from concertem.surveys.aggregation import (
    AnswerValue,
    QuestionSpec,
    entity_aggregate,
    question_aggregate,
)

SCALE = QuestionSpec("overall", "scale", "Overall")
SINGLE = QuestionSpec("priority", "single", "Priority", ("Cleanliness", "Housing", "Safety"))
MULTIPLE = QuestionSpec("channels", "multiple", "Channels", ("In person", "Phone", "Online"))
TEXT = QuestionSpec("comments", "text", "Comments")


def test_scale_distribution_and_mean():
    answers = [AnswerValue(number=n) for n in (10, 8, 8, 6, 0)] + [AnswerValue()]
    result = question_aggregate(SCALE, answers, minimum=5)
    assert result.respondents == 5  # the empty answer does not count
    assert result.mean == Decimal("6.40")
    assert [bar.count for bar in result.bars] == [1, 0, 0, 0, 0, 0, 1, 0, 2, 0, 1]
    assert result.bars[8].share_pct == Decimal("40.0")


def test_single_and_multiple_choice_shares_of_respondents():
    single = question_aggregate(SINGLE, [AnswerValue(number=n) for n in (1, 1, 3, 2)], minimum=4)
    assert [(bar.label, bar.count) for bar in single.bars] == [
        ("Cleanliness", 2),
        ("Housing", 1),
        ("Safety", 1),
    ]
    multiple = question_aggregate(
        MULTIPLE, [AnswerValue(options=o) for o in ((1, 3), (3,), (2, 3), (1,))], minimum=4
    )
    assert [bar.share_pct for bar in multiple.bars] == [
        Decimal("50.0"),
        Decimal("25.0"),
        Decimal("75.0"),
    ]


def test_below_the_threshold_nothing_is_published():
    result = question_aggregate(SCALE, [AnswerValue(number=5)] * 9, minimum=10)
    assert result.suppressed and result.bars == [] and result.mean is None
    entity = entity_aggregate(
        "08016", [SCALE, TEXT], [(True, {"overall": AnswerValue(number=7)})] * 9, minimum=10
    )
    assert entity.suppressed and entity.respondents == 9 and entity.demo_respondents == 9
    assert all(question.suppressed and not question.bars for question in entity.questions)


def test_a_question_with_too_few_answers_is_suppressed_inside_a_published_entity():
    rows = [(False, {"overall": AnswerValue(number=7)}) for _ in range(12)]
    rows[0][1]["comments"] = AnswerValue(text="Més bancs a la plaça")
    entity = entity_aggregate("08187", [SCALE, TEXT], rows, minimum=10)
    overall, comments = entity.questions
    assert not entity.suppressed and not overall.suppressed and overall.mean == Decimal("7.00")
    assert comments.suppressed and comments.respondents == 1
