"""The territory's single indicator system: catalogue, values, importer and views for the site.

Modules: ``catalog`` (what each indicator is, and the SDG targets it monitors), ``values`` (the
tidy table entity x year x disaggregation -> value), ``importer`` (statistical-office CSVs into the
tidy table, all or nothing), ``views`` (what the site shows) and ``build`` (seeds everything from
the territory reference tables).
"""
