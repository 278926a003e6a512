"""Demo cooperation actions (invented, for real municipalities), the page, an official.

The actions come from ``datasets/reference/execution_actions_demo.csv`` (``is_demo=true``
on every row). A demo official of the first municipality in that file can log in and see
the private page with a demo document.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, Page

from concertem.common.demo import demo_data_load
from concertem.common.pages import page_translations_ensure
from concertem.cooperation.models import ActionDocument, CooperationAction, CooperationIndexPage
from concertem.cooperation.services import actions_import
from datasets.execution.demo import DEMO_PATH
from debates.models import Official

_DATA = demo_data_load(__file__, "cooperation")
PAGE = _DATA["page"]
DEMO_OFFICIAL = _DATA["demo_official"]
PRIVATE_COLLECTION = "Cooperation actions (private)"


def private_collection_ensure() -> Collection:
    """Documents of actions live here, readable through Wagtail only by editors' groups.

    Officials read them through the cooperation page, which checks their entity.
    """
    collection = Collection.objects.filter(name=PRIVATE_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=PRIVATE_COLLECTION)
    if not CollectionViewRestriction.objects.filter(collection=collection).exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        )
        restriction.groups.set(Group.objects.filter(name__in=["Editors", "Moderators"]))
    return collection


def demo_official_ensure(entity_code: str):
    """A verified official of ``entity_code`` (needs the debates app's Official model)."""
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=DEMO_OFFICIAL["username"])
    user.first_name, user.last_name = DEMO_OFFICIAL["first_name"], DEMO_OFFICIAL["last_name"]
    user.set_password(DEMO_OFFICIAL["password"])
    user.save()
    Official.objects.update_or_create(
        user=user, defaults={"entity_code": entity_code, "role": "technician", "verified": True}
    )
    return user


def demo_document_ensure(action: CooperationAction, collection: Collection) -> None:
    if action.documents.exists():
        return
    document_model = get_document_model()
    document = document_model(
        title=f"(demo) Resolució d'atorgament {action.action_id}", collection=collection
    )
    document.file.save(
        f"demo-{action.action_id}.txt",
        ContentFile(
            f"DEMO DOCUMENT — not a real resolution.\n{action.action_id}: {action.title}\n".encode()
        ),
        save=False,
    )
    document.save()
    ActionDocument.objects.create(
        action=action, document=document, title="(demo) Resolució d'atorgament"
    )


def editor_permissions_grant() -> None:
    """Wagtail's Editors and Moderators manage actions and programmes (snippets)."""
    permissions = Permission.objects.filter(
        content_type__app_label="cooperation",
        content_type__model__in=["cooperationaction", "programme"],
    )
    for group in Group.objects.filter(name__in=["Editors", "Moderators"]):
        group.permissions.add(*permissions)


@transaction.atomic
def demo_cooperation_load(homes: dict[str, Page], *, path: Path = DEMO_PATH) -> dict[str, Page]:
    pages = page_translations_ensure(parents=homes, model=CooperationIndexPage, content=PAGE)
    editor_permissions_grant()
    actions_import(path)
    first = (
        CooperationAction.objects.filter(is_demo=True).order_by("entity_code", "action_id").first()
    )
    if first is not None:
        demo_official_ensure(first.entity_code)
        collection = private_collection_ensure()
        # A resolution exists only once an action has been granted.
        for action in CooperationAction.objects.filter(
            entity_code=first.entity_code, granted_on__isnull=False
        ):
            demo_document_ensure(action, collection)
    return pages
