"""The ``concertem_dcat`` plugin: texts in several languages for ckanext-scheming fields.

A field with ``validators: ignore_missing concertem_translated`` and ``output_validators:
concertem_translated_output`` takes ``{"ca": ..., "es": ..., "en": ...}``, is stored as
JSON (an extra) and comes back out as that dict: what ckanext-dcat turns into one literal
per language, and what CKAN's ``h.get_translated`` reads for ``title``/``notes``. The
display snippet ``concertem_translated.html`` shows the reader's language as text.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins as plugins
from ckan.plugins import toolkit


def _translations(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise toolkit.Invalid("expected a JSON object of texts by language") from None
    if not isinstance(value, dict) or not all(
        isinstance(lang, str) and isinstance(text, str) for lang, text in value.items()
    ):
        raise toolkit.Invalid("expected an object of texts by language code")
    return {lang: text for lang, text in value.items() if text}


def translated(value: Any, context: dict[str, Any]) -> str:
    return json.dumps(_translations(value), ensure_ascii=False, sort_keys=True)


def translated_output(value: Any, context: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value)
    except (TypeError, ValueError):
        return value
    return loaded if isinstance(loaded, dict) else value


class ConcertemDcatPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IValidators)
    plugins.implements(plugins.IConfigurer)
    plugins.implements(plugins.IConfigDeclaration)

    def get_validators(self) -> dict[str, Any]:
        return {
            "concertem_translated": translated,
            "concertem_translated_output": translated_output,
        }

    def update_config(self, config: Any) -> None:
        toolkit.add_template_directory(config, "templates")

    def declare_config_options(self, declaration: Any, key: Any) -> None:
        declaration.annotate("concertem_dcat")
        declaration.declare(key.ckanext.concertem_dcat.catalog, "{}").set_description(
            "The catalogue's DCAT-AP properties as JSON (see profile.py)"
        )
