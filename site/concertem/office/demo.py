"""Demo content of the office: the page in ca/es/en, a service catalogue, territorial
agents, officials, and requests in every state for real municipalities.

The content is data (``demo_data/office.yaml``); this module loads it. Everything is
marked as demo (``is_demo``, "(demo)" in names). Idempotent: services and agents are
upserted by code and username, requests are created once (keyed by entity and subject).
Requests are filed and handled through ``concertem.office.services`` with back-dated times, so the
audit trail, the metrics and the cooperation actions are the real thing.
"""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from concertem.common.pages import page_translations_ensure
from concertem.office import services
from concertem.office.export import metrics_export
from concertem.office.models import OfficePage, Service, SupportRequest, TerritorialAgent
from debates import territory
from debates.officials import official_register

DEMO_DATA = Path(__file__).resolve().parent / "demo_data" / "office.yaml"
# Published demo logins (written to var/demo-logins.txt), not secrets.
AGENT_PASSWORD = "concertem-agent"  # noqa: S105
OFFICIAL_PASSWORD = "concertem-official"  # noqa: S105


@lru_cache(maxsize=1)
def demo_data() -> dict[str, Any]:
    """The office's demo content as written in ``demo_data/office.yaml``."""
    return yaml.safe_load(DEMO_DATA.read_text(encoding="utf-8"))


def demo_page_content() -> dict[str, dict[str, str]]:
    """The office page's fields in each language (slug included)."""
    return demo_data()["page"]


def demo_users_ensure() -> dict[str, object]:
    user_model = get_user_model()
    users = {}
    for row in demo_data()["officials"]:
        username = row["username"]
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = row["first_name"], row["last_name"]
        user.email = user.email or f"{username}@example.org"
        user.set_password(OFFICIAL_PASSWORD)
        user.save()
        official_register(
            user=user,
            entity_code=row["entity_code"],
            role=row["role"],
            position=row["position"],
            verified=True,
        )
        users[username] = user
    for row in demo_data()["agents"]:
        username = row["username"]
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name, user.last_name = row["first_name"], row["last_name"]
        user.email = f"{username}@example.org"
        user.set_password(AGENT_PASSWORD)
        user.save()
        TerritorialAgent.objects.update_or_create(
            user=user,
            defaults={
                "comarques": row["comarques"],
                "entity_codes": row["entity_codes"],
                "active": True,
                "is_demo": True,
            },
        )
        users[username] = user
    return users


def services_ensure() -> dict[str, Service]:
    result = {}
    for spec in demo_data()["services"]:
        fields = {
            "area": spec["area"],
            "kind": spec["kind"],
            "lead_time_days": spec["lead_time_days"],
            "active": spec.get("active", True),
            "is_demo": True,
        }
        for name in ("title", "description", "eligible", "conditions"):
            texts = spec.get(name) or {"ca": "", "es": "", "en": ""}
            fields[name] = texts["ca"]
            fields[f"{name}_es"] = texts["es"]
            fields[f"{name}_en"] = texts["en"]
        result[spec["code"]], _created = Service.objects.update_or_create(
            code=spec["code"], defaults=fields
        )
    return result


def office_pages_ensure(homes: dict[str, Page]) -> dict[str, Page]:
    return page_translations_ensure(parents=homes, model=OfficePage, content=demo_page_content())


def _demo_pdf(title: str) -> SimpleUploadedFile:
    body = (
        b"%PDF-1.4\n% DEMO document, not a real one\n1 0 obj << /Type /Catalog >> endobj\n"
        + title.encode("ascii", "replace")
        + b"\n%%EOF\n"
    )
    return SimpleUploadedFile("documentacio-demo.pdf", body, content_type="application/pdf")


def requests_ensure(users: dict[str, object]) -> int:
    """File and handle the demo requests (once each); returns how many were created."""
    created = 0
    now = timezone.now()
    for spec in demo_data()["requests"]:
        official = users[spec["official"]]
        entity = official.official.entity_code
        if SupportRequest.objects.filter(
            is_demo=True, entity_code=entity, subject=spec["subject"]
        ).exists():
            continue
        filed_at = now - timedelta(days=spec["days_ago"])
        code = spec.get("service")
        service = Service.objects.filter(code=code).first() if code else None
        request = services.request_file(
            user=official,
            service=service,
            area=spec["area"],
            subject=spec["subject"],
            description=spec["description"],
            files=[_demo_pdf(spec["subject"])],
            now=filed_at,
            is_demo=True,
        )
        agent_user = request.agent.user if request.agent else None
        for item in spec.get("steps", ()):
            offset, step, text = item["after_days"], item["step"], item["text"]
            at = filed_at + timedelta(days=offset)
            if step == "message":
                services.message_post(user=agent_user, request=request, text=text, now=at)
            elif step == "entity":
                services.message_post(user=official, request=request, text=text, now=at)
            elif step == "resolved":
                services.request_resolve(
                    user=agent_user,
                    request=request,
                    resolution=text,
                    outcome=spec.get("outcome", "none"),
                    amount=spec.get("amount", ""),
                    now=at,
                )
            elif step == "declined":
                services.request_decline(user=agent_user, request=request, reason=text, now=at)
            else:
                services.request_transition(
                    user=agent_user, request=request, to_state=step, note=text, now=at
                )
            request.refresh_from_db()
        created += 1
    return created


def demo_logins_append(path: Path | None = None) -> Path:
    """Add the office's logins to var/demo-logins.txt, each line once."""
    path = path or Path(settings.VAR_DIR) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    lines = [
        f"Office territorial agent ({row['comarques']}): {row['username']} / {AGENT_PASSWORD}"
        for row in demo_data()["agents"]
    ]
    lines += [
        f"Official ({territory.entity_name(row['entity_code'])}, {row['role']}): "
        f"{row['username']} / {OFFICIAL_PASSWORD}"
        for row in demo_data()["officials"]
    ]
    missing = [line for line in lines if line not in existing]
    if missing:
        with path.open("a", encoding="utf-8") as handle:
            if existing and not path.read_text(encoding="utf-8").endswith("\n"):
                handle.write("\n")
            handle.write("\n".join(missing) + "\n")
    return path


def demo_office_load(homes: dict[str, Page]) -> dict[str, Page]:
    with transaction.atomic(), services.notifications_muted():
        pages = office_pages_ensure(homes)
        services_ensure()
        users = demo_users_ensure()
        requests_ensure(users)
    metrics_export()
    return pages
