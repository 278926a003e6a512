"""A categorical indicator over the years, as plain data for its charts.

* ``province_category_years``: per year, how many municipalities of a province fall in each
  category, every year on the same scale (the declared order, then any undeclared value the
  data holds) so that a category keeps its place and its colour from one year to the next;
* ``entity_category_points``: one municipality's category per year, as a place on that scale;
* ``category_colour_index``: which colour of a sequential palette a category takes, by the
  same rule as the goal page's map (``dataportal/static/dataportal/map.js``).
"""

from __future__ import annotations

from dataclasses import dataclass

from datasets.indicators.views import IndicatorViews, category_find


@dataclass(frozen=True, slots=True)
class CategoryYear:
    year: int
    counts: tuple[int, ...]  # municipalities per category, in the scale's order

    @property
    def total(self) -> int:
        return sum(self.counts)

    def shares(self) -> tuple[float, ...]:
        """Each count as a percentage of the year's municipalities (0 when none reported)."""
        total = self.total
        return tuple(count / total * 100 if total else 0.0 for count in self.counts)


@dataclass(frozen=True, slots=True)
class CategoryPoint:
    year: int
    code: str  # the declared category's code (or the stored text when none matches)
    position: int  # its place on the scale, 0 = first declared


def category_code(categories: tuple, value: str) -> str:
    """The declared code a stored value means (a label or alias counts as its category)."""
    found = category_find(categories, value)
    return found.code if found is not None else value


def category_scale(categories: tuple, stored: set[str]) -> list[str]:
    """The codes in order: the declared ones, then the undeclared values found, sorted."""
    declared = [c.code for c in categories]
    return declared + sorted(stored - set(declared))


def category_colour_index(rank: int, count: int, palette_size: int) -> int:
    """A category's colour: its place in the order spread over the palette, lightest first
    (``categoryColourIndex`` of map.js, so the chart and the map agree)."""
    if count < 2:
        return min(3, palette_size - 1)
    return round(rank * (palette_size - 1) / (count - 1))


def province_category_years(
    views: IndicatorViews, indicator_code: str, province_code: str
) -> tuple[list[str], list[CategoryYear]]:
    """(the scale's codes, per year the province's municipalities in each category)."""
    categories = tuple(getattr(views.catalog.get(indicator_code), "categories", ()))
    by_year = {
        year: {
            c.category: c.count
            for c in views.category_distribution(indicator_code, year, province_code)
        }
        for year in views.category_years(indicator_code)
    }
    found = {code for counts in by_year.values() for code, n in counts.items() if n}
    scale = category_scale(categories, found)
    years = [
        CategoryYear(year=year, counts=tuple(counts.get(code, 0) for code in scale))
        for year, counts in sorted(by_year.items())
    ]
    return scale, [item for item in years if item.total]


def entity_category_points(
    views: IndicatorViews, entity_code: str, indicator_code: str
) -> tuple[list[str], list[CategoryPoint]]:
    """(the scale's codes, the municipality's category per year as a place on the scale)."""
    categories = tuple(getattr(views.catalog.get(indicator_code), "categories", ()))
    stored = [
        (year, category_code(categories, value))
        for year, value in views.category_series(entity_code, indicator_code)
    ]
    scale = category_scale(categories, {code for _year, code in stored})
    points = [
        CategoryPoint(year=year, code=code, position=scale.index(code)) for year, code in stored
    ]
    return scale, points
