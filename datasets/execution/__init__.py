"""Execution status of the Diputació's cooperation actions (grants, services, investments).

``actions``: the record, the import format and its row-level checks; ``summary``: totals by
programme, status, comarca and entity; ``export``: the open-data CSVs and Table Schemas;
``demo``: the generated, clearly labelled demo file.
"""
