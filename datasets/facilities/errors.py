"""Errors of the facility register; tests check ``code``, never the wording."""

from __future__ import annotations

from datasets.errors import DatasetError


class FacilityError(DatasetError):
    code = "facility-error"


class FacilityFileError(FacilityError):
    """The register or a source file cannot be read at all."""

    code = "facility-file"


class FacilityImportError(FacilityError):
    """A file could not be imported; ``issues`` holds every problem, with row and column."""

    code = "facility-import-invalid"

    def __init__(self, message: str, *, issues: list) -> None:
        super().__init__(message)
        self.issues = issues
