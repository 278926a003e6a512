"""Errors of the indicator system; tests check ``code``, never the wording."""

from __future__ import annotations

from datasets.errors import DatasetError


class IndicatorError(DatasetError):
    code = "indicator-error"


class IndicatorUnknownError(IndicatorError):
    code = "unknown-indicator"


class IndicatorCatalogError(IndicatorError):
    """The catalogue file itself is wrong (a missing text, an SDG target that does not exist)."""

    code = "indicator-catalog-invalid"


class IndicatorValuesFileError(IndicatorError):
    code = "indicator-values-file"


class IndicatorMappingError(IndicatorError):
    """The ``--mapping`` TOML is unreadable or names a column the file does not have."""

    code = "indicator-mapping-invalid"


class IndicatorImportError(IndicatorError):
    """A file could not be imported; ``report`` holds every issue, with row and column."""

    code = "indicator-import-invalid"

    def __init__(self, message: str, *, report: object) -> None:
        super().__init__(message)
        self.report = report
