"""The facility register (equipaments): public facilities of the province, as tidy data.

``register``: the record and the committed table; ``sources``: readers of the raw open-data
files; ``build``: the reproducible build of ``datasets/reference/facilities.csv``;
``importer``: all-or-nothing import of more facilities (CSV or GeoJSON); ``export``: the
open-data resources (CSV + GeoJSON + Table Schema).
"""
