"""Errors of the facility register; tests check ``code``, never the wording."""

from __future__ import annotations

from datasets.errors import DatasetError


class FacilityError(DatasetError):
    code = "facility-error"


class FacilityFileError(FacilityError):
    """The register or a source file cannot be read at all."""

    code = "facility-file"


class FacilityImportError(FacilityError):
    """A file could not be imported; ``issues`` holds its problems, with row and column:
    all of them, or the first ones and ``more`` says how many others were counted."""

    code = "facility-import-invalid"

    def __init__(self, message: str, *, issues: list, more: int = 0) -> None:
        super().__init__(message)
        self.issues = issues
        self.more = more
