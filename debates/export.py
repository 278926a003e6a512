"""The debates' contributions as an open dataset: a CSV and its Table Schema beside it.

Only what officials said in public office goes out: entity, role, date and the text of
public comments. No e-mail, no user name (Decidim publishes names of officials; we keep
them out by default, the entity and role carry the accountability), no IP address. A
hidden comment keeps its row, so replies still point at an existing parent, but not
its text. A comment its author deleted is left out altogether.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from datasets.catalog.exports import DEBATE_CONTRIBUTIONS
from datasets.schema_texts import schema_translate
from debates import rules, territory
from debates.markup import comment_plain_text
from debates.models import CommentDetail, DebatePage

CSV_NAME = DEBATE_CONTRIBUTIONS.csv_files[0]
SCHEMA_NAME = DEBATE_CONTRIBUTIONS.schema_files[0]

SCHEMA = {
    "fields": [
        {
            "name": "debate_slug",
            "type": "string",
            "title": "Debate",
            "description": "URL slug of the debate page (default language).",
            "constraints": {"required": True},
        },
        {
            "name": "comment_id",
            "type": "integer",
            "title": "Comment id",
            "constraints": {"required": True, "unique": True},
        },
        {
            "name": "parent_id",
            "type": "integer",
            "title": "Replies to",
            "description": (
                "Id of the comment this one replies to; empty for a new thread. It may name "
                "a comment its author deleted, which is not in the dataset."
            ),
        },
        {
            "name": "thread_id",
            "type": "integer",
            "title": "Thread id",
            "constraints": {"required": True},
        },
        {
            "name": "level",
            "type": "integer",
            "title": "Depth in the thread",
            "constraints": {"minimum": 0},
        },
        {
            "name": "entity_code",
            "type": "string",
            "title": "Local entity (INE code)",
            "constraints": {"pattern": "^[0-9]{5}$"},
        },
        {"name": "entity_name", "type": "string", "title": "Local entity"},
        {
            "name": "role",
            "type": "string",
            "title": "Role of the official",
            "constraints": {"enum": ["mayor", "councillor", "technician", ""]},
        },
        {
            "name": "submitted_at",
            "type": "datetime",
            "format": "any",
            "title": "Posted at",
            "constraints": {"required": True},
        },
        {
            "name": "status",
            "type": "string",
            "title": "Status",
            "description": "public, or hidden (by moderation: no text published)",
            "constraints": {"required": True, "enum": ["public", "hidden"]},
        },
        {
            "name": "text",
            "type": "string",
            "title": "Text",
            "description": "Plain text of the comment (Markdown markup removed).",
        },
    ],
    "primaryKey": ["comment_id"],
    "missingValues": [""],
}
schema_translate(
    SCHEMA,
    {
        "debate_slug": (
            "Debat",
            "Debate",
            "Slug de l'URL de la pàgina del debat (idioma per defecte).",
            "Slug de la URL de la página del debate (idioma por defecto).",
        ),
        "comment_id": ("Identificador de l'aportació", "Identificador de la aportación"),
        "parent_id": (
            "Respon a",
            "Responde a",
            "Identificador de l'aportació a la qual respon; buit per a un fil nou. Pot ser "
            "una aportació que el seu autor ha esborrat, que no és al conjunt de dades.",
            "Identificador de la aportación a la que responde; vacío para un hilo nuevo. Puede "
            "ser una aportación que su autor ha borrado, que no está en el conjunto de datos.",
        ),
        "thread_id": ("Identificador del fil", "Identificador del hilo"),
        "level": ("Profunditat al fil", "Profundidad en el hilo"),
        "entity_code": ("Ens local (codi INE)", "Ente local (código INE)"),
        "entity_name": ("Ens local", "Ente local"),
        "role": ("Càrrec", "Cargo"),
        "submitted_at": ("Publicada el", "Publicada el"),
        "status": (
            "Estat",
            "Estado",
            "public, o hidden (per moderació: no se'n publica el text)",
            "public, o hidden (por moderación: no se publica el texto)",
        ),
        "text": (
            "Text",
            "Texto",
            "Text pla de l'aportació (sense el marcatge Markdown).",
            "Texto plano de la aportación (sin el marcado Markdown).",
        ),
    },
)


@dataclass(frozen=True)
class ContributionRow:
    debate_slug: str
    comment_id: int
    parent_id: str
    thread_id: int
    level: int
    entity_code: str
    entity_name: str
    role: str
    submitted_at: str
    status: str
    text: str


def debate_contributions(*, debates: list[DebatePage] | None = None) -> list[ContributionRow]:
    """Every comment of the given debates (default: all), hidden ones without their text.

    Open data: the debates of restricted spaces are left out, as they are for any reader
    who is not invited.
    """
    # A comment its author deleted leaves the dataset (a reply may still name it as
    # its parent: see the schema's description of parent_id).
    details = (
        CommentDetail.objects.filter(deleted_at__isnull=True)
        .select_related("comment", "debate")
        .order_by("debate__path", "comment__thread_id", "comment__order")
    )
    for path in rules.restricted_space_paths_denied(AnonymousUser()):
        details = details.exclude(debate__path__startswith=path)
    if debates is not None:
        details = details.filter(debate__in=[rules.debate_canonical(d) for d in debates])
    rows = []
    for detail in details:
        comment = detail.comment
        public = comment.is_public and not comment.is_removed and not detail.is_hidden
        rows.append(
            ContributionRow(
                debate_slug=detail.debate.slug,
                comment_id=comment.pk,
                parent_id=str(comment.parent_id) if comment.parent_id != comment.pk else "",
                thread_id=comment.thread_id,
                level=comment.level,
                entity_code=detail.entity_code,
                entity_name=territory.entity_name(detail.entity_code) if detail.entity_code else "",
                role=detail.role,
                submitted_at=timezone.localtime(comment.submit_date).isoformat(timespec="seconds"),
                status="public" if public else "hidden",
                text=comment_plain_text(comment.comment) if public else "",
            )
        )
    return rows


def contributions_export(
    *, out_dir: Path, debates: list[DebatePage] | None = None
) -> tuple[Path, Path]:
    """Write the CSV and its schema into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = debate_contributions(debates=debates)
    names = [f.name for f in fields(ContributionRow)]
    csv_path = out_dir / CSV_NAME
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
    schema_path = out_dir / SCHEMA_NAME
    schema_path.write_text(json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return csv_path, schema_path
