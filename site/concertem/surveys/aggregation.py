"""Survey results as plain numbers: distributions, means, and small-count suppression.

No ORM here: the selectors feed it rows, the tests feed it lists. Suppression protects
respondents in small municipalities: a municipality (or a question) with fewer answers than
the threshold shows no figures at all, only that there are too few answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SCALE_VALUES: tuple[int, ...] = tuple(range(11))


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str  # scale | single | multiple | text
    text: str
    choice_labels: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""


@dataclass(frozen=True)
class AnswerValue:
    number: int | None = None
    options: tuple[int, ...] = ()
    text: str = ""

    @property
    def is_empty(self) -> bool:
        return self.number is None and not self.options and not self.text.strip()


@dataclass(frozen=True)
class Bar:
    value: str
    label: str
    count: int
    share_pct: Decimal  # of the question's respondents


@dataclass
class QuestionResult:
    spec: QuestionSpec
    respondents: int
    suppressed: bool
    bars: list[Bar] = field(default_factory=list)
    mean: Decimal | None = None


@dataclass
class EntityResult:
    entity_code: str
    respondents: int
    demo_respondents: int
    suppressed: bool
    questions: list[QuestionResult]


def _pct(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def question_aggregate(
    spec: QuestionSpec, answers: Sequence[AnswerValue], *, minimum: int
) -> QuestionResult:
    given = [answer for answer in answers if not answer.is_empty]
    respondents = len(given)
    if respondents < minimum:
        return QuestionResult(spec=spec, respondents=respondents, suppressed=True)
    result = QuestionResult(spec=spec, respondents=respondents, suppressed=False)
    if spec.kind == "scale":
        counts = {value: 0 for value in SCALE_VALUES}
        for answer in given:
            if answer.number in counts:
                counts[answer.number] += 1
        result.bars = [
            Bar(str(value), str(value), counts[value], _pct(counts[value], respondents))
            for value in SCALE_VALUES
        ]
        total = sum(value * count for value, count in counts.items())
        result.mean = (Decimal(total) / Decimal(respondents)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    elif spec.kind in ("single", "multiple"):
        counts = {position: 0 for position in range(1, len(spec.choice_labels) + 1)}
        for answer in given:
            chosen = (
                answer.options
                if spec.kind == "multiple"
                else ((answer.number,) if answer.number is not None else ())
            )
            for position in set(chosen):
                if position in counts:
                    counts[position] += 1
        result.bars = [
            Bar(str(position), spec.choice_labels[position - 1], count, _pct(count, respondents))
            for position, count in counts.items()
        ]
    # Free text: only the number of answers is ever published.
    return result


def entity_aggregate(
    entity_code: str,
    specs: Sequence[QuestionSpec],
    responses: Iterable[tuple[bool, Mapping[str, AnswerValue]]],
    *,
    minimum: int,
) -> EntityResult:
    """``responses``: (is_demo, answers by question key) for one municipality."""
    rows = list(responses)
    respondents = len(rows)
    demo = sum(1 for is_demo, _answers in rows if is_demo)
    if respondents < minimum:
        return EntityResult(
            entity_code, respondents, demo, True, [QuestionResult(spec, 0, True) for spec in specs]
        )
    questions = [
        question_aggregate(
            spec, [answers.get(spec.key, AnswerValue()) for _d, answers in rows], minimum=minimum
        )
        for spec in specs
    ]
    return EntityResult(entity_code, respondents, demo, False, questions)
