"""Readable, translated names for the data the debates' tables show.

The variable catalogue (datasets/reference/variables_catalog.csv) is English data with
internal source ids ("ine-atlas/income_municipality.csv#net_income_pc"); a Catalan page
must show neither. The titles are listed here with gettext so that the catalogues
(debates/locale) carry their Catalan and Spanish versions, and makemessages keeps them.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

VARIABLE_TITLES = {
    "population": gettext_noop("Population (ADRH)"),
    "net_income_per_person": gettext_noop("Mean net income per person"),
    "net_income_per_household": gettext_noop("Mean net income per household"),
    "gross_income_per_person": gettext_noop("Mean gross income per person"),
    "gini": gettext_noop("Gini index of income"),
    "p80p20": gettext_noop("Income quintile share ratio P80/P20"),
    "population_census": gettext_noop("Population (Census 2021)"),
    "unemployment_rate": gettext_noop("Unemployment rate (Census 2021)"),
    "employment_rate": gettext_noop("Employment rate (Census 2021)"),
    "activity_rate": gettext_noop("Activity rate (Census 2021)"),
    "share_population_over_64": gettext_noop("Population aged 65 and over (Census 2021)"),
    "share_population_under_16": gettext_noop("Population aged under 16 (Census 2021)"),
    "share_foreign_nationality": gettext_noop("Foreign nationality (Census 2021)"),
    "share_higher_education_completed": gettext_noop("Higher education completed (Census 2021)"),
}

SOURCE_NAMES = {
    "ine-atlas": gettext_noop("INE, Household Income Distribution Atlas and Census 2021"),
}


def variable_title(variable: str, fallback: str) -> str:
    """The variable's title in the active language (the catalogue's, if not listed)."""
    title = VARIABLE_TITLES.get(variable)
    return gettext(title) if title else fallback


def source_name(source: str) -> str:
    """A source id ("ine-atlas/file.csv#column" or "ine-atlas") as a reader's name."""
    source_id = source.split("/")[0]
    name = SOURCE_NAMES.get(source_id)
    return gettext(name) if name else source_id
