"""README.md and CHANGELOG.md of a built package, generated from the spec and the schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # packaging imports this module; the types are only for annotations
    from datasets.built import BuiltPackage
    from datasets.versioning import VersionDecision

LANGUAGE_NAMES = {"ca": "Català", "es": "Castellano", "en": "English"}
# EU frequency vocabulary codes the catalogue uses -> words for the README.
FREQUENCY_WORDS = {
    "ANNUAL": "annual",
    "IRREG": "irregular",
    "NEVER": "never (a closed series)",
    "MONTHLY": "monthly",
    "QUARTERLY": "quarterly",
    "BIENNIAL": "every two years",
}


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _constraints(field: dict[str, Any]) -> str:
    parts = []
    for key, value in (field.get("constraints") or {}).items():
        if key == "required" and value:
            parts.append("required")
        elif key == "unique" and value:
            parts.append("unique")
        elif key == "enum":
            parts.append("one of " + ", ".join(f"`{v}`" for v in value))
        else:
            parts.append(f"{key} `{value}`")
    return "; ".join(parts)


def _fields_table(schema: dict[str, Any]) -> list[str]:
    lines = ["| column | type | title | description | constraints |", "|---|---|---|---|---|"]
    for field in schema.get("fields", []):
        lines.append(
            f"| `{field['name']}` | {field.get('type', 'any')} | {_cell(field.get('title', ''))}"
            f" | {_cell(field.get('description', ''))} | {_cell(_constraints(field))} |"
        )
    keys = []
    if schema.get("primaryKey"):
        keys.append("Primary key: " + ", ".join(f"`{k}`" for k in schema["primaryKey"]) + ".")
    for key in schema.get("foreignKeys", []):
        ref = key["reference"]
        keys.append(
            "Foreign key: "
            + ", ".join(f"`{f}`" for f in key["fields"])
            + f" → `{ref.get('resource') or 'this table'}`."
            + ", ".join(f"`{f}`" for f in ref["fields"])
        )
    return lines + (["", *keys] if keys else [])


def readme_render(built: BuiltPackage) -> str:
    spec = built.spec
    released = built.descriptor["concertem"]["released"]
    year = released[:4]
    out = [
        f"# {spec.title['en']}",
        "",
        f"*{spec.title['ca']}* · *{spec.title['es']}*",
        "",
        f"- **Version:** {built.version} (released {released}; see `CHANGELOG.md`)",
        f"- **Publisher:** {spec.publisher.name} ({spec.publisher.url})",
        f"- **Licence:** [{spec.licence.title}]({spec.licence.url}) (`{spec.licence.id}`)",
        f"- **Temporal coverage:** {spec.temporal[0]} to {spec.temporal[1]}",
        f"- **Spatial coverage:** {spec.spatial.label['en']} ({spec.spatial.uri})",
        f"- **Update frequency:** {FREQUENCY_WORDS.get(spec.frequency, spec.frequency)}",
        "",
        "## Description",
        "",
    ]
    for lang in ("en", "ca", "es"):
        out += [f"**{LANGUAGE_NAMES[lang]}.** {spec.description[lang]}", ""]
    out += ["## Files", ""]
    out += ["| file | format | bytes | sha256 | rows |", "|---|---|---|---|---|"]
    for resource in built.resources:
        rows = "" if resource.rows is None else str(resource.rows)
        out.append(
            f"| `{resource.path}` | {resource.format} | {resource.bytes} | "
            f"`{resource.sha256}` | {rows} |"
        )
    out.append("")
    for resource_spec, resource in zip(spec.resources, built.resources, strict=True):
        out += [f"### `{resource.path}` — {resource_spec.title['en']}", ""]
        out += [resource_spec.description["en"], ""]
        if resource_spec.licences:
            out += [
                "Licence of this file: "
                + ", ".join(f"[{lic.title}]({lic.url})" for lic in resource_spec.licences),
                "",
            ]
        if resource.schema is not None:
            out += [*_fields_table(resource.schema), ""]
    if built.external_keys:
        out += ["Codes referring to other packages of the catalogue (checked by validation):", ""]
        for key in built.external_keys:
            ref = key["reference"]
            out.append(
                f"- `{key['resource']}`."
                + ", ".join(key["fields"])
                + f" → `{ref['resource']}`."
                + ", ".join(ref["fields"])
            )
        out.append("")
    out += ["## Sources and attribution", ""]
    for source in spec.sources:
        out.append(f"- [{source.title}]({source.url}) — {source.attribution} ({source.licence})")
    out += [
        "",
        "## Licence",
        "",
        f"{spec.licence.title} ({spec.licence.url}). Keep the attribution of the sources above.",
        "",
        "## How to cite",
        "",
        f"> {spec.publisher.name} ({year}). *{spec.title['en']}* (version {built.version}) "
        f"[Data set]. Data Package `{spec.name}`.",
        "",
    ]
    if spec.recompute:
        out += ["## How to recompute", "", spec.recompute["en"], ""]
    out += [
        "## Check it yourself",
        "",
        "```bash",
        "pip install frictionless",
        "frictionless validate datapackage.json",
        "```",
        "",
        "Generated by `concertem build`; do not edit by hand.",
        "",
    ]
    return "\n".join(out)


def changelog_render(built: BuiltPackage, decision: VersionDecision) -> str:
    # The newest release comes first, right under the title: publishing reads its notes.
    out = [f"# Changelog — {built.spec.name}", ""]
    for release in decision.history:
        out += [f"## {release.version} — {release.date} ({release.change})", ""]
        # A note indented by the changelog module is a sub-item of the note above it.
        out += [note if note.startswith("  ") else f"- {note}" for note in release.notes]
        out.append("")
    if built.spec.declared_version is not None:
        out += [
            "## About these versions",
            "",
            "The version of this dataset is its formula's own (`[formula].version` in the "
            "formula file, and the `formula_version` column): a change of data or schema "
            "comes with a new formula version; a metadata correction is noted under the "
            "current one.",
            "",
        ]
    return "\n".join(out)
