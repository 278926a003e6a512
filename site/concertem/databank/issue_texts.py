"""What each problem code of the importer means, in the editor's language.

The importer (pure Python) writes its messages in English with the exact row, column and
value; the admin shows this sentence first, in Catalan, Spanish or English, then the detail.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ISSUE_TEXTS = {
    "column-missing": _("A column the import needs is missing."),
    "csv-malformed": _("The file cannot be read as CSV."),
    "disaggregation-invalid": _("A breakdown value is not one the catalogue declares."),
    "disaggregation-not-allowed": _("The indicator is not broken down by this dimension."),
    "duplicate-key": _("The same municipality, year and breakdown appear twice."),
    "encoding-invalid": _("The file's characters are not in a known encoding."),
    "file-unreadable": _("The file cannot be read."),
    "header-not-found": _("No header row naming the municipality column was found."),
    "indicator-mismatch": _("The row is of another indicator than the one chosen."),
    "no-rows": _("The file has a header but no rows of values."),
    "non-numeric-value": _("The value is not a number."),
    "row-malformed": _("The row does not have as many cells as the header."),
    "status-invalid": _("The status is not one of final, provisional, estimated, confidential."),
    "unknown-entity": _("The municipality or body is not in the territory reference."),
    "unknown-indicator": _("The indicator is not in the catalogue."),
    "value-out-of-range": _("The value is outside the indicator's plausible range."),
    "year-invalid": _("The year is not a year."),
    "year-out-of-range": _("The year is outside 1900-2100."),
}


def issue_text(code: str) -> str:
    return str(ISSUE_TEXTS.get(code, _("The row breaks a rule of the import.")))
